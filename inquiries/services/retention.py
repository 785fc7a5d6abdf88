"""Removing the personal data of inquiries nobody has worked on for long, keeping what reports
count. Each status that ends (or pauses) the funnel has its own age; open inquiries (new,
contacted, appointment) are never anonymised by age."""

import datetime
import json
from collections.abc import Iterable

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Value
from django.db.models.functions import StrIndex, Substr
from django.utils import timezone

from inquiries.models import (
    Activity,
    ActivityKind,
    Inquiry,
    Notification,
    RepeatSubmission,
    Status,
)
from inquiries.services import timeline

# Stands for a related object's name in an anonymised inquiry's admin history.
REMOVED_FROM_HISTORY = "(removed)"

# The statuses that lose their personal data after an age, in the order the command reports.
RETAINED_STATUSES = (Status.APPLIED, Status.ENROLLED, Status.CLOSED, Status.HELD)

# How each status reads in "Personal data removed after 730 days closed."
_STATUS_WORDS = {
    Status.APPLIED: "applied",
    Status.ENROLLED: "enrolled",
    Status.CLOSED: "closed",
    Status.HELD: "held for review",
}

# Timeline entries the services write without anything the prospect said: kept whole.
_KEPT_ENTRY_KINDS = (*timeline.GENERATED_ENTRY_KINDS, ActivityKind.DATA_REQUEST)

INQUIRY_PERSONAL_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "postal_code",
    "message",
    "referrer",
)
SUBMISSION_PERSONAL_FIELDS = INQUIRY_PERSONAL_FIELDS


def retention_ages() -> dict[str, int]:
    """Days of no activity after which each status loses its personal data (the settings)."""
    return {
        Status.APPLIED: settings.INQUIRY_RETENTION_DAYS_APPLIED,
        Status.ENROLLED: settings.INQUIRY_RETENTION_DAYS_ENROLLED,
        Status.CLOSED: settings.INQUIRY_RETENTION_DAYS,
        Status.HELD: settings.INQUIRY_RETENTION_DAYS_HELD,
    }


def anonymise_inquiries(
    *,
    now: datetime.datetime | None = None,
    dry_run: bool = False,
    ages: dict[str, int] | None = None,
) -> dict[str, dict[str, int]]:
    """Anonymise the applied, enrolled, closed and held inquiries untouched for their status's
    age (`ages`, days per status; the settings for any status it leaves out).

    Returns, per status, how many inquiries and timeline entries with free text changed (or
    would, with `dry_run`).
    """
    now = now or timezone.now()
    ages = {**retention_ages(), **(ages or {})}
    unknown = set(ages) - set(RETAINED_STATUSES)
    if unknown:
        raise ValueError(f"Open inquiries are never anonymised by age: {sorted(unknown)}")
    return {
        status: _anonymise_status(status, older_than_days=ages[status], dry_run=dry_run, now=now)
        for status in RETAINED_STATUSES
    }


def anonymise_closed_inquiries(
    *, older_than_days: int, dry_run: bool = False, now: datetime.datetime | None = None
) -> dict[str, int]:
    """Anonymise the closed inquiries untouched for `older_than_days` days (see
    `anonymise_inquiries`); returns how many inquiries and timeline entries changed."""
    return _anonymise_status(
        Status.CLOSED, older_than_days=older_than_days, dry_run=dry_run, now=now or timezone.now()
    )


def _anonymise_status(
    status: str, *, older_than_days: int, dry_run: bool, now: datetime.datetime
) -> dict[str, int]:
    if older_than_days < 1:
        raise ValueError("A retention age is at least one day.")
    cutoff = now - datetime.timedelta(days=older_than_days)
    # Untouched: neither the inquiry nor its timeline (a note, a call) changed since the cutoff.
    # A download of their data on request is no work with the person: it postpones nothing.
    worked_on = Activity.objects.filter(inquiry=OuterRef("pk"), created_at__gte=cutoff).exclude(
        kind=ActivityKind.DATA_REQUEST
    )
    candidates = Inquiry.objects.filter(
        status=status, anonymised_at__isnull=True, updated_at__lt=cutoff
    ).exclude(Exists(worked_on))
    if dry_run:
        return anonymisation_counts(list(candidates.values_list("pk", flat=True)))
    with transaction.atomic():
        # Decided under the row lock, so an inquiry reopened or worked on meanwhile is left alone.
        ids = list(candidates.select_for_update(of=("self",)).values_list("pk", flat=True))
        counts = anonymisation_counts(ids)
        if ids:
            remove_personal_data(inquiry_ids=ids, now=now)
            Activity.objects.bulk_create(
                [
                    Activity(
                        inquiry_id=pk,
                        kind=ActivityKind.NOTE,
                        body=f"Personal data removed after {older_than_days} days "
                        f"{_STATUS_WORDS[status]}.",
                    )
                    for pk in ids
                ],
                batch_size=500,
            )
    return counts


