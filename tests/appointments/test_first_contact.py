"""Speed to lead counts the college reaching the prospect: a prospect who books an appointment
or registers for a visit themselves has not been contacted yet."""

import pytest

from appointments import services
from inquiries.models import ActivityKind, Inquiry, Outcome, Status
from inquiries.services import workflow
from tests.appointments.factories import SlotFactory
from tests.factories import InquiryFactory, UserFactory
from tests.visits.factories import EventFactory
from visits import services as visits

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]


def book(slot, **kwargs):
    details = {"first_name": "Ana", "last_name": "Rivera", "email": "ana@example.com"}
    return services.book(slot=slot, **{**details, **kwargs})


def test_a_self_booked_appointment_moves_the_status_but_is_no_first_contact():
    booking = book(SlotFactory())
    inquiry = Inquiry.objects.get(pk=booking.inquiry_id)
    assert inquiry.status == Status.APPOINTMENT
    assert inquiry.first_contacted_at is None
    assert inquiry.first_attempted_at is None


def test_booking_on_a_new_inquiry_leaves_it_waiting_for_first_contact():
    inquiry = InquiryFactory(email="ana@example.com", owner=None)
    book(SlotFactory())
    inquiry.refresh_from_db()
    assert inquiry.status == Status.APPOINTMENT
    assert (inquiry.first_attempted_at, inquiry.first_contacted_at) == (None, None)


def test_a_prospect_rescheduling_is_no_contact_but_staff_rescheduling_is():
    booking = book(SlotFactory(), email="ana@example.com")
    moved = services.reschedule(booking=booking, slot=SlotFactory())
    inquiry = Inquiry.objects.get(pk=moved.inquiry_id)
    assert inquiry.first_contacted_at is None

    inquiry.status = Status.CONTACTED  # back before the appointment stage, so it moves again
    inquiry.save(update_fields=["status"])
    services.reschedule(booking=moved, slot=SlotFactory(), by=UserFactory(is_staff=True))
    inquiry.refresh_from_db()
    assert inquiry.status == Status.APPOINTMENT
    assert inquiry.first_contacted_at is not None


def test_the_first_call_that_connects_after_a_self_booking_is_the_first_contact():
    booking = book(SlotFactory())
    inquiry = Inquiry.objects.get(pk=booking.inquiry_id)
    activity = workflow.log_contact(
        inquiry=inquiry,
        channel=ActivityKind.CALL,
        body="Confirmed the time.",
        by=UserFactory(is_staff=True),
        outcome=Outcome.CONNECTED,
    )
    inquiry.refresh_from_db()
    assert inquiry.status == Status.APPOINTMENT
    assert inquiry.first_contacted_at == activity.created_at


def test_a_self_registered_visit_is_no_first_contact():
    inquiry = InquiryFactory(email="maria@example.com", owner=None)
    visits.register(
        event=EventFactory(),
        first_name="Maria",
        last_name="Lopez",
        email="maria@example.com",
        phone="+14075550123",
        guests=0,
    )
    fresh = visits.register(
        event=EventFactory(), first_name="Leo", last_name="Diaz", email="leo@example.com"
    )
    for registered in (inquiry, fresh.inquiry):
        registered.refresh_from_db()
        assert (registered.first_attempted_at, registered.first_contacted_at) == (None, None)
