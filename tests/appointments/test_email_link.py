"""The prospect's confirmation email carries a signed link to book an appointment as
themselves, when there is a time to book; the link opens the booking form for their inquiry."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from inquiries.models import Inquiry
from tests.appointments.factories import SlotFactory
from tests.factories import ProgramFactory
from tests.inquiries.test_forms import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]

BOOKING_LINK = re.compile(r"https?://[^/\s]+(/\S*/)")


@pytest.fixture
def send_in(client, django_capture_on_commit_callbacks):
    """POST the request-info form in a language, running what is queued after commit."""

    def post(language):
        with translation.override(language):
            url = reverse("inquiries:request-info")
        data = form_data(ProgramFactory(slug="medical-assistant-technician"))
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


def confirmation_body() -> str:
    return next(m for m in mail.outbox if m.to == ["maria.lopez@example.com"]).body


def booking_path_in(body: str) -> str:
    paths = [path for path in BOOKING_LINK.findall(body) if "unsubscribe" not in path]
    paths = [path for path in paths if "/appointments/" in path or "/citas/" in path]
    assert len(paths) == 1, body
    return paths[0]


def test_the_confirmation_offers_a_booking_link_that_opens_the_form_for_the_inquiry(
    client, send_in
):
    SlotFactory()
    send_in("en")
    path = booking_path_in(confirmation_body())
    assert path.startswith("/appointments/for/")
    response = client.get(path)
    assert response.status_code == 200
    assert Inquiry.objects.get().email in response.content.decode()


def test_without_an_open_time_the_confirmation_has_no_booking_link(send_in):
    send_in("en")
    body = confirmation_body()
    assert "/appointments/" not in body
    assert "Book an appointment" not in body


def test_a_spanish_inquiry_gets_the_sentence_and_the_link_in_spanish(client, send_in):
    SlotFactory()
    send_in("es")
    assert Inquiry.objects.get().language == "es"
    body = confirmation_body()
    assert "Reserva una cita con admisiones" in body
    path = booking_path_in(body)
    assert path.startswith("/es/citas/para/")
    assert client.get(path).status_code == 200
