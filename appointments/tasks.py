"""Background tasks for appointments (django.tasks): the reminder the day before.

The reminder is a task queued with `run_after` at the time it is due; the task calls
`reminders.send_reminder`, which decides whether it is still owed (the booking still live,
on the same slot, not reminded yet). A backend that cannot run a task later (the immediate
one of development and tests) gets none: reminders need `manage.py db_worker`.
"""

import datetime
import logging

from django.tasks import task
from django.utils import timezone

from appointments import reminders
from appointments.models import Booking

logger = logging.getLogger(__name__)

DAY_BEFORE = datetime.timedelta(days=1)


@task()
def send_appointment_reminder(booking_id: int, starts_at: str) -> str:
    return reminders.send_reminder(booking_id=booking_id, starts_at=starts_at)


def schedule_reminder(booking: Booking) -> bool:
    """Queue the booking's reminder for a day before it starts; False when none was queued
    (too late already, or a backend that cannot defer). Never raises: the booking stands."""
    due = booking.slot.starts_at - DAY_BEFORE
    if due <= timezone.now() or not send_appointment_reminder.get_backend().supports_defer:
        return False
    try:
        send_appointment_reminder.using(run_after=due).enqueue(
            booking.pk, booking.slot.starts_at.isoformat()
        )
    except Exception:
        logger.exception("Could not queue the reminder of booking %s", booking.pk)
        return False
    return True
