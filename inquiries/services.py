"""Admissions rules. Every write to an inquiry goes through a function here, so the timeline
is complete whatever path made the change: the public form, an admin edit, a bulk action or
a management command.
"""

import datetime
import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q, Value
from django.db.models.functions import StrIndex, Substr
from django.utils import timezone

from inquiries.models import (
    Activity,
    ActivityKind,
    ClosedReason,
    ContactMethod,
    Coverage,
    Inquiry,
    Notification,
    NotificationKind,
    StartTimeframe,
    Status,
)
from inquiries.tasks import enqueue_notification

User = get_user_model()


# --- Workflow: timeline, status, owner, follow-up, routing -------------------------------

# What staff write by hand on a timeline; everything else is written by the functions below.
STAFF_ENTRY_KINDS = (ActivityKind.NOTE, ActivityKind.CALL, ActivityKind.EMAIL, ActivityKind.TEXT)
CONTACT_KINDS = (ActivityKind.CALL, ActivityKind.EMAIL, ActivityKind.TEXT)
# Entries whose text is generated from staff names and statuses, never from what a prospect
# said: anonymisation keeps them (status changes lose their free-text note).
GENERATED_ENTRY_KINDS = (ActivityKind.ASSIGNMENT, ActivityKind.STATUS_CHANGE)


def add_activity(
    *,
    inquiry: Inquiry,
    kind: str,
    body: str = "",
    author=None,
    at: datetime.datetime | None = None,
) -> Activity:
    """Write one timeline entry. Entries are history: nothing edits or deletes them.

    `at` backdates the entry (demo data, imports); it defaults to now.
    """
    activity = Activity.objects.create(inquiry=inquiry, kind=kind, body=body, author=author)
    if at is not None:
        # created_at is auto_now_add: a past time can only be written after the insert.
        Activity.objects.filter(pk=activity.pk).update(created_at=at)
        activity.created_at = at
    return activity


def _display_name(user) -> str:
    return user.get_full_name() or user.get_username()


def can_assign_to_others(user) -> bool:
    """Managers may hand inquiries to anyone; representatives only take them for themselves."""
    return user.has_perm("inquiries.assign_inquiry")


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
        inquiry.first_contacted_at = at or timezone.now()
        fields.append("first_contacted_at")
    inquiry.save(update_fields=fields)

    after = inquiry.get_status_display()
    if closed_reason:
        after = f"{after} ({inquiry.get_closed_reason_display()})"
    body = f"{before} → {after}"
    if note:
        body = f"{body}\n{note}"
    add_activity(inquiry=inquiry, kind=ActivityKind.STATUS_CHANGE, body=body, author=by, at=at)
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

    `by=None` is the system (routing, commands) and may assign to anyone. A person without
    the "assign to others" permission may only take an unassigned inquiry (or one already
    theirs) for themselves.
    """
    if owner is not None and not (owner.is_staff and owner.is_active):
        raise ValidationError({"owner": "Only active staff members can own inquiries."})
    if by is not None and not can_assign_to_others(by):
        if owner is None or owner.pk != by.pk:
            raise PermissionDenied("You can assign inquiries to yourself only.")
        if inquiry.owner_id not in (None, by.pk):
            raise PermissionDenied("This inquiry already belongs to someone else.")
    if inquiry.owner_id == (owner.pk if owner else None):
        return inquiry
    inquiry.owner = owner
    inquiry.save(update_fields=["owner", "updated_at"])
    body = f"Assigned to {_display_name(owner)}" if owner else "Unassigned"
    add_activity(inquiry=inquiry, kind=ActivityKind.ASSIGNMENT, body=body, author=by, at=at)
    if owner and notify and owner.email and (by is None or by.pk != owner.pk):
        queue_notification(
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
    add_activity(inquiry=inquiry, kind=ActivityKind.NOTE, body=body, author=by, at=at)
    return inquiry


def add_note(*, inquiry: Inquiry, body: str, by, at: datetime.datetime | None = None) -> Activity:
    """A free-text note on the timeline."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write the note before saving it."})
    return add_activity(inquiry=inquiry, kind=ActivityKind.NOTE, body=body, author=by, at=at)


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
    if channel not in CONTACT_KINDS:
        raise ValidationError({"channel": "Choose call, email or text."})
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Say what happened on the call, email or text."})
    activity = add_activity(inquiry=inquiry, kind=channel, body=body, author=by, at=at)
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