def remove_personal_data(*, inquiry_ids: Iterable[int], now: datetime.datetime) -> None:
    """Empty every personal field of these inquiries, of their later submissions and of their
    emails, the free text of their timelines, and stop the admin's history naming them.

    The caller holds the inquiries' row locks (inside its transaction). What reports count
    stays: status, closed reason, program, campus, dates, source page and campaign.
    """
    ids = list(inquiry_ids)
    due = Inquiry.objects.filter(pk__in=ids)
    _free_text(due).update(body="")
    _status_notes(due).update(body=Substr("body", 1, StrIndex("body", Value("\n")) - 1))
    # A reply written to the prospect quotes them by name: its subject and body go too.
    Notification.objects.filter(inquiry__in=due).update(
        recipient="", last_error="", submission={}, subject="", body=""
    )
    RepeatSubmission.objects.filter(inquiry__in=due).update(
        **dict.fromkeys(SUBMISSION_PERSONAL_FIELDS, "")
    )
    due.update(
        **dict.fromkeys(INQUIRY_PERSONAL_FIELDS, ""),
        next_follow_up_at=None,
        anonymised_at=now,
        updated_at=now,
    )
    _anonymise_admin_history(ids)


def _free_text(inquiries):
    """Timeline entries whose text could quote the prospect."""
    return (
        Activity.objects.filter(inquiry__in=inquiries)
        .exclude(kind__in=_KEPT_ENTRY_KINDS)
        .exclude(body="")
    )


def _status_notes(inquiries):
    """Status changes that carry a staff note after their first line."""
    return Activity.objects.filter(
        inquiry__in=inquiries, kind=ActivityKind.STATUS_CHANGE, body__contains="\n"
    )


def anonymisation_counts(ids: list[int]) -> dict[str, int]:
    """How many inquiries, and timeline entries with free text, anonymising `ids` changes."""
    due = Inquiry.objects.filter(pk__in=ids)
    return {
        "inquiries": len(ids),
        "entries": _free_text(due).count() + _status_notes(due).count(),
    }


def _anonymise_admin_history(inquiry_ids: list[int]) -> None:
    """Stop the Django admin's history of these inquiries naming the prospect.

    Each LogEntry ("Recent actions", the inquiry's history page) keeps the name str() gave when
    it was written: object_repr becomes what str() gives now ("Inquiry 42"). Of the change
    message, the admin's own JSON keeps its field labels, but the names of related objects
    are replaced; any other text could quote the prospect and is emptied.
    """
    content_type = ContentType.objects.get_for_model(Inquiry, for_concrete_model=False)
    for start in range(0, len(inquiry_ids), 500):
        chunk = [str(pk) for pk in inquiry_ids[start : start + 500]]
        entries = list(
            LogEntry.objects.filter(content_type=content_type, object_id__in=chunk).only(
                "pk", "object_id", "change_message"
            )
        )
        for entry in entries:
            entry.object_repr = str(Inquiry(pk=int(entry.object_id), first_name="", last_name=""))
            entry.change_message = _change_message_without_personal_text(entry.change_message)
        LogEntry.objects.bulk_update(entries, ["object_repr", "change_message"], batch_size=500)


def _change_message_without_personal_text(message: str) -> str:
    """The admin's JSON change message with related objects' names replaced, or "" for any
    message that is not in that form (free text that may quote the prospect)."""
    try:
        parts = json.loads(message)
    except ValueError:
        return ""
    if not isinstance(parts, list):
        return ""
    for part in parts:
        if not isinstance(part, dict):
            return ""
        for action, details in part.items():
            if action not in ("added", "changed", "deleted") or not isinstance(details, dict):
                return ""
            if set(details) - {"name", "object", "fields"}:
                return ""
            if "object" in details:
                details["object"] = REMOVED_FROM_HISTORY
    return json.dumps(parts)
