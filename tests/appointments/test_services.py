import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from appointments import services
from appointments.models import Booking, BookingStatus, Mode, Slot
from inquiries.models import ActivityKind, Inquiry, Notification, NotificationKind, Status
from inquiries.spam import CERTAIN, SpamCheck
from tests.appointments.factories import BookingFactory, SlotFactory
from tests.factories import CampusFactory, InquiryFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]


def book(slot, **kwargs):
    details = {"first_name": "Ana", "last_name": "Rivera", "email": "ana@example.com"}
    return services.book(slot=slot, **{**details, **kwargs})


def test_a_new_person_starts_an_inquiry_from_the_booking_page():
    slot = SlotFactory()
    booking = book(slot, phone="+14075550100", topic="Evening classes")
    inquiry = booking.inquiry
    assert inquiry.email == "ana@example.com"
    assert inquiry.source_page == "/appointments/"
    assert inquiry.status == Status.APPOINTMENT
    assert inquiry.owner == slot.representative
    entry = inquiry.activities.get(kind=ActivityKind.APPOINTMENT)
    assert "Booked an appointment" in entry.body
    assert "Evening classes" in entry.body


def test_the_same_email_joins_the_open_inquiry_and_schedules_it_with_the_date():
    inquiry = InquiryFactory(email="Ana@Example.com", owner=None)
    slot = SlotFactory()
    booking = book(slot)
    assert booking.inquiry == inquiry
    assert Inquiry.objects.count() == 1
    inquiry.refresh_from_db()
    assert inquiry.status == Status.APPOINTMENT
    assert inquiry.owner == slot.representative
    change = inquiry.activities.get(kind=ActivityKind.STATUS_CHANGE)
    assert "New → Appointment scheduled" in change.body
    assert slot.local_start.strftime("%b %-d, %Y %-I:%M %p") in change.body


def test_an_inquiry_past_the_appointment_stage_is_not_moved_back_and_keeps_its_owner():
    owner = UserFactory()
    inquiry = InquiryFactory(email="ana@example.com", status=Status.APPLIED, owner=owner)
    book(SlotFactory())
    inquiry.refresh_from_db()
    assert inquiry.status == Status.APPLIED
    assert inquiry.owner == owner
    assert inquiry.activities.filter(kind=ActivityKind.APPOINTMENT).exists()


def test_a_signed_link_books_for_its_inquiry_whatever_email_is_typed():
    inquiry = InquiryFactory(email="ana@example.com")
    booking = book(SlotFactory(), email="ana.rivera@work.example", inquiry=inquiry)
    assert booking.inquiry == inquiry
    assert Inquiry.objects.count() == 1


def test_a_taken_slot_is_refused_beside_the_field():
    slot = SlotFactory()
    BookingFactory(slot=slot)
    with pytest.raises(ValidationError) as refused:
        book(slot)
    assert refused.value.message_dict == {"slot": [str(services.SLOT_TAKEN)]}
    assert not Inquiry.objects.exists()


def test_a_past_or_withdrawn_slot_is_refused():
    past = SlotFactory(starts_at=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(ValidationError) as refused:
        book(past)
    assert refused.value.message_dict == {"slot": [str(services.SLOT_PAST)]}
    withdrawn = SlotFactory(cancelled_at=timezone.now())
    with pytest.raises(ValidationError) as refused:
        book(withdrawn)
    assert refused.value.message_dict == {"slot": [str(services.SLOT_CANCELLED)]}


def test_the_database_refuses_a_second_live_booking_of_one_slot():
    slot = SlotFactory()
    BookingFactory(slot=slot)
    with pytest.raises(ValidationError):
        services._create_booking(slot=slot, first_name="B", last_name="C", email="b@example.com")
    BookingFactory(slot=slot, status=BookingStatus.CANCELLED)  # a cancelled one may sit beside


def test_the_booked_email_carries_an_invitation_in_the_slots_time_zone_and_language():
    campus = CampusFactory(time_zone="America/Puerto_Rico")
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    slot = SlotFactory(mode=Mode.CAMPUS, campus=campus, starts_at=starts)
    booking = book(slot, language="es")
    email = Notification.objects.get(kind=NotificationKind.APPOINTMENT_BOOKED)
    assert email.recipient == "ana@example.com"
    assert "METHOD:REQUEST" in email.calendar
    assert "TZID=America/Puerto_Rico" in email.calendar
    assert f"appointment-{booking.calendar_uid}@" in email.calendar
    assert "Hola, Ana" in email.body
    assert "Tu cita con admisiones quedó reservada" in email.body
    assert "AST" in email.body


def test_cancelling_frees_the_slot_notes_the_timeline_and_sends_a_calendar_cancel():
    slot = SlotFactory()
    booking = book(slot)
    assert services.cancel(booking=booking) is True
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert Slot.objects.bookable().filter(pk=slot.pk).exists()
    assert booking.inquiry.activities.filter(
        kind=ActivityKind.APPOINTMENT, body__startswith="Appointment cancelled by the prospect"
    ).exists()
    email = Notification.objects.get(kind=NotificationKind.APPOINTMENT_CANCELLED)
    assert "METHOD:CANCEL" in email.calendar
    assert "SEQUENCE:1" in email.calendar
    assert services.cancel(booking=booking) is False


def test_rescheduling_moves_the_calendar_entry_and_keeps_the_status():
    first, later = SlotFactory(), SlotFactory()
    booking = book(first)
    moved = services.reschedule(booking=booking, slot=later)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.RESCHEDULED
    assert booking.rescheduled_to == moved
    assert (moved.slot, moved.status, moved.inquiry) == (
        later,
        BookingStatus.BOOKED,
        booking.inquiry,
    )
    assert moved.calendar_uid == booking.calendar_uid
    assert moved.calendar_sequence == 1
    assert moved.inquiry.activities.filter(body__startswith="Appointment rescheduled").exists()
    emails = Notification.objects.filter(kind=NotificationKind.APPOINTMENT_BOOKED)
    assert emails.count() == 2
    assert "has moved" in emails.order_by("-id").first().subject


def test_rescheduling_to_a_taken_slot_keeps_the_booking_as_it_was():
    booking = book(SlotFactory())
    taken = SlotFactory()
    BookingFactory(slot=taken)
    with pytest.raises(ValidationError):
        services.reschedule(booking=booking, slot=taken)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_a_booking_the_spam_check_holds_takes_no_slot_but_is_kept_for_review():
    slot = SlotFactory()
    held = SpamCheck(signals=(CERTAIN,))
    assert book(slot, spam=held) is None
    assert not Booking.objects.exists()
    inquiry = Inquiry.objects.get()
    assert inquiry.status == Status.HELD
    assert inquiry.activities.filter(kind=ActivityKind.APPOINTMENT).exists()


def test_withdrawing_a_slot_cancels_its_booking():
    slot = SlotFactory()
    booking = book(slot)
    boss = UserFactory()
    assert services.cancel_slot(slot=slot, by=boss) is True
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.inquiry.activities.filter(author=boss, kind=ActivityKind.APPOINTMENT).exists()


def test_the_booked_email_goes_out_with_its_invitation_attached(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        book(SlotFactory())
    message = next(
        m for m in mailoutbox if m.to == ["ana@example.com"] and "appointment" in m.subject
    )
    assert message.subject.startswith("Your admissions appointment: ")
    assert "Move or cancel your appointment: http" in message.body
    assert 'text/calendar; charset="utf-8"; method="REQUEST"' in message.message().as_string()
