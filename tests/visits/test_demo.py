import pytest
from django.core.management import call_command

from tests.factories import CampusFactory, ProgramFactory
from visits.models import Event, Registration

pytestmark = pytest.mark.django_db


def test_the_demo_has_upcoming_events_one_nearly_full_and_one_full_with_a_waitlist():
    CampusFactory()
    ProgramFactory(is_published=True)
    call_command("load_demo_visits")
    call_command("load_demo_visits")  # idempotent

    events = list(Event.objects.upcoming().with_seats_taken())
    assert len(events) == 3
    seats_left = sorted(event.seats_left for event in events)
    assert seats_left[0] == 0 and seats_left[1] == 1
    full = next(event for event in events if event.seats_left == 0)
    assert full.registrations.filter(status="waitlisted").count() == 3
    assert Registration.objects.count() == 6 + 11 + 8 + 3


def test_without_a_campus_the_demo_adds_nothing():
    call_command("load_demo_visits")
    assert not Event.objects.exists()


def test_demo_events_read_in_spanish_on_the_spanish_pages(client):
    from django.utils import translation

    from visits.demo import load_demo_visits

    CampusFactory()
    ProgramFactory()
    (event, *_) = load_demo_visits()
    with translation.override("es"):
        path = event.get_absolute_url()
    assert path.startswith("/es/visitas/")
    html = client.get(path).content.decode()
    assert "Sesión informativa de noche" in html
    assert "Inscribirme" in html and "Invitados que vienen contigo" in html
