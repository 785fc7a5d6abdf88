"""Changing a booking after the fact: the person changes their party or moves to another
date (from the link in their emails), or admissions moves the event itself.

The same rules as registering (`visits.services`): seats change only under the events' row
locks, a refused change leaves the booking as it was, freed seats go to the waitlist, and
every change is emailed with an updated calendar invitation (the same UID, a higher SEQUENCE).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from visits import emails
from visits.models import Event, Registration, RegistrationStatus
from visits.services import (
    check_open,
    locked_event,
    note,
    promote_waitlist,
    schedule_reminders_on_commit,
    seats_taken,
    too_many_guests_message,
)


def _lock_events(*events: Event) -> dict[int, Event]:
    """Lock several events at once, always in id order, so that two people moving bookings
    between the same two events in opposite directions cannot deadlock."""
    ids = sorted({event.pk for event in events})
    locked = Event.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {event.pk: event for event in locked}


def change_registration(
    *, registration: Registration, guests: int, event: Event | None = None
) -> Registration:
    """Change the number of guests, or move the booking to another upcoming event of the
    same kind (`event`), under the same lock rules as registering: a confirmed booking keeps
    its seats unless the new party fits, so a refused change loses nobody their place. Seats
    it frees go to the waitlist, who are emailed.

    Raises ValidationError keyed "event" (the event cannot take it) or "guests".
    """
    with transaction.atomic():
        current = registration.event
        events = _lock_events(current, event or current)
        current, target = events[current.pk], events[(event or current).pk]
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("inquiry")
            .get(pk=registration.pk)
        )
        if registration.status == RegistrationStatus.CANCELLED:
            raise ValidationError({"event": _("This registration has been cancelled.")})
        moving = target.pk != current.pk
        check_open(target)
        if moving and target.kind != current.kind:
            raise ValidationError({"event": _("Choose an event of the same kind.")})
        if (
            moving
            and target.registrations.filter(email__iexact=registration.email)
            .exclude(status=RegistrationStatus.CANCELLED)
            .exists()
        ):
            raise ValidationError({"event": _("You are already registered for that event.")})
        seats = 1 + guests
        if seats > target.capacity:
            raise ValidationError({"guests": too_many_guests_message(target.capacity)})
        free = target.capacity - seats_taken(target, excluding=registration)
        was_confirmed = registration.status == RegistrationStatus.CONFIRMED
        if was_confirmed and seats > free:
            raise ValidationError(
                {
                    "event" if moving else "guests": ngettext(
                        "Only %(free)s seat is free there now, so your booking stays as it "
                        "is. Choose fewer guests or another date.",
                        "Only %(free)s seats are free there now, so your booking stays as it "
                        "is. Choose fewer guests or another date.",
                        free,
                    )
                    % {"free": free}
                }
            )
        before = (current, registration.guests)
        registration.event = target
        registration.guests = guests
        registration.status = (
            RegistrationStatus.CONFIRMED if seats <= free else RegistrationStatus.WAITLISTED
        )
        if moving:
            registration.reminded_day_before_at = registration.reminded_hours_before_at = None
        registration.invitation_sequence += 1
        registration.save()
        note(
            registration,
            f"Changed their registration from {before[0]} with {before[1]} guests to "
            f"{target} with {guests} guests: {registration.get_status_display().lower()}.",
        )
        if registration.status == RegistrationStatus.CONFIRMED:
            what_changed = _("Your registration has been changed as you asked.")
            emails.queue_email(
                registration=registration, email=emails.UPDATED, what_changed=what_changed
            )
            schedule_reminders_on_commit(registration)
        else:
            emails.queue_email(registration=registration, email=emails.WAITLISTED)
        promote_waitlist(event=current)
        return registration


def reschedule_event(*, event: Event) -> int:
    """After an event's time changed: every confirmed person gets an updated invitation and
    reminders for the new time (the ones queued for the old time find it moved and send
    nothing). Returns how many were told."""
    with transaction.atomic():
        event = locked_event(event)
        if event.is_cancelled:
            return 0
        confirmed = list(
            event.registrations.filter(status=RegistrationStatus.CONFIRMED)
            .select_related("inquiry")
            .select_for_update(of=("self",))
        )
        for registration in confirmed:
            registration.invitation_sequence += 1
            registration.reminded_day_before_at = registration.reminded_hours_before_at = None
            registration.save()
            registration.event = event
            note(registration, f"The event moved to {event}; told by email.")
            emails.queue_email(
                registration=registration,
                email=emails.UPDATED,
                what_changed=_("The time of this visit has changed."),
            )
            schedule_reminders_on_commit(registration)
        return len(confirmed)
