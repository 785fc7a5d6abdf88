import datetime

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation

from appointments import links
from appointments.forms import BookingForm
from appointments.models import Booking, BookingStatus
from inquiries.models import Inquiry, Status
from inquiries.spam import issue_fill_token
from tests.appointments.factories import BookingFactory, SlotFactory
from tests.factories import InquiryFactory, ProgramFactory
from visits.forms import RegistrationForm
from visits.models import Registration

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]

BOOK = reverse("appointments:book")


def form_data(slot, **overrides):
    data = {
        "slot": slot.pk,
        "first_name": "Ana",
        "last_name": "Rivera",
        "email": "ana@example.com",
        "phone": "407 555 0100",
        "postal_code": "34741",
        "topic": "Evening classes",
        "fill_token": issue_fill_token(),
    }
    data.update(overrides)
    return data


def test_the_booking_page_lists_open_times_only(client):
    program = ProgramFactory()
    other_program = ProgramFactory()
    open_slot = SlotFactory()
    for_program = SlotFactory(programs=[program])
    SlotFactory(programs=[other_program])
    taken = SlotFactory()
    BookingFactory(slot=taken)
    SlotFactory(starts_at=timezone.now() - datetime.timedelta(hours=2))
    SlotFactory(cancelled_at=timezone.now())
    response = client.get(BOOK, {"program": program.slug})
    assert response.status_code == 200
    shown = [slot.pk for _, slots in response.context["days"] for slot in slots]
    assert shown == [open_slot.pk, for_program.pk]


def test_the_booking_page_costs_the_same_queries_however_many_slots(
    client, django_assert_num_queries
):
    for _ in range(3):
        SlotFactory()
    client.get(BOOK)  # the consent wording is read once, then kept
    with django_assert_num_queries(1):
        client.get(BOOK)
    for _ in range(10):
        SlotFactory()
    with django_assert_num_queries(1):
        response = client.get(BOOK)
    assert len(response.context["form"].open_slots) == 13


def test_booking_a_time_leads_to_the_bookings_page(client, settings):
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    slot = SlotFactory()
    response = client.post(BOOK, form_data(slot))
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == links.manage_path(booking) + "?booked=1"
    assert (booking.slot, booking.phone, booking.topic) == (slot, "+14075550100", "Evening classes")
    page = client.get(response["Location"])
    assert "You are booked, Ana" in page.content.decode()


def test_a_time_taken_while_the_form_was_open_is_said_beside_it_and_keeps_what_was_typed(
    client, settings
):
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    slot = SlotFactory()
    other = SlotFactory()
    BookingFactory(slot=slot)
    response = client.post(BOOK, form_data(slot))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["slot"] == ["That time was just taken: please pick another."]
    html = response.content.decode()
    assert 'id="slot-error"' in html
    assert 'value="Rivera"' in html and "Evening classes" in html
    # The taken time is gone from the choices; the others are offered.
    assert f'id="slot-{slot.pk}"' not in html and f'id="slot-{other.pk}"' in html
    assert Booking.objects.count() == 1


def test_bad_input_is_shown_beside_each_field(client, settings):
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    response = client.post(BOOK, {**form_data(SlotFactory(), email="not an email"), "slot": ""})
    form = response.context["form"]
    assert form.errors["slot"] == ["Pick a time."]
    assert "email" in form.errors
    assert "Please check your booking" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_signed_link_prefills_the_form_and_books_for_that_inquiry(client, settings):
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    inquiry = InquiryFactory(first_name="Luz", email="luz@example.com")
    url = links.booking_path(inquiry)
    page = client.get(url)
    assert page.context["form"].initial["first_name"] == "Luz"
    slot = SlotFactory()
    client.post(url, form_data(slot, first_name="Luz", email="luz.work@example.com"))
    booking = Booking.objects.get()
    assert booking.inquiry == inquiry
    inquiry.refresh_from_db()
    assert inquiry.status == Status.APPOINTMENT
    assert Inquiry.objects.count() == 1


