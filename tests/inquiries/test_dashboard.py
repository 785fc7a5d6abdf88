"""The admissions dashboard's figures (inquiries.reports and inquiries.timings)."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inquiries import reports, selectors, timings
from inquiries.models import ClosedReason, Inquiry, Status
from inquiries.services import workflow
from tests.factories import InquiryFactory, ProgramFactory
from tests.inquiries.staff import inquiry_submitted, representative

pytestmark = pytest.mark.django_db


def reached_after(minutes_to_attempt=None, minutes_to_contact=None, **kwargs):
    """An inquiry submitted two days ago, first attempted and contacted after these minutes."""
    inquiry = inquiry_submitted(datetime.timedelta(days=2), **kwargs)
    stamps = {}
    if minutes_to_attempt is not None:
        stamps["first_attempted_at"] = inquiry.submitted_at + datetime.timedelta(
            minutes=minutes_to_attempt
        )
    if minutes_to_contact is not None:
        stamps["first_contacted_at"] = inquiry.submitted_at + datetime.timedelta(
            minutes=minutes_to_contact
        )
    Inquiry.objects.filter(pk=inquiry.pk).update(**stamps)
    return inquiry


def everything():
    return reports.DateRange(datetime.date(2000, 1, 1), timezone.localdate())


# --- The range ---------------------------------------------------------------------------------


def test_the_default_range_is_twelve_weeks_from_a_monday_to_today():
    now = timezone.now()
    default = reports.DateRange.default(now)

    assert default.first.weekday() == 0
    assert default.last == timezone.localdate(now)
    assert 77 <= default.days <= 84


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "2026-09-07",
        "2026-09-07..",
        "2026-13-01..2026-12-01",
        "2026-12-01..2026-09-07",  # the end before the start
        "1999-12-31..2000-01-05",  # before the earliest date
        "2000-01-01..2026-12-01",  # longer than two years
        "9999-12-31..9999-12-31",
    ],
)
def test_a_range_that_names_no_valid_dates_is_none(value):
    assert reports.DateRange.parse(value) is None


def test_a_range_includes_both_its_days_in_local_time():
    day = datetime.date(2026, 11, 2)
    date_range = reports.DateRange.parse("2026-11-02..2026-11-02")
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))
    inside = InquiryFactory()
    Inquiry.objects.filter(pk=inside.pk).update(submitted_at=at)
    after = InquiryFactory()
    Inquiry.objects.filter(pk=after.pk).update(submitted_at=at + datetime.timedelta(minutes=1))

    assert list(date_range.filter(Inquiry.objects.all())) == [inside]


# --- Status, conversion, weeks ------------------------------------------------------------------


def test_status_counts_each_stage_and_each_closed_reason():
    InquiryFactory.create_batch(2)
    InquiryFactory(status=Status.ENROLLED)
    InquiryFactory(status=Status.CLOSED, closed_reason=ClosedReason.SPAM)

    rows = reports.funnel(Inquiry.objects.all(), everything())
    counts = {row["label"]: row["count"] for row in rows}

    assert counts["New"] == 2
    assert counts["Enrolled"] == 1
    assert counts["Closed: spam"] == 1
    assert counts["Applied"] == 0
    assert list(counts)[:5] == ["New", "Contacted", "Appointment scheduled", "Applied", "Enrolled"]
    widths = {row["label"]: row["width"] for row in rows}
    assert (widths["New"], widths["Enrolled"], widths["Applied"]) == (100, 50, 0)


def test_conversion_counts_the_stages_each_inquiry_reached_now_or_on_its_timeline():
    rep = representative()
    InquiryFactory.create_batch(4)  # still new
    InquiryFactory(status=Status.APPLIED)  # reached contacted, appointment and applied
    gone = InquiryFactory()
    for status in (Status.CONTACTED, Status.APPOINTMENT):
        workflow.change_status(inquiry=gone, status=status, by=rep)
    workflow.change_status(
        inquiry=gone, status=Status.CLOSED, closed_reason=ClosedReason.NOT_INTERESTED, by=rep
    )
    never = InquiryFactory()  # closed without ever being reached
    workflow.change_status(
        inquiry=never, status=Status.CLOSED, closed_reason=ClosedReason.UNREACHABLE, by=rep
    )

    stages = reports.conversion(Inquiry.objects.all(), everything())

    assert [(row["label"], row["count"]) for row in stages] == [
        ("New", 7),
        ("Contacted", 2),
        ("Appointment scheduled", 2),
        ("Applied", 1),
        ("Enrolled", 0),
    ]
    assert [row.get("of_before") for row in stages] == [None, "29%", "100%", "50%", "0%"]


def test_weekly_counts_cover_each_week_the_range_touches_and_only_its_days():
    tuesday = timezone.localdate() - datetime.timedelta(weeks=3)
    tuesday -= datetime.timedelta(days=tuesday.weekday() - 1)
    date_range = reports.DateRange(tuesday, tuesday + datetime.timedelta(days=8))
    for day in (
        tuesday - datetime.timedelta(days=1),
        tuesday,
        tuesday,
        tuesday + datetime.timedelta(days=7),
    ):
        inquiry = InquiryFactory()
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        Inquiry.objects.filter(pk=inquiry.pk).update(submitted_at=at)

    rows = reports.weekly_new(date_range.filter(Inquiry.objects.all()), date_range)

    assert [(row["week"].weekday(), row["count"]) for row in rows] == [(0, 2), (0, 1)]
    assert rows[0]["week"] == tuesday - datetime.timedelta(days=1)


def test_spam_counts_in_the_status_counts_but_nowhere_else():
    InquiryFactory(status=Status.CLOSED, closed_reason=ClosedReason.SPAM, source_page="/x/")
    InquiryFactory(status=Status.HELD, source_page="/x/")

    figures = reports.dashboard()

    assert sum(row["count"] for row in figures["funnel"]) == 2
    assert sum(row["count"] for row in figures["weekly"]) == 0
    assert figures["conversion"][0]["count"] == 0
    assert figures["programs"] == figures["sources"] == figures["representatives"] == []


# --- Per program, source page and representative -------------------------------------------------


def test_per_program_inquiries_contacts_and_conversions():
    nursing, welding = ProgramFactory(name="Nursing"), ProgramFactory(name="Welding")
    InquiryFactory.create_batch(2, program=nursing, status=Status.ENROLLED)
    reached_after(10, 30, program=nursing, status=Status.CONTACTED)
    InquiryFactory(program=welding)
    InquiryFactory(program=None)

    rows = reports.breakdown(Inquiry.objects.all(), "program", everything())

    assert [(r["label"], r["inquiries"], r["contacted"], r["enrolled"]) for r in rows] == [
        ("Nursing", 3, 1, 2),
        ("No program chosen", 1, 0, 0),
        ("Welding", 1, 0, 0),
    ]
    assert rows[0]["enrolled_rate"] == "67%"
    assert (rows[0]["attempt_median"], rows[0]["contact_median"]) == ("10 min", "30 min")
    assert "program=none" in rows[1]["queries"]["inquiries"]


def test_per_source_page_busiest_first():
    InquiryFactory.create_batch(2, source_page="/compare/medical-assistant-vs-phlebotomist/")
    InquiryFactory(source_page="/careers/phlebotomist/", status=Status.ENROLLED)

    rows = reports.breakdown(Inquiry.objects.all(), "source", everything())

    assert [(r["label"], r["inquiries"], r["enrolled"]) for r in rows] == [
        ("/compare/medical-assistant-vs-phlebotomist/", 2, 0),
        ("/careers/phlebotomist/", 1, 1),
    ]


def test_per_representative_contacts_made_times_and_conversions():
    ana = representative(first_name="Ana", last_name="Ruiz")
    ben = representative(first_name="Ben", last_name="Cole", is_active=False)
    reached_after(5, 20, owner=ana, status=Status.CONTACTED)
    reached_after(15, None, owner=ana)  # a voicemail: attempted, no two-way contact yet
    reached_after(25, 60, owner=ana, status=Status.APPLIED)
    InquiryFactory(owner=ana)
    reached_after(90, 120, owner=ben, status=Status.ENROLLED)
    InquiryFactory(owner=None)

    rows = {r["label"]: r for r in reports.breakdown(Inquiry.objects.all(), "owner", everything())}

    ana_row = rows["Ana Ruiz"]
    assert (ana_row["inquiries"], ana_row["attempted"], ana_row["contacted"]) == (4, 3, 2)
    assert (ana_row["applied"], ana_row["enrolled"]) == (1, 0)
    assert (ana_row["attempt_median"], ana_row["contact_median"]) == ("15 min", "40 min")
    assert f"owner={ana.pk}" in ana_row["queries"]["contacted"]
    ben_row = rows["Ben Cole (deactivated)"]
    assert (ben_row["contacted"], ben_row["applied"], ben_row["enrolled"]) == (1, 1, 1)
    assert ben_row["enrolled_rate"] == "100%"
    assert rows["Unassigned"]["inquiries"] == 1
    assert "owner=unassigned" in rows["Unassigned"]["queries"]["inquiries"]


# --- Time to first attempt and to first contact -------------------------------------------------


def test_time_to_first_attempt_and_to_first_contact_are_separate():
    for attempt, contact in [(5, 10), (10, 20), (15, None), (20, 40), (25, 50), (30, None)]:
        reached_after(attempt, contact)
    InquiryFactory()  # nobody tried yet: no part of either figure

    attempt, contact = reports.response_times(Inquiry.objects.all(), everything())

    assert (attempt["count"], attempt["median"]) == (6, datetime.timedelta(minutes=17.5))
    assert attempt["p90"] == datetime.timedelta(minutes=27.5)
    assert (contact["count"], contact["median"]) == (4, datetime.timedelta(minutes=30))
    assert contact["p90_text"] == "47 min"
    assert "contact=attempted" in attempt["query"]
    assert "contact=contacted" in contact["query"]


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
    """Contacts after the known durations, attempts after half of them."""
    now = timezone.now()
    for n, duration in enumerate(KNOWN_DURATIONS):
        submitted = now - datetime.timedelta(days=3, hours=n)
        inquiry = InquiryFactory(status=Status.CONTACTED, owner=representative())
        Inquiry.objects.filter(pk=inquiry.pk).update(
            submitted_at=submitted,
            first_attempted_at=submitted + duration / 2,
            first_contacted_at=submitted + duration,
        )
    InquiryFactory()  # never contacted: no part of the figures
    return Inquiry.objects.all()


def test_the_python_computation_interpolates_known_durations(known_durations):
    figures = timings._timings_in_python(known_durations, None)

    assert figures[None]["contact"] == {"median": KNOWN_MEDIAN, "p90": KNOWN_P90}
    assert figures[None]["attempt"] == {"median": KNOWN_MEDIAN / 2, "p90": KNOWN_P90 / 2}


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="percentile_cont runs on PostgreSQL only; set DATABASE_URL to a PostgreSQL database "
    "to compare it with the Python computation that other databases use",
)


@needs_postgresql
@pytest.mark.parametrize("key", [None, "owner"])
def test_postgresql_percentile_cont_agrees_with_the_python_computation(known_durations, key):
    in_database = timings._timings_in_database(known_durations.order_by(), key)
    in_python = timings._timings_in_python(known_durations.order_by(), key)

    assert in_database == in_python


@needs_postgresql
def test_on_postgresql_the_percentiles_are_computed_in_one_aggregate_query(known_durations):
    with CaptureQueriesContext(connection) as queries:
        figures = timings.timings(known_durations)

    assert len(queries) == 1
    assert "percentile_cont(0.5) WITHIN GROUP" in queries[0]["sql"]
    assert "percentile_cont(0.9) WITHIN GROUP" in queries[0]["sql"]
    assert figures[None]["contact"] == {"median": KNOWN_MEDIAN, "p90": KNOWN_P90}


def test_percentiles_are_fractions_between_0_and_1():
    with pytest.raises(ValueError):
        timings.PercentileCont("first_contacted_at", 90)


def test_times_without_data_say_so():
    attempt, contact = reports.response_times(Inquiry.objects.all(), everything())

    assert (attempt["median"], attempt["median_text"]) == (None, "no data")
    assert (contact["p90"], contact["p90_text"]) == (None, "no data")


def test_waiting_past_speed_to_lead_follows_the_setting(settings):
    inquiry_submitted(datetime.timedelta(minutes=40))
    settings.SPEED_TO_LEAD_MINUTES = 60
    assert reports.dashboard()["current"]["waiting"] == 0

    settings.SPEED_TO_LEAD_MINUTES = 30
    assert reports.dashboard()["current"]["waiting"] == 1


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(0, "0 min"), (59, "59 min"), (60, "1 h"), (47 * 60 + 59, "47 h"), (48 * 60, "2 d")],
)
def test_short_duration(minutes, text):
    assert selectors.short_duration(datetime.timedelta(minutes=minutes)) == text


@pytest.mark.parametrize("key", [None, "owner"])
def test_percentiles_read_from_the_counts_rows_are_those_computed_on_their_own(
    known_durations, key
):
    queryset = known_durations.order_by()
    figures = {"n": Count("id"), **timings.extra_figures(queryset)}
    rows = (
        [queryset.aggregate(**figures)]
        if key is None
        else list(queryset.values(key).annotate(**figures))
    )

    assert timings.of_rows(queryset, key, rows) == timings._timings_in_python(queryset, key)


@needs_postgresql
def test_on_postgresql_the_dashboard_s_breakdowns_carry_their_percentiles(known_durations):
    date_range = reports.DateRange.default()
    with CaptureQueriesContext(connection) as queries:
        rows = reports.breakdown(known_durations, "owner", date_range)

    assert len(queries) == 1
    assert "percentile_cont(0.5) WITHIN GROUP" in queries[0]["sql"]
    expected = timings._timings_in_python(known_durations.order_by(), "owner")
    assert len(rows) == len(expected) + 1  # and the one nobody has contacted
    for row in rows:
        times = expected.get(row["owner"], {}).get("contact", {})
        assert row["contact_median"] == timings.duration_text(times.get("median"))
