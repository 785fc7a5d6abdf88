"""Sending one owed email: the attempts, the growing wait between them, giving up, and the
timeline entry that tells staff when it did.

A row already sent is never sent again; a failure is recorded on the row, and the caller (the
task in inquiries.tasks) is told when to try again. After NOTIFICATION_MAX_ATTEMPTS the row
is marked failed. A failure to send is recorded, never raised.

An email to a prospect is withheld (never sent, the reason on the row and the timeline) when
they have withdrawn consent to email, when the address cannot be a prospect's, or when it is
a confirmation and that address already had one in the past day: the form must not be a way
to send mail to strangers.
"""

import datetime
import hashlib
import logging
import re
from email.message import MIMEPart

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from inquiries.addresses import is_prospect_address
from inquiries.emails import build_message, is_to_prospect
from inquiries.models import (
    ActivityKind,
    Inquiry,
    Notification,
    NotificationKind,
    NotificationStatus,
)
from inquiries.services import timeline

logger = logging.getLogger(__name__)

MAX_RETRY_DELAY_SECONDS = 6 * 60 * 60
ERROR_MAX_LENGTH = 2000
# At most one confirmation per recipient address in this long.
CONFIRMATION_INTERVAL = datetime.timedelta(days=1)


def retry_delay_seconds(attempts: int) -> int:
    """Wait before the next try: the base delay, doubled after each failure, capped."""
    delay = settings.NOTIFICATION_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return min(delay, MAX_RETRY_DELAY_SECONDS)


def deliver_notification(*, notification_id: int) -> tuple[str, int | None]:
    """Try to send the notification once: (outcome, seconds until a retry or None).

    The row is locked while sending, so two workers that got the same task (a re-queue
    after an outage, say) cannot both send it: the second finds it sent and stops.
    """
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None:
            return "missing", None
        if notification.status == NotificationStatus.SENT:
            return "already sent", None
        if notification.status in (NotificationStatus.FAILED, NotificationStatus.WITHHELD):
            return "gave up earlier", None
        notification.attempts += 1
        if not notification.recipient:
            # Nothing to retry: the address was never given or has been anonymised.
            notification.status = NotificationStatus.FAILED
            notification.last_error = "No recipient address."
            notification.save(update_fields=["status", "attempts", "last_error"])
            return "failed", None
        reason = _withheld_reason(notification)
        if reason:
            return _record_withheld(notification, reason)
        try:
            message = build_message(notification)
            attach_calendar(message, notification.calendar)
            message.send(using="default")
        except Exception as error:  # any failure: SMTP, network, a bad address, a template
            return _record_failure(notification, error)
        notification.status = NotificationStatus.SENT
        notification.sent_at = timezone.now()
        notification.last_error = ""
        notification.save(update_fields=["status", "sent_at", "attempts", "last_error"])
        return "sent", None


def attach_calendar(message, calendar: str) -> None:
    """Attach an iCalendar invitation as `text/calendar; method=...` (the METHOD it holds:
    REQUEST adds or updates the entry, CANCEL removes it), which mail programs offer to put
    in the calendar."""
    if not calendar:
        return
    method = re.search(r"^METHOD:(\w+)", calendar, re.MULTILINE)
    part = MIMEPart()
    part.set_content(
        calendar,
        subtype="calendar",
        params={"method": method.group(1) if method else "PUBLISH"},
        disposition="attachment",
        filename="invitation.ics",
    )
    message.attach(part)


def _lock_recipient(address: str) -> None:
    """Serialise deliveries to one address until the transaction ends, so that two workers
    sending two confirmations at once cannot both find none sent. (On PostgreSQL; SQLite
    runs one writer at a time.)"""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.blake2b(f"recipient:{address.lower()}".encode(), digest_size=8).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)]
        )


def _withheld_reason(notification: Notification) -> str:
    """Why this email must not go out, or "" when it may. Staff emails always may."""
    if not is_to_prospect(notification.kind):
        return ""
    may_email = (
        Inquiry.objects.filter(pk=notification.inquiry_id)
        .values_list("may_email", flat=True)
        .first()
    )
    if not may_email:
        return "The prospect has withdrawn consent to email."
    if not is_prospect_address(notification.recipient):
        return "The address cannot be a prospect's (an IP address or a reserved domain)."
    if notification.kind == NotificationKind.CONFIRMATION:
        _lock_recipient(notification.recipient)
        since = timezone.now() - CONFIRMATION_INTERVAL
        earlier = Notification.objects.filter(
            kind=NotificationKind.CONFIRMATION, recipient__iexact=notification.recipient
        ).exclude(pk=notification.pk)
        # One sent in the past day, or one owed from before this and still to be sent.
        if (
            earlier.filter(status=NotificationStatus.SENT, sent_at__gte=since).exists()
            or earlier.filter(
                status=NotificationStatus.PENDING, created_at__gte=since, pk__lt=notification.pk
            ).exists()
        ):
            return "This address already had its one confirmation of the day."
    return ""


def _record_withheld(notification: Notification, reason: str) -> tuple[str, None]:
    notification.status = NotificationStatus.WITHHELD
    notification.last_error = reason
    notification.save(update_fields=["status", "attempts", "last_error"])
    timeline.add_activity(
        inquiry=notification.inquiry,
        kind=ActivityKind.NOTIFICATION,
        body=(
            f"Email not sent: {notification.get_kind_display()} to {notification.recipient} "
            f"withheld. {reason}"
        ),
    )
    return "withheld", None


def _record_failure(notification: Notification, error: Exception) -> tuple[str, int | None]:
    notification.last_error = f"{type(error).__name__}: {error}"[:ERROR_MAX_LENGTH]
    gave_up = notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
    if gave_up:
        notification.status = NotificationStatus.FAILED
    notification.save(update_fields=["status", "attempts", "last_error"])
    logger.warning(
        "Notification %s (%s) failed on attempt %s: %s",
        notification.pk,
        notification.kind,
        notification.attempts,
        notification.last_error,
    )
    if not gave_up:
        return "will retry", retry_delay_seconds(notification.attempts)
    if notification.inquiry_id is None:
        return "failed", None  # a reminder to staff: the notification log shows it
    timeline.add_activity(
        inquiry=notification.inquiry,
        kind=ActivityKind.NOTIFICATION,
        body=(
            f"Email not sent: {notification.get_kind_display()} to "
            f"{notification.recipient or '(no address)'} failed {notification.attempts} "
            f"times. Last error: {notification.last_error}"
        ),
    )
    return "failed", None
