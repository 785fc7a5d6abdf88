"""Read helpers for the admissions admin: staff queues and the dashboard's figures.

Every figure is aggregated in the database, so the dashboard makes the same number of
queries whether there are ten inquiries or ten thousand.
"""

import datetime
import math

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import NotSupportedError, connections
from django.db.models import Aggregate, Count, F, FloatField, Q, QuerySet
from django.db.models.functions import Extract, TruncWeek
from django.utils import timezone

from inquiries.models import OPEN_STATUSES, ClosedReason, Inquiry, Status

DASHBOARD_WEEKS = 12
DASHBOARD_LIST_LIMIT = 25


def speed_to_lead_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """New inquiries submitted before this moment have waited too long for a first contact."""
    return (now or timezone.now()) - datetime.timedelta(minutes=settings.SPEED_TO_LEAD_MINUTES)


def is_past_speed_to_lead(inquiry: Inquiry, now: datetime.datetime | None = None) -> bool:
    return inquiry.status == Status.NEW and inquiry.submitted_at < speed_to_lead_cutoff(now)


def is_follow_up_overdue(inquiry: Inquiry, now: datetime.datetime | None = None) -> bool:
    return (
        inquiry.is_open
        and inquiry.next_follow_up_at is not None
        and inquiry.next_follow_up_at < (now or timezone.now())
    )


def overdue_follow_ups(queryset: QuerySet | None = None, *, now=None) -> QuerySet:
    queryset = Inquiry.objects.all() if queryset is None else queryset
    return queryset.filter(
        status__in=OPEN_STATUSES, next_follow_up_at__lt=now or timezone.now()
    ).order_by("next_follow_up_at")


def waiting_past_speed_to_lead(queryset: QuerySet | None = None, *, now=None) -> QuerySet:
    queryset = Inquiry.objects.all() if queryset is None else queryset
    return queryset.filter(status=Status.NEW, submitted_at__lt=speed_to_lead_cutoff(now)).order_by(
        "submitted_at"
    )


def assignable_staff() -> QuerySet:
    """Active staff who may work inquiries: the people an inquiry can be given to."""
    User = get_user_model()
    can_work = (
        Q(is_superuser=True)
        | Q(groups__permissions__codename="change_inquiry")
        | Q(user_permissions__codename="change_inquiry")
    )
    ids = User.objects.filter(can_work, is_active=True, is_staff=True).values("pk")
    return User.objects.filter(pk__in=ids).order_by("first_name", "last_name", "username")


def staff_name(user) -> str:
    """How staff are named in lists, menus and the timeline ("" for nobody)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def short_duration(delta: datetime.timedelta) -> str:
    """A compact, rounded-down duration for lists: "12 min", "3 h", "2 d"."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} d"


def _percentile(ordered: list, fraction: float):
    """Linear interpolation between closest ranks, as PostgreSQL's percentile_cont does."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _bars(rows: list[dict], key: str) -> list[dict]:
    """Give each row a bar width in percent of the largest value (whole numbers, 0-100)."""
    largest = max((row[key] for row in rows), default=0)
    for row in rows:
        row["width"] = round(100 * row[key] / largest) if largest else 0
    return rows


def window_start(now: datetime.datetime, weeks: int = DASHBOARD_WEEKS) -> datetime.datetime:
    """Midnight on the Monday that starts the oldest of the last `weeks` weeks (local time):
    where the dashboard's figures, and the inquiry list's "past 12 weeks", begin."""
    today = timezone.localdate(now)
    monday = today - datetime.timedelta(days=today.weekday(), weeks=weeks - 1)
    return timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))


def funnel(queryset: QuerySet) -> list[dict]:
    """Counts by stage, closed inquiries split by reason, in funnel order (one query)."""
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
    return _bars(rows, "count")


def weekly_new(queryset: QuerySet, *, now: datetime.datetime, weeks: int) -> list[dict]:
    """Inquiries submitted in each of the last `weeks` weeks, oldest first (one query)."""
    start = window_start(now, weeks)
    per_week = {
        timezone.localtime(row["week"]).date(): row["n"]
        for row in queryset.filter(submitted_at__gte=start)
        .annotate(week=TruncWeek("submitted_at"))
        .values("week")
        .annotate(n=Count("id"))
        .order_by()
    }
    first = timezone.localdate(start)
    rows = []
    for index in range(weeks):
        monday = first + datetime.timedelta(weeks=index)
        rows.append({"week": monday, "count": per_week.get(monday, 0)})
    return _bars(rows, "count")


def by_program(queryset: QuerySet) -> list[dict]:
    """Inquiries and enrolments per program, busiest first (one query)."""
    rows = [
        {
            "label": row["program__name"] or "No program chosen",
            "inquiries": row["inquiries"],
            "enrolled": row["enrolled"],
        }
        for row in queryset.values("program__name")
        .annotate(inquiries=Count("id"), enrolled=Count("id", filter=Q(status=Status.ENROLLED)))
        .order_by("-inquiries", "program__name")
    ]
    return _bars(rows, "inquiries")


def by_source_page(queryset: QuerySet, *, limit: int = 15) -> list[dict]:
    """The pages prospects asked from (comparisons, careers...), busiest first (one query)."""
    rows = [
        {
            "label": row["source_page"] or "Unknown page",
            "source_page": row["source_page"],
            "inquiries": row["inquiries"],
            "enrolled": row["enrolled"],
        }
        for row in queryset.values("source_page")
        .annotate(inquiries=Count("id"), enrolled=Count("id", filter=Q(status=Status.ENROLLED)))
        .order_by("-inquiries", "source_page")[:limit]
    ]
    return _bars(rows, "inquiries")


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont: the value at `fraction` of the ordered input, interpolated
    between the two closest rows (as `_percentile` does in Python)."""

    function = "percentile_cont"
    name = "PercentileCont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    arity = 1
    window_compatible = False
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        fraction = float(fraction)
        if not 0 <= fraction <= 1:
            raise ValueError("A percentile fraction lies between 0 and 1.")
        # A float written into the SQL as a literal: repr() of a float is digits, a dot and
        # an exponent at most, never anything else.
        super().__init__(expression, fraction=repr(fraction), **extra)

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor != "postgresql":
            raise NotSupportedError("percentile_cont ... WITHIN GROUP needs PostgreSQL.")
        return super().as_sql(compiler, connection, **extra_context)


