"""The "Visit us" block on program, career, comparison and thank-you pages."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from tests.factories import ProgramFactory, RoleFactory
from tests.visits.factories import EventFactory, RegistrationFactory
from visits import selectors, services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]


def days(n):
    return timezone.now() + datetime.timedelta(days=n)


def event_on(day, **kwargs):
    return EventFactory(
        starts_at=days(day), ends_at=days(day) + datetime.timedelta(hours=1), **kwargs
    )


def test_the_next_events_are_those_of_the_program_and_of_the_college_as_a_whole():
    program, other = ProgramFactory(), ProgramFactory()
    ours = event_on(3, programs=[program], title="Ours")
    general = event_on(4, title="General")
    event_on(2, programs=[other], title="Theirs")
    event_on(1, programs=[program], is_published=False, title="Draft")
    cancelled = event_on(1, programs=[program], title="Cancelled")
    services.cancel_event(event=cancelled)
    event_on(5, programs=[program], title="Later")
    event_on(6, programs=[program], title="Latest")
    shown = selectors.next_events(programs=[program])
    assert [event.title for event in shown] == ["Ours", "General", "Later"]
    assert ours in shown and general in shown


def test_a_career_shows_the_events_of_the_programs_that_prepare_for_it():
    role = RoleFactory()
    program = ProgramFactory()
    program.careers.add(role)
    event_on(2, programs=[program], title="For this career")
    event_on(1, programs=[ProgramFactory()], title="Not for it")
    assert [e.title for e in selectors.next_events(roles=[role])] == ["For this career"]


def test_seats_left_count_confirmed_seats_only_however_many_programs_an_event_has():
    programs = [ProgramFactory() for _ in range(3)]
    event = event_on(2, programs=programs, capacity=10)
    RegistrationFactory(event=event, guests=2)
    RegistrationFactory(event=event, status="waitlisted")
    RegistrationFactory(event=event, status="cancelled")
    (shown,) = selectors.next_events(programs=programs)
    assert shown.seats_left == 7


@pytest.mark.parametrize("how_many", [1, 10])
def test_the_program_page_pays_one_query_for_its_visits_however_many(client, settings, how_many):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    program = ProgramFactory()
    cache.clear()  # the footer's contact campus is cached between pages
    with CaptureQueriesContext(connection) as without_events:
        client.get(program.get_absolute_url())
    for day in range(how_many):
        event = event_on(day + 1, programs=[program], capacity=5)
        RegistrationFactory(event=event)
    cache.clear()
    with CaptureQueriesContext(connection) as with_events:
        html = client.get(program.get_absolute_url()).content.decode()
    assert len(with_events) == len(without_events)
    visits_queries = [q for q in with_events.captured_queries if "visits_event" in q["sql"]]
    assert len(visits_queries) == 1
    assert 'id="next-visits-heading"' in html
    assert html.count("4 seats left") == min(how_many, 3)


def test_the_blocks_link_to_the_event_and_show_the_campus_clock(client):
    program = ProgramFactory()
    event = event_on(2, programs=[program], title="Evening session")
    html = client.get(program.get_absolute_url()).content.decode()
    assert f'href="{event.get_absolute_url()}"' in html
    assert event.local_starts_at.strftime("%Z") in html  # EST or EDT


def test_a_registration_refreshes_the_cached_page_at_once(
    client, django_capture_on_commit_callbacks
):
    program = ProgramFactory()
    event = event_on(2, programs=[program], capacity=5)
    assert "5 seats left" in client.get(program.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.register(event=event, first_name="Ana", last_name="Ruiz", email="ana@example.com")
    assert "4 seats left" in client.get(program.get_absolute_url()).content.decode()
    cache.clear()


def test_the_spanish_page_shows_the_spanish_title(client):
    program = ProgramFactory()
    event_on(2, programs=[program], title_en="Evening session", title_es="Sesión de la tarde")
    with translation.override("es"):
        path = program.get_absolute_url()
    html = client.get(path).content.decode()
    assert "Sesión de la tarde" in html


def test_the_thank_you_page_shows_the_next_visits(client):
    event_on(2, title="Open house")
    html = client.get("/request-info/thanks/").content.decode()
    assert "Open house" in html


def test_no_events_no_block(client):
    html = client.get(ProgramFactory().get_absolute_url()).content.decode()
    assert "next-visits-heading" not in html
