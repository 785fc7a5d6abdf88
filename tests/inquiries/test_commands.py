"""The management commands: demo inquiries and staff, and anonymisation of old inquiries."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import timezone

from inquiries.management.commands.load_demo_inquiries import DEMO_PASSWORD
from inquiries.models import (
    Activity,
    ActivityKind,
    ClosedReason,
    Coverage,
    Inquiry,
    Notification,
    Status,
)
from tests.factories import CampusFactory, InquiryFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def run(*args, **options):
    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


# --- load_demo_inquiries -----------------------------------------------------------------------


@pytest.fixture
def demo_program():
    program = ProgramFactory(slug="medical-assistant-technician")
    program.campuses.add(CampusFactory(slug="kissimmee"))
    return program


@pytest.fixture
def demo(settings, demo_program):
    settings.DEBUG = True
    run("load_demo_inquiries", count=120)
    return demo_program


def test_demo_loader_refuses_to_run_with_debug_off(settings, demo_program):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        run("load_demo_inquiries")

    assert not Inquiry.objects.exists()
    assert not get_user_model().objects.exists()


def test_demo_loader_creates_one_login_per_group(demo):
    User = get_user_model()
    request = RequestFactory().post("/admin/login/")

    for username, group in [
        ("rep", "Admissions representative"),
        ("manager", "Admissions manager"),
        ("editor", "Content editor"),
    ]:
        user = User.objects.get(username=username)
        assert user.is_staff
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert authenticate(request, username=username, password=DEMO_PASSWORD) == user


def test_demo_representatives_cover_the_demo_program(demo):
    covering = set(
        Coverage.objects.filter(program=demo).values_list("representative__username", flat=True)
    )

    assert covering == {"rep", "rep2"}


def test_demo_inquiries_spread_over_statuses_sources_and_twelve_weeks(demo):
    assert Inquiry.objects.count() == 120 + 4 + 7  # and the one-person and My day examples
    statuses = set(Inquiry.objects.values_list("status", flat=True))
    assert {Status.NEW, Status.CONTACTED, Status.ENROLLED, Status.CLOSED, Status.HELD} <= statuses
    sources = set(Inquiry.objects.values_list("source_page", flat=True))
    assert "/compare/medical-assistant-vs-phlebotomist/" in sources
    assert "/compare/medical-assistant-vs-laboratory-technician/" in sources
    assert "/careers/medical-assistant/" in sources
    oldest = Inquiry.objects.order_by("submitted_at").first().submitted_at
    newest = Inquiry.objects.order_by("submitted_at").last().submitted_at
    assert timezone.now() - datetime.timedelta(weeks=12) <= oldest
    assert newest - oldest > datetime.timedelta(weeks=8)


def test_demo_inquiries_have_timelines_written_by_staff(demo):
    enrolled = Inquiry.objects.filter(status=Status.ENROLLED).first()
    kinds = list(
        Activity.objects.filter(inquiry=enrolled)
        .order_by("created_at", "id")
        .values_list("kind", flat=True)
    )

    assert kinds[0] == ActivityKind.SUBMITTED
    assert ActivityKind.ASSIGNMENT in kinds
    assert kinds.count(ActivityKind.STATUS_CHANGE) >= 4
    assert Activity.objects.filter(inquiry=enrolled, author__username__startswith="rep").exists()


def test_demo_timelines_are_backdated_in_order(demo):
    inquiry = Inquiry.objects.filter(status=Status.APPLIED).first()
    times = list(
        Activity.objects.filter(inquiry=inquiry).order_by("id").values_list("created_at", flat=True)
    )

    assert times == sorted(times)
    assert times[0] == inquiry.submitted_at
    assert inquiry.first_contacted_at > inquiry.submitted_at


def test_demo_data_owes_no_email(demo):
    assert not Notification.objects.exclude(status="sent").exists()


def test_demo_data_shows_replies_written_from_the_inquiry_page(demo):
    replies = Notification.objects.filter(kind="reply", status="sent")
    assert replies.count() == 2
    for reply in replies:
        assert reply.inquiry.activities.filter(kind="email", outcome="sent").exists()


def test_demo_loader_does_nothing_when_inquiries_exist(settings, demo_program):
    settings.DEBUG = True
    InquiryFactory()

    output = run("load_demo_inquiries")

    assert "skipped" in output
    assert Inquiry.objects.count() == 1
    assert not get_user_model().objects.filter(username="rep").exists()


def test_demo_loader_twice_adds_nothing(demo, settings):
    before = (Inquiry.objects.count(), Activity.objects.count())

    run("load_demo_inquiries")

    assert (Inquiry.objects.count(), Activity.objects.count()) == before


# --- anonymise_inquiries -----------------------------------------------------------------------


def closed_days_ago(days, **kwargs):
    inquiry = InquiryFactory(
        status=Status.CLOSED, closed_reason=ClosedReason.NOT_INTERESTED, **kwargs
    )
    stamp = timezone.now() - datetime.timedelta(days=days)
    Inquiry.objects.filter(pk=inquiry.pk).update(updated_at=stamp)
    return inquiry


def test_anonymise_dry_run_reports_and_changes_nothing():
    old = closed_days_ago(800, email="keep@example.com")

    output = run("anonymise_inquiries", "--dry-run")

    assert "Would anonymise 1 closed inquiries untouched for 730 days" in output
    old.refresh_from_db()
    assert old.email == "keep@example.com"
    assert old.anonymised_at is None


def test_anonymise_uses_the_retention_setting_by_default(settings):
    settings.INQUIRY_RETENTION_DAYS = 30
    old = closed_days_ago(45)
    recent = closed_days_ago(10)

    output = run("anonymise_inquiries")

    assert "Anonymised 1 closed inquiries untouched for 30 days" in output
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.email, old.anonymised_at is not None) == ("", True)
    assert recent.email != ""


def test_anonymise_days_option_overrides_the_setting():
    old = closed_days_ago(100)

    run("anonymise_inquiries", "--days", "90")

    old.refresh_from_db()
    assert old.first_name == ""
    assert old.status == Status.CLOSED


def test_anonymise_refuses_a_zero_age():
    with pytest.raises(CommandError):
        run("anonymise_inquiries", "--days", "0")


def test_demo_inquiries_show_a_repeat_a_possible_duplicate_and_held_spam(demo):
    assert Inquiry.objects.filter(submissions__isnull=False).exists()
    assert Inquiry.objects.filter(possible_duplicate_of__isnull=False).exists()
    assert Inquiry.objects.filter(status=Status.HELD).count() == 2
