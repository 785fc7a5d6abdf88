"""Changes and cancellations racing new registrations never oversell (PostgreSQL)."""

import datetime
import threading

import pytest
from django.db import connection

from tests.visits.factories import EventFactory, RegistrationFactory
from visits import rebooking, services
from visits.models import Event, Registration, RegistrationStatus

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sync_orm_beside_playwright"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite runs one writer at a time, so the race cannot happen",
    ),
]


def seats_taken(event):
    return Event.objects.with_seats_taken().get(pk=event.pk).seats_taken


def test_cancels_moves_and_new_registrations_at_once_fill_both_events_exactly():
    here = EventFactory(capacity=10)
    there = EventFactory(capacity=8, starts_at=here.starts_at + datetime.timedelta(hours=3))
    holders_here = [RegistrationFactory(event=here) for _ in range(10)]
    holders_there = [RegistrationFactory(event=there) for _ in range(6)]

    jobs = []
    for registration in holders_here[:4]:
        jobs.append(lambda r=registration: services.cancel(registration=r))
    for registration in holders_here[4:7]:  # here -> there, while others go there -> here
        jobs.append(
            lambda r=registration: rebooking.change_registration(
                registration=r, guests=0, event=there
            )
        )
    for registration in holders_there[:3]:
        jobs.append(
            lambda r=registration: rebooking.change_registration(
                registration=r, guests=0, event=here
            )
        )
    for registration in holders_here[7:]:  # growing their party, if seats allow
        jobs.append(lambda r=registration: rebooking.change_registration(registration=r, guests=1))
    for number in range(30):
        event = here if number % 2 else there
        jobs.append(
            lambda n=number, e=event: services.register(
                event=e, first_name=f"P{n}", last_name="Racer", email=f"racer{n}@example.com"
            )
        )

    start = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            start.wait()
            job()
        except Exception as error:  # noqa: BLE001 (a refused change is fine, reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Only a refusal with its message may fail (a party that no longer fits); no deadlock,
    # no database error.
    assert all(type(error).__name__ == "ValidationError" for error in errors), errors
    # Fifteen racers wait for each event, so each ends exactly full: freed seats were given
    # to the waitlist, and never was a seat given twice.
    assert seats_taken(here) == here.capacity
    assert seats_taken(there) == there.capacity
    for event in (here, there):
        waiting = Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED)
        assert waiting.exists()
