import json
import re

import pytest

from tests.factories import CampusFactory, ComparisonFactory, ProgramFactory, RoleFactory

pytestmark = pytest.mark.django_db


def get_home(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_home_has_a_hero_with_a_call_to_action(client):
    html = get_home(client)
    assert html.count("<h1") == 1
    assert 'href="/request-info/?from=/"' in html
    assert 'href="/compare/"' in html


def test_home_shows_published_careers_as_cards(client):
    RoleFactory(name="Phlebotomist", slug="phlebotomist")
    RoleFactory(name="Hidden", slug="hidden", is_published=False)
    html = get_home(client)
    assert 'href="/careers/phlebotomist/"' in html
    assert "/careers/hidden/" not in html


def test_home_features_only_featured_published_comparisons(client):
    first = RoleFactory(slug="first", order=1)
    second = RoleFactory(slug="second", order=2)
    third = RoleFactory(slug="third", order=3)
    ComparisonFactory(left=second, right=first, title="Featured pair", is_featured=True)
    ComparisonFactory(left=first, right=third, title="Plain pair")
    ComparisonFactory(
        left=second, right=third, title="Draft pair", is_featured=True, is_published=False
    )
    html = get_home(client)
    assert '<a href="/compare/first-vs-second/">Featured pair</a>' in html
    assert "Plain pair" not in html
    assert "Draft pair" not in html


def test_home_lists_published_programs(client):
    ProgramFactory(
        name="Medical Assistant Technician Diploma Program", slug="medical-assistant-technician"
    )
    ProgramFactory(name="Secret Program", is_published=False)
    html = get_home(client)
    assert 'href="/programs/medical-assistant-technician/"' in html
    assert "Secret Program" not in html


def test_home_without_content_still_renders_its_call_to_action(client):
    html = get_home(client)
    assert "Programs</h2>" not in html
    assert "Request information" in html


def _populate(count):
    for _ in range(count):
        left, right = RoleFactory(), RoleFactory()
        ComparisonFactory(left=left, right=right, is_featured=True)
        ProgramFactory().careers.add(left)


@pytest.mark.parametrize("count", [1, 25])
def test_home_page_makes_four_queries_however_much_content(
    client, settings, django_assert_num_queries, count
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    _populate(count)
    # Careers, featured comparisons, programs, and the campus of the college's address.
    with django_assert_num_queries(4):
        get_home(client)


def college_json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    colleges = [data for data in map(json.loads, blocks) if data["@type"] == "CollegeOrUniversity"]
    assert len(colleges) == 1
    return colleges[0]


def test_home_describes_the_college_with_the_first_active_campus(client):
    CampusFactory(name="Closed", order=0, is_active=False, street_address="1 Old Road", phone="111")
    CampusFactory(
        name="Main",
        order=1,
        street_address="100 Main Street",
        city="Orlando",
        region="FL",
        postal_code="32801",
        phone="(407) 555-0100",
    )
    CampusFactory(name="Later", order=2, street_address="9 Other Street")
    college = college_json_ld(get_home(client))
    assert college["name"] == "Florida Technical College"
    assert college["url"] == "http://testserver/"
    assert college["logo"] == "http://testserver/static/img/logo.svg"
    assert college["telephone"] == "(407) 555-0100"
    assert college["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "100 Main Street",
        "addressLocality": "Orlando",
        "addressRegion": "FL",
        "postalCode": "32801",
        "addressCountry": "US",
    }


def test_home_describes_the_college_without_an_address_when_no_campus_is_active(client):
    college = college_json_ld(get_home(client))
    assert college["name"] == "Florida Technical College"
    assert "address" not in college and "telephone" not in college
