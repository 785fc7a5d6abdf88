"""Admissions rules. Every write to an inquiry goes through a function here, so the timeline
is complete whatever path made the change: the public form, an admin edit, a bulk action or
a management command.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from inquiries.models import (
    Activity,
    ActivityKind,
    ClosedReason,
    Coverage,
    Inquiry,
    NotificationKind,
    Status,
)

User = get_user_model()


# --- Workflow: timeline, status, owner, follow-up, routing -------------------------------


def add_activity(*, inquiry: Inquiry, kind: str, body: str = "", author=None) -> Activity:
    """Write one timeline entry. Entries are history: nothing edits or deletes them."""
    return Activity.objects.create(inquiry=inquiry, kind=kind, body=body, author=author)


def _display_name(user) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def change_status(
    *, inquiry: Inquiry, status: str, by=None, closed_reason: str = "", note: str = ""
) -> Inquiry:
    """Move an inquiry along the funnel, recording who did it and when.

    Closing needs a reason. The first move out of "new" (other than closing as spam) stamps
    `first_contacted_at`, the speed-to-lead figure managers watch.
    """
    if status not in Status.values:
        raise ValidationError({"status": f"Unknown status {status!r}."})
    if status == Status.CLOSED:
        if closed_reason not in ClosedReason.values:
            raise ValidationError({"closed_reason": "Choose why the inquiry is being closed."})
    else:
        closed_reason = ""
    if status == inquiry.status and closed_reason == inquiry.closed_reason:
        return inquiry

    before = inquiry.get_status_display()
    if inquiry.status == Status.CLOSED:
        before = f"{before} ({inquiry.get_closed_reason_display()})"
    inquiry.status = status
    inquiry.closed_reason = closed_reason
    fields = ["status", "closed_reason", "updated_at"]
    if (
        inquiry.first_contacted_at is None
        and status != Status.NEW
        and closed_reason != ClosedReason.SPAM
    ):
        inquiry.first_contacted_at = timezone.now()
        fields.append("first_contacted_at")
    inquiry.save(update_fields=fields)

    after = inquiry.get_status_display()
    if closed_reason:
        after = f"{after} ({inquiry.get_closed_reason_display()})"
    body = f"{before} → {after}"
    if note:
        body = f"{body}\n{note}"
    add_activity(inquiry=inquiry, kind=ActivityKind.STATUS_CHANGE, body=body, author=by)
    return inquiry


@transaction.atomic
def assign_owner(*, inquiry: Inquiry, owner, by=None, notify: bool = True) -> Inquiry:
    """Give the inquiry to `owner` (None unassigns it); the new owner is emailed."""
    if inquiry.owner_id == (owner.pk if owner else None):
        return inquiry
    inquiry.owner = owner
    inquiry.save(update_fields=["owner", "updated_at"])
    body = f"Assigned to {_display_name(owner)}" if owner else "Unassigned"
    add_activity(inquiry=inquiry, kind=ActivityKind.ASSIGNMENT, body=body, author=by)
    if owner and notify and owner.email and (by is None or by.pk != owner.pk):
        queue_notification(
            inquiry=inquiry, kind=NotificationKind.OWNER_ASSIGNED, recipient=owner.email
        )
    return inquiry


@transaction.atomic
def set_follow_up(*, inquiry: Inquiry, when, by=None) -> Inquiry:
    """Schedule (or clear, with None) the next follow-up."""
    if inquiry.next_follow_up_at == when:
        return inquiry
    inquiry.next_follow_up_at = when
    inquiry.save(update_fields=["next_follow_up_at", "updated_at"])
    if when:
        local = timezone.localtime(when)
        body = f"Next follow-up set for {local:%a %b %-d, %Y %-I:%M %p}"
    else:
        body = "Next follow-up cleared"
    add_activity(inquiry=inquiry, kind=ActivityKind.NOTE, body=body, author=by)
    return inquiry


def route_new_inquiry(*, inquiry: Inquiry):
    """Assign a new inquiry round-robin among the active representatives covering its program.

    Returns the owner, or None when nobody covers the program (the inquiry stays unassigned
    for a manager to pick up). Must run inside the transaction that records the inquiry.
    """
    if inquiry.program_id is None:
        return None
    coverage = (
        Coverage.objects.select_for_update()
        .filter(program_id=inquiry.program_id, representative__is_active=True)
        .select_related("representative")
        .order_by(F("last_assigned_at").asc(nulls_first=True), "id")
        .first()
    )
    if coverage is None:
        return None
    coverage.last_assigned_at = timezone.now()
    coverage.save(update_fields=["last_assigned_at"])
    assign_owner(inquiry=inquiry, owner=coverage.representative, by=None)
    return coverage.representative


# --- Capture: the request-info form, dedupe, spam, notifications ---------------------------


def queue_notification(*, inquiry: Inquiry, kind: str, recipient: str):
    """Record that an email is owed and queue its sending once the transaction commits."""
    raise NotImplementedError  # written with the request-info form (issue 5)
