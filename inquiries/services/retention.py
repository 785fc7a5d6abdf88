"""Removing the personal data of inquiries closed long ago, keeping what reports count."""

import datetime
import json

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import StrIndex, Substr
from django.utils import timezone

from inquiries.models import Activity, ActivityKind, Inquiry, Notification, Status
from inquiries.services import timeline

# Stands for a related object's name in an anonymised inquiry's admin history.
REMOVED_FROM_HISTORY = "(removed)"


def anonymise_closed_inquiries(
    *, older_than_days: int, dry_run: bool = False, now: datetime.datetime | None = None
) -> dict[str, int]:
    """Remove the personal data of closed inquiries untouched for `older_than_days` days.

    Names, email, phone, ZIP code, message and referrer are emptied, and so is the text of
    every timeline entry that could quote the prospect; the admin's history of the inquiries
    stops naming them too. What reports count stays: status, closed reason, program, campus,
    dates, source page and campaign. Returns how many inquiries and timeline entries were
    changed (or would be, with `dry_run`).
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=older_than_days)
    # Untouched: neither the inquiry nor its timeline (a note, a call) changed since the cutoff.
    candidates = Inquiry.objects.filter(
        status=Status.CLOSED, anonymised_at__isnull=True, updated_at__lt=cutoff
    ).exclude(activities__created_at__gte=cutoff)
    if dry_run:
        return _anonymisation_counts(list(candidates.values_list("pk", flat=True)))
    with transaction.atomic():
        # Decided under the row lock, so an inquiry reopened meanwhile is left alone.
        ids = list(candidates.select_for_update(of=("self",)).values_list("pk", flat=True))
        counts = _anonymisation_counts(ids)
        if not ids:
            return counts
        due = Inquiry.objects.filter(pk__in=ids)
        _free_text(due).update(body="")
        _status_notes(due).update(body=Substr("body", 1, StrIndex("body", Value("\n")) - 1))
        Notification.objects.filter(inquiry__in=due).update(
            recipient="", last_error="", submission={}
        )
        Activity.objects.bulk_create(
            [
                Activity(
                    inquiry_id=pk,
                    kind=ActivityKind.NOTE,
                    body=f"Personal data removed after {older_than_days} days closed.",
                )
                for pk in ids
            ],
            batch_size=500,
        )
        due.update(
            first_name="",
            last_name="",
            email="",
            phone="",
            postal_code="",
            message="",
            referrer="",
            anonymised_at=now,
            updated_at=now,
        )
        _anonymise_admin_history(ids)
    return counts


def _free_text(inquiries):
    """Timeline entries whose text could quote the prospect."""
    return (
        Activity.objects.filter(inquiry__in=inquiries)
        .exclude(kind__in=timeline.GENERATED_ENTRY_KINDS)
        .exclude(body="")
    )


def _status_notes(inquiries):
    """Status changes that carry a staff note after their first line."""
    return Activity.objects.filter(
        inquiry__in=inquiries, kind=ActivityKind.STATUS_CHANGE, body__contains="\n"
    )


def _anonymisation_counts(ids: list[int]) -> dict[str, int]:
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
