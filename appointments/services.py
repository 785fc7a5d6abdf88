"""Booking, moving and cancelling an admissions appointment.

A slot is taken in one transaction under a row lock on the slot (`select_for_update`), and
the database refuses a second live booking of one slot outright (the unique constraint
`appointments_one_booking_per_slot`), so two people choosing the same time at once never both
get it (tests/appointments/test_concurrency.py). The lock order is the slot first, then the
person (`inquiries.services.capture.lock_person`), as for visits.

A booking joins the person's inquiry: the one a signed booking link names, or by the
identity rules visits use (`visits.services.join_inquiry`: the same email joins their open
inquiry, anyone else starts a new one). The inquiry moves to "Appointment scheduled" through
`inquiries.services.workflow` (never back from a later stage), and goes to the slot's
representative when nobody owns it yet.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appointments import emails, tasks
from appointments.models import Attendance, Booking, BookingStatus, Slot
from inquiries.attribution import Attribution
from inquiries.choices import ActivityKind, ContactMethod, Status
from inquiries.models import Inquiry
from inquiries.services import capture, rules, timeline, workflow
from inquiries.spam import NO_SIGNALS, SpamCheck
from visits.services import join_inquiry

SLOT_TAKEN = _("That time was just taken: please pick another.")
SLOT_PAST = _("That time has already passed: please pick another.")
SLOT_CANCELLED = _("That time is no longer offered: please pick another.")
NOT_LIVE = _("This appointment was already cancelled or moved.")
# Stages an appointment moves an inquiry on from; later ones are left where they are.
BEFORE_APPOINTMENT = (Status.NEW, Status.CONTACTED)


def _remind_on_commit(booking: Booking) -> None:
    transaction.on_commit(lambda: tasks.schedule_reminder(booking), robust=True)


def _locked_slot(slot: Slot) -> Slot:
    return (
        Slot.objects.select_for_update(of=("self",))
        .select_related("campus", "representative")
        .get(pk=slot.pk)
    )


def check_bookable(slot: Slot, *, now=None) -> None:
    """Refuse a slot nobody may book, with the reason, keyed "slot"."""
    if slot.is_cancelled:
        message = SLOT_CANCELLED
    elif slot.starts_at <= (now or timezone.now()):
        message = SLOT_PAST
    elif slot.bookings.filter(status=BookingStatus.BOOKED).exists():
        message = SLOT_TAKEN
    else:
        return
    raise ValidationError({"slot": ValidationError(message, code="unavailable")})


def describe(slot: Slot) -> str:
    """The slot as staff read it on a timeline (English, the slot's own time zone)."""
    return f"{slot} with {slot.representative.get_full_name() or slot.representative}"


def _create_booking(**fields) -> Booking:
    try:
        with transaction.atomic():
            return Booking.objects.create(**fields)
    except IntegrityError as taken:
        # The constraint, should anything ever book the slot without its lock.
        raise ValidationError({"slot": ValidationError(SLOT_TAKEN, code="taken")}) from taken


def _schedule(inquiry: Inquiry, slot: Slot, *, by=None) -> None:
    """The inquiry at "Appointment scheduled" (not back from a later stage), owned by the
    slot's representative if nobody owns it yet. Without `by` the prospect booked it
    themselves: not the college's first contact (speed to lead waits for staff)."""
    if inquiry.status in BEFORE_APPOINTMENT:
        workflow.change_status(
            inquiry=inquiry,
            status=Status.APPOINTMENT,
            by=by,
            note=f"Appointment: {slot}",
            counts_as_contact=by is not None,
        )
    representative = slot.representative
    if inquiry.owner_id is None and not rules.owner_refusal(representative):
        workflow.assign_owner(inquiry=inquiry, owner=representative)


def _inquiry_from_link(inquiry: Inquiry | None) -> Inquiry | None:
    """The inquiry a signed booking link named, locked, if it is still open."""
    if inquiry is None:
        return None
    locked = Inquiry.objects.select_for_update().filter(pk=inquiry.pk).first()
    return locked if locked is not None and locked.is_open else None


def book(
    *,
    slot: Slot,
    first_name: str,
    last_name: str,
    email: str,
    phone: str = "",
    postal_code: str = "",
    topic: str = "",
    consent: bool = False,
    language: str = "en",
    program=None,
    inquiry: Inquiry | None = None,
    spam: SpamCheck = NO_SIGNALS,
) -> Booking | None:
    """Book `slot` for a prospect and put it on their inquiry's timeline.

    `inquiry` is the one a signed booking link names: the booking joins it while it is open.
    Otherwise the person's open inquiry (same email) is joined, or a new one is started.
    Raises ValidationError keyed "slot" (taken, past, cancelled). A submission the spam
    check holds takes no slot: it is recorded as a held inquiry with the time asked for, and
    None is returned.
    """
    email = email.strip()
    with transaction.atomic():
        slot = _locked_slot(slot)
        check_bookable(slot)
        summary = f"Booked an appointment: {describe(slot)}."
        if topic:
            summary += f"\nWants to talk about: {topic}"

        def new_inquiry() -> capture.Submission:
            return capture.Submission(
                first_name=first_name,
                last_name=last_name,
                email=email,
                postal_code=postal_code,
                phone=phone,
                program=program,
                campus=slot.campus,
                contact_method=ContactMethod.PHONE if phone else ContactMethod.EMAIL,
                message=topic or f"Booked an admissions appointment: {slot}.",
                consent=consent,
                attribution=Attribution(source_page=reverse("appointments:book")),
                language=language,
            )

        if spam.held:
            join_inquiry(
                email=email,
                new_inquiry=new_inquiry,
                spam=spam,
                kind=ActivityKind.APPOINTMENT,
                summary=f"Asked for an appointment ({describe(slot)}), not booked: held as "
                "possible spam.",
            )
            return None
        joined = _inquiry_from_link(inquiry)
        if joined is not None:
            timeline.add_activity(inquiry=joined, kind=ActivityKind.APPOINTMENT, body=summary)
        else:
            joined = join_inquiry(
                email=email,
                new_inquiry=new_inquiry,
                spam=spam,
                kind=ActivityKind.APPOINTMENT,
                summary=summary,
            )
        booking = _create_booking(
            slot=slot,
            inquiry=joined,
            first_name=first_name,
            last_name=last_name,
            email=email,
            phone=phone,
            topic=topic,
            language=language,
        )
        _schedule(joined, slot)
        emails.queue_email(booking=booking, email=emails.BOOKED)
        _remind_on_commit(booking)
        return booking


def _locked_booking(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot__campus", "slot__representative", "inquiry")
        .get(pk=booking.pk)
    )


def _note(booking: Booking, body: str, *, by=None) -> None:
    if booking.inquiry_id:
        timeline.add_activity(
            inquiry=booking.inquiry, kind=ActivityKind.APPOINTMENT, body=body, author=by
        )


def cancel(*, booking: Booking, by=None) -> bool:
    """Cancel a live booking (the slot opens again) and email the prospect a cancellation
    that takes it off their calendar. Cancelling twice changes nothing: False."""
    with transaction.atomic():
        booking = _locked_booking(booking)
        if not booking.is_live:
            return False
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = timezone.now()
        booking.calendar_sequence += 1
        booking.save(update_fields=["status", "cancelled_at", "calendar_sequence"])
        who = "by admissions" if by is not None else "by the prospect"
        _note(booking, f"Appointment cancelled {who}: {describe(booking.slot)}.", by=by)
        emails.queue_email(booking=booking, email=emails.CANCELLED)
        return True


def reschedule(*, booking: Booking, slot: Slot, by=None) -> Booking:
    """Move a live booking to another slot: the new slot is taken under its lock, the old
    one opens again, and the prospect's calendar entry moves (same UID, next SEQUENCE).

    Raises ValidationError keyed "slot" (the new slot taken, past or cancelled) or "booking"
    (already cancelled or moved)."""
    with transaction.atomic():
        slot = _locked_slot(slot)
        booking = _locked_booking(booking)
        if not booking.is_live:
            raise ValidationError({"booking": ValidationError(NOT_LIVE, code="not_live")})
        check_bookable(slot)
        moved = _create_booking(
            slot=slot,
            inquiry=booking.inquiry,
            first_name=booking.first_name,
            last_name=booking.last_name,
            email=booking.email,
            phone=booking.phone,
            topic=booking.topic,
            language=booking.language,
            calendar_uid=booking.calendar_uid,
            calendar_sequence=booking.calendar_sequence + 1,
        )
        booking.status = BookingStatus.RESCHEDULED
        booking.rescheduled_to = moved
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["status", "rescheduled_to", "cancelled_at"])
        who = "by admissions" if by is not None else "by the prospect"
        _note(
            moved,
            f"Appointment rescheduled {who}: from {booking.slot} to {describe(slot)}.",
            by=by,
        )
        if moved.inquiry_id:
            _schedule(moved.inquiry, slot, by=by)
        emails.queue_email(booking=moved, email=emails.MOVED, previous=booking.slot)
        _remind_on_commit(moved)
        return moved


def cancel_slot(*, slot: Slot, by=None) -> bool:
    """Withdraw a slot; a booking on it is cancelled (and the prospect emailed). False when
    it was withdrawn already."""
    with transaction.atomic():
        slot = _locked_slot(slot)
        if slot.is_cancelled:
            return False
        slot.cancelled_at = timezone.now()
        slot.save(update_fields=["cancelled_at"])
        for booking in slot.bookings.filter(status=BookingStatus.BOOKED):
            cancel(booking=booking, by=by)
        return True


def mark_attendance(*, booking: Booking, attendance: str, by) -> bool:
    """Record that the prospect came to a booked appointment ("attended") or did not
    ("no_show"), on the timeline; the dashboard's funnel counts it. False when it was already
    so or the booking is no longer live."""
    with transaction.atomic():
        booking = _locked_booking(booking)
        if not booking.is_live or booking.attendance == attendance:
            return False
        booking.attendance = Attendance(attendance)
        booking.save(update_fields=["attendance"])
        what = "Attended" if attendance == Attendance.ATTENDED else "No-show at"
        _note(booking, f"{what} the appointment: {describe(booking.slot)}.", by=by)
        return True
