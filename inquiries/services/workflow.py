"""What staff do to an inquiry: its status, owner, follow-up, notes and contacts, one inquiry
at a time or in bulk, each change with its timeline entry.

Every rule is a small function below that says why a change is refused (or None): the
functions that write raise it, and `validate_update` collects them for a form, so that a
form and the service can never disagree on a rule or its wording.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from inquiries.models import (
    Activity,
    ActivityKind,
    ClosedReason,
    Inquiry,
    NotificationKind,
    Status,
)
from inquiries.selectors import staff_name
from inquiries.services import notifications, timeline


def can_assign_to_others(user) -> bool:
    """Managers may hand inquiries to anyone; representatives only take them for themselves."""
    return user.has_perm("inquiries.assign_inquiry")


# --- The rules ---------------------------------------------------------------------------------


def _status_refusal(status: str) -> str | None:
    if status not in Status.values:
        return f"Unknown status {status!r}."
    return None


def _closing_refusal(status: str, closed_reason: str) -> str | None:
    if status == Status.CLOSED and closed_reason not in ClosedReason.values:
        return "Choose why the inquiry is being closed."
    return None


def _edit_status_refusal(inquiry: Inquiry, status: str, closed_reason: str) -> str | None:
    """What the inquiry page's status field may not do: review and merging have their own
    actions, which route, email and record what they did."""
    if status == Status.HELD and inquiry.status != Status.HELD:
        return "Only the request-info form holds an inquiry for review."
    if inquiry.status == Status.HELD and status not in (Status.HELD, Status.CLOSED):
        return "Release it from review with “Not spam” first: that routes it and emails them."
    merging = status == Status.CLOSED and closed_reason == ClosedReason.MERGED
    if merging and inquiry.closed_reason != ClosedReason.MERGED:
        return "Merge it from the inquiry list's “Merge two inquiries” action."
    return None


def _owner_refusal(owner) -> str | None:
    if owner is not None and not (owner.is_staff and owner.is_active):
        return "Only active staff members can own inquiries."
    return None


def _assignment_refusal(*, inquiry: Inquiry, owner, by) -> str | None:
    """`by=None` is the system (routing, commands) and may assign to anyone. A person without
    the "assign to others" permission may only take an unassigned inquiry (or one already
    theirs) for themselves."""
    if by is None or can_assign_to_others(by):
        return None
    if owner is None or owner.pk != by.pk:
        return "You can assign inquiries to yourself only."
    if inquiry.owner_id not in (None, by.pk):
        return "This inquiry already belongs to someone else."
    return None


def _channel_refusal(channel: str) -> str | None:
    if channel not in timeline.CONTACT_KINDS:
        return "Choose call, email or text."
    return None


def _entry_text_refusal(kind: str, body: str) -> str | None:
    if body.strip():
        return None
    if kind == ActivityKind.NOTE:
        return "Write the note before saving it."
    return "Say what happened on the call, email or text."


def _raise_if(field: str, refusal: str | None) -> None:
    if refusal:
        raise ValidationError({field: refusal})


def _adds_entry(entry_kind: str, entry_body: str) -> bool:
    # Choosing "Call" and saving is no record of a call: a contact kind asks for an entry even
    # without text, so that the missing text is refused rather than quietly dropped.
    return bool(entry_body.strip()) or entry_kind in timeline.CONTACT_KINDS


# --- One inquiry -------------------------------------------------------------------------------


@transaction.atomic
def change_status(
    *,
    inquiry: Inquiry,
    status: str,
    by=None,
    closed_reason: str = "",
    note: str = "",
    at: datetime.datetime | None = None,
) -> Inquiry:
    """Move an inquiry along the funnel, recording who did it and when.

    Closing needs a reason. The first move out of "new" (other than closing as spam) stamps
    `first_contacted_at`, the speed-to-lead figure managers watch.
    """
    _raise_if("status", _status_refusal(status))
    _raise_if("closed_reason", _closing_refusal(status, closed_reason))
    if status != Status.CLOSED:
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
        inquiry.first_contacted_at = at or timezone.now()
        fields.append("first_contacted_at")
    inquiry.save(update_fields=fields)

    after = inquiry.get_status_display()
    if closed_reason:
        after = f"{after} ({inquiry.get_closed_reason_display()})"
    body = f"{before} → {after}"
    if note:
        body = f"{body}\n{note}"
    timeline.add_activity(
        inquiry=inquiry, kind=ActivityKind.STATUS_CHANGE, body=body, author=by, at=at
    )
    return inquiry


@transaction.atomic
def assign_owner(
    *,
    inquiry: Inquiry,
    owner,
    by=None,
    notify: bool = True,
    at: datetime.datetime | None = None,
) -> Inquiry:
    """Give the inquiry to `owner` (None unassigns it); the new owner is emailed.

    Who may assign what: see `_assignment_refusal`, raised as PermissionDenied.
    """
    _raise_if("owner", _owner_refusal(owner))
    if refusal := _assignment_refusal(inquiry=inquiry, owner=owner, by=by):
        raise PermissionDenied(refusal)
    if inquiry.owner_id == (owner.pk if owner else None):
        return inquiry
    inquiry.owner = owner
    inquiry.save(update_fields=["owner", "updated_at"])
    body = f"Assigned to {staff_name(owner)}" if owner else "Unassigned"
    timeline.add_activity(
        inquiry=inquiry, kind=ActivityKind.ASSIGNMENT, body=body, author=by, at=at
    )
    if owner and notify and owner.email and (by is None or by.pk != owner.pk):
        notifications.queue_notification(
            inquiry=inquiry, kind=NotificationKind.OWNER_ASSIGNED, recipient=owner.email
        )
    return inquiry


@transaction.atomic
def set_follow_up(
    *, inquiry: Inquiry, when, by=None, at: datetime.datetime | None = None
) -> Inquiry:
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
    timeline.add_activity(inquiry=inquiry, kind=ActivityKind.NOTE, body=body, author=by, at=at)
    return inquiry


def add_note(*, inquiry: Inquiry, body: str, by, at: datetime.datetime | None = None) -> Activity:
    """A free-text note on the timeline."""
    _raise_if("body", _entry_text_refusal(ActivityKind.NOTE, body))
    return timeline.add_activity(
        inquiry=inquiry, kind=ActivityKind.NOTE, body=body.strip(), author=by, at=at
    )


@transaction.atomic
def log_contact(
    *,
    inquiry: Inquiry,
    channel: str,
    body: str,
    by,
    at: datetime.datetime | None = None,
) -> Activity:
    """Record a call, email or text with the prospect.

    Reaching out is what "contacted" means, so a new inquiry also moves to contacted here,
    which stamps the time to first contact even when nobody changes the status by hand.
    """
    _raise_if("channel", _channel_refusal(channel))
    _raise_if("body", _entry_text_refusal(channel, body))
    activity = timeline.add_activity(
        inquiry=inquiry, kind=channel, body=body.strip(), author=by, at=at
    )
    if inquiry.status == Status.NEW:
        change_status(inquiry=inquiry, status=Status.CONTACTED, by=by, at=at)
    return activity


def add_timeline_entry(
    *, inquiry: Inquiry, kind: str, body: str, by, at: datetime.datetime | None = None
) -> Activity:
    """A note, call, email or text entry, as staff add them from the inquiry's page."""
    if kind == ActivityKind.NOTE:
        return add_note(inquiry=inquiry, body=body, by=by, at=at)
    return log_contact(inquiry=inquiry, channel=kind, body=body, by=by, at=at)


