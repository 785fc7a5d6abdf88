"""Recording what a prospect sent from the request-info form: a new inquiry routed and
announced, a repeat joined to the same person's open inquiry, or possible spam held for a
manager's review.

One person is one email address. A repeat with the same email (any case) joins that
person's open inquiry, its own form kept whole as a RepeatSubmission. A phone number shared
with another open inquiry under a different email never joins it (a family phone, an office
line, a typo): it makes a new inquiry marked as a possible duplicate of the other, for a
manager to merge if they are one person. Names only ever hint.
"""

import dataclasses
import hashlib

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation

from inquiries.attribution import ATTRIBUTION_FIELDS, Attribution
from inquiries.models import (
    Activity,
    ActivityKind,
    ContactMethod,
    Inquiry,
    NotificationKind,
    RepeatSubmission,
    StartTimeframe,
    Status,
)
from inquiries.services import notifications, routing, timeline, workflow
from inquiries.spam import NO_SIGNALS, SpamCheck
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
    language: str = ""  # of the form sent: the prospect's emails go in it (default English)


def supported_language(code: str) -> str:
    """`code` as one of settings.LANGUAGES ("es-pr" is "es"), else the site's default."""
    try:
        return translation.get_supported_language_variant(code or "")
    except LookupError:
        return settings.LANGUAGE_CODE


def _describe_request(submission: Submission) -> str:
    """What the form asked, in the order staff read it on the timeline (in English, the
    staff's language, whatever the form's)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _describe_request_in_active_language(submission)


def _describe_request_in_active_language(submission: Submission) -> str:
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
    language = supported_language(submission.language)
    if language != settings.LANGUAGE_CODE:
        lines.append(f"Form language: {translation.get_language_info(language)['name']}")
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


def lock_person(email: str) -> None:
    """Serialise submissions from one email address until the transaction ends.

    Locking the rows find_open_inquiry reads cannot stop a double click: when nobody has an
    open inquiry yet there is no row to lock, and both requests would create one. On
    PostgreSQL a transaction-level advisory lock per email makes the second request wait and
    then find the first one's inquiry. (SQLite runs one writer at a time.)
    """
    if connection.vendor != "postgresql":
        return
    digest = hashlib.blake2b(f"email:{email.lower()}".encode(), digest_size=8).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)]
        )


def find_open_inquiry(*, email: str) -> Inquiry | None:
    """The same person's earliest open inquiry, locked for the rest of the transaction: one
    with their email (any case), else one that an inquiry with their email was merged into:
    two statements, so that a merge committed while the first waited for its lock is seen."""
    open_inquiries = (
        Inquiry.objects.open()
        .select_related("owner")
        .select_for_update(of=("self",))
        .order_by("submitted_at", "id")
    )
    merged_into = Inquiry.objects.filter(email__iexact=email, merged_into__isnull=False)
    return (
        open_inquiries.filter(email__iexact=email).first()
        or open_inquiries.filter(pk__in=merged_into.values("merged_into")).first()
    )


def find_phone_match(*, phone: str, email: str) -> Inquiry | None:
    """The earliest open inquiry with the same phone number under another email."""
    if not phone:
        return None
    return (
        Inquiry.objects.open()
        .filter(phone=phone)
        .exclude(email__iexact=email)
        .order_by("submitted_at", "id")
        .first()
    )


def repeat_fields(submission: Submission, attribution: dict[str, str]) -> dict:
    """A RepeatSubmission's fields: everything the person typed, as they typed it."""
    return {
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
        "consent_given": submission.consent,
        "language": supported_language(submission.language),
        **attribution,
    }


def _record_repeat(
    *,
    earlier: Inquiry,
    submission: Submission,
    attribution: dict[str, str],
    consent_text: str,
    consent_version: str,
) -> Inquiry:
    RepeatSubmission.objects.create(inquiry=earlier, **repeat_fields(submission, attribution))
    typed = {
        "Name": f"{submission.first_name} {submission.last_name}",
        "Email": submission.email,
        "Phone": submission.phone,
    }
    current = {
        "Name": f"{earlier.first_name} {earlier.last_name}",
        "Email": earlier.email,
        "Phone": earlier.phone,
    }
    details = ["Sent the form again (same email)."]
    details += [f"{key} given: {value}" for key, value in typed.items() if value != current[key]]
    details.append(_describe_request(submission))
    details += [
        f"{_ATTRIBUTION_LABELS.get(name, name)}: {value}"
        for name, value in attribution.items()
        if value
    ]

    # The same email is the same person: a blank phone is filled in and newly given consent
    # is recorded, both their latest word. Nothing else typed overwrites what staff work with.
    changed = []
    renews_consent = submission.consent and not (earlier.may_call and earlier.may_text)
    if submission.phone and not earlier.phone:
        earlier.phone = submission.phone
        changed.append("phone")
    if renews_consent:
        # Their latest word, even after an earlier withdrawal.
        fields = _consent_fields(given=True, text=consent_text, version=consent_version)
        for field, value in {**fields, "may_call": True, "may_text": True}.items():
            setattr(earlier, field, value)
            changed.append(field)
    earlier.save(update_fields=[*changed, "updated_at"])
    timeline.add_activity(
        inquiry=earlier, kind=ActivityKind.REPEAT_SUBMISSION, body="\n".join(details)
    )
    if renews_consent:
        timeline.add_activity(
            inquiry=earlier,
            kind=ActivityKind.CONSENT,
            body="Consent to calls and texts given on the form sent again.",
        )

    notify_repeat(
        inquiry=earlier,
        sent={
            "first_name": submission.first_name,
            "email": submission.email,
            "contact_method": submission.contact_method or ContactMethod.EMAIL,
            "program": str(submission.program) if submission.program else "",
            "language": supported_language(submission.language),
        },
    )
    return earlier


