"""Replies from the record: an email a representative writes to a prospect from the inquiry's
page, usually from a template managers keep, sent through the outbox like every other email
(retried, never lost, withheld without consent) and written on the timeline as an attempt.
"""

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from inquiries.models import (
    ActivityKind,
    Inquiry,
    Notification,
    NotificationKind,
    Outcome,
    ReplyTemplate,
    StaffProfile,
    Status,
)
from inquiries.selectors import staff_name
from inquiries.services import notifications, rules, workflow

PLACEHOLDER = re.compile(r"\{(\w+)\}")
PLACEHOLDERS = ("first_name", "program", "next_start", "rep_name", "rep_phone", "institution")
SUBJECT_MAX_LENGTH = Notification._meta.get_field("subject").max_length
BODY_MAX_LENGTH = 10_000


# --- Filling a template ------------------------------------------------------------------------


def unknown_placeholders(text: str) -> list[str]:
    """The {names} in `text` that no inquiry fills (a typo such as {frist_name})."""
    return sorted({name for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})


def _next_start(inquiry: Inquiry) -> str:
    if inquiry.program_id is None:
        return ""
    starts = inquiry.program.start_dates.upcoming().order_by("starts_on")
    start = None
    if inquiry.campus_id:
        start = starts.filter(campus_id=inquiry.campus_id).first()
    start = start or starts.first()
    if start is None:
        return ""
    # "Tuesday, March 2, 2027"; "martes, 2 de marzo de 2027"
    return f"{date_format(start.starts_on, 'l')}, {date_format(start.starts_on)}"


def _direct_line(user) -> str:
    profile = StaffProfile.objects.filter(user=user).only("direct_line").first() if user else None
    return profile.direct_line if profile else ""


def reply_language(inquiry: Inquiry) -> str:
    """The language of the form the prospect sent: their replies are written in it."""
    supported = dict(settings.LANGUAGES)
    return inquiry.language if inquiry.language in supported else settings.LANGUAGE_CODE


def placeholder_values(*, inquiry: Inquiry, by) -> dict[str, str]:
    """What each placeholder becomes for this inquiry and sender, in the prospect's language;
    a missing value becomes words that still read well in a sentence."""
    with translation.override(reply_language(inquiry)):
        campus_phone = inquiry.campus.phone if inquiry.campus_id else ""
        return {
            "first_name": inquiry.first_name.strip() or gettext("there"),
            "program": inquiry.program.name if inquiry.program_id else gettext("our programs"),
            "next_start": _next_start(inquiry) or gettext("soon (ask me for the dates)"),
            "rep_name": staff_name(by)
            or gettext("%(institution)s Admissions") % {"institution": settings.INSTITUTION_NAME},
            "rep_phone": _direct_line(by) or campus_phone or gettext("the admissions office"),
            "institution": settings.INSTITUTION_NAME,
        }


def fill(text: str, values: dict[str, str]) -> str:
    """`text` with each known {placeholder} replaced; anything else, braces included, is left
    as written (never str.format, which would let a template reach into attributes)."""
    return PLACEHOLDER.sub(lambda match: values.get(match[1], match[0]), text)


def render_reply(*, template: ReplyTemplate, inquiry: Inquiry, by) -> tuple[str, str]:
    """The template's (subject, body) in the prospect's language (the English text where the
    template has none in it) filled in for this inquiry, as `by` would send it."""
    values = placeholder_values(inquiry=inquiry, by=by)
    with translation.override(reply_language(inquiry)):
        template_subject, template_body = template.subject, template.body
    subject = " ".join(fill(template_subject, values).split())[:SUBJECT_MAX_LENGTH]
    return subject, fill(template_body, values)


# --- The rules ---------------------------------------------------------------------------------


def consent_refusal(inquiry: Inquiry) -> str | None:
    """Why this prospect cannot be emailed at all, or None."""
    if inquiry.anonymised_at or not inquiry.email:
        return "This inquiry has no email address any more."
    if inquiry.status == Status.HELD:
        return "It is held for review as possible spam: a manager releases it first."
    if not inquiry.may_email:
        withdrawn = (
            inquiry.activities.filter(
                kind=ActivityKind.CONSENT, body__startswith="Email consent withdrawn"
            )
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if withdrawn:
            return f"They withdrew consent to email on {timezone.localtime(withdrawn):%b %-d, %Y}."
        return "They have withdrawn consent to email."
    return None


def sender_refusal(inquiry: Inquiry, by) -> str | None:
    """Whether `by` may write to this prospect: with the send-reply permission, on an
    inquiry they may change (a representative's own or an unassigned one)."""
    if by is None or not by.has_perm("inquiries.send_reply"):
        return "You may not email prospects from the admin."
    if not by.has_perm("inquiries.change_inquiry"):
        return "You may not change this inquiry."
    if not rules.may_work(by, inquiry):
        return (
            f"This inquiry belongs to {staff_name(inquiry.owner)}; ask them or a manager "
            "to write to them."
        )
    return None


def message_refusals(subject: str, body: str) -> dict[str, str]:
    refusals = {}
    if not subject.strip():
        refusals["subject"] = "Write a subject."
    elif len(subject) > SUBJECT_MAX_LENGTH:
        refusals["subject"] = f"Keep the subject under {SUBJECT_MAX_LENGTH} characters."
    if not body.strip():
        refusals["body"] = "Write the email before sending it."
    elif len(body) > BODY_MAX_LENGTH:
        refusals["body"] = f"Keep the email under {BODY_MAX_LENGTH:,} characters."
    for field, text in (("subject", subject), ("body", body)):
        if field not in refusals and (unknown := unknown_placeholders(text)):
            names = ", ".join(f"{{{name}}}" for name in unknown)
            refusals[field] = f"Fill in or remove {names}: it would be sent as typed."
    return refusals


def validate_reply(*, inquiry: Inquiry, subject: str, body: str, by) -> None:
    """Raise what send_reply would refuse (PermissionDenied for who may send, else a
    ValidationError keyed "subject", "body" or None for the prospect's consent)."""
    if refusal := sender_refusal(inquiry, by):
        raise PermissionDenied(refusal)
    if refusal := consent_refusal(inquiry):
        raise ValidationError(refusal)
    if refusals := message_refusals(subject, body):
        raise ValidationError(refusals)


# --- Sending -----------------------------------------------------------------------------------


@transaction.atomic
def send_reply(
    *, inquiry: Inquiry, subject: str, body: str, by, template: ReplyTemplate | None = None
) -> Notification:
    """Queue the email to the prospect and put it on the timeline (an email sent: an attempt,
    not yet a contact). The outbox sends it after the commit, retries a failure and still
    withholds it if consent is withdrawn before it goes."""
    inquiry = (
        Inquiry.objects.select_for_update(of=("self",))
        .select_related("owner", "program", "campus")
        .get(pk=inquiry.pk)
    )
    # A placeholder typed into the text is filled in as the preview showed it.
    values = placeholder_values(inquiry=inquiry, by=by)
    subject = " ".join(fill(subject, values).split())
    body = fill(body, values).strip()
    validate_reply(inquiry=inquiry, subject=subject, body=body, by=by)
    notification = notifications.queue_notification(
        inquiry=inquiry,
        kind=NotificationKind.REPLY,
        recipient=inquiry.email,
        subject=subject,
        body=body,
        sent_by=by,
    )
    used = f" (from the template “{template.name}”)" if template else ""
    workflow.log_contact(
        inquiry=inquiry,
        channel=ActivityKind.EMAIL,
        outcome=Outcome.SENT,
        body=f"Emailed them “{subject}”{used}.",
        by=by,
    )
    return notification
