"""Reminders before a visit: the day before and two hours before.

They are scheduled tasks (`visits.tasks.schedule_reminders` queues one per reminder with
`run_after`), not a loop. The task may run late, twice, or after the booking changed, so
`send_reminder` decides at run time: it sends only to a registration still confirmed, for an
event not cancelled and still at the time the reminder was scheduled for, not started yet,
and not already reminded (the `reminded_*_at` marks, set under a row lock).
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from inquiries.choices import ActivityKind
from inquiries.services import timeline
from visits import emails
from visits.models import Event, Registration, RegistrationStatus

DAY_BEFORE = "day_before"
HOURS_BEFORE = "hours_before"
# How long before the start each reminder goes out, and the mark that says it went.
BEFORE_START = {
    DAY_BEFORE: datetime.timedelta(days=1),
    HOURS_BEFORE: datetime.timedelta(hours=2),
}
MARKS = {
    DAY_BEFORE: "reminded_day_before_at",
    HOURS_BEFORE: "reminded_hours_before_at",
}
TIMELINE = {
    DAY_BEFORE: "Reminded of {event} (the day before).",
    HOURS_BEFORE: "Reminded of {event} (two hours before).",
}


def reminder_times(event: Event, *, now=None) -> list[tuple[str, datetime.datetime]]:
    """Each reminder still to come and when it is due. One whose time has passed is left
    out: someone booking an hour before the start needs no two-hour reminder."""
    now = now or timezone.now()
    return [
        (which, event.starts_at - before)
        for which, before in BEFORE_START.items()
        if event.starts_at - before > now
    ]


def send_reminder(*, registration_id: int, event_id: int, which: str, starts_at: str) -> str:
    """Queue the reminder email if it is still owed; returns what happened. Safe to run any
    number of times: only the first run that finds it owed sends it."""
    if which not in MARKS:
        return "unknown reminder"
    now = timezone.now()
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("event__campus", "inquiry")
            .filter(pk=registration_id)
            .first()
        )
        if registration is None:
            return "missing"
        event = registration.event
        if registration.status != RegistrationStatus.CONFIRMED:
            return "not confirmed"
        if event.is_cancelled:
            return "event cancelled"
        if event.pk != event_id or event.starts_at != parse_datetime(starts_at):
            return "event moved"  # the move scheduled reminders of its own
        if event.starts_at <= now:
            return "too late"
        mark = MARKS[which]
        if getattr(registration, mark) is not None:
            return "already reminded"
        setattr(registration, mark, now)
        registration.save(update_fields=[mark, "updated_at"])
        emails.queue_email(
            registration=registration, email=emails.REMINDER, soon=which == HOURS_BEFORE
        )
        if registration.inquiry_id:
            timeline.add_activity(
                inquiry=registration.inquiry,
                kind=ActivityKind.VISIT,
                body=TIMELINE[which].format(event=event),
            )
        return "sent"
