"""Registering for an event, cancelling, and cancelling the event itself.

Every change of seats happens in one transaction under a row lock on the event
(`select_for_update`): the confirmed seats are counted with the lock held, so fifty people
asking for the last five seats at once get exactly five (tests/visits/test_concurrency.py).
The lock order is always the event first, then the person (`capture.lock_person`), then
their registration.

A registration joins the person's inquiry by the rules of `inquiries.services.capture`: the
same email (any case) with an open inquiry gets a "Visit" entry on its timeline; anyone else
is recorded as a new inquiry, sent from the event's page, routed and announced as usual.

Every change tells the person by email (`visits.emails`, queued in the same transaction) and
keeps their calendar right: an invitation when a seat is theirs, an updated one when it
changes, a cancelling one when it goes. Reminders are queued once the change commits.

What happens at the door (check-in, no-shows) is `visits.services.attendance`.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from inquiries.attribution import Attribution
from inquiries.choices import ActivityKind, ContactMethod
from inquiries.consent_wording import consent_text, consent_version
from inquiries.models import Inquiry
from inquiries.services import capture, timeline
from inquiries.spam import NO_SIGNALS, SpamCheck
from visits import emails, tasks
from visits.models import Event, Registration, RegistrationStatus, confirmed_seats

EVENT_CANCELLED = _("This event has been cancelled, so it takes no more registrations.")
EVENT_PAST = _("This event has already taken place.")
REGISTRATION_CLOSED = _("Registration for this event has closed.")
EVENT_NOT_PUBLISHED = _("This event is not open for registration.")


def locked_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def schedule_reminders_on_commit(registration: Registration) -> None:
    transaction.on_commit(lambda: tasks.schedule_reminders(registration), robust=True)


def seats_taken(event: Event, *, excluding: Registration | None = None) -> int:
    registrations = event.registrations.all()
    if excluding is not None:
        registrations = registrations.exclude(pk=excluding.pk)
    return registrations.aggregate(taken=confirmed_seats())["taken"] or 0


def check_open(event: Event, *, now=None) -> None:
    """Refuse an event nobody may register for, with the reason, keyed "event"."""
    now = now or timezone.now()
    if event.is_cancelled:
        message = EVENT_CANCELLED
    elif event.starts_at <= now:
        message = EVENT_PAST
    elif not event.is_published:
        message = EVENT_NOT_PUBLISHED
    elif event.closes_at <= now:
        message = REGISTRATION_CLOSED
    else:
        return
    raise ValidationError({"event": ValidationError(message, code="closed")})


def too_many_guests_message(capacity: int) -> str:
    most = capacity - 1
    if most <= 0:
        return gettext("This event has one seat per registration: please come without guests.")
    return ngettext(
        "This event has %(capacity)s seats in all, so you can bring at most %(most)s guest.",
        "This event has %(capacity)s seats in all, so you can bring at most %(most)s guests.",
        most,
    ) % {"capacity": capacity, "most": most}


def _join_inquiry(
    *,
    event: Event,
    registration: Registration,
    consent: bool,
    spam: SpamCheck,
    summary: str,
) -> Inquiry:
    """The person's open inquiry, with the registration on its timeline; a new one if none."""

    def new_inquiry() -> capture.Submission:
        programs = list(event.programs.all())
        return capture.Submission(
            first_name=registration.first_name,
            last_name=registration.last_name,
            email=registration.email,
            postal_code=registration.postal_code,
            phone=registration.phone,
            program=programs[0] if len(programs) == 1 else None,
            campus=event.campus,
            contact_method=ContactMethod.EMAIL,
            message=f"Registered for {event}.",
            consent=consent,
            attribution=Attribution(source_page=event.get_absolute_url()),
        )

    return join_inquiry(
        email=registration.email,
        new_inquiry=new_inquiry,
        spam=spam,
        kind=ActivityKind.VISIT,
        summary=summary,
    )


