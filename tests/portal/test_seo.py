import re

import pytest
from django.contrib.flatpages.models import FlatPage
from django.utils import timezone, translation

from tests.factories import ComparisonFactory, ProgramFactory, RoleFactory

pytestmark = pytest.mark.django_db


def sitemap_locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return re.findall(r"<loc>(.*?)</loc>", response.content.decode())


def institution_page(url, **fields):
    page = FlatPage.objects.create(url=url, title=url.strip("/"), **fields)
    page.sites.add(1)
    return page


@pytest.fixture
def published_content():
    left = RoleFactory(slug="medical-assistant")
    right = RoleFactory(slug="phlebotomist")
    comparison = ComparisonFactory(left=left, right=right)
    program = ProgramFactory(slug="medical-assistant-technician")
    page = institution_page("/privacy/")
    return {"careers": [left, right], "comparison": comparison, "program": program, "page": page}


def test_sitemap_lists_every_published_page(client, published_content):
    locations = sitemap_locations(client)
    expected = [
        "/",
        "/careers/",
        "/compare/",
        "/programs/",
        "/careers/medical-assistant/",
        "/careers/phlebotomist/",
        published_content["comparison"].get_absolute_url(),
        "/programs/medical-assistant-technician/",
        "/privacy/",
    ]
    with translation.override("es"):
        curated_es = published_content["comparison"].get_absolute_url()
    # Each page also in Spanish (these factories give no Spanish slugs: the English serve).
    expected += [
        "/es/",
        "/es/carreras/",
        "/es/comparar/",
        "/es/programas/",
        "/es/carreras/medical-assistant/",
        "/es/carreras/phlebotomist/",
        curated_es,
        "/es/programas/medical-assistant-technician/",
        "/es/privacy/",
    ]
    assert sorted(locations) == sorted(f"http://testserver{path}" for path in expected)


def test_sitemap_leaves_out_everything_unpublished(client, published_content):
    hidden_career = RoleFactory(slug="hidden-career", is_published=False)
    ComparisonFactory(is_published=False)
    # A published comparison with an unpublished career is not public either.
    ComparisonFactory(left=published_content["careers"][0], right=hidden_career)
    ProgramFactory(slug="draft-program", is_published=False)
    institution_page("/staff-only/", registration_required=True)
    other_site_page = FlatPage.objects.create(url="/elsewhere/", title="Elsewhere")
    assert not other_site_page.sites.exists()

    locations = " ".join(sitemap_locations(client))
    for hidden in ("hidden-career", "draft-program", "/staff-only/", "/elsewhere/"):
        assert hidden not in locations
    # The index and the one curated comparison, in English and in Spanish.
    assert locations.count("/compare/") == 2
    assert locations.count("/comparar/") == 2


def test_sitemap_gives_lastmod_from_the_content(client, published_content):
    program = published_content["program"]
    xml = client.get("/sitemap.xml").content.decode()
    entry = re.search(
        r"<loc>http://testserver/programs/medical-assistant-technician/</loc>"
        r"<lastmod>(.*?)</lastmod>",
        xml,
    )
    # The sitemap dates pages in the site's time zone, not UTC.
    assert entry.group(1) == f"{timezone.localtime(program.updated_at):%Y-%m-%d}"


def test_sitemap_lists_addresses_on_the_host_it_was_asked_on(client, published_content):
    response = client.get("/sitemap.xml", HTTP_HOST="localhost")
    assert "<loc>http://localhost/programs/" in response.content.decode()


def test_sitemap_makes_the_same_queries_however_much_content(client, django_assert_num_queries):
    from django.contrib.sites.models import Site
    from django.core.cache import cache

    Site.objects.get_current()  # the site is cached per process after the first request

    def add_content(count):
        for _ in range(count):
            ComparisonFactory()
            ProgramFactory()
            institution_page(f"/page-{ProgramFactory().slug}/")

    # A page of items for each of careers, comparisons, programs and pages (each sitemap
    # lists its items in every language, so it counts them without a query of its own).
    add_content(1)
    with django_assert_num_queries(7):
        client.get("/sitemap.xml")
    cache.clear()
    add_content(20)
    with django_assert_num_queries(7):
        response = client.get("/sitemap.xml")
    assert response.content.decode().count("<loc>") > 60


def test_robots_keeps_crawlers_out_of_the_admin_and_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /" not in lines


def test_robots_names_the_sitemap_on_the_host_it_was_asked_on(client):
    body = client.get("/robots.txt", HTTP_HOST="localhost").content.decode()
    assert "Sitemap: http://localhost/sitemap.xml" in body


def test_sitemap_dates_a_comparison_by_its_careers_edits_too(client):
    import datetime

    from django.utils import timezone

    from roles.models import Role
    from tests.factories import ComparisonFactory

    comparison = ComparisonFactory()
    later = timezone.now() + datetime.timedelta(days=3)
    Role.objects.filter(pk=comparison.right_id).update(updated_at=later)

    xml = client.get("/sitemap.xml").content.decode()
    entry = xml[xml.index(comparison.get_absolute_url()) :]
    assert f"<lastmod>{timezone.localtime(later).date().isoformat()}" in entry.split("</url>")[0]


def test_sitemap_dates_the_index_pages_by_their_newest_content(client):
    from tests.factories import RoleFactory

    RoleFactory()
    xml = client.get("/sitemap.xml").content.decode()
    careers_entry = xml[xml.index("/careers/</loc>") :].split("</url>")[0]
    assert "<lastmod>" in careers_entry
