"""My day: what a representative works today, in the order it should be worked.

New leads first (nobody has tried to reach them yet; the longest-waiting at the top), then
the follow-ups due later today, then the overdue ones. Each part is one query, and the counts
for the admin home one more, however many inquiries there are.
"""

import dataclasses
import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from inquiries.models import OPEN_STATUSES, Inquiry, Status

# Rows shown per part; the heading carries the full count.
PART_LIMIT = 50

# The person a manager's My day shows: everyone's, the unassigned ones, or one person's.
EVERYONE = "everyone"
UNASSIGNED = "unassigned"


@dataclasses.dataclass(frozen=True)
class Scope:
    """Whose inquiries: `owner_ids` (and/or the unassigned ones); everyone when both unset."""

    owner_ids: tuple[int, ...] = ()
    unassigned: bool = False

    def apply(self, queryset: QuerySet) -> QuerySet:
        if not self.owner_ids and not self.unassigned:
            return queryset
        condition = Q(owner_id__in=self.owner_ids) if self.owner_ids else Q(pk__in=[])
        if self.unassigned:
            condition |= Q(owner__isnull=True)
        return queryset.filter(condition)


def representative_scope(user) -> Scope:
    """A representative's day: their own inquiries and the unassigned ones they may take."""
    return Scope(owner_ids=(user.pk,), unassigned=True)


def _end_of_today(now: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight + datetime.timedelta(days=1)


def _conditions(now: datetime.datetime) -> dict[str, Q]:
    # Every part is read from _base (open inquiries only), so the follow-ups are the rest:
    # saying "open" again would have the database count it twice and misjudge its plan.
    new = Q(status=Status.NEW, first_attempted_at__isnull=True)
    follow_up = ~new
    return {
        "new": new,
        "due_today": follow_up
        & Q(next_follow_up_at__gte=now, next_follow_up_at__lt=_end_of_today(now)),
        "overdue": follow_up & Q(next_follow_up_at__lt=now),
    }


def _base(scope: Scope) -> QuerySet:
    # Every part is of open inquiries (held ones wait for a manager's spam review, never on
    # anyone's day); saying so lets the database read only the open ones' index.
    return scope.apply(Inquiry.objects.filter(status__in=OPEN_STATUSES))


def counts(scope: Scope, *, now: datetime.datetime | None = None) -> dict[str, int]:
    """How many inquiries each part holds, in one query."""
    now = now or timezone.now()
    aggregates = {name: Count("pk", filter=cond) for name, cond in _conditions(now).items()}
    return _base(scope).aggregate(**aggregates)


def parts(scope: Scope, *, now: datetime.datetime | None = None) -> dict[str, list[Inquiry]]:
    """The rows of each part (at most PART_LIMIT each), in working order: three queries."""
    now = now or timezone.now()
    conditions = _conditions(now)
    base = _base(scope).select_related("owner", "program")
    order = {
        "new": ["submitted_at", "pk"],
        "due_today": ["next_follow_up_at", "pk"],
        "overdue": ["next_follow_up_at", "pk"],
    }
    return {
        name: list(base.filter(condition).order_by(*order[name])[:PART_LIMIT])
        for name, condition in conditions.items()
    }