def validate_update(
    *, inquiry: Inquiry, changes: dict, by, entry_kind: str = "", entry_body: str = ""
) -> None:
    """Check what `update_inquiry` would refuse, writing nothing.

    Raises a ValidationError keyed by the fields of the inquiry's admin form ("owner",
    "status", "closed_reason", "entry_kind", "entry_body"), every refusal at once, so that a
    form's clean() can show each beside its field. The rules are the ones update_inquiry
    applies; it applies them again when saving, against the inquiry as stored by then.
    """
    refusals = {}
    if "owner" in changes:
        owner = changes["owner"]
        refusals["owner"] = _owner_refusal(owner) or _assignment_refusal(
            inquiry=inquiry, owner=owner, by=by
        )
    if "status" in changes or "closed_reason" in changes:
        status = changes.get("status", inquiry.status)
        closed_reason = changes.get("closed_reason", inquiry.closed_reason)
        refusals["status"] = _status_refusal(status) or _edit_status_refusal(
            inquiry, status, closed_reason
        )
        refusals["closed_reason"] = _closing_refusal(status, closed_reason)
    if _adds_entry(entry_kind, entry_body):
        kind = entry_kind or ActivityKind.NOTE
        if kind != ActivityKind.NOTE:
            refusals["entry_kind"] = _channel_refusal(kind)
        refusals["entry_body"] = _entry_text_refusal(kind, entry_body)
    refusals = {field: refusal for field, refusal in refusals.items() if refusal}
    if refusals:
        raise ValidationError(refusals)