def join_inquiry(
    *,
    email: str,
    new_inquiry: Callable[[], capture.Submission],
    spam: SpamCheck,
    kind: str,
    summary: str,
) -> Inquiry:
    """The person's open inquiry by the identity rules of `inquiries.services.capture` (the
    same email, any case), with `summary` on its timeline as a `kind` entry; if they have
    none, a new inquiry recorded from `new_inquiry()` (called only then). Visit
    registrations and admissions appointments both join a person this way."""
    capture.lock_person(email)
    inquiry = capture.find_open_inquiry(email=email)
    if inquiry is None:
        inquiry = capture.record_inquiry(
            submission=new_inquiry(),
            spam=spam,
            consent_text=consent_text(),
            consent_version=consent_version(),
        )
    timeline.add_activity(inquiry=inquiry, kind=kind, body=summary)
    return inquiry


def _summary(registration: Registration, event: Event, *, again: bool) -> str:
    status = RegistrationStatus(registration.status).label.lower()
    verb = "Changed their registration for" if again else "Registered for"
    guests = registration.guests
    party = f" with {guests} guest{'s' if guests != 1 else ''}" if guests else ""
    return f"{verb} {event}{party}: {status}."


def register(
    *,
    event: Event,
    first_name: str,
    last_name: str,
    email: str,
    phone: str = "",
    guests: int = 0,
    consent: bool = False,
    spam: SpamCheck = NO_SIGNALS,
    postal_code: str = "",
    language: str = "en",
) -> Registration:
    """Register a person (and their guests) for an event: confirmed while seats are left,
    else on the waitlist. The same email (any case) registering again updates its one
    registration; a confirmed one keeps its seats unless the new party no longer fits, which
    is refused rather than losing them their place.

    Raises ValidationError keyed by field: "event" (cancelled, past, closed, unpublished) or
    "guests" (more than the event holds, or than a confirmed booking can grow to).
    Submissions the spam check holds are recorded on the waitlist, never on a seat, and
    their inquiry is held for a manager's review (and they are sent no email).
    """
    email = email.strip()
    with transaction.atomic():
        event = locked_event(event)
        check_open(event)
        seats = 1 + guests
        if seats > event.capacity:
            raise ValidationError({"guests": too_many_guests_message(event.capacity)})

        capture.lock_person(email)
        registration = (
            Registration.objects.select_for_update()
            .filter(event=event, email__iexact=email)
            .exclude(status=RegistrationStatus.CANCELLED)
            .first()
        )
        again = registration is not None
        free = event.capacity - seats_taken(event, excluding=registration)
        if again and registration.status == RegistrationStatus.CONFIRMED and seats > free:
            held = ngettext(
                "You already hold %(seats)s seat, and the event can now take a party of at "
                "most %(free)s: choose fewer guests, or keep your registration as it is.",
                "You already hold %(seats)s seats, and the event can now take a party of at "
                "most %(free)s: choose fewer guests, or keep your registration as it is.",
                registration.seats,
            )
            raise ValidationError({"guests": held % {"seats": registration.seats, "free": free}})
        registration = registration or Registration(event=event)
        registration.first_name = first_name
        registration.last_name = last_name
        registration.email = email
        registration.phone = phone or registration.phone
        registration.postal_code = postal_code or registration.postal_code
        registration.language = language
        registration.guests = guests
        if again:
            registration.invitation_sequence += 1
        fits = seats <= free and not spam.held
        registration.status = (
            RegistrationStatus.CONFIRMED if fits else RegistrationStatus.WAITLISTED
        )
        registration.save()

        inquiry = _join_inquiry(
            event=event,
            registration=registration,
            consent=consent,
            spam=spam,
            summary=_summary(registration, event, again=again),
        )
        if registration.inquiry_id != inquiry.pk:
            registration.inquiry = inquiry
            registration.save(update_fields=["inquiry", "updated_at"])
        if spam.held:
            return registration
        if registration.status == RegistrationStatus.WAITLISTED:
            emails.queue_email(registration=registration, email=emails.WAITLISTED)
        else:
            email = emails.UPDATED if again else emails.CONFIRMED
            what_changed = _("You registered again, so we have updated your registration.")
            emails.queue_email(registration=registration, email=email, what_changed=what_changed)
            schedule_reminders_on_commit(registration)
        return registration


