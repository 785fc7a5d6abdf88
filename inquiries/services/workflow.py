"""What staff do to an inquiry: its status, owner, follow-up, notes and contacts, one inquiry
at a time or in bulk, each change with its timeline entry.

Every rule is a small function in services.rules that says why a change is refused (or
None): the functions here raise it, and `validate_update` collects them for a form, so that a
form and the service can never disagree on a rule or its wording.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from inquiries.models import (
    TWO_WAY_OUTCOMES,
    Activity,
    ActivityKind,
    Inquiry,
    NotificationKind,
    Status,
    funnel_stage,
)
from inquiries.selectors import staff_name
from inquiries.services import notifications, rules, timeline
from inquiries.services.rules import raise_if

# The rule of who may assign, asked by the admin too.
can_assign_to_others = rules.can_assign_to_others


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
    counts_as_contact: bool = True,
) -> Inquiry:
    """Move an inquiry along the funnel, recording who did it and when.

    Closing needs a reason. Staff move an inquiry on by hand after a conversation, so the
    first such move (see `rules.counts_as_first_contact`) stamps `first_contacted_at`, the
    speed-to-lead figure managers watch, and `first_attempted_at` if no attempt was logged.
    A move that says nothing of a conversation (`counts_as_contact=False`: the prospect
    booked online themselves, or a merge carried the other inquiry's status over) stamps
    neither.
    """
    raise_if("status", rules.status_refusal(status))
    raise_if("closed_reason", rules.closing_refusal(status, closed_reason))
    if status != Status.CLOSED:
        closed_reason = ""
    if status == inquiry.status and closed_reason == inquiry.closed_reason:
        return inquiry

    before = inquiry.get_status_display()
    if inquiry.status == Status.CLOSED:
        before = f"{before} ({inquiry.get_closed_reason_display()})"
    inquiry.status = status
    inquiry.closed_reason = closed_reason
    # How far it ever got: moving back, or closing, keeps the stages it went through.
    inquiry.stage_reached = max(inquiry.stage_reached, funnel_stage(status))
    fields = ["status", "closed_reason", "stage_reached", "updated_at"]
    if counts_as_contact and rules.counts_as_first_contact(status, closed_reason):
        fields += _stamp_first_contact(inquiry, at or timezone.now(), two_way=True)
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


def _stamp_first_contact(inquiry: Inquiry, moment: datetime.datetime, *, two_way: bool) -> list:
    """Stamp the first attempt, and with a two-way contact the first contact, on the instance
    (not saved); returns the fields stamped."""
    stamped = []
    if inquiry.first_attempted_at is None:
        inquiry.first_attempted_at = moment
        stamped.append("first_attempted_at")
    if two_way and inquiry.first_contacted_at is None:
        inquiry.first_contacted_at = moment
        stamped.append("first_contacted_at")
    return stamped


def assignment_entry(owner) -> str:
    """The timeline's words for giving an inquiry to `owner` (None: taking it away)."""
    return f"Assigned to {staff_name(owner)}" if owner else "Unassigned"


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

    Who may assign what: see `rules.assignment_refusal`, raised as PermissionDenied.
    """
    raise_if("owner", rules.owner_refusal(owner))
    if refusal := rules.assignment_refusal(inquiry=inquiry, owner=owner, by=by):
        raise PermissionDenied(refusal)
    if inquiry.owner_id == (owner.pk if owner else None):
        return inquiry
    inquiry.owner = owner
    inquiry.save(update_fields=["owner", "updated_at"])
    timeline.add_activity(
        inquiry=inquiry,
        kind=ActivityKind.ASSIGNMENT,
        body=assignment_entry(owner),
        author=by,
        at=at,
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
    """Schedule (or clear, with None) the next follow-up; one already past is refused
    (`at`, for backdated entries, is the moment it is compared with)."""
    if inquiry.next_follow_up_at == when:
        return inquiry
    raise_if("next_follow_up_at", rules.follow_up_refusal(when, at))
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
    raise_if("body", rules.entry_text_refusal(ActivityKind.NOTE, body))
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
    outcome: str,
    at: datetime.datetime | None = None,
) -> Activity:
    """Record a call, email or text with the prospect, and what came of it.

    Any of them is an attempt: the first stamps `first_attempted_at`. Only a two-way contact
    (a call that connected, a reply) is "contacted": it moves a new inquiry to contacted and
    stamps `first_contacted_at`; a voicemail leaves the speed-to-lead clock running.
    """
    raise_if("channel", rules.channel_refusal(channel))
    raise_if("outcome", rules.outcome_refusal(channel, outcome))
    raise_if("body", rules.entry_text_refusal(channel, body))
    activity = timeline.add_activity(
        inquiry=inquiry, kind=channel, outcome=outcome, body=body.strip(), author=by, at=at
    )
    two_way = outcome in TWO_WAY_OUTCOMES
    if two_way and inquiry.status == Status.NEW:
        change_status(inquiry=inquiry, status=Status.CONTACTED, by=by, at=activity.created_at)
    if stamped := _stamp_first_contact(inquiry, activity.created_at, two_way=two_way):
        inquiry.save(update_fields=[*stamped, "updated_at"])
    return activity


def add_timeline_entry(
    *,
    inquiry: Inquiry,
    kind: str,
    body: str,
    by,
    outcome: str = "",
    at: datetime.datetime | None = None,
) -> Activity:
    """A note, or a call, email or text with its outcome, as staff add them from the
    inquiry's page."""
    if kind == ActivityKind.NOTE:
        raise_if("outcome", rules.outcome_refusal(kind, outcome))
        return add_note(inquiry=inquiry, body=body, by=by, at=at)
    return log_contact(inquiry=inquiry, channel=kind, body=body, by=by, outcome=outcome, at=at)


def validate_update(
    *,
    inquiry: Inquiry,
    changes: dict,
    by,
    entry_kind: str = "",
    entry_body: str = "",
    outcome: str = "",
) -> None:
    """Check what `update_inquiry` would refuse, writing nothing.

    Raises a ValidationError keyed by the fields of the inquiry's admin form ("owner",
    "status", "closed_reason", "next_follow_up_at", "entry_kind", "outcome", "entry_body"),
    every refusal at once, so that a
    form's clean() can show each beside its field. The rules are the ones update_inquiry
    applies; it applies them again when saving, against the inquiry as stored by then.
    """
    refusals = {}
    if "owner" in changes:
        owner = changes["owner"]
        refusals["owner"] = rules.owner_refusal(owner) or rules.assignment_refusal(
            inquiry=inquiry, owner=owner, by=by
        )
    if "status" in changes or "closed_reason" in changes:
        status = changes.get("status", inquiry.status)
        closed_reason = changes.get("closed_reason", inquiry.closed_reason)
        refusals["status"] = rules.status_refusal(status) or rules.edit_status_refusal(
            inquiry, status, closed_reason
        )
        refusals["closed_reason"] = rules.closing_refusal(status, closed_reason)
    if "next_follow_up_at" in changes and changes["next_follow_up_at"] != inquiry.next_follow_up_at:
        refusals["next_follow_up_at"] = rules.follow_up_refusal(changes["next_follow_up_at"])
    if rules.adds_entry(entry_kind, entry_body, outcome):
        kind = entry_kind or ActivityKind.NOTE
        if kind != ActivityKind.NOTE:
            refusals["entry_kind"] = rules.channel_refusal(kind)
        if not refusals.get("entry_kind"):
            refusals["outcome"] = rules.outcome_refusal(kind, outcome)
        refusals["entry_body"] = rules.entry_text_refusal(kind, entry_body)
    refusals = {field: refusal for field, refusal in refusals.items() if refusal}
    if refusals:
        raise ValidationError(refusals)


@transaction.atomic
def update_inquiry(
    *,
    inquiry_id: int,
    changes: dict,
    by,
    entry_kind: str = "",
    entry_body: str = "",
    outcome: str = "",
) -> Inquiry:
    """Apply what a staff member changed on the inquiry's page, all or nothing.

    `changes` holds only the fields that changed: `owner`, `status` and `closed_reason`,
    `next_follow_up_at`. Each goes through its own rule above and leaves its own timeline
    entry; a non-blank `entry_body` adds a note, or a call, email or text (`entry_kind`, a
    note when blank) with its `outcome`. The inquiry is re-read under a row lock, so that
    the rules compare with what is stored now and two people saving at once queue up rather
    than write over each other.
    """
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry_id)
    if "owner" in changes:
        assign_owner(inquiry=inquiry, owner=changes["owner"], by=by)
    if "status" in changes or "closed_reason" in changes:
        status = changes.get("status", inquiry.status)
        closed_reason = changes.get("closed_reason", inquiry.closed_reason)
        raise_if("status", rules.edit_status_refusal(inquiry, status, closed_reason))
        change_status(inquiry=inquiry, status=status, closed_reason=closed_reason, by=by)
    if "next_follow_up_at" in changes:
        set_follow_up(inquiry=inquiry, when=changes["next_follow_up_at"], by=by)
    if rules.adds_entry(entry_kind, entry_body, outcome):
        add_timeline_entry(
            inquiry=inquiry,
            kind=entry_kind or ActivityKind.NOTE,
            body=entry_body,
            by=by,
            outcome=outcome,
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
