"""The reminder the day before an appointment: sent once, only while it is still owed."""

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from appointments import emails
from appointments.models import Booking
from inquiries.choices import ActivityKind
from inquiries.services import timeline


def send_reminder(*, booking_id: int, starts_at: str) -> str:
    """Queue the reminder email if it is still owed; returns what happened. Safe to run any
    number of times: only the first run that finds it owed sends it."""
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("slot__campus", "slot__representative", "inquiry")
            .filter(pk=booking_id)
            .first()
        )
        if booking is None:
            return "missing"
        if not booking.is_live:
            return "not booked"  # cancelled, or moved: the move queued its own reminder
        if booking.slot.starts_at != parse_datetime(starts_at):
            return "slot moved"
        if booking.slot.starts_at <= timezone.now():
            return "too late"
        if booking.reminded_at is not None:
            return "already reminded"
        booking.reminded_at = timezone.now()
        booking.save(update_fields=["reminded_at"])
        emails.queue_email(booking=booking, email=emails.REMINDER)
        if booking.inquiry_id:
            timeline.add_activity(
                inquiry=booking.inquiry,
                kind=ActivityKind.APPOINTMENT,
                body=f"Reminded of the appointment the day before: {booking.slot}.",
            )
        return "sent"
