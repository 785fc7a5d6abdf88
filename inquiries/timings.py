"""How long prospects wait: from submission to the first attempt (a call, email or text,
answered or not) and to the first two-way contact, as median and 90th percentile.

PostgreSQL computes the percentiles with percentile_cont; elsewhere (SQLite has no percentile
function) the rows' timestamps are fetched and the same interpolation is done here. Either way
it is one query.
"""

import datetime
import math

from django.db import NotSupportedError, connections
from django.db.models import Aggregate, F, FloatField, Q, QuerySet
from django.db.models.functions import Extract

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
    return Extract(F(field) - F("submitted_at"), "epoch", output_field=FloatField())


def _timings_in_database(queryset: QuerySet, key: str | None) -> dict:
    """{group: {clock: {median, p90}}} by percentile_cont, in one query (PostgreSQL)."""
    figures = {
        f"{clock}_{name}": PercentileCont(_seconds(field), fraction)
        for clock, field in CLOCKS.items()
        for name, fraction in FRACTIONS.items()
    }
    rows = (
        [queryset.aggregate(**figures)] if key is None else queryset.values(key).annotate(**figures)
    )
    found = {}
    for row in rows:
        if all(row[name] is None for name in figures):
            continue  # as in Python: a group nobody has reached yet has no timings
        found[row.get(key)] = {
            clock: {
                name: None
                if row[f"{clock}_{name}"] is None
                else datetime.timedelta(seconds=row[f"{clock}_{name}"])
                for name in FRACTIONS
            }
            for clock in CLOCKS
        }
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
    if connections[queryset.db].vendor == "postgresql":
        return _timings_in_database(queryset, key)
    return _timings_in_python(queryset, key)


def duration_text(value: datetime.timedelta | None) -> str:
    return "no data" if value is None else selectors.short_duration(value)
