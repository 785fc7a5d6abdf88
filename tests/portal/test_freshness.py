"""Any write to what a public page shows makes the cached pages stale at once, whatever
made it: the admin, the ORM outside the admin, a bulk update, a management command."""

import pytest
from django.contrib.flatpages.models import FlatPage
from django.core.management import call_command
from django.db import connection, transaction

from portal.freshness import content_tables, writes_content
from portal.pagecache import content_version
from roles.models import Role
from tests.factories import InquiryFactory, ProgramFactory, RoleFactory, UserFactory

# These tests commit for real, so that writes run their on-commit callbacks as in production.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sync_orm_beside_playwright"),
]


@pytest.fixture
def career():
    role = RoleFactory(name="Medical Assistant", slug="medical-assistant")
    ProgramFactory(name="Medical Assistant Technician Diploma").careers.add(role)
    return role


def _render_all(client, urls):
    return {url: client.get(url).content.decode() for url in urls}


def test_a_career_renamed_through_the_orm_shows_on_every_page_at_once(client, career):
    urls = [career.get_absolute_url(), "/careers/", "/"]
    before = _render_all(client, urls)
    assert all("Medical Assistant" in html for html in before.values())
    assert _render_all(client, urls) == before  # served from the page cache

    career.name = "Clinical Medical Assistant"
    career.save()

    for url, html in _render_all(client, urls).items():
        assert "Clinical Medical Assistant" in html, url


def test_a_bulk_update_outside_the_admin_makes_pages_stale(client, career):
    url = career.get_absolute_url()
    client.get(url)
    Role.objects.filter(pk=career.pk).update(tagline="A brand-new tagline for the career.")
    assert "A brand-new tagline for the career." in client.get(url).content.decode()


def test_a_change_made_by_a_management_command_shows_at_once(client, career):
    url = career.get_absolute_url()
    client.get(url)
    call_command(
        "shell",
        command=(
            "from roles.models import Role; "
            "Role.objects.filter(slug='medical-assistant').update(summary='Changed by a command.')"
        ),
    )
    assert "Changed by a command." in client.get(url).content.decode()


def test_linking_a_program_to_a_career_refreshes_the_career_page(client, career):
    other = ProgramFactory(name="Phlebotomy Technician Certificate")
    url = career.get_absolute_url()
    assert "Phlebotomy Technician Certificate" not in client.get(url).content.decode()
    other.careers.add(career)  # a many-to-many link row, no model saved
    assert "Phlebotomy Technician Certificate" in client.get(url).content.decode()


def test_an_institution_page_edited_outside_the_admin_shows_at_once(client):
    page = FlatPage.objects.create(url="/about/", title="About", content="<p>Old words</p>")
    page.sites.add(1)
    assert "Old words" in client.get("/about/").content.decode()
    FlatPage.objects.filter(pk=page.pk).update(content="<p>New words</p>")
    assert "New words" in client.get("/about/").content.decode()


def test_a_rolled_back_write_leaves_the_pages_as_they_were():
    role = RoleFactory()
    version = content_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        Role.objects.filter(pk=role.pk).update(name="Never committed")
        raise RuntimeError
    assert content_version() == version


@pytest.mark.django_db
def test_many_writes_in_one_transaction_bump_the_version_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for index in range(5):
            RoleFactory(name=f"Career {index}")
    assert len(callbacks) == 1


def test_writes_to_inquiries_or_logins_leave_public_pages_cached(client):
    version = content_version()
    client.force_login(UserFactory())
    InquiryFactory(program=None)
    assert content_version() == version


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ('INSERT INTO "roles_role" ("name") VALUES (%s)', True),
        ('UPDATE "programs_program" SET "summary" = %s', True),
        ('DELETE FROM "programs_program_careers" WHERE 1', True),
        ('INSERT OR IGNORE INTO "programs_program_careers" ("a") VALUES (%s)', True),
        ('UPDATE "django_flatpage" SET "content" = %s', True),
        ('SELECT "roles_role"."id" FROM "roles_role"', False),
        ('UPDATE "inquiries_inquiry" SET "status" = %s', False),
        ('INSERT INTO "django_session" VALUES (%s)', False),
    ],
)
def test_which_statements_count_as_content_writes(sql, expected):
    assert writes_content(sql) is expected


def test_every_content_table_is_watched():
    tables = set(connection.introspection.table_names())
    content = {t for t in tables if t.startswith(("roles_", "programs_", "django_flatpage"))}
    assert content <= content_tables()


def test_a_registration_changes_the_seats_left_on_the_visit_page_at_once(client):
    from tests.visits.factories import EventFactory, RegistrationFactory

    event = EventFactory(capacity=3, title="Campus tour")
    assert "3 seats left" in client.get("/visit/").content.decode()
    RegistrationFactory(event=event)
    assert "2 seats left" in client.get("/visit/").content.decode()
