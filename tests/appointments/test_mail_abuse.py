"""The booking and visit registration forms email whatever address is typed: like the
request-info form, they take only so many submissions per client address (one shared count),
and one over the limit is answered 429 with everything typed kept."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from appointments import links
from appointments.models import Booking
from inquiries.models import Notification
from tests.appointments.factories import SlotFactory
from tests.appointments.test_views import form_data as booking_data
from tests.factories import InquiryFactory, ProgramFactory
from tests.inquiries.test_forms import form_data as request_info_data
from tests.visits.factories import EventFactory
from tests.visits.test_views import form_data as registration_data
from visits.models import Registration

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]

BOOK = reverse("appointments:book")
TOO_MANY = "We have received several forms from your connection in a short time"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    settings.INQUIRY_RATE_LIMIT = 2
    settings.INQUIRY_RATE_WINDOW_SECONDS = 600


def test_booking_over_the_limit_is_refused_with_429_and_keeps_what_was_typed(client):
    for number in range(2):
        response = client.post(BOOK, booking_data(SlotFactory(), email=f"p{number}@gmail.com"))
        assert response.status_code == 302
    sent = len(mail.outbox) + Notification.objects.count()

    slot = SlotFactory()
    response = client.post(BOOK, booking_data(slot, email="victim@gmail.com", last_name="Paz"))

    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    html = response.content.decode()
    assert f"{TOO_MANY}. Please wait 10 minutes and send it again" in html
    assert '<h2 class="h5">Please wait a few minutes</h2>' in html  # not "check your booking"
    assert "<title>Please wait a few minutes:" in html
    assert 'value="victim@gmail.com"' in html and 'value="Paz"' in html
    assert f'id="slot-{slot.pk}"' in html
    assert Booking.objects.count() == 2
    assert len(mail.outbox) + Notification.objects.count() == sent


def test_a_signed_booking_link_counts_too(client):
    inquiry = InquiryFactory(email="luz@example.com")
    url = links.booking_path(inquiry)
    statuses = [
        client.post(url, booking_data(SlotFactory(), email=f"x{n}@gmail.com")).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]


def test_the_three_public_forms_share_one_allowance(client):
    program = ProgramFactory(slug="medical-assistant-technician")
    response = client.post(reverse("inquiries:request-info"), request_info_data(program))
    assert response.status_code == 302
    event = EventFactory(capacity=50)
    assert client.post(event.get_absolute_url(), registration_data()).status_code == 302
    assert client.post(BOOK, booking_data(SlotFactory())).status_code == 429
    assert not Booking.objects.exists()


def test_an_invalid_form_never_counts(client):
    for _ in range(3):
        response = client.post(BOOK, booking_data(SlotFactory(), email="not an email"))
        assert response.status_code == 200
    assert client.post(BOOK, booking_data(SlotFactory())).status_code == 302


def test_the_message_in_spanish_on_both_forms(client):
    with translation.override("es"):
        book = reverse("appointments:book")
        event = EventFactory(capacity=50)
        register = event.get_absolute_url()
    for number in range(2):
        client.post(book, booking_data(SlotFactory(), email=f"p{number}@gmail.com"))
    booked = client.post(book, booking_data(SlotFactory(), email="third@gmail.com"))
    registered = client.post(register, registration_data(email="fourth@gmail.com"))

    for response in (booked, registered):
        assert response.status_code == 429
        html = response.content.decode()
        assert "Recibimos varios formularios desde tu conexión en poco tiempo" in html
        assert "10 minutos" in html
        assert ">Espera unos minutos</h" in html
    assert Registration.objects.count() == 0