@transaction.atomic
def update_inquiry(
    *, inquiry_id: int, changes: dict, by, entry_kind: str = "", entry_body: str = ""
) -> Inquiry:
    """Apply what a staff member changed on the inquiry's page, all or nothing.

    `changes` holds only the fields that changed: `owner`, `status` and `closed_reason`,
    `next_follow_up_at`. Each goes through its own rule above and leaves its own timeline
    entry; a non-blank `entry_body` adds a note, call, email or text (`entry_kind`). The
    inquiry is re-read under a row lock, so that the rules compare with what is stored now
    and two people saving at once queue up rather than write over each other.
    """
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry_id)
    if "owner" in changes:
        assign_owner(inquiry=inquiry, owner=changes["owner"], by=by)
    if "status" in changes or "closed_reason" in changes:
        change_status(
            inquiry=inquiry,
            status=changes.get("status", inquiry.status),
            closed_reason=changes.get("closed_reason", inquiry.closed_reason),
            by=by,
        )
    if "next_follow_up_at" in changes:
        set_follow_up(inquiry=inquiry, when=changes["next_follow_up_at"], by=by)
    if entry_body.strip():
        add_timeline_entry(inquiry=inquiry, kind=entry_kind, body=entry_body, by=by)
    return inquiry


def mark_contacted(*, inquiry: Inquiry, by) -> bool:
    """Move a new inquiry to contacted; later stages are left alone. True when it moved."""
    if inquiry.status != Status.NEW:
        return False
    change_status(inquiry=inquiry, status=Status.CONTACTED, by=by)
    return True


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


def route_new_inquiry(*, inquiry: Inquiry):
    """Assign a new inquiry round-robin among the active representatives covering its program.

    Returns the owner, or None when nobody covers the program (the inquiry stays unassigned
    for a manager to pick up). Must run inside the transaction that records the inquiry.
    """
    if inquiry.program_id is None:
        return None
    # Lock every coverage row of the program, not just the chosen one: two inquiries routed
    # at once then queue up and see each other's last_assigned_at.
    coverages = list(
        Coverage.objects.select_for_update(of=("self",))
        .filter(
            program_id=inquiry.program_id,
            representative__is_active=True,
            representative__is_staff=True,
        )
        .select_related("representative")
    )
    if not coverages:
        return None
    coverage = min(
        coverages,
        key=lambda c: (0, c.pk) if c.last_assigned_at is None else (1, c.last_assigned_at, c.pk),
    )
    coverage.last_assigned_at = timezone.now()
    coverage.save(update_fields=["last_assigned_at"])
    assign_owner(inquiry=inquiry, owner=coverage.representative, by=None)
    return coverage.representative


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
        .exclude(kind__in=GENERATED_ENTRY_KINDS)
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


# Stands for a related object's name in an anonymised inquiry's admin history.
REMOVED_FROM_HISTORY = "(removed)"


def _anonymise_admin_history(inquiry_ids: list[int]) -> None:
    """Stop the Django admin's history of these inquiries naming the prospect.

    Each LogEntry ("Recent actions", the inquiry's history page) keeps the name str() gave when
    it was written: object_repr becomes what str() gives now ("Inquiry 42"). Of the change
    message, the admin's own JSON keeps its field labels, but the names of related objects
    are replaced; any other text could quote the prospect and is emptied.
    """
    # Imported here so that this module's imports stay as they are for the capture code.
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

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
    import json

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


# --- Capture: the request-info form, dedupe, spam, notifications ---------------------------


def queue_notification(
    *, inquiry: Inquiry, kind: str, recipient: str, submission: dict | None = None
) -> Notification | None:
    """Record that an email is owed and queue its sending once the transaction commits.

    The row is written inside the caller's transaction, so a rolled-back inquiry owes no
    email, and a committed one always shows what was owed even if the task never runs.
    """
    if not recipient:
        return None
    notification = Notification.objects.create(
        inquiry=inquiry, kind=kind, recipient=recipient, submission=submission or {}
    )
    transaction.on_commit(
        lambda pk=notification.pk: enqueue_notification(notification_id=pk), robust=True
    )
    return notification