def note(registration: Registration, body: str, *, by=None) -> None:
    if registration.inquiry_id:
        timeline.add_activity(
            inquiry=registration.inquiry, kind=ActivityKind.VISIT, body=body, author=by
        )


def promote_waitlist(*, event: Event) -> list[Registration]:
    """Confirm the first waitlisted registrations that fit the free seats, in the order they
    registered; one that does not fit is passed over for a smaller party behind it. Call with
    the event locked (inside `cancel`), or on its own after raising the capacity."""
    with transaction.atomic():
        event = locked_event(event)
        if event.is_cancelled or event.starts_at <= timezone.now():
            return []
        free = event.capacity - seats_taken(event)
        promoted = []
        waiting = (
            event.registrations.filter(status=RegistrationStatus.WAITLISTED)
            .select_related("inquiry")
            .select_for_update(of=("self",))
            .order_by("created_at", "id")
        )
        for registration in waiting:
            if free <= 0:
                break
            if registration.seats > free:
                continue
            registration.status = RegistrationStatus.CONFIRMED
            registration.save(update_fields=["status", "updated_at"])
            free -= registration.seats
            note(registration, f"Moved from the waitlist to confirmed for {event}.")
            registration.event = event
            emails.queue_email(registration=registration, email=emails.PROMOTED)
            schedule_reminders_on_commit(registration)
            promoted.append(registration)
        return promoted


def cancel(*, registration: Registration, by=None) -> list[Registration]:
    """Cancel a registration, free its seats and promote whoever now fits from the waitlist.

    Returns the promoted registrations. Cancelling twice changes nothing.
    """
    with transaction.atomic():
        event = locked_event(registration.event)
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("inquiry")
            .get(pk=registration.pk)
        )
        if registration.status == RegistrationStatus.CANCELLED:
            return []
        was_confirmed = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.invitation_sequence += 1
        registration.save(
            update_fields=["status", "cancelled_at", "invitation_sequence", "updated_at"]
        )
        who = "by admissions" if by is not None else ""
        note(registration, f"Registration for {event} cancelled {who}".strip() + ".", by=by)
        registration.event = event
        emails.queue_email(
            registration=registration,
            email=emails.CANCELLED if was_confirmed else emails.CANCELLED_WAITING,
            by_admissions=by is not None,
        )
        return promote_waitlist(event=event) if was_confirmed else []


def cancel_event(*, event: Event, by=None) -> int:
    """Cancel the event and every registration on it (noted on each person's timeline).

    Returns how many registrations were cancelled. Cancelling twice changes nothing.
    """
    with transaction.atomic():
        event = locked_event(event)
        if event.is_cancelled:
            return 0
        now = timezone.now()
        event.cancelled_at = now
        event.save(update_fields=["cancelled_at", "updated_at"])
        registrations = list(
            event.registrations.exclude(status=RegistrationStatus.CANCELLED)
            .select_related("inquiry")
            .select_for_update(of=("self",))
        )
        for registration in registrations:
            was_confirmed = registration.status == RegistrationStatus.CONFIRMED
            registration.status = RegistrationStatus.CANCELLED
            registration.cancelled_at = now
            registration.invitation_sequence += 1
            registration.save(
                update_fields=["status", "cancelled_at", "invitation_sequence", "updated_at"]
            )
            note(registration, f"The event {event} was cancelled by admissions.", by=by)
            registration.event = event
            emails.queue_email(
                registration=registration,
                email=emails.EVENT_CANCELLED if was_confirmed else emails.EVENT_CANCELLED_WAITING,
            )
        return len(registrations)
