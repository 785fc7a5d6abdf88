"""How long prospects wait: from submission to the first attempt (a call, email or text,
answered or not) and to the first two-way contact, as median and 90th percentile.

PostgreSQL computes the percentiles with percentile_cont; elsewhere (SQLite has no percentile
function) the rows' timestamps are fetched and the same interpolation is done here. Either way
it is one query.
"""

import datetime
import math

from django.db import NotSupportedError, connections
from django.db.models import Aggregate, F, FloatField, Func, Q, QuerySet

from inquiries import selectors


def _percentile(ordered: list, fraction: float):
    """Linear interpolation between closest ranks, as PostgreSQL's percentile_cont does."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont: the value at `fraction` of the ordered input, interpolated
    between the two closest rows (as `_percentile` does in Python). NULLs are left out."""

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


# The two clocks that start at submission: the first attempt (a call, email or text, answered
# or not) and the first two-way contact.
CLOCKS = {"attempt": "first_attempted_at", "contact": "first_contacted_at"}
FRACTIONS = {"median": 0.5, "p90": 0.9}


def _seconds(field: str):
    # date_part gives the seconds as a double precision number, which percentile_cont sorts;
    # EXTRACT gives an exact numeric (PostgreSQL 14 on), slower to compute and to sort.
    return Func(
        F(field) - F("submitted_at"),
        template="date_part('epoch', %(expressions)s)",
        output_field=FloatField(),
    )


def in_database(queryset: QuerySet) -> bool:
    """Whether the percentiles are computed by the database (and so can join other figures'
    query: `percentile_figures`, `from_row`)."""
    return connections[queryset.db].vendor == "postgresql"


def percentile_figures() -> dict:
    """The percentile_cont aggregates, to add to an aggregate() or annotate() (PostgreSQL)."""
    return {
        f"{clock}_{name}": PercentileCont(_seconds(field), fraction)
        for clock, field in CLOCKS.items()
        for name, fraction in FRACTIONS.items()
    }


def from_row(row: dict) -> dict | None:
    """{clock: {median, p90}} from a row holding `percentile_figures`; None when nobody in
    the group has been reached yet (as in Python, such a group has no timings)."""
    names = [f"{clock}_{name}" for clock in CLOCKS for name in FRACTIONS]
    if all(row[name] is None for name in names):
        return None
    return {
        clock: {
            name: None
            if row[f"{clock}_{name}"] is None
            else datetime.timedelta(seconds=row[f"{clock}_{name}"])
            for name in FRACTIONS
        }
        for clock in CLOCKS
    }


def extra_figures(queryset: QuerySet) -> dict:
    """What to add to the figures' own aggregate() or annotate() so that the percentiles come
    in the same query: the percentile_cont aggregates on PostgreSQL, nothing elsewhere."""
    return percentile_figures() if in_database(queryset) else {}


def of_rows(queryset: QuerySet, key: str | None, rows: list[dict]) -> dict:
    """`timings(queryset, key)` for figures' rows made with `extra_figures`: read from the
    rows on PostgreSQL, in one query of their own elsewhere."""
    if not in_database(queryset):
        return timings(queryset, key)
    found = {row.get(key): from_row(row) for row in rows}
    return {group: times for group, times in found.items() if times is not None}


def _timings_in_database(queryset: QuerySet, key: str | None) -> dict:
    """{group: {clock: {median, p90}}} by percentile_cont, in one query (PostgreSQL)."""
    figures = percentile_figures()
    rows = (
        [queryset.aggregate(**figures)] if key is None else queryset.values(key).annotate(**figures)
    )
    found = {}
    for row in rows:
        times = from_row(row)
        if times is not None:
            found[row.get(key)] = times
    return found


def _timings_in_python(queryset: QuerySet, key: str | None) -> dict:
    """The same from each row's timestamps, in one query, for databases without
    percentile_cont (SQLite). The rows grow with the range, which the form bounds."""
    durations: dict = {}
    fields = [key] if key else []
    started = Q(first_attempted_at__isnull=False) | Q(first_contacted_at__isnull=False)
    for row in queryset.filter(started).values_list(*fields, "submitted_at", *CLOCKS.values()):
        group = row[0] if key else None
        submitted, *stamps = row[-3:]
        lists = durations.setdefault(group, {clock: [] for clock in CLOCKS})
        for clock, stamp in zip(CLOCKS, stamps, strict=True):
            if stamp is not None:
                lists[clock].append(stamp - submitted)
    return {
        group: {
            clock: {name: _percentile(sorted(values), f) for name, f in FRACTIONS.items()}
            for clock, values in lists.items()
        }
        for group, lists in durations.items()
    }


def timings(queryset: QuerySet, key: str | None = None) -> dict:
    """Median and 90th percentile from submission to first attempt and to first contact, per
    value of `key` (or overall under None), in one query on any database."""
    queryset = queryset.order_by()
    if in_database(queryset):
        return _timings_in_database(queryset, key)
    return _timings_in_python(queryset, key)


def duration_text(value: datetime.timedelta | None) -> str:
    return "no data" if value is None else selectors.short_duration(value)