# The consent checkbox covers both of these channels.
CONSENT_CHANNELS = "phone,text"

# Where a repeat submission came from, for the timeline.
_ATTRIBUTION_LINES = (
    ("source_page", "Sent from"),
    ("referrer", "Referrer"),
    ("utm_source", "utm_source"),
    ("utm_medium", "utm_medium"),
    ("utm_campaign", "utm_campaign"),
)

# What the form asked, in the order staff read it on the timeline.
_REQUEST_LINES = (
    ("program", "Program"),
    ("campus", "Campus"),
    ("start_timeframe", "Hopes to start"),
    ("contact_method", "Preferred contact"),
)


def _describe_request(cleaned_data: dict) -> str:
    lines = []
    for name, label in _REQUEST_LINES:
        value = cleaned_data.get(name)
        if name == "start_timeframe" and value:
            value = StartTimeframe(value).label
        elif name == "contact_method" and value:
            value = ContactMethod(value).label
        if value:
            lines.append(f"{label}: {value}")
    consent = "given" if cleaned_data.get("consent") else "not given"
    lines.append(f"Consent to calls and texts: {consent}")
    if cleaned_data.get("message"):
        lines.append(f"Message:\n{cleaned_data['message']}")
    return "\n".join(lines)


def _consent_fields(*, given: bool, text: str, version: str) -> dict:
    return {
        "consent_given": given,
        "consent_text": text,
        "consent_version": version,
        "consent_channels": CONSENT_CHANNELS if given else "",
        "consented_at": timezone.now() if given else None,
    }


def _lock_person(*, email: str, phone: str) -> None:
    """Serialise submissions from one person until the transaction ends.

    Locking the rows find_open_inquiry reads cannot stop a double click: when nobody has an
    open inquiry yet there is no row to lock, and both requests would create one. On
    PostgreSQL a transaction-level advisory lock per email and per phone makes the second
    request wait and then find the first one's inquiry. (SQLite runs one writer at a time.)
    """
    if connection.vendor != "postgresql":
        return
    keys = sorted({f"email:{email.lower()}", *([f"phone:{phone}"] if phone else [])})
    with connection.cursor() as cursor:
        for key in keys:  # always in the same order, so two requests never deadlock
            digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)]
            )


def find_open_inquiry(*, email: str, phone: str = "") -> Inquiry | None:
    """The earliest open inquiry of the same person: same email (any case) or same phone."""
    same_person = Q(email__iexact=email)
    if phone:
        same_person |= Q(phone=phone)
    return (
        Inquiry.objects.open()
        .filter(same_person)
        .select_related("owner")
        .select_for_update(of=("self",))
        .order_by("submitted_at", "id")
        .first()
    )


def _record_repeat(
    *,
    earlier: Inquiry,
    cleaned_data: dict,
    attribution: dict,
    consent_text: str,
    consent_version: str,
) -> Inquiry:
    email, phone = cleaned_data["email"], cleaned_data.get("phone", "")
    same_email = email.lower() == earlier.email.lower()
    matched = "same email" if same_email else "same phone number"
    details = [f"Sent the form again ({matched})."]
    typed = {
        "Name": f"{cleaned_data['first_name']} {cleaned_data['last_name']}",
        "Email": email,
        "Phone": phone,
    }
    current = {
        "Name": f"{earlier.first_name} {earlier.last_name}",
        "Email": earlier.email,
        "Phone": earlier.phone,
    }
    details += [f"{key} given: {value}" for key, value in typed.items() if value != current[key]]
    details.append(_describe_request(cleaned_data))
    details += [
        f"{label}: {attribution[name]}"
        for name, label in _ATTRIBUTION_LINES
        if attribution.get(name)
    ]

    # With the same email it is surely the same person: a blank phone is filled in and newly
    # given consent is recorded, both their latest word. A match on the phone alone may be
    # someone else (a shared family phone), so nothing of theirs touches this record. Nothing
    # else typed overwrites what staff already work with.
    changed = []
    if same_email and phone and not earlier.phone:
        earlier.phone = phone
        changed.append("phone")
    if same_email and cleaned_data.get("consent") and not earlier.consent_given:
        for field, value in _consent_fields(
            given=True, text=consent_text, version=consent_version
        ).items():
            setattr(earlier, field, value)
            changed.append(field)
    earlier.save(update_fields=[*changed, "updated_at"])
    add_activity(inquiry=earlier, kind=ActivityKind.REPEAT_SUBMISSION, body="\n".join(details))

    owner = earlier.owner
    recipient = (
        owner.email if owner and owner.is_active and owner.email else settings.ADMISSIONS_EMAIL
    )
    # Both emails speak of what was just sent, never of the earlier record: whoever typed
    # another person's phone number must not learn their name or how they like to be reached.
    submission = {
        "first_name": cleaned_data["first_name"],
        "email": email,
        "contact_method": cleaned_data.get("contact_method") or ContactMethod.EMAIL,
        "program": str(cleaned_data["program"]) if cleaned_data.get("program") else "",
    }
    queue_notification(
        inquiry=earlier,
        kind=NotificationKind.REPEAT_ALERT,
        recipient=recipient,
        submission=submission,
    )
    queue_notification(
        inquiry=earlier,
        kind=NotificationKind.CONFIRMATION,
        recipient=email,
        submission=submission,
    )
    return earlier


