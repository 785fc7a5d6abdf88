"""The admissions dashboard's figures over a range of submission dates.

Every figure is aggregated in the database (one query each), so the dashboard makes the same
number of queries whether there are ten inquiries or ten thousand. Each figure that counts
inquiries says which ones (`query` strings the inquiry list's filters understand), so the
page links every number to a list of exactly those inquiries.
"""

import dataclasses
import datetime

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.http import urlencode

from inquiries import selectors, timings
from inquiries.languages import language_name
from inquiries.models import (
    FUNNEL,
    OPEN_STATUSES,
    ClosedReason,
    Inquiry,
    Status,
    funnel_stage,
)
from inquiries.timings import CLOCKS, duration_text
from inquiries.visit_funnel import visit_funnel

STAGES = FUNNEL
MAX_RANGE_DAYS = 731
EARLIEST_DATE = datetime.date(2000, 1, 1)
MAX_DAYS_AHEAD = 366
# What the dashboard's per-group figures leave out, as the inquiry list's status filter says.
PROSPECTS_QUERY = {"status": "not_spam"}


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclasses.dataclass(frozen=True)
class DateRange:
    """Submission dates from `first` to `last`, both included, in the college's time zone."""

    first: datetime.date
    last: datetime.date

    SEPARATOR = ".."

    @classmethod
    def default(cls, now: datetime.datetime | None = None) -> "DateRange":
        """The last twelve weeks from a Monday, up to today."""
        now = now or timezone.now()
        return cls(timezone.localdate(selectors.window_start(now)), timezone.localdate(now))

    @classmethod
    def parse(cls, value: str | None) -> "DateRange | None":
        """The range a query string names ("2026-09-07..2026-11-30"), or None."""
        first, separator, last = (value or "").partition(cls.SEPARATOR)
        try:
            found = cls(datetime.date.fromisoformat(first), datetime.date.fromisoformat(last))
        except ValueError:
            return None
        return found if separator and found.is_valid() else None

    def is_valid(self) -> bool:
        return (
            EARLIEST_DATE <= self.first <= self.last
            and (self.last - self.first).days < MAX_RANGE_DAYS
            and (self.last - timezone.localdate()).days <= MAX_DAYS_AHEAD
        )

    @property
    def start(self) -> datetime.datetime:
        return _midnight(self.first)

    @property
    def end(self) -> datetime.datetime:
        """The first moment after the range (midnight after its last day)."""
        return _midnight(self.last + datetime.timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def __str__(self) -> str:
        return f"{self.first.isoformat()}{self.SEPARATOR}{self.last.isoformat()}"

    def filter(self, queryset: QuerySet) -> QuerySet:
        return queryset.filter(submitted_at__gte=self.start, submitted_at__lt=self.end)


def reached(stage: str) -> Q:
    """Inquiries that reached `stage` of the funnel, now or before (a closed inquiry keeps
    the stages it went through: `Inquiry.stage_reached`)."""
    return Q() if stage == Status.NEW else Q(stage_reached__gte=funnel_stage(stage))


def prospects(queryset: QuerySet) -> QuerySet:
    """Everything but spam and submissions held as possible spam."""
    return queryset.exclude(status=Status.CLOSED, closed_reason=ClosedReason.SPAM).exclude(
        status=Status.HELD
    )


def list_query(date_range: DateRange, **params) -> str:
    """The inquiry list's query string for inquiries submitted in the range, and `params`."""
    return urlencode({"submitted_between": str(date_range), **params})


def _bars(rows: list[dict], key: str) -> list[dict]:
    """Give each row a bar width in percent of the largest value (whole numbers, 0-100)."""
    largest = max((row[key] for row in rows), default=0)
    for row in rows:
        row["width"] = round(100 * row[key] / largest) if largest else 0
    return rows


def _rate(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def funnel(queryset: QuerySet, date_range: DateRange) -> list[dict]:
    """Counts by current status, closed inquiries split by reason, in funnel order (one query)."""
    counts = {
        (row["status"], row["closed_reason"]): row["n"]
        for row in queryset.values("status", "closed_reason").annotate(n=Count("id")).order_by()
    }
    rows = [
        {"label": status.label, "status": status.value, "count": counts.get((status, ""), 0)}
        for status in Status
        if status != Status.CLOSED
    ]
    rows += [
        {
            "label": f"Closed: {reason.label.lower()}",
            "status": f"closed:{reason.value}",
            "count": counts.get((Status.CLOSED, reason), 0),
        }
        for reason in ClosedReason
    ]
    for row in rows:
        row["query"] = list_query(date_range, status=row["status"])
    return _bars(rows, "count")


def conversion(queryset: QuerySet, date_range: DateRange) -> list[dict]:
    """How many reached each stage, and of those who reached one how many reached the next
    (one query)."""
    counts = queryset.aggregate(
        **{stage.value: Count("id", filter=reached(stage)) for stage in STAGES}
    )
    stages = [
        {
            "label": stage.label,
            "count": counts[stage.value],
            "query": list_query(date_range, reached=stage.value, **PROSPECTS_QUERY),
        }
        for stage in STAGES
    ]
    for before, after in zip(stages, stages[1:], strict=False):
        after["of_before"] = _rate(after["count"], before["count"])
    return _bars(stages, "count")


def weekly_new(queryset: QuerySet, date_range: DateRange) -> list[dict]:
    """Inquiries submitted in each week (Monday to Sunday) the range touches, oldest first; the
    first and last weeks count only the range's own days (one query)."""
    per_week = {
        timezone.localtime(row["week"]).date(): row["n"]
        for row in queryset.annotate(week=TruncWeek("submitted_at"))
        .values("week")
        .annotate(n=Count("id"))
        .order_by()
    }
    monday = date_range.first - datetime.timedelta(days=date_range.first.weekday())
    rows = []
    while monday <= date_range.last:
        days = DateRange(
            max(monday, date_range.first), min(monday + datetime.timedelta(days=6), date_range.last)
        )
        rows.append(
            {
                "week": monday,
                "count": per_week.get(monday, 0),
                "query": list_query(days, **PROSPECTS_QUERY),
            }
        )
        monday += datetime.timedelta(weeks=1)
    return _bars(rows, "count")


def response_times(queryset: QuerySet, date_range: DateRange) -> list[dict]:
    """Time to first attempt and to first contact: how many, within the speed-to-lead target,
    median, 90th percentile (one query on PostgreSQL, two elsewhere)."""
    target = datetime.timedelta(minutes=settings.SPEED_TO_LEAD_MINUTES)
    counts = queryset.aggregate(
        **{
            f"{clock}_{name}": Count("id", filter=condition)
            for clock, field in CLOCKS.items()
            for name, condition in (
                ("count", Q(**{f"{field}__isnull": False})),
                ("within_target", Q(**{f"{field}__lte": F("submitted_at") + target})),
            )
        },
        **timings.extra_figures(queryset),
    )
    figures = timings.of_rows(queryset, None, [counts]).get(None, {})
    labels = {"attempt": "first attempt", "contact": "first contact"}
    rows = []
    for clock, label in labels.items():
        times = figures.get(clock, {"median": None, "p90": None})
        rows.append(
            {
                "clock": clock,
                "label": label,
                "count": counts[f"{clock}_count"],
                "within_target": counts[f"{clock}_within_target"],
                "median": times["median"],
                "p90": times["p90"],
                "median_text": duration_text(times["median"]),
                "p90_text": duration_text(times["p90"]),
                "query": list_query(date_range, contact=_CONTACT_FILTER[clock], **PROSPECTS_QUERY),
            }
        )
    return rows


# The inquiry list's "first contact" filter values for each clock's inquiries.
_CONTACT_FILTER = {"attempt": "attempted", "contact": "contacted"}


# The groupings the dashboard breaks figures down by: the field grouped on, the fields that
# name a group, and the inquiry list's filter (parameter, value for "none") for one group.
GROUPINGS = {
    "program": ("program", ["program__name"], ("program", "none")),
    "source": ("source_page", [], ("source", "")),
    "owner": (
        "owner",
        ["owner__first_name", "owner__last_name", "owner__username", "owner__is_active"],
        ("owner", "unassigned"),
    ),
}


def _group_label(grouping: str, row: dict) -> str:
    if grouping == "program":
        return row["program__name"] or "No program chosen"
    if grouping == "source":
        return row["source_page"] or "Unknown page"
    if row["owner"] is None:
        return "Unassigned"
    name = f"{row['owner__first_name']} {row['owner__last_name']}".strip()
    name = name or row["owner__username"]
    return name if row["owner__is_active"] else f"{name} (deactivated)"


def breakdown(
    queryset: QuerySet, grouping: str, date_range: DateRange, *, limit: int | None = None
) -> list[dict]:
    """Per program, source page or owner: inquiries, first attempts and contacts made (with
    median times), applications and enrolments, busiest first (one query; two off PostgreSQL)."""
    key, name_fields, (parameter, none_value) = GROUPINGS[grouping]
    figures = (
        queryset.values(key, *name_fields)
        .annotate(
            inquiries=Count("id"),
            attempted=Count("id", filter=Q(first_attempted_at__isnull=False)),
            contacted=Count("id", filter=Q(first_contacted_at__isnull=False)),
            applied=Count("id", filter=reached(Status.APPLIED)),
            enrolled=Count("id", filter=reached(Status.ENROLLED)),
            **timings.extra_figures(queryset),
        )
        .order_by("-inquiries", *name_fields, key)
    )
    rows = list(figures[:limit] if limit else figures)
    times = timings.of_rows(queryset, key, rows)
    for row in rows:
        value = row[key]
        group = {parameter: none_value if value in (None, "") else value}
        clock = times.get(value, {})
        row.update(
            label=_group_label(grouping, row),
            attempt_median=duration_text(clock.get("attempt", {}).get("median")),
            contact_median=duration_text(clock.get("contact", {}).get("median")),
            enrolled_rate=_rate(row["enrolled"], row["inquiries"]),
            queries={
                "inquiries": list_query(date_range, **group, **PROSPECTS_QUERY),
                "attempted": list_query(
                    date_range, **group, contact="attempted", **PROSPECTS_QUERY
                ),
                "contacted": list_query(
                    date_range, **group, contact="contacted", **PROSPECTS_QUERY
                ),
                "applied": list_query(date_range, **group, reached="applied", **PROSPECTS_QUERY),
                "enrolled": list_query(date_range, **group, reached="enrolled", **PROSPECTS_QUERY),
            },
        )
    # NULLs (no program, unassigned) sort first or last depending on the database.
    rows.sort(key=lambda row: (-row["inquiries"], row["label"].lower()))
    return _bars(rows, "inquiries")


def by_language(queryset: QuerySet, date_range: DateRange) -> list[dict]:
    """Inquiries per language of the form they were sent from: how many, contacted, applied
    and enrolled, each linked to the list (one query)."""
    rows = list(
        queryset.order_by()
        .values("language")
        .annotate(
            inquiries=Count("id"),
            contacted=Count("id", filter=Q(first_contacted_at__isnull=False)),
            applied=Count("id", filter=reached(Status.APPLIED)),
            enrolled=Count("id", filter=reached(Status.ENROLLED)),
        )
    )
    for row in rows:
        group = {"language": row["language"], **PROSPECTS_QUERY}
        row.update(
            label=language_name(row["language"]),
            queries={
                "inquiries": list_query(date_range, **group),
                "contacted": list_query(date_range, **group, contact="contacted"),
                "applied": list_query(date_range, **group, reached="applied"),
                "enrolled": list_query(date_range, **group, reached="enrolled"),
            },
        )
    rows.sort(key=lambda row: (-row["inquiries"], row["label"]))
    return _bars(rows, "inquiries")


def right_now(now: datetime.datetime, date_range: DateRange) -> dict:
    """The desk's state at this moment, whatever the range, and the spam held in the range
    (two queries: the open and held inquiries from one index alone, those held in the range
    from another)."""
    in_range = Q(held_at__gte=date_range.start, held_at__lt=date_range.end)
    held = Inquiry.objects.filter(in_range).aggregate(
        held_in_window=Count("id"),
        released_in_window=Count("id", filter=Q(released_at__isnull=False)),
    )
    return held | Inquiry.objects.filter(status__in=[*OPEN_STATUSES, Status.HELD]).aggregate(
        held=Count("id", filter=Q(status=Status.HELD)),
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, next_follow_up_at__lt=now)),
        waiting=Count(
            "id", filter=Q(status=Status.NEW, submitted_at__lt=selectors.speed_to_lead_cutoff(now))
        ),
        unassigned=Count("id", filter=Q(status__in=OPEN_STATUSES, owner__isnull=True)),
    )


