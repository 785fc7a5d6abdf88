"""The inquiry list's date drill-down (years, then months, then days of submission), bounded
by the calendar instead of by the rows.

Django's date hierarchy asks the database which dates the filtered rows have: the earliest
and latest (MIN/MAX), then every distinct year, month or day, which reads every row the
filters keep (a quarter of a million for the whole list). Here the links are the calendar's,
from the month of the first inquiry ever submitted (the first entry of the submitted_at
index: one cheap query, whatever the size) up to today; a link to a span with no inquiry for
the current filters opens an empty list, as any filter can.
"""

import datetime

from django.db.models import Min
from django.utils import formats, timezone
from django.utils.text import capfirst

from inquiries.models import Inquiry


def _number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _months(year: int, first: datetime.date, today: datetime.date) -> list[datetime.date]:
    return [
        datetime.date(year, month, 1)
        for month in range(1, 13)
        if (first.year, first.month) <= (year, month) <= (today.year, today.month)
    ]


def _days(year: int, month: int, first: datetime.date, today: datetime.date) -> list:
    day = datetime.date(year, month, 1)
    days = []
    while day.month == month:
        if first <= day <= today:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def drilldown(changelist) -> dict:
    """The context of admin/date_hierarchy.html for the inquiry list `changelist`."""
    field = changelist.date_hierarchy
    names = {part: f"{field}__{part}" for part in ("year", "month", "day")}
    year, month, day = (_number(changelist.params.get(name)) for name in names.values())
    label = Inquiry._meta.get_field(field).verbose_name

    def link(**chosen):
        return changelist.get_query_string(
            {names[part]: value for part, value in chosen.items()}, [f"{field}__"]
        )

    earliest = Inquiry.objects.aggregate(first=Min(field))["first"]
    today = timezone.localdate()
    first = timezone.localdate(earliest) if earliest else today
    if year is None:
        if first.year == today.year:
            year = today.year  # one year of inquiries: its months straight away
        else:
            return {
                "show": True,
                "back": None,
                "choices": [
                    {"link": link(year=y), "title": str(y)}
                    for y in range(first.year, today.year + 1)
                ],
                "field_name": label,
            }
    try:
        datetime.date(year, month or 1, day or 1)
    except (ValueError, OverflowError):
        return {"show": False}
    if month is None:
        return {
            "show": True,
            "back": {"link": link(), "title": "All dates"},
            "choices": [
                {
                    "link": link(year=year, month=m.month),
                    "title": capfirst(formats.date_format(m, "YEAR_MONTH_FORMAT")),
                }
                for m in _months(year, first, today)
            ],
            "field_name": label,
        }
    if day is None:
        return {
            "show": True,
            "back": {"link": link(year=year), "title": str(year)},
            "choices": [
                {
                    "link": link(year=year, month=month, day=d.day),
                    "title": capfirst(formats.date_format(d, "MONTH_DAY_FORMAT")),
                }
                for d in _days(year, month, first, today)
            ],
            "field_name": label,
        }
    chosen = datetime.date(year, month, day)
    return {
        "show": True,
        "back": {
            "link": link(year=year, month=month),
            "title": capfirst(formats.date_format(chosen, "YEAR_MONTH_FORMAT")),
        },
        "choices": [{"title": capfirst(formats.date_format(chosen, "MONTH_DAY_FORMAT"))}],
        "field_name": label,
    }