@pytest.mark.parametrize("name", ["appointments:manage", "appointments:book-as"])
def test_a_tampered_link_says_so(client, name):
    response = client.get(reverse(name, kwargs={"token": "eyJib29raW5nIjoxfQ:bad:signature"}))
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()


def test_a_link_to_an_appointment_that_has_started_has_expired(client):
    booking = BookingFactory(
        slot=SlotFactory(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    )
    response = client.get(links.manage_path(booking))
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()


def test_a_booking_link_for_a_closed_inquiry_has_expired(client):
    inquiry = InquiryFactory(status=Status.CLOSED, closed_reason="not_interested")
    assert client.get(links.booking_path(inquiry)).status_code == 410


def test_a_manage_token_is_no_booking_token(client):
    booking = BookingFactory()
    token = signing.dumps({"booking": booking.pk}, salt=links.BOOK_SALT)
    assert client.get(reverse("appointments:manage", kwargs={"token": token})).status_code == 400


def test_cancelling_from_the_email_link(client):
    booking = BookingFactory(inquiry=InquiryFactory())
    url = links.manage_path(booking)
    response = client.post(url, {"cancel": "1"}, follow=True)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert "Your appointment is cancelled" in response.content.decode()
    assert "Book another time" in response.content.decode()


def test_moving_to_another_time_from_the_email_link(client):
    booking = BookingFactory(inquiry=InquiryFactory())
    later = SlotFactory()
    response = client.post(links.manage_path(booking), {"slot": later.pk}, follow=True)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.RESCHEDULED
    assert booking.rescheduled_to.slot == later
    assert "Your appointment has moved" in response.content.decode()


def test_moving_to_a_time_just_taken_says_so(client):
    booking = BookingFactory(inquiry=InquiryFactory())
    taken = BookingFactory().slot
    response = client.post(links.manage_path(booking), {"slot": taken.pk})
    assert response.status_code == 200
    assert "That time was just taken" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_the_booking_page_in_spanish(client):
    SlotFactory()
    with translation.override("es"):
        spanish = reverse("appointments:book")
    assert spanish == "/es/citas/"
    assert client.get("/es" + BOOK).url == spanish
    response = client.get(spanish)
    assert response.status_code == 200
    assert "Reserva una llamada con admisiones" in response.content.decode()


def test_the_request_info_thank_you_page_offers_the_programs_next_times(client):
    from inquiries import views as inquiry_views

    program = ProgramFactory(name="Medical Assistant Technician")
    slot = SlotFactory(programs=[program])
    SlotFactory(programs=[ProgramFactory()])  # another program's time is not offered
    client.cookies[inquiry_views.THANKS_COOKIE] = signing.dumps(
        {"first_name": "Ana", "program": program.name},
        salt=inquiry_views.THANKS_SALT,
        compress=True,
    )
    response = client.get(reverse("inquiries:thanks"))
    html = response.content.decode()
    assert "Book a call with admissions" in html
    assert f"?program={program.slug}&amp;slot={slot.pk}" in html
    assert html.count("slot=") == 1


@pytest.mark.parametrize(
    ("form_class", "model"), [(RegistrationForm, Registration), (BookingForm, Booking)]
)
def test_the_form_refuses_what_its_model_could_not_store(form_class, model):
    """The person's fields take the inquiry's limits (inquiries.form_fields); a registration
    or a booking must still hold whatever the form lets through. The phone is left out: it is
    stored as E.164, shorter than the number as typed."""
    stored = {
        field.name: field.max_length
        for field in model._meta.fields
        if field.name in form_class.base_fields and field.name != "phone" and field.max_length
    }
    assert {"first_name", "last_name", "email"} <= stored.keys()
    for name, max_length in stored.items():
        assert form_class.base_fields[name].max_length <= max_length, name
