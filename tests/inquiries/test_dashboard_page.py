"""The admissions dashboard's admin page: who may open it, its range, its links, its queries."""

import datetime
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from inquiries.models import ClosedReason, Inquiry, Status
from inquiries.services import workflow
from tests.factories import CampusFactory, InquiryFactory, ProgramFactory
from tests.inquiries.staff import content_editor, inquiry_submitted, manager, representative

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("admin:inquiries_inquiry_dashboard")
CHANGELIST = reverse("admin:inquiries_inquiry_changelist")


@pytest.fixture
def manager_client(client):
    client.force_login(manager())
    return client


def make_inquiries(count):
    """A spread of inquiries over programs, campuses, statuses, owners, source pages, times."""
    programs = ProgramFactory.create_batch(3)
    campuses = CampusFactory.create_batch(2)
    reps = [representative(), representative(), None]
    statuses = [Status.NEW, Status.CONTACTED, Status.APPOINTMENT, Status.APPLIED, Status.ENROLLED]
    now = timezone.now()
    for n in range(count):
        closed = n % 7 == 0
        inquiry = InquiryFactory(
            program=programs[n % 3] if n % 11 else None,
            campus=campuses[n % 2],
            owner=reps[n % 3],
            status=Status.CLOSED if closed else statuses[n % 5],
            closed_reason=ClosedReason.UNREACHABLE if closed else "",
            source_page=f"/careers/career-{n % 4}/" if n % 13 else "",
            next_follow_up_at=now - datetime.timedelta(hours=n % 5 - 2),
        )
        submitted = now - datetime.timedelta(days=n % 100, hours=10)
        Inquiry.objects.filter(pk=inquiry.pk).update(
            submitted_at=submitted,
            first_attempted_at=None if n % 4 == 0 else submitted + datetime.timedelta(hours=n % 9),
            first_contacted_at=None if n % 3 == 0 else submitted + datetime.timedelta(hours=n % 7),
        )


def linked_numbers(html):
    """(url, number) for every number on the page that links to the inquiry list."""
    found = re.findall(rf'<a href="({re.escape(CHANGELIST)}\?[^"]+)">(\d+)</a>', html)
    return [(url.replace("&amp;", "&"), int(number)) for url, number in found]


# --- Who may open it ---------------------------------------------------------------------------


@pytest.mark.parametrize("make_user", [representative, content_editor])
def test_only_managers_open_the_dashboard(client, make_user):
    client.force_login(make_user())

    assert client.get(DASHBOARD).status_code == 403


def test_a_manager_opens_the_dashboard_with_every_section(manager_client):
    make_inquiries(30)

    response = manager_client.get(DASHBOARD)
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Admissions dashboard</h1>" in html
    for heading in [
        "Time to first attempt and to first contact",
        "Conversion between stages",
        "By representative",
        "By program",
        "By source page",
        "Status now",
        "New inquiries per week",
    ]:
        assert f">{heading}</h2>" in html
    assert "90th percentile" in html
    assert "timeline shows a move to it" in html  # the conversion says what it counts


def test_admin_home_and_the_inquiry_list_link_to_the_dashboard(manager_client):
    home = manager_client.get(reverse("admin:index")).content.decode()
    listing = manager_client.get(CHANGELIST).content.decode()

    assert f'<a href="{DASHBOARD}">Admissions dashboard</a>' in home
    assert DASHBOARD in listing


# --- The range ---------------------------------------------------------------------------------


def test_the_default_range_is_filled_in_and_named(manager_client):
    response = manager_client.get(DASHBOARD)
    html = response.content.decode()

    first = response.context["date_range"].first
    assert first.weekday() == 0
    assert f'value="{first.isoformat()}"' in html
    assert "the last 12 weeks from a Monday" in html


def test_a_chosen_range_counts_only_its_inquiries(manager_client):
    inquiry_submitted(datetime.timedelta(days=200), source_page="/careers/a/")
    inquiry_submitted(datetime.timedelta(days=10), source_page="/careers/a/")
    start = timezone.localdate() - datetime.timedelta(days=250)
    end = timezone.localdate() - datetime.timedelta(days=150)

    response = manager_client.get(DASHBOARD, {"start": start.isoformat(), "end": end.isoformat()})

    assert [row["inquiries"] for row in response.context["sources"]] == [1]
    assert response.context["is_default_range"] is False
    assert "Back to the last 12 weeks" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "2026-02-30"}, "start", "Enter a date as YYYY-MM-DD"),
        ({"start": "yesterday"}, "start", "Enter a date as YYYY-MM-DD"),
        ({"end": "99999-01-01"}, "end", "Enter a date as YYYY-MM-DD"),
        ({"start": "2026-11-01", "end": "2026-10-01"}, "end", "The end date is before the start"),
        ({"start": "1899-01-01"}, "start", "Pick a date from January 1, 2000 on."),
        ({"start": "2001-01-01", "end": "2026-01-01"}, "end", "Pick a range of two years at most."),
        ({"end": "9999-12-31"}, "end", "no more than a year from today"),
    ],
)
def test_bad_dates_get_a_message_beside_their_field_and_the_default_figures(
    manager_client, query, field, message
):
    response = manager_client.get(DASHBOARD, query)
    html = response.content.decode()

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert re.search(rf'id="id_{field}_error">\s*<li>[^<]*{re.escape(message)}', html)
    assert "until then the figures are for the last 12 weeks" in html
    assert response.context["is_default_range"] is True


