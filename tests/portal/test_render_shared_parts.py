"""What every public page shares is read or rendered once per content version: the footer's
contact campus (portal/context_processors.py) and the footer's links ({% site_fragment %}).
The page itself is rendered from the database every time the page cache misses."""

import pytest
from django.db import DatabaseError

from portal import context_processors
from programs import selectors as program_selectors
from tests.factories import CampusFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def campus():
    return CampusFactory(name="Kissimmee", street_address="3831 W Vine St")


def test_the_footer_campus_is_read_once_per_content_version(
    client, campus, django_assert_num_queries
):
    # Careers, featured comparisons, programs, and the footer's campus the first time only.
    with django_assert_num_queries(4):
        first = client.get("/").content.decode()
    with django_assert_num_queries(3):
        again = client.get("/").content.decode()
    assert first == again
    assert "3831 W Vine St" in again


@pytest.mark.django_db(transaction=True)  # the content version moves on when writes commit
def test_a_campus_edit_shows_in_the_footer_at_once(client, campus):
    assert "3831 W Vine St" in client.get("/careers/").content.decode()

    campus.street_address = "1 New Street"
    campus.save()

    html = client.get("/careers/").content.decode()
    assert "1 New Street" in html
    assert "3831 W Vine St" not in html


def test_a_failed_campus_read_is_not_kept(client, campus, monkeypatch):
    def unreachable():
        raise DatabaseError("the database went away")

    monkeypatch.setattr(context_processors, "first_active_campus", unreachable)
    assert context_processors.contact_campus() is None

    monkeypatch.setattr(
        context_processors, "first_active_campus", program_selectors.first_active_campus
    )
    assert context_processors.contact_campus() == campus


def test_the_footer_links_are_in_each_page_s_language(client, campus):
    english = client.get("/careers/").content.decode()
    spanish = client.get("/es/carreras/").content.decode()
    english_again = client.get("/").content.decode()

    assert '<a href="/about/">About</a>' in english
    assert '<a href="/about/">About</a>' in english_again
    assert '<a href="/about/">About</a>' not in spanish
    assert 'href="/es/' in spanish.split('class="list-inline footer-links')[1]