def record_inquiry(
    *,
    cleaned_data: dict,
    attribution: dict,
    spam_signal: str = "",
    consent_text: str = "",
    consent_version: str = "",
) -> Inquiry:
    """Save a request-info submission with its first timeline entry, in one transaction.

    - A bot (`spam_signal` set) is stored closed as spam for audit: no routing, no email.
    - A person with an open inquiry already (same email or phone) gets an "asked again" entry
      on that inquiry instead of a second lead, and its owner is told.
    - Otherwise a new inquiry is routed to a representative, and the admissions inbox and
      the prospect are emailed once the transaction has committed.

    Returns the inquiry the submission landed on.
    """
    fields = {
        "first_name": cleaned_data["first_name"],
        "last_name": cleaned_data["last_name"],
        "email": cleaned_data["email"],
        "phone": cleaned_data.get("phone", ""),
        "postal_code": cleaned_data["postal_code"],
        "program": cleaned_data.get("program"),
        "campus": cleaned_data.get("campus"),
        "start_timeframe": cleaned_data.get("start_timeframe", ""),
        "contact_method": cleaned_data.get("contact_method") or ContactMethod.EMAIL,
        "message": cleaned_data.get("message", ""),
        **_consent_fields(
            given=bool(cleaned_data.get("consent")), text=consent_text, version=consent_version
        ),
    }
    for name in ("source_page", "referrer", "utm_source", "utm_medium", "utm_campaign"):
        max_length = Inquiry._meta.get_field(name).max_length
        fields[name] = (attribution.get(name) or "")[:max_length]

    with transaction.atomic():
        if spam_signal:
            inquiry = Inquiry.objects.create(
                **fields,
                status=Status.CLOSED,
                closed_reason=ClosedReason.SPAM,
                spam_signal=spam_signal[: Inquiry._meta.get_field("spam_signal").max_length],
            )
            add_activity(
                inquiry=inquiry,
                kind=ActivityKind.SUBMITTED,
                body=f"Held as spam ({spam_signal}): not routed, nobody emailed.\n"
                + _describe_request(cleaned_data),
            )
            return inquiry

        _lock_person(email=fields["email"], phone=fields["phone"])
        earlier = find_open_inquiry(email=fields["email"], phone=fields["phone"])
        if earlier is not None:
            return _record_repeat(
                earlier=earlier,
                cleaned_data=cleaned_data,
                attribution={name: fields[name] for name, _ in _ATTRIBUTION_LINES},
                consent_text=consent_text,
                consent_version=consent_version,
            )

        inquiry = Inquiry.objects.create(**fields)
        add_activity(
            inquiry=inquiry, kind=ActivityKind.SUBMITTED, body=_describe_request(cleaned_data)
        )
        route_new_inquiry(inquiry=inquiry)
        queue_notification(
            inquiry=inquiry,
            kind=NotificationKind.ADMISSIONS_ALERT,
            recipient=settings.ADMISSIONS_EMAIL,
        )
        queue_notification(
            inquiry=inquiry, kind=NotificationKind.CONFIRMATION, recipient=inquiry.email
        )
        return inquiry
