"""Many people booking one admissions slot at the same moment: exactly one gets it, and
everyone else is told beside the field, with what they typed kept."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from appointments.models import Booking, BookingStatus
from inquiries.models import Inquiry
from inquiries.spam import issue_fill_token
from tests.appointments.factories import SlotFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sync_orm_beside_playwright"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite runs one writer at a time, so the race cannot happen",
    ),
]

PEOPLE = 20


def test_many_people_booking_one_slot_at_once_give_it_to_exactly_one(settings):
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    slot = SlotFactory()
    start = threading.Barrier(PEOPLE)
    responses = {}
    errors = []

    def book(number):
        try:
            client = Client()
            data = {
                "slot": slot.pk,
                "first_name": f"Person{number}",
                "last_name": "Racer",
                "email": f"racer{number}@example.com",
                "postal_code": "34741",
                "topic": f"Question {number}",
                "fill_token": issue_fill_token(),
            }
            start.wait()
            # Twenty people, twenty connections: one address would meet the rate limit.
            responses[number] = client.post(
                reverse("appointments:book"), data, REMOTE_ADDR=f"10.0.0.{number + 1}"
            )
        except Exception as error:  # noqa: BLE001 (reported below, with the thread's number)
            errors.append((number, error))
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    booked = Booking.objects.get(slot=slot, status=BookingStatus.BOOKED)
    winners = [n for n, response in responses.items() if response.status_code == 302]
    assert winners == [int(booked.first_name.removeprefix("Person"))]
    for number, response in responses.items():
        if number in winners:
            continue
        assert response.status_code == 200
        form = response.context["form"]
        assert form.errors == {"slot": ["That time was just taken: please pick another."]}
        html = response.content.decode()
        assert f'value="Person{number}"' in html and f"Question {number}" in html
    # Only the winner's booking reached an inquiry; nobody else was half-recorded.
    assert Inquiry.objects.filter(last_name="Racer").count() == 1