DASHBOARD_LIST_LIMIT = 25
SOURCE_PAGE_LIMIT = 15


def dashboard(*, date_range: DateRange | None = None, now: datetime.datetime | None = None) -> dict:
    """Everything the admissions dashboard shows, in a fixed number of queries (thirteen on
    PostgreSQL, which computes the median times with the counts; seventeen elsewhere)."""
    now = now or timezone.now()
    date_range = date_range or DateRange.default(now)
    window = date_range.filter(Inquiry.objects.all())
    asked = prospects(window)
    return {
        "date_range": date_range,
        "is_default_range": date_range == DateRange.default(now),
        "speed_to_lead_minutes": settings.SPEED_TO_LEAD_MINUTES,
        "current": right_now(now, date_range),
        "funnel": funnel(window, date_range),
        "conversion": conversion(asked, date_range),
        "weekly": weekly_new(asked, date_range),
        "response_times": response_times(asked, date_range),
        "programs": breakdown(asked, "program", date_range),
        "sources": breakdown(asked, "source", date_range, limit=SOURCE_PAGE_LIMIT),
        "representatives": breakdown(asked, "owner", date_range),
        "languages": by_language(asked, date_range),
        "visit_funnel": visit_funnel(asked, reached=reached),
        "overdue": _listed(selectors.overdue_follow_ups(now=now)),
        "waiting": _listed(selectors.waiting_past_speed_to_lead(now=now)),
    }


# What the dashboard's lists of inquiries show (admin/inquiries/includes/inquiry_table.html):
# not every column of the inquiry and its program (whose texts in both languages are most of
# a row), twenty-five times over.
LISTED_FIELDS = [
    "first_name",
    "last_name",
    "next_follow_up_at",
    "submitted_at",
    *(f"program__{name}" for name in ("name", "name_en", "name_es")),
    *(f"owner__{name}" for name in ("first_name", "last_name", "username")),
]


def _listed(inquiries: QuerySet) -> list[Inquiry]:
    return list(
        inquiries.select_related("owner", "program").only(*LISTED_FIELDS)[:DASHBOARD_LIST_LIMIT]
    )
