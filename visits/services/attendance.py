"""At the door: checking people in on an event's roster, undoing a check-in made by mistake,
and, once the event has started, marking everyone still unchecked as a no-show.

Each change is on the person's inquiry timeline ("Attended", "No-show"). A no-show's
inquiry gets a follow-up on the next working day (through `inquiries.services.workflow`, so
it shows in the representative's My day) and a note saying why.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inquiries.choices import ActivityKind
from inquiries.selectors import staff_name
from inquiries.services import timeline, workflow
from visits.models import Attendance, Event, Registration, RegistrationStatus

NOT_STARTED = "The event has not started yet: mark no-shows once it is under way."
NOT_CONFIRMED = "Only people with a confirmed seat are on the roster."
# When a no-show's follow-up is due, on the next working day (the college's time zone).
FOLLOW_UP_TIME = datetime.time(10, 0)


def next_working_day(now: datetime.datetime) -> datetime.datetime:
    """FOLLOW_UP_TIME on the next Monday-to-Friday after `now`'s day, in local time."""
    day = timezone.localdate(now) + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, FOLLOW_UP_TIME))


def _locked(registration: Registration) -> Registration:
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event__campus", "inquiry")
        .get(pk=registration.pk)
    )


def _note(registration: Registration, body: str, *, by) -> None:
    if registration.inquiry_id:
        timeline.add_activity(
            inquiry=registration.inquiry, kind=ActivityKind.VISIT, body=body, author=by
        )


def _party(registration: Registration) -> str:
    guests = registration.guests
    return f" with {guests} guest{'s' if guests != 1 else ''}" if guests else ""


def check_in(*, registration: Registration, by) -> bool:
    """Mark a confirmed person attended (a no-show who turns up late too). False when they
    were checked in already."""
    with transaction.atomic():
        registration = _locked(registration)
        if registration.status != RegistrationStatus.CONFIRMED:
            raise ValidationError(NOT_CONFIRMED)
        if registration.attendance == Attendance.ATTENDED:
            return False
        registration.attendance = Attendance.ATTENDED
        registration.checked_in_at = timezone.now()
        registration.checked_in_by = by
        registration.save(update_fields=["attendance", "checked_in_at", "checked_in_by"])
        _note(
            registration,
            f"Attended {registration.event}{_party(registration)}: checked in by {staff_name(by)}.",
            by=by,
        )
        return True


def undo_check_in(*, registration: Registration, by) -> bool:
    """Take back a check-in (the wrong person tapped). False when there was none."""
    with transaction.atomic():
        registration = _locked(registration)
        if registration.attendance != Attendance.ATTENDED:
            return False
        registration.attendance = ""
        registration.checked_in_at = None
        registration.checked_in_by = None
        registration.save(update_fields=["attendance", "checked_in_at", "checked_in_by"])
        _note(registration, f"Check-in at {registration.event} undone.", by=by)
        return True


def mark_no_shows(*, event: Event, by, now: datetime.datetime | None = None) -> int:
    """Mark every confirmed person not checked in as a no-show, each with a timeline entry
    and a follow-up on their open inquiry for the next working day. Returns how many.
    Refused before the event starts; running it twice marks nobody twice."""
    now = now or timezone.now()
    if event.starts_at > now:
        raise ValidationError(NOT_STARTED)
    follow_up = next_working_day(now)
    with transaction.atomic():
        absent = list(
            event.registrations.filter(status=RegistrationStatus.CONFIRMED, attendance="")
            .select_related("inquiry")
            .select_for_update(of=("self",))
        )
        for registration in absent:
            registration.attendance = Attendance.NO_SHOW
            registration.save(update_fields=["attendance"])
            _note(registration, f"No-show at {event}{_party(registration)}.", by=by)
            inquiry = registration.inquiry
            if inquiry is None or not inquiry.is_open:
                continue
            pending = inquiry.next_follow_up_at
            if pending is None or pending < now or pending > follow_up:
                workflow.set_follow_up(inquiry=inquiry, when=follow_up, by=by)
            workflow.add_note(
                inquiry=inquiry,
                body=f"Follow up: missed {event}. Ask whether they would like another date.",
                by=by,
            )
        return len(absent)
