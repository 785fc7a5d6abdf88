"""Consent per channel as it stands now: withdrawn by the prospect (the unsubscribe link in
every email) or recorded by staff (how and when they learned it), each change on the
timeline. The outbox (services.delivery) reads it before sending anything to a prospect.

An unsubscribe link carries a signed token (inquiry id and channel): it cannot be forged or
altered, and it stops working after UNSUBSCRIBE_MAX_AGE; every email carries a fresh one.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from inquiries.models import ActivityKind, Channel, Inquiry
from inquiries.services import timeline

UNSUBSCRIBE_SALT = "inquiries.unsubscribe"
UNSUBSCRIBE_MAX_AGE = 365 * 24 * 60 * 60

# The Inquiry field that holds each channel's consent.
CONSENT_FIELDS = {Channel.EMAIL: "may_email", Channel.PHONE: "may_call", Channel.TEXT: "may_text"}


class HowLearned(models.TextChoices):
    """How admissions learned that a prospect withdrew consent."""

    PHONE_CALL = "phone_call", "Phone call"
    EMAIL_REPLY = "email_reply", "Email reply"
    TEXT_REPLY = "text_reply", "Text message reply (such as STOP)"
    IN_PERSON = "in_person", "In person"
    LETTER = "letter", "Letter"
    # Written by the unsubscribe page, never chosen by staff.
    UNSUBSCRIBE_LINK = "unsubscribe_link", "The unsubscribe link in an email"


STAFF_HOW_CHOICES = [
    (how.value, how.label) for how in HowLearned if how != HowLearned.UNSUBSCRIBE_LINK
]


def has_consent(inquiry: Inquiry, channel: str) -> bool:
    return bool(getattr(inquiry, CONSENT_FIELDS[Channel(channel)]))


def _when_label(when: datetime.datetime) -> str:
    return timezone.localtime(when).strftime("%b %-d, %Y, %-I:%M %p")


def withdraw_consent(
    *,
    inquiry: Inquiry,
    channel: str,
    how: str,
    when: datetime.datetime | None = None,
    by=None,
) -> bool:
    """Record that the prospect no longer wants to be reached on `channel`.

    `how` is a HowLearned value and `when` the moment it was learned (now if not given; never
    in the future). Returns False, writing nothing, when that consent was already withdrawn.
    """
    if channel not in CONSENT_FIELDS:
        raise ValidationError({"channel": "Choose email, phone calls or text messages."})
    if how not in HowLearned.values:
        raise ValidationError({"how": "Choose how you learned it."})
    now = timezone.now()
    when = when or now
    if when > now + datetime.timedelta(minutes=1):
        raise ValidationError({"when": "This is in the future: enter when you learned it."})
    field = CONSENT_FIELDS[Channel(channel)]
    with transaction.atomic():
        locked = Inquiry.objects.select_for_update().filter(pk=inquiry.pk).first()
        if locked is None or not getattr(locked, field):
            return False
        Inquiry.objects.filter(pk=inquiry.pk).update(**{field: False, "updated_at": now})
        setattr(inquiry, field, False)
        if how == HowLearned.UNSUBSCRIBE_LINK:
            body = (
                f"{Channel(channel).label} consent withdrawn by the prospect with "
                f"{HowLearned(how).label.lower()}, {_when_label(when)}."
            )
        else:
            body = (
                f"{Channel(channel).label} consent withdrawn. Learned by "
                f"{HowLearned(how).label.lower()}, {_when_label(when)}."
            )
        timeline.add_activity(inquiry=inquiry, kind=ActivityKind.CONSENT, body=body, author=by)
    return True


def unsubscribe_token(*, inquiry_id: int, channel: str = Channel.EMAIL) -> str:
    """The signed part of an unsubscribe link: which inquiry, which channel."""
    signer = signing.TimestampSigner(salt=UNSUBSCRIBE_SALT)
    return signer.sign(f"{int(inquiry_id)}.{Channel(channel).value}")


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(inquiry id, channel) from a token; raises signing.SignatureExpired for an old link
    and signing.BadSignature for anything altered or made up."""
    signer = signing.TimestampSigner(salt=UNSUBSCRIBE_SALT)
    value = signer.unsign(token, max_age=UNSUBSCRIBE_MAX_AGE)
    inquiry_id, _, channel = value.partition(".")
    if not inquiry_id.isdigit() or channel not in CONSENT_FIELDS:
        raise signing.BadSignature("Not an unsubscribe token.")
    return int(inquiry_id), channel


def unsubscribe_url(*, inquiry_id: int, channel: str = Channel.EMAIL) -> str:
    """The absolute unsubscribe link for an email (SITE_URL is the site's public address)."""
    path = reverse(
        "inquiries:unsubscribe", args=[unsubscribe_token(inquiry_id=inquiry_id, channel=channel)]
    )
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe(*, inquiry: Inquiry, channel: str) -> int:
    """The prospect withdrew consent with the link in an email: on this inquiry and, for
    email, on every other inquiry of the same address (one person is one address).
    Returns how many inquiries changed; clicking twice changes nothing more."""
    inquiries = [inquiry]
    if channel == Channel.EMAIL and inquiry.email:
        inquiries += Inquiry.objects.filter(email__iexact=inquiry.email, may_email=True).exclude(
            pk=inquiry.pk
        )
    return sum(
        withdraw_consent(inquiry=each, channel=channel, how=HowLearned.UNSUBSCRIBE_LINK)
        for each in inquiries
    )
