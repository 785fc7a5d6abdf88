"""One person's data on request: everything held about them as a file, or its erasure.

A person is an email address (any case, spaces around it ignored): their inquiries are those
with that email and those with a later submission from it (one they sent again, or one a
manager merged in). Both requests are logged (DataRequestLog: kind, who, when, which
inquiries) and noted on each inquiry's timeline, never with what was exported or erased.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from inquiries.models import (
    Activity,
    ActivityKind,
    ClosedReason,
    DataRequestKind,
    DataRequestLog,
    Inquiry,
    Notification,
    RepeatSubmission,
    Status,
)
from inquiries.selectors import staff_name
from inquiries.services import retention

PERMISSION = "inquiries.manage_personal_data"

INQUIRY_FIELDS = (
    "id",
    "submitted_at",
    "first_name",
    "last_name",
    "email",
    "phone",
    "postal_code",
    "program",
    "campus",
    "start_timeframe",
    "contact_method",
    "message",
    "source_page",
    "referrer",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "status",
    "closed_reason",
    "owner",
    "next_follow_up_at",
    "first_attempted_at",
    "first_contacted_at",
    "updated_at",
    "held_at",
    "released_at",
    "spam_signal",
)
CONSENT_FIELDS = (
    "consent_given",
    "consent_text",
    "consent_version",
    "consent_channels",
    "consented_at",
    "may_email",
    "may_call",
    "may_text",
)
SUBMISSION_FIELDS = (
    "kind",
    "submitted_at",
    "first_name",
    "last_name",
    "email",
    "phone",
    "postal_code",
    "program",
    "campus",
    "start_timeframe",
    "contact_method",
    "message",
    "consent_given",
    "source_page",
    "referrer",
    "utm_source",
    "utm_medium",
    "utm_campaign",
)
NOTIFICATION_FIELDS = (
    "kind",
    "recipient",
    "subject",
    "body",
    "sent_by",
    "status",
    "attempts",
    "created_at",
    "sent_at",
    "submission",
)


def normalise_email(email: str) -> str:
    """The address as a person is matched by; refuses an empty one (anonymised inquiries
    have an empty email and belong to nobody)."""
    email = (email or "").strip()
    if not email:
        raise ValueError("An email address is needed to find a person's data.")
    return email


def inquiries_of(email: str):
    """The inquiries held about the person with this email address."""
    email = normalise_email(email)
    from_submissions = RepeatSubmission.objects.filter(email__iexact=email).values("inquiry_id")
    return Inquiry.objects.filter(Q(email__iexact=email) | Q(pk__in=from_submissions)).order_by(
        "submitted_at", "pk"
    )


def summary(*, email: str) -> dict[str, int]:
    """How much is held about the person: counts only, for a confirmation page."""
    ids = list(inquiries_of(email).values_list("pk", flat=True))
    return {
        "inquiries": len(ids),
        "submissions": RepeatSubmission.objects.filter(inquiry_id__in=ids).count(),
        "entries": Activity.objects.filter(inquiry_id__in=ids).count(),
        "notifications": Notification.objects.filter(inquiry_id__in=ids).count(),
    }


def export_person(*, email: str, by) -> dict:
    """Everything held about the person with this email address, as JSON-ready data: their
    inquiries with consent, timeline, emails and later submissions. Logged and noted on each
    inquiry's timeline."""
    _check_permission(by)
    now = timezone.now()
    with transaction.atomic():
        inquiries = list(
            inquiries_of(email)
            .select_related("program", "campus", "owner")
            .prefetch_related(
                "activities__author", "notifications__sent_by", "submissions__program"
            )
            .prefetch_related("submissions__campus")
        )
        data = {
            "exported_at": _value(now),
            "held_by": settings.INSTITUTION_NAME,
            "email": normalise_email(email),
            "inquiries": [_inquiry_data(inquiry) for inquiry in inquiries],
        }
        _log(
            kind=DataRequestKind.EXPORT,
            by=by,
            ids=[inquiry.pk for inquiry in inquiries],
            body="Everything held about this person was downloaded on request",
        )
    return data


def erase_person(*, email: str, by) -> int:
    """Erase the personal data of every inquiry held about the person with this email
    address (see `retention.remove_personal_data`), under their row locks. Logged and noted
    on each inquiry's timeline after the erasure. Returns how many inquiries were erased."""
    _check_permission(by)
    with transaction.atomic():
        ids = list(
            Inquiry.objects.filter(pk__in=inquiries_of(email).values("pk"))
            .select_for_update(of=("self",))
            .values_list("pk", flat=True)
        )
        if ids:
            retention.remove_personal_data(inquiry_ids=ids, now=timezone.now())
            # Someone who asked to be erased is not to be contacted: nothing of theirs stays
            # in a queue, and no channel stays open.
            erased = Inquiry.objects.filter(pk__in=ids)
            erased.update(may_email=False, may_call=False, may_text=False)
            erased.exclude(status=Status.CLOSED).update(
                status=Status.CLOSED, closed_reason=ClosedReason.NOT_INTERESTED
            )
        _log(
            kind=DataRequestKind.ERASURE,
            by=by,
            ids=ids,
            body="Personal data erased on request; closed, and no channel open to contact",
        )
    return len(ids)


def export_filename(*, inquiry_ids: list[int], now: datetime.datetime | None = None) -> str:
    """A file name that says what the file is without naming the person."""
    day = timezone.localdate(now or timezone.now()).isoformat()
    first = f"-inquiry-{inquiry_ids[0]}" if inquiry_ids else ""
    return f"personal-data{first}-{day}.json"


def _check_permission(user) -> None:
    if not user.has_perm(PERMISSION):
        raise PermissionDenied("Only managers may export or erase a person's data.")


def _log(*, kind: str, by, ids: list[int], body: str) -> DataRequestLog:
    entry = DataRequestLog.objects.create(kind=kind, requested_by=by, inquiry_ids=ids)
    Activity.objects.bulk_create(
        [
            Activity(
                inquiry_id=pk,
                kind=ActivityKind.DATA_REQUEST,
                author=by,
                body=f"{body} (personal data request {entry.pk}).",
            )
            for pk in ids
        ]
    )
    return entry


def _value(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "_meta"):
        return staff_name(value) if hasattr(value, "get_username") else str(value)
    return value


def _fields(obj, names) -> dict:
    data = {}
    for name in names:
        field = obj._meta.get_field(name)
        if field.is_relation:
            data[name] = _value(getattr(obj, name))
        elif field.choices:
            data[name] = getattr(obj, f"get_{name}_display")()
        else:
            data[name] = _value(getattr(obj, name))
    return data


def _inquiry_data(inquiry: Inquiry) -> dict:
    data = _fields(inquiry, INQUIRY_FIELDS)
    # Ids only: the other inquiry may be someone else's.
    data["possible_duplicate_of"] = inquiry.possible_duplicate_of_id
    data["merged_into"] = inquiry.merged_into_id
    data["consent"] = _fields(inquiry, CONSENT_FIELDS)
    data["timeline"] = [
        {
            "kind": entry.get_kind_display(),
            "outcome": entry.get_outcome_display(),
            "at": _value(entry.created_at),
            "by": staff_name(entry.author) or "the system",
            "text": entry.body,
        }
        for entry in sorted(inquiry.activities.all(), key=lambda e: (e.created_at, e.pk))
    ]
    data["emails"] = [_fields(n, NOTIFICATION_FIELDS) for n in inquiry.notifications.all()]
    data["later_submissions"] = [_fields(s, SUBMISSION_FIELDS) for s in inquiry.submissions.all()]
    return data