def notify_repeat(*, inquiry: Inquiry, sent: dict) -> None:
    """Tell the owner (or the admissions inbox) that the person asked again, and confirm to
    the prospect; both emails speak of what was just sent, in the words just typed."""
    owner = inquiry.owner
    recipient = (
        owner.email if owner and owner.is_active and owner.email else settings.ADMISSIONS_EMAIL
    )
    notifications.queue_notification(
        inquiry=inquiry, kind=NotificationKind.REPEAT_ALERT, recipient=recipient, submission=sent
    )
    notifications.queue_notification(
        inquiry=inquiry,
        kind=NotificationKind.CONFIRMATION,
        recipient=sent["email"],
        submission=sent,
    )


def _inquiry_fields(submission: Submission, consent_text: str, consent_version: str) -> dict:
    return {
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
        "language": supported_language(submission.language),
        **_consent_fields(given=submission.consent, text=consent_text, version=consent_version),
        "may_call": submission.consent,
        "may_text": submission.consent,
        **_attribution_fields(submission.attribution),
    }


def _hold(inquiry_fields: dict, submission: Submission, spam: SpamCheck) -> Inquiry:
    inquiry = Inquiry.objects.create(
        **inquiry_fields,
        status=Status.HELD,
        held_at=timezone.now(),
        spam_score=spam.score,
        spam_signal=str(spam)[: Inquiry._meta.get_field("spam_signal").max_length],
    )
    timeline.add_activity(
        inquiry=inquiry,
        kind=ActivityKind.SUBMITTED,
        body=(
            f"Held for review as possible spam ({spam}; score {spam.score}): not routed, "
            "nobody emailed until a manager releases it.\n" + _describe_request(submission)
        ),
    )
    return inquiry


def announce_new_inquiry(*, inquiry: Inquiry) -> None:
    """Route a new inquiry and queue the admissions alert and the prospect's confirmation."""
    routing.route_new_inquiry(inquiry=inquiry)
    notifications.queue_notification(
        inquiry=inquiry,
        kind=NotificationKind.ADMISSIONS_ALERT,
        recipient=settings.ADMISSIONS_EMAIL,
    )
    notifications.queue_notification(
        inquiry=inquiry, kind=NotificationKind.CONFIRMATION, recipient=inquiry.email
    )


def _entry(inquiry: Inquiry, kind: str, body: str) -> Activity:
    return Activity(inquiry=inquiry, kind=kind, body=body)


def _possible_duplicate_entries(inquiry: Inquiry, other: Inquiry) -> list[Activity]:
    """The timeline entries on both inquiries when `inquiry` has `other`'s phone number."""
    return [
        _entry(
            inquiry,
            ActivityKind.MERGE,
            f"Possible duplicate of inquiry {other.pk}: the same phone number under another "
            "email. Merge them if they are one person.",
        ),
        _entry(
            other,
            ActivityKind.MERGE,
            f"Possible duplicate: inquiry {inquiry.pk} gave the same phone number under "
            "another email.",
        ),
    ]


def record_inquiry(
    *,
    submission: Submission,
    spam: SpamCheck = NO_SIGNALS,
    consent_text: str = "",
    consent_version: str = "",
) -> Inquiry:
    """Save a request-info submission with its first timeline entry, in one transaction.

    - Possible spam (`spam.held`) is kept, held for review: no routing, no email yet.
    - A person with an open inquiry already (the same email) gets an "asked again" entry and
      a RepeatSubmission on that inquiry instead of a second lead, and its owner is told.
    - Otherwise a new inquiry is routed to a representative, and the admissions inbox and
      the prospect are emailed once the transaction has committed. If another open inquiry
      has the same phone under another email, both are marked possible duplicates.

    `consent_text` and `consent_version` are the wording the prospect was shown. Returns the
    inquiry the submission landed on.
    """
    fields = _inquiry_fields(submission, consent_text, consent_version)
    with transaction.atomic():
        if spam.held:
            return _hold(fields, submission, spam)

        lock_person(submission.email)
        earlier = find_open_inquiry(email=submission.email)
        if earlier is not None:
            return _record_repeat(
                earlier=earlier,
                submission=submission,
                attribution=_attribution_fields(submission.attribution),
                consent_text=consent_text,
                consent_version=consent_version,
            )

        same_phone = find_phone_match(phone=submission.phone, email=submission.email)
        # Routed before it is written: the inquiry is written once, with its owner, then its
        # timeline entries and its emails each in one statement (as `announce_new_inquiry`).
        owner = routing.next_representative(
            program_id=fields["program"].pk if fields["program"] else None,
            language=fields["language"],
        )
        inquiry = Inquiry.objects.create(
            **fields,
            owner=owner,
            possible_duplicate_of=same_phone,
            spam_score=spam.score,
            spam_signal=str(spam),
        )
        entries = [_entry(inquiry, ActivityKind.SUBMITTED, _describe_request(submission))]
        if same_phone is not None:
            entries += _possible_duplicate_entries(inquiry, same_phone)
        if owner is not None:
            entries.append(
                _entry(inquiry, ActivityKind.ASSIGNMENT, workflow.assignment_entry(owner))
            )
        timeline.add_activities(entries)
        notifications.queue_notifications(
            inquiry=inquiry,
            owed=[
                (NotificationKind.OWNER_ASSIGNED, owner.email if owner else ""),
                (NotificationKind.ADMISSIONS_ALERT, settings.ADMISSIONS_EMAIL),
                (NotificationKind.CONFIRMATION, inquiry.email),
            ],
        )
        return inquiry
