"""The signed links in every visit email: see, change or cancel a booking."""

import datetime
import re

import pytest
from django.core import signing
from django.utils import timezone

from inquiries.models import Notification, NotificationKind
from tests.visits.factories import EventFactory
from visits import links, services
from visits.models import EventKind, Registration, RegistrationStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]


def register(event, email="maria@example.com", guests=0):
    return services.register(
        event=event, first_name="Maria", last_name="Lopez", email=email, guests=guests, consent=True
    )


def link_in_email(recipient, which):
    """The path of the booking ("booking") or cancel ("cancel") link in their latest email."""
    body = Notification.objects.filter(recipient=recipient).latest("id").body
    paths = re.findall(r"https?://[^/\s]+(/visit/booking/[^\s]+/)", body)
    return next(p for p in paths if p.endswith("/cancel/") == (which == "cancel"))


def test_the_cancel_link_asks_first_and_showing_it_changes_nothing(client):
    registration = register(EventFactory())
    response = client.get(link_in_email("maria@example.com", "cancel"))
    assert response.status_code == 200
    assert "Yes, cancel my registration" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_confirming_frees_the_seat_and_the_first_person_waiting_is_promoted_and_emailed(client):
    event = EventFactory(capacity=1)
    register(event)
    waiting = register(event, email="next@example.com")
    cancel_link = link_in_email("maria@example.com", "cancel")
    response = client.post(cancel_link)
    assert response.status_code == 200
    assert "Your registration is cancelled" in response.content.decode()
    assert Registration.objects.get(email="maria@example.com").status == "cancelled"
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert Notification.objects.filter(
        recipient="next@example.com", kind=NotificationKind.VISIT_PROMOTED
    ).exists()
    # Twice is harmless: it says so and changes nothing more.
    again = client.post(cancel_link)
    assert "It had already been cancelled" in again.content.decode()


@pytest.mark.parametrize("mangle", [lambda t: t[:-3] + "abc", lambda t: "x" + t, lambda t: "nope"])
def test_a_tampered_link_shows_a_clear_page_and_changes_nothing(client, mangle):
    registration = register(EventFactory())
    token = links.booking_token(registration)
    for path in (f"/visit/booking/{mangle(token)}/", f"/visit/booking/{mangle(token)}/cancel/"):
        response = client.post(path, {"guests": 3})
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    registration.refresh_from_db()
    assert (registration.status, registration.guests) == (RegistrationStatus.CONFIRMED, 0)


def test_a_link_signed_with_another_salt_is_refused(client):
    registration = register(EventFactory())
    forged = signing.dumps({"registration": registration.pk}, salt="visits.thanks")
    assert client.get(f"/visit/booking/{forged}/").status_code == 400


def test_a_link_expires_when_its_event_is_over(client):
    event = EventFactory()
    registration = register(event)
    path = link_in_email("maria@example.com", "cancel")
    event.starts_at = timezone.now() - datetime.timedelta(hours=3)
    event.ends_at = timezone.now() - datetime.timedelta(hours=2)
    event.save()
    response = client.post(path)
    assert response.status_code == 410
    assert "This visit is over" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_changing_the_guests_is_emailed_with_an_updated_invitation(client):
    event = EventFactory(capacity=5)
    registration = register(event)
    path = link_in_email("maria@example.com", "booking")
    response = client.post(path, {"event": event.pk, "guests": 2})
    assert response.status_code == 302
    assert "Your registration has been changed" in client.get(response.url).content.decode()
    registration.refresh_from_db()
    assert (registration.guests, registration.invitation_sequence) == (2, 1)
    latest = Notification.objects.filter(recipient="maria@example.com").latest("id")
    assert "SEQUENCE:1" in latest.calendar and "Seats: 3" in latest.body


def test_more_guests_than_seats_is_refused_beside_the_field_and_the_booking_kept(client):
    event = EventFactory(capacity=3)
    registration = register(event)
    register(event, email="other@example.com")
    response = client.post(
        link_in_email("maria@example.com", "booking"), {"event": event.pk, "guests": 2}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "Only 2 seats are free there now" in form.errors["guests"][0]  # hers included
    assert form["guests"].value() == "2"  # what was typed is kept
    registration.refresh_from_db()
    assert (registration.guests, registration.status) == (0, RegistrationStatus.CONFIRMED)


def test_moving_to_another_date_frees_the_seat_for_the_waitlist(client):
    first = EventFactory(capacity=1)
    later = EventFactory(capacity=5, starts_at=first.starts_at + datetime.timedelta(days=7))
    registration = register(first)
    waiting = register(first, email="next@example.com")
    response = client.post(
        link_in_email("maria@example.com", "booking"), {"event": later.pk, "guests": 1}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.event_id, registration.guests) == (later.pk, 1)
    assert registration.status == RegistrationStatus.CONFIRMED
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_only_open_events_of_the_same_kind_are_offered(client):
    event = EventFactory(kind=EventKind.INFO_SESSION)
    tour = EventFactory(kind=EventKind.CAMPUS_TOUR)
    closed = EventFactory(registration_closes_at=timezone.now() - datetime.timedelta(hours=1))
    register(event)
    path = link_in_email("maria@example.com", "booking")
    choices = {choice.pk for choice in client.get(path).context["form"].fields["event"].queryset}
    assert event.pk in choices and tour.pk not in choices and closed.pk not in choices
    response = client.post(path, {"event": tour.pk, "guests": 0})
    assert "no longer open" in response.context["form"].errors["event"][0]


def test_a_booking_cannot_change_once_registration_has_closed(client):
    event = EventFactory()
    registration = register(event)
    path = link_in_email("maria@example.com", "booking")
    event.registration_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    event.save()
    response = client.post(path, {"event": event.pk, "guests": 1})
    assert response.status_code == 200
    assert "Registration for this event has closed." in response.context["form"].errors["event"]
    registration.refresh_from_db()
    assert registration.guests == 0