def test_an_empty_range_says_there_is_nothing_to_show(manager_client):
    make_inquiries(10)
    day = (timezone.localdate() - datetime.timedelta(days=400)).isoformat()

    response = manager_client.get(DASHBOARD, {"start": day, "end": day})
    html = response.content.decode()

    assert response.status_code == 200
    assert html.count("No inquiries in these dates.") == 4  # reps, programs, languages, pages
    assert all(number == 0 for _, number in linked_numbers(html) if "submitted_between" in _)
    assert [row["median_text"] for row in response.context["response_times"]] == ["no data"] * 2


# --- Every figure opens its inquiries ------------------------------------------------------------


@pytest.mark.parametrize("range_query", [{}, {"start": "2026-08-01", "end": "2026-10-15"}])
def test_each_linked_figure_opens_a_list_of_exactly_that_many_inquiries(
    manager_client, range_query
):
    make_inquiries(70)  # submitted over the last 100 days: some before the dashboard's weeks
    rep = representative()
    gone = inquiry_submitted(datetime.timedelta(days=20), owner=rep)
    workflow.change_status(inquiry=gone, status=Status.APPLIED, by=rep)
    workflow.change_status(
        inquiry=gone, status=Status.CLOSED, closed_reason=ClosedReason.NOT_INTERESTED, by=rep
    )
    for _ in range(2):
        inquiry_submitted(
            datetime.timedelta(days=3),
            status=Status.CLOSED,
            closed_reason=ClosedReason.SPAM,
            source_page="/careers/career-1/",
        )
    inquiry_submitted(datetime.timedelta(days=3), status=Status.HELD)

    html = manager_client.get(DASHBOARD, range_query).content.decode()

    linked = linked_numbers(html)
    assert len(linked) > 60
    assert sum(number for _, number in linked) > 0
    for url, number in linked:
        response = manager_client.get(url)
        assert response.status_code == 200, url
        assert response.context["cl"].result_count == number, url


def test_dashboard_links_overdue_follow_ups_to_their_inquiries(manager_client):
    overdue = InquiryFactory(
        status=Status.CONTACTED,
        first_name="Late",
        next_follow_up_at=timezone.now() - datetime.timedelta(hours=3),
    )

    html = manager_client.get(DASHBOARD).content.decode()

    change = reverse("admin:inquiries_inquiry_change", args=[overdue.pk])
    assert f'<a href="{change}">Late Prospect</a>' in html


def test_a_hand_edited_range_in_the_list_selects_nothing_rather_than_failing(manager_client):
    InquiryFactory()

    for value in ["2026-02-30..2026-03-01", "junk", "2026-12-01..2026-01-01"]:
        response = manager_client.get(CHANGELIST, {"submitted_between": value})
        assert response.status_code == 200
        assert response.context["cl"].result_count == 0
    for query in [{"reached": "nowhere"}, {"contact": "maybe"}]:
        assert manager_client.get(CHANGELIST, query).context["cl"].result_count == 0


# --- Its shape ---------------------------------------------------------------------------------


# Session, user, the user's and group permissions, then the figures: twelve on PostgreSQL,
# which computes the median times in the counts' own queries, sixteen elsewhere.
def dashboard_queries() -> int:
    return 4 + (13 if connection.vendor == "postgresql" else 17)


@pytest.mark.parametrize("count", [10, 200])
def test_dashboard_query_count_does_not_grow_with_inquiries(
    manager_client, django_assert_num_queries, count
):
    make_inquiries(count)

    with django_assert_num_queries(dashboard_queries()):
        response = manager_client.get(DASHBOARD)

    assert response.status_code == 200


def test_dashboard_charts_need_no_style_attributes_or_scripts_of_their_own(manager_client):
    make_inquiries(20)

    html = manager_client.get(DASHBOARD).content.decode()
    main = html[html.index('<div id="content-main">') :]

    assert "style=" not in main
    assert "<script" not in main
    assert "<svg" in main
    assert main.count("<caption>") >= 9
    assert 'scope="col"' in main
