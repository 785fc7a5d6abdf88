"""Read helpers for the admissions admin: staff queues, who may work inquiries, durations.

The dashboard's figures are in inquiries.reports (and inquiries.timings).
"""

import datetime
import re
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import smart_split, unescape_string_literal

from inquiries.models import OPEN_STATUSES, Inquiry, RepeatSubmission, Status

DASHBOARD_WEEKS = 12


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


def window_start(now: datetime.datetime, weeks: int = DASHBOARD_WEEKS) -> datetime.datetime:
    """Midnight on the Monday that starts the oldest of the last `weeks` weeks (local time):
    where the dashboard's figures, and the inquiry list's "past 12 weeks", begin."""
    today = timezone.localdate(now)
    monday = today - datetime.timedelta(days=today.weekday(), weeks=weeks - 1)
    return timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))


PHONE_LIKE = re.compile(r"[\d\s().+\-]+")
SEARCHED_FIELDS = ("first_name", "last_name", "email")


def _matching(value: str, lookup: str, fields=SEARCHED_FIELDS) -> Q:
    """Inquiries with `value` in one of `fields`, their own or a later submission's.

    The later submissions' inquiry ids are read first (a small table), so that the condition
    on the inquiries is a plain OR of indexable terms: on PostgreSQL the trigram indexes
    (migration 0014) and the primary key answer it together, or, for a common name, the walk
    down the list's ordering finds its first page without reading every match."""
    condition = reduce(or_, (Q(**{f"{field}__{lookup}": value}) for field in fields))
    later = RepeatSubmission.objects.filter(condition).values_list("inquiry_id", flat=True)
    return condition | Q(pk__in=set(later))


def search(queryset: QuerySet, term: str) -> QuerySet:
    """The inquiries of `queryset` the list's search box finds: every word of `term` in a first
    or last name or an email (theirs, or one they gave in a later submission), or, for a term
    that is a phone number however typed, its digits in a phone number (stored as E.164,
    +14075550123)."""
    term = term.strip()
    digits = re.sub(r"\D", "", term)
    if len(digits) >= 4 and PHONE_LIKE.fullmatch(term):
        return queryset.filter(_matching(digits, "contains", ("phone",)))
    for word in smart_split(term):
        if word[:1] in "\"'" and len(word) > 1 and word[-1] == word[0]:
            word = unescape_string_literal(word)
        if word:
            queryset = queryset.filter(_matching(word, "icontains"))
    return queryset


def source_pages(limit: int) -> list[str]:
    """The distinct pages forms were sent from, in order, at most `limit` of them.

    DISTINCT reads every inquiry; this walks the source_page index instead, one step per page
    (the next page after the last one found), so it costs `limit` index lookups at any size.
    """
    connection = connections[Inquiry.objects.db]
    table = connection.ops.quote_name(Inquiry._meta.db_table)
    column = connection.ops.quote_name("source_page")
    sql = (
        f"WITH RECURSIVE pages(page) AS ("  # noqa: S608 (names from the model, not input)
        f"SELECT MIN({column}) FROM {table} WHERE {column} > '' "
        f"UNION ALL SELECT (SELECT MIN({column}) FROM {table} WHERE {column} > pages.page) "
        f"FROM pages WHERE pages.page IS NOT NULL) "
        f"SELECT page FROM pages WHERE page IS NOT NULL LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [limit])
        return [page for (page,) in cursor.fetchall()]