@transaction.atomic
def update_inquiry(
    *, inquiry_id: int, changes: dict, by, entry_kind: str = "", entry_body: str = ""
) -> Inquiry:
    """Apply what a staff member changed on the inquiry's page, all or nothing.

    `changes` holds only the fields that changed: `owner`, `status` and `closed_reason`,
    `next_follow_up_at`. Each goes through its own rule above and leaves its own timeline
    entry; a non-blank `entry_body` adds a note, call, email or text (`entry_kind`, a note
    when blank). The inquiry is re-read under a row lock, so that the rules compare with what
    is stored now and two people saving at once queue up rather than write over each other.
    """
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry_id)
    if "owner" in changes:
        assign_owner(inquiry=inquiry, owner=changes["owner"], by=by)
    if "status" in changes or "closed_reason" in changes:
        status = changes.get("status", inquiry.status)
        closed_reason = changes.get("closed_reason", inquiry.closed_reason)
        _raise_if("status", _edit_status_refusal(inquiry, status, closed_reason))
        change_status(inquiry=inquiry, status=status, closed_reason=closed_reason, by=by)
    if "next_follow_up_at" in changes:
        set_follow_up(inquiry=inquiry, when=changes["next_follow_up_at"], by=by)
    if _adds_entry(entry_kind, entry_body):
        add_timeline_entry(
            inquiry=inquiry, kind=entry_kind or ActivityKind.NOTE, body=entry_body, by=by
        )
    return inquiry


def mark_contacted(*, inquiry: Inquiry, by) -> bool:
    """Move a new inquiry to contacted; later stages are left alone. True when it moved."""
    if inquiry.status != Status.NEW:
        return False
    change_status(inquiry=inquiry, status=Status.CONTACTED, by=by)
    return True


# --- In bulk -----------------------------------------------------------------------------------


def _locked(inquiries: Iterable[Inquiry]):
    """The same inquiries re-read under a row lock (call inside a transaction).

    A list page can be minutes old: without the lock, two representatives who both click
    "assign to me" would each pass the "still unassigned?" check and both take it.
    """
    pks = [inquiry.pk for inquiry in inquiries]
    return (
        Inquiry.objects.select_for_update(of=("self",))
        .filter(pk__in=pks)
        .select_related("owner")
        .order_by("pk")
    )


@transaction.atomic
def bulk_assign(*, inquiries: Iterable[Inquiry], owner, by) -> int:
    """Assign each inquiry (one timeline entry each); returns how many changed hands."""
    changed = 0
    for inquiry in _locked(inquiries):
        before = inquiry.owner_id
        assign_owner(inquiry=inquiry, owner=owner, by=by)
        changed += before != inquiry.owner_id
    return changed


@transaction.atomic
def bulk_mark_contacted(*, inquiries: Iterable[Inquiry], by) -> int:
    """Mark every new inquiry among `inquiries` contacted; returns how many moved."""
    return sum(mark_contacted(inquiry=inquiry, by=by) for inquiry in _locked(inquiries))


@transaction.atomic
def bulk_close(*, inquiries: Iterable[Inquiry], reason: str, by) -> int:
    """Close each inquiry for `reason`; returns how many were not already closed so."""
    changed = 0
    for inquiry in _locked(inquiries):
        if inquiry.status == Status.CLOSED and inquiry.closed_reason == reason:
            continue
        change_status(inquiry=inquiry, status=Status.CLOSED, closed_reason=reason, by=by)
        changed += 1
    return changed
