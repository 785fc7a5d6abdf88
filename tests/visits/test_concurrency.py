"""Fifty people asking for the last five seats at the same moment: exactly five get them."""

import threading

import pytest
from django.db import connection

from inquiries.models import Inquiry
from tests.visits.factories import EventFactory, RegistrationFactory
from visits import services
from visits.models import Event, Registration, RegistrationStatus

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sync_orm_beside_playwright"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite runs one writer at a time, so the race cannot happen",
    ),
]

PEOPLE = 50


def test_fifty_registrations_at_once_for_the_last_five_seats_confirm_exactly_five():
    event = EventFactory(capacity=20)
    for _ in range(15):
        RegistrationFactory(event=event)
    start = threading.Barrier(PEOPLE)
    errors = []

    def register(number):
        try:
            start.wait()
            services.register(
                event=event,
                first_name=f"Person{number}",
                last_name="Racer",
                email=f"racer{number}@example.com",
            )
        except Exception as error:  # noqa: BLE001 (reported below, with the thread's number)
            errors.append((number, error))
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    racers = Registration.objects.filter(last_name="Racer")
    assert racers.filter(status=RegistrationStatus.CONFIRMED).count() == 5
    assert racers.filter(status=RegistrationStatus.WAITLISTED).count() == PEOPLE - 5
    assert Event.objects.with_seats_taken().get(pk=event.pk).seats_taken == 20
    # Each of them is one person with one inquiry.
    assert Inquiry.objects.filter(last_name="Racer").count() == PEOPLE


def test_the_same_person_twice_at_once_makes_one_registration():
    event = EventFactory(capacity=5)
    start = threading.Barrier(2)
    errors = []

    def register(guests):
        try:
            start.wait()
            services.register(
                event=event,
                first_name="Maria",
                last_name="Lopez",
                email="maria@example.com",
                guests=guests,
            )
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(guests,)) for guests in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert Registration.objects.filter(email="maria@example.com").count() == 1
    assert Inquiry.objects.filter(email="maria@example.com").count() == 1
