"""Who sees which inquiry in the admin, and what a person is told about one they may not see.

Managers see every inquiry. Representatives work their own and the unassigned ones, and read
(without changing) those of the programs they cover, so that they can stand in for a
colleague; held possible spam waits for a manager and is shown to no representative.
"""

from django.db.models import Q, QuerySet

from inquiries import selectors
from inquiries.models import Coverage, Inquiry, Status
from inquiries.services import rules, workflow


def sees_everything(user) -> bool:
    return workflow.can_assign_to_others(user)


def visible(user, queryset: QuerySet) -> QuerySet:
    if sees_everything(user):
        return queryset
    covered = Coverage.objects.filter(representative=user).values("program_id")
    return queryset.filter(
        Q(owner=user) | Q(owner__isnull=True) | Q(program_id__in=covered)
    ).exclude(status=Status.HELD)


def may_work(user, inquiry: Inquiry) -> bool:
    """Whether `user` may change this inquiry (not only read it)."""
    return rules.may_work(user, inquiry)


def read_only_note(user, inquiry: Inquiry) -> str:
    """ "Read-only: owned by Marcus Bell …" for a colleague's inquiry a representative covers."""
    if inquiry is None or may_work(user, inquiry):
        return ""
    return (
        f"Read-only: owned by {selectors.staff_name(inquiry.owner)}. You see it because you "
        "cover its program; ask them or a manager to change it."
    )


def not_visible_message(pk: int | None) -> str | None:
    """What to tell someone who opened an inquiry they may not see: whose it is, and nothing
    of the prospect. None when no inquiry has that id."""
    if pk is None:
        return None
    inquiry = (
        Inquiry.objects.filter(pk=pk)
        .select_related("owner")
        .only("pk", "status", "owner__first_name", "owner__last_name", "owner__username")
        .first()
    )
    if inquiry is None:
        return None
    if inquiry.status == Status.HELD:
        return f"Inquiry {pk} is held for a manager’s review as possible spam."
    if inquiry.owner is None:
        return f"Inquiry {pk} is not one you may see; ask a manager."
    return f"Inquiry {pk} belongs to {selectors.staff_name(inquiry.owner)}; ask them or a manager."


def workable(user, queryset: QuerySet) -> QuerySet:
    """Of `queryset`, the inquiries `user` may change (a bulk action leaves the others be)."""
    if sees_everything(user):
        return queryset
    return queryset.filter(Q(owner=user) | Q(owner__isnull=True))