def _first_contact_seconds():
    """Seconds from submission to first contact, as the database computes them."""
    return Extract(F("first_contacted_at") - F("submitted_at"), "epoch", output_field=FloatField())


def _first_contact_in_database(contacted: QuerySet, target: datetime.timedelta) -> dict:
    """Count, median, 90th percentile and contacts within `target`, in one aggregate query
    (PostgreSQL only)."""
    figures = contacted.aggregate(
        count=Count("id"),
        median=PercentileCont(_first_contact_seconds(), 0.5),
        p90=PercentileCont(_first_contact_seconds(), 0.9),
        within_target=Count("id", filter=Q(first_contacted_at__lte=F("submitted_at") + target)),
    )
    for key in ("median", "p90"):
        if figures[key] is not None:
            figures[key] = datetime.timedelta(seconds=figures[key])
    return figures


def _first_contact_in_python(contacted: QuerySet, target: datetime.timedelta) -> dict:
    """The same figures from every contacted row's two timestamps, in one query: for databases
    without percentile_cont (SQLite). The rows grow with the window, which the dashboard
    bounds to a few weeks."""
    durations = sorted(
        contacted_at - submitted_at
        for submitted_at, contacted_at in contacted.values_list(
            "submitted_at", "first_contacted_at"
        )
    )
    return {
        "count": len(durations),
        "median": _percentile(durations, 0.5),
        "p90": _percentile(durations, 0.9),
        "within_target": sum(d <= target for d in durations),
    }


def time_to_first_contact(queryset: QuerySet) -> dict:
    """Median and 90th percentile from submission to first contact, in one query.

    PostgreSQL computes them with percentile_cont; elsewhere (SQLite has no percentile
    function) the contacted rows' timestamps are fetched and the same interpolation is done
    here.
    """
    contacted = queryset.filter(first_contacted_at__isnull=False).order_by()
    target = datetime.timedelta(minutes=settings.SPEED_TO_LEAD_MINUTES)
    if connections[contacted.db].vendor == "postgresql":
        figures = _first_contact_in_database(contacted, target)
    else:
        figures = _first_contact_in_python(contacted, target)
    median, p90 = figures["median"], figures["p90"]
    return {
        **figures,
        "median_text": short_duration(median) if median is not None else "no data",
        "p90_text": short_duration(p90) if p90 is not None else "no data",
    }


def dashboard(*, now: datetime.datetime | None = None, weeks: int = DASHBOARD_WEEKS) -> dict:
    """Everything the admissions dashboard shows, in a fixed number of queries (eight)."""
    now = now or timezone.now()
    start = window_start(now, weeks)
    window = Inquiry.objects.filter(submitted_at__gte=start)
    prospects = window.exclude(status=Status.CLOSED, closed_reason=ClosedReason.SPAM).exclude(
        status=Status.HELD
    )
    current = Inquiry.objects.aggregate(
        held=Count("id", filter=Q(status=Status.HELD)),
        held_in_window=Count("id", filter=Q(held_at__gte=start)),
        released_in_window=Count("id", filter=Q(held_at__gte=start, released_at__isnull=False)),
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, next_follow_up_at__lt=now)),
        waiting=Count(
            "id", filter=Q(status=Status.NEW, submitted_at__lt=speed_to_lead_cutoff(now))
        ),
        unassigned=Count("id", filter=Q(status__in=OPEN_STATUSES, owner__isnull=True)),
    )
    return {
        "weeks": weeks,
        "window_start": timezone.localdate(start),
        "speed_to_lead_minutes": settings.SPEED_TO_LEAD_MINUTES,
        "current": current,
        "funnel": funnel(window),
        "weekly": weekly_new(prospects, now=now, weeks=weeks),
        "programs": by_program(prospects),
        "sources": by_source_page(prospects),
        "first_contact": time_to_first_contact(prospects),
        "overdue": list(
            overdue_follow_ups(now=now).select_related("owner", "program")[:DASHBOARD_LIST_LIMIT]
        ),
        "waiting": list(
            waiting_past_speed_to_lead(now=now).select_related("owner", "program")[
                :DASHBOARD_LIST_LIMIT
            ]
        ),
    }
