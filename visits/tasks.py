"""Background tasks for visits (django.tasks): the reminders before an event.

Each reminder is its own task, queued with `run_after` at the time it is due; the task
calls `reminders.send_reminder`, which decides whether it is still owed. A backend that
cannot run a task later (the immediate one of development and tests) gets none: reminders
need the database backend's worker (`manage.py db_worker`).
"""

import logging

from django.tasks import task

from visits import reminders
from visits.models import Registration

logger = logging.getLogger(__name__)


@task()
def send_visit_reminder(registration_id: int, event_id: int, which: str, starts_at: str) -> str:
    return reminders.send_reminder(
        registration_id=registration_id, event_id=event_id, which=which, starts_at=starts_at
    )


def schedule_reminders(registration: Registration) -> int:
    """Queue the registration's reminders for their times; returns how many were queued.
    Never raises: a reminder that cannot be queued is logged, and the booking stands."""
    event = registration.event
    if not send_visit_reminder.get_backend().supports_defer:
        logger.info("Task backend cannot defer: no reminders for registration %s", registration.pk)
        return 0
    queued = 0
    for which, due in reminders.reminder_times(event):
        try:
            send_visit_reminder.using(run_after=due).enqueue(
                registration.pk, event.pk, which, event.starts_at.isoformat()
            )
        except Exception:
            logger.exception("Could not queue the %s reminder of %s", which, registration.pk)
        else:
            queued += 1
    return queued
