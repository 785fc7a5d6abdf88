"""Recording what a prospect sent from the request-info form: a new inquiry routed and
announced, a repeat joined to the same person's open inquiry, or spam held for review."""

import dataclasses
import hashlib

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from inquiries.models import (
    ATTRIBUTION_FIELDS,
    ActivityKind,
    Attribution,
    ClosedReason,
    ContactMethod,
    Inquiry,
    NotificationKind,
    StartTimeframe,
    Status,
)
from inquiries.services import notifications, routing, timeline
from programs.models import Campus, Program

# The consent checkbox covers both of these channels.
CONSENT_CHANNELS = "phone,text"

# How the timeline names the attribution fields; the campaign's go by their own names.
_ATTRIBUTION_LABELS = {"source_page": "Sent from", "referrer": "Referrer"}


@dataclasses.dataclass(frozen=True, kw_only=True)
class Submission:
    """What a prospect sent, once the form has checked and cleaned it."""

    first_name: str
    last_name: str
    email: str
    postal_code: str
    phone: str = ""  # E.164, or empty
    program: Program | None = None
    campus: Campus | None = None
    start_timeframe: str = ""
    contact_method: str = ContactMethod.EMAIL
    message: str = ""
    consent: bool = False  # to calls and texts
    attribution: Attribution = dataclasses.field(default_factory=Attribution)


def _describe_request(submission: Submission) -> str:
    """What the form asked, in the order staff read it on the timeline."""
    start = submission.start_timeframe
    method = submission.contact_method
    answers = (
        ("Program", submission.program),
        ("Campus", submission.campus),
        ("Hopes to start", StartTimeframe(start).label if start else ""),
        ("Preferred contact", ContactMethod(method).label if method else ""),
    )
    lines = [f"{label}: {value}" for label, value in answers if value]
    consent = "given" if submission.consent else "not given"
    lines.append(f"Consent to calls and texts: {consent}")
    if submission.message:
        lines.append(f"Message:\n{submission.message}")
    return "\n".join(lines)


def _attribution_fields(attribution: Attribution) -> dict[str, str]:
    return {
        name: (getattr(attribution, name) or "")[: Inquiry._meta.get_field(name).max_length]
        for name in ATTRIBUTION_FIELDS
    }


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
    submission: Submission,
    attribution: dict[str, str],
    consent_text: str,
    consent_version: str,
) -> Inquiry:
    email, phone = submission.email, submission.phone
    same_email = email.lower() == earlier.email.lower()
    matched = "same email" if same_email else "same phone number"
    details = [f"Sent the form again ({matched})."]
    typed = {
        "Name": f"{submission.first_name} {submission.last_name}",
        "Email": email,
        "Phone": phone,
    }
    current = {
        "Name": f"{earlier.first_name} {earlier.last_name}",
        "Email": earlier.email,
        "Phone": earlier.phone,
    }
    details += [f"{key} given: {value}" for key, value in typed.items() if value != current[key]]
    details.append(_describe_request(submission))
    details += [
        f"{_ATTRIBUTION_LABELS.get(name, name)}: {value}"
        for name, value in attribution.items()
        if value
    ]

    # With the same email it is surely the same person: a blank phone is filled in and newly
    # given consent is recorded, both their latest word. A match on the phone alone may be
    # someone else (a shared family phone), so nothing of theirs touches this record. Nothing
    # else typed overwrites what staff already work with.
    changed = []
    if same_email and phone and not earlier.phone:
        earlier.phone = phone
        changed.append("phone")
    if same_email and submission.consent and not earlier.consent_given:
        for field, value in _consent_fields(
            given=True, text=consent_text, version=consent_version
        ).items():
            setattr(earlier, field, value)
            changed.append(field)
    earlier.save(update_fields=[*changed, "updated_at"])
    timeline.add_activity(
        inquiry=earlier, kind=ActivityKind.REPEAT_SUBMISSION, body="\n".join(details)
    )

    owner = earlier.owner
    recipient = (
        owner.email if owner and owner.is_active and owner.email else settings.ADMISSIONS_EMAIL
    )
    # Both emails speak of what was just sent, never of the earlier record: whoever typed
    # another person's phone number must not learn their name or how they like to be reached.
    sent = {
        "first_name": submission.first_name,
        "email": email,
        "contact_method": submission.contact_method or ContactMethod.EMAIL,
        "program": str(submission.program) if submission.program else "",
    }
    notifications.queue_notification(
        inquiry=earlier, kind=NotificationKind.REPEAT_ALERT, recipient=recipient, submission=sent
    )
    notifications.queue_notification(
        inquiry=earlier, kind=NotificationKind.CONFIRMATION, recipient=email, submission=sent
    )
    return earlier


def record_inquiry(
    *,
    submission: Submission,
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

    `consent_text` and `consent_version` are the wording the prospect was shown. Returns the
    inquiry the submission landed on.
    """
    attribution = _attribution_fields(submission.attribution)
    fields = {
        "first_name": submission.first_name,
        "last_name": submission.last_name,
        "email": submission.email,
        "phone": submission.phone,
        "postal_code": submission.postal_code,
        "program": submission.program,
        "campus": submission.campus,
        "start_timeframe": submission.start_timeframe,
        "contact_method": submission.contact_method or ContactMethod.EMAIL,
        "message": submission.message,
        **_consent_fields(given=submission.consent, text=consent_text, version=consent_version),
        **attribution,
    }

    with transaction.atomic():
        if spam_signal:
            inquiry = Inquiry.objects.create(
                **fields,
                status=Status.CLOSED,
                closed_reason=ClosedReason.SPAM,
                spam_signal=spam_signal[: Inquiry._meta.get_field("spam_signal").max_length],
            )
            timeline.add_activity(
                inquiry=inquiry,
                kind=ActivityKind.SUBMITTED,
                body=f"Held as spam ({spam_signal}): not routed, nobody emailed.\n"
                + _describe_request(submission),
            )
            return inquiry

        _lock_person(email=submission.email, phone=submission.phone)
        earlier = find_open_inquiry(email=submission.email, phone=submission.phone)
        if earlier is not None:
            return _record_repeat(
                earlier=earlier,
                submission=submission,
                attribution=attribution,
                consent_text=consent_text,
                consent_version=consent_version,
            )

        inquiry = Inquiry.objects.create(**fields)
        timeline.add_activity(
            inquiry=inquiry, kind=ActivityKind.SUBMITTED, body=_describe_request(submission)
        )
        routing.route_new_inquiry(inquiry=inquiry)
        notifications.queue_notification(
            inquiry=inquiry,
            kind=NotificationKind.ADMISSIONS_ALERT,
            recipient=settings.ADMISSIONS_EMAIL,
        )
        notifications.queue_notification(
            inquiry=inquiry, kind=NotificationKind.CONFIRMATION, recipient=inquiry.email
        )
        return inquiry
