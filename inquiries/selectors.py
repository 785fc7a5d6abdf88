"""Read helpers for the admissions admin: staff queues, who may work inquiries, durations.

The dashboard's figures are in inquiries.reports (and inquiries.timings).
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from inquiries.models import OPEN_STATUSES, Inquiry, Status

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
