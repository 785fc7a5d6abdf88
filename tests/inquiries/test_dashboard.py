"""The admissions dashboard: its figures (inquiries.selectors) and its admin page."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inquiries import selectors
from inquiries.models import ClosedReason, Inquiry, Status
from tests.factories import CampusFactory, InquiryFactory, ProgramFactory
from tests.inquiries.staff import inquiry_submitted, manager, representative

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("admin:inquiries_inquiry_dashboard")


def contacted_after(minutes, **kwargs):
    inquiry = inquiry_submitted(datetime.timedelta(days=2), status=Status.CONTACTED, **kwargs)
    inquiry.first_contacted_at = inquiry.submitted_at + datetime.timedelta(minutes=minutes)
    Inquiry.objects.filter(pk=inquiry.pk).update(first_contacted_at=inquiry.first_contacted_at)
    return inquiry


# --- Figures -----------------------------------------------------------------------------------


def test_funnel_counts_each_stage_and_each_closed_reason():
    InquiryFactory.create_batch(2)
    InquiryFactory(status=Status.ENROLLED)
    InquiryFactory(status=Status.CLOSED, closed_reason=ClosedReason.SPAM)

    counts = {row["label"]: row["count"] for row in selectors.funnel(Inquiry.objects.all())}

    assert counts["New"] == 2
    assert counts["Enrolled"] == 1
    assert counts["Closed: spam"] == 1
    assert counts["Applied"] == 0
    assert list(counts)[:5] == ["New", "Contacted", "Appointment scheduled", "Applied", "Enrolled"]


def test_bars_are_sized_against_the_largest_count():
    InquiryFactory.create_batch(4)
    InquiryFactory(status=Status.CONTACTED)

    widths = {row["label"]: row["width"] for row in selectors.funnel(Inquiry.objects.all())}

    assert (widths["New"], widths["Contacted"], widths["Applied"]) == (100, 25, 0)


def test_weekly_counts_put_each_inquiry_in_its_week_and_cover_twelve_weeks():
    now = timezone.now()
    inquiry_submitted(datetime.timedelta(weeks=3))
    inquiry_submitted(datetime.timedelta(weeks=3))
    inquiry_submitted(datetime.timedelta(weeks=30))

    rows = selectors.weekly_new(Inquiry.objects.all(), now=now, weeks=12)

    assert len(rows) == 12
    assert sum(row["count"] for row in rows) == 2
    three_weeks_ago = timezone.localdate(now - datetime.timedelta(weeks=3))
    [busy] = [row for row in rows if row["count"]]
    assert busy["week"] <= three_weeks_ago < busy["week"] + datetime.timedelta(days=7)
    assert all(row["week"].weekday() == 0 for row in rows)


def test_inquiries_and_enrolments_by_program():
    nursing, welding = ProgramFactory(name="Nursing"), ProgramFactory(name="Welding")
    InquiryFactory.create_batch(2, program=nursing, status=Status.ENROLLED)
    InquiryFactory(program=nursing)
    InquiryFactory(program=welding)

    rows = selectors.by_program(Inquiry.objects.all())

    assert [(r["label"], r["inquiries"], r["enrolled"]) for r in rows] == [
        ("Nursing", 3, 2),
        ("Welding", 1, 0),
    ]


def test_inquiries_by_source_page_busiest_first():
    InquiryFactory.create_batch(2, source_page="/compare/medical-assistant-vs-phlebotomist/")
    InquiryFactory(source_page="/careers/phlebotomist/", status=Status.ENROLLED)

    rows = selectors.by_source_page(Inquiry.objects.all())

    assert [(r["label"], r["inquiries"], r["enrolled"]) for r in rows] == [
        ("/compare/medical-assistant-vs-phlebotomist/", 2, 0),
        ("/careers/phlebotomist/", 1, 1),
    ]


def test_median_and_90th_percentile_time_to_first_contact():
    for minutes in [10, 20, 30, 40, 50]:
        contacted_after(minutes)
    InquiryFactory()  # not contacted yet: not part of the figure

    figure = selectors.time_to_first_contact(Inquiry.objects.all())

    assert figure["count"] == 5
    assert figure["median"] == datetime.timedelta(minutes=30)
    assert figure["p90"] == datetime.timedelta(minutes=46)
    assert (figure["median_text"], figure["p90_text"]) == ("30 min", "46 min")


# Known durations, in no particular order and not on whole minutes: median 17 min 30.25 s
# (halfway between the 4th and 5th of 8), 90th percentile 2 h 30 min 45.3 s (30% of the way
# from the 7th to the 8th: position 0.9 × 7 = 6.3, as percentile_cont interpolates).
KNOWN_DURATIONS = [
    datetime.timedelta(minutes=45),
    datetime.timedelta(minutes=5, seconds=0.5),
    datetime.timedelta(hours=2),
    datetime.timedelta(minutes=15),
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=20, seconds=0.5),
    datetime.timedelta(hours=3, minutes=42, seconds=31),
    datetime.timedelta(minutes=10),
]
KNOWN_MEDIAN = datetime.timedelta(minutes=17, seconds=30.25)
KNOWN_P90 = datetime.timedelta(hours=2, minutes=30, seconds=45.3)


@pytest.fixture
def known_durations():
    now = timezone.now()
    for n, duration in enumerate(KNOWN_DURATIONS):
        submitted = now - datetime.timedelta(days=3, hours=n)
        inquiry = InquiryFactory(status=Status.CONTACTED)
        Inquiry.objects.filter(pk=inquiry.pk).update(
            submitted_at=submitted, first_contacted_at=submitted + duration
        )
    InquiryFactory()  # never contacted: no part of the figures
    return Inquiry.objects.all()


def test_the_python_computation_interpolates_known_durations(known_durations):
    figures = selectors._first_contact_in_python(
        known_durations.filter(first_contacted_at__isnull=False), datetime.timedelta(minutes=15)
    )

    assert figures == {
        "count": 8,
        "median": KNOWN_MEDIAN,
        "p90": KNOWN_P90,
        "within_target": 4,
    }


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="percentile_cont runs on PostgreSQL only; set DATABASE_URL to a PostgreSQL database "
    "to compare it with the Python computation that other databases use",
)
def test_postgresql_percentile_cont_agrees_with_the_python_computation(known_durations):
    contacted = known_durations.filter(first_contacted_at__isnull=False)
    target = datetime.timedelta(minutes=15)

    in_database = selectors._first_contact_in_database(contacted, target)
    in_python = selectors._first_contact_in_python(contacted, target)

    assert in_database == in_python
    assert (in_database["median"], in_database["p90"]) == (KNOWN_MEDIAN, KNOWN_P90)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="percentile_cont runs on PostgreSQL only; other databases use the Python computation",
)
def test_on_postgresql_the_percentiles_are_computed_in_one_aggregate_query(known_durations):
    with CaptureQueriesContext(connection) as queries:
        figure = selectors.time_to_first_contact(known_durations)

    assert len(queries) == 1
    assert "percentile_cont(0.5) WITHIN GROUP" in queries[0]["sql"]
    assert "percentile_cont(0.9) WITHIN GROUP" in queries[0]["sql"]
    assert (figure["count"], figure["median"], figure["p90"]) == (8, KNOWN_MEDIAN, KNOWN_P90)


def test_percentiles_are_fractions_between_0_and_1():
    with pytest.raises(ValueError):
        selectors.PercentileCont("first_contacted_at", 90)


def test_time_to_first_contact_without_data_says_so():
    figure = selectors.time_to_first_contact(Inquiry.objects.all())

    assert (figure["median"], figure["median_text"]) == (None, "no data")


def test_waiting_past_speed_to_lead_follows_the_setting(settings):
    inquiry_submitted(datetime.timedelta(minutes=40))
    settings.SPEED_TO_LEAD_MINUTES = 60
    assert selectors.dashboard()["current"]["waiting"] == 0

    settings.SPEED_TO_LEAD_MINUTES = 30
    assert selectors.dashboard()["current"]["waiting"] == 1


def test_spam_counts_in_the_funnel_but_not_in_weekly_program_or_source_figures():
    InquiryFactory(status=Status.CLOSED, closed_reason=ClosedReason.SPAM, source_page="/x/")

    figures = selectors.dashboard()

    assert sum(row["count"] for row in figures["funnel"]) == 1
    assert sum(row["count"] for row in figures["weekly"]) == 0
    assert figures["programs"] == []
    assert figures["sources"] == []


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(0, "0 min"), (59, "59 min"), (60, "1 h"), (47 * 60 + 59, "47 h"), (48 * 60, "2 d")],
)
def test_short_duration(minutes, text):
    assert selectors.short_duration(datetime.timedelta(minutes=minutes)) == text


# --- The page ----------------------------------------------------------------------------------


@pytest.fixture
def manager_client(client):
    client.force_login(manager())
    return client


def make_inquiries(count):
    """A spread of inquiries over programs, campuses, statuses, owners and source pages."""
    programs = ProgramFactory.create_batch(3)
    campuses = CampusFactory.create_batch(2)
    reps = [representative(), representative()]
    statuses = [Status.NEW, Status.CONTACTED, Status.APPOINTMENT, Status.APPLIED, Status.ENROLLED]
    now = timezone.now()
    for n in range(count):
        closed = n % 7 == 0
        inquiry = InquiryFactory(
            program=programs[n % 3],
            campus=campuses[n % 2],
            owner=reps[n % 2],
            status=Status.CLOSED if closed else statuses[n % 5],
            closed_reason=ClosedReason.UNREACHABLE if closed else "",
            source_page=f"/careers/career-{n % 4}/",
            next_follow_up_at=now - datetime.timedelta(hours=n % 5 - 2),
            first_contacted_at=None if n % 5 == 0 else now - datetime.timedelta(hours=n % 9),
        )
        Inquiry.objects.filter(pk=inquiry.pk).update(
            submitted_at=now - datetime.timedelta(days=n % 80, hours=10)
        )


# Session, user, the user's and group permissions, then eight for the figures.
DASHBOARD_QUERIES = 12


@pytest.mark.parametrize("count", [10, 200])
def test_dashboard_query_count_does_not_grow_with_inquiries(
    manager_client, django_assert_num_queries, count
):
    make_inquiries(count)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = manager_client.get(DASHBOARD)

    assert response.status_code == 200


def test_dashboard_shows_the_figures_with_their_numbers(manager_client):
    make_inquiries(30)

    response = manager_client.get(DASHBOARD)
    html = response.content.decode()

    assert "<h1>Admissions dashboard</h1>" in html
    for heading in ["Funnel", "New inquiries per week", "By program", "By source page"]:
        assert f">{heading}</h2>" in html
    assert "Time to first contact" in html
    assert "90th percentile" in html
    enrolled = next(row for row in response.context["funnel"] if row["label"] == "Enrolled")
    assert re.search(rf"Enrolled</a></th>\s*<td>{enrolled['count']}</td>", html)


def test_each_linked_figure_opens_a_list_of_that_many_inquiries(manager_client):
    make_inquiries(60)  # submitted over the last 80 days: some before the dashboard's weeks
    for weeks_ago in (13, 20):
        inquiry_submitted(datetime.timedelta(weeks=weeks_ago), source_page="/careers/career-1/")
    for _ in range(2):
        inquiry_submitted(
            datetime.timedelta(days=3),
            status=Status.CLOSED,
            closed_reason=ClosedReason.SPAM,
            source_page="/careers/career-1/",
        )

    html = manager_client.get(DASHBOARD).content.decode()

    changelist = reverse("admin:inquiries_inquiry_changelist")
    linked = re.findall(
        rf'<a href="({re.escape(changelist)}\?[^"]+)">([^<]+)</a></th>\s*<td>(\d+)</td>', html
    )
    assert len(linked) > 12  # current state, funnel and source pages
    for url, label, count in linked:
        response = manager_client.get(url.replace("&amp;", "&"))
        assert response.context["cl"].result_count == int(count), (label, url)


def test_dashboard_links_overdue_follow_ups_to_their_inquiries(manager_client):
    overdue = InquiryFactory(
        status=Status.CONTACTED,
        first_name="Late",
        next_follow_up_at=timezone.now() - datetime.timedelta(hours=3),
    )

    html = manager_client.get(DASHBOARD).content.decode()

    change = reverse("admin:inquiries_inquiry_change", args=[overdue.pk])
    assert f'<a href="{change}">Late Prospect</a>' in html


def test_dashboard_charts_need_no_style_attributes_or_scripts_of_their_own(manager_client):
    make_inquiries(20)

    html = manager_client.get(DASHBOARD).content.decode()
    main = html[html.index('<div id="content-main">') :]

    assert "style=" not in main
    assert "<script" not in main
    assert "<svg" in main
    assert main.count("<caption>") >= 6
    assert 'scope="col"' in main


def test_admin_home_links_to_the_dashboard_for_a_manager(manager_client):
    html = manager_client.get(reverse("admin:index")).content.decode()

    assert f'<a href="{DASHBOARD}">Admissions dashboard</a>' in html


def test_inquiry_list_links_to_the_dashboard_for_a_manager(manager_client):
    html = manager_client.get(reverse("admin:inquiries_inquiry_changelist")).content.decode()

    assert DASHBOARD in html
