"""Sending one owed email: the attempts, the growing wait between them, giving up, and the
timeline entry that tells staff when it did.

A row already sent is never sent again; a failure is recorded on the row, and the caller (the
task in inquiries.tasks) is told when to try again. After NOTIFICATION_MAX_ATTEMPTS the row
is marked failed. A failure to send is recorded, never raised.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from inquiries.emails import build_message
from inquiries.models import ActivityKind, Notification, NotificationStatus
from inquiries.services import timeline

logger = logging.getLogger(__name__)

MAX_RETRY_DELAY_SECONDS = 6 * 60 * 60
ERROR_MAX_LENGTH = 2000


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
        if notification.status == NotificationStatus.FAILED:
            return "gave up earlier", None
        notification.attempts += 1
        if not notification.recipient:
            # Nothing to retry: the address was never given or has been anonymised.
            notification.status = NotificationStatus.FAILED
            notification.last_error = "No recipient address."
            notification.save(update_fields=["status", "attempts", "last_error"])
            return "failed", None
        try:
            build_message(notification).send(using="default")
        except Exception as error:  # any failure: SMTP, network, a bad address, a template
            return _record_failure(notification, error)
        notification.status = NotificationStatus.SENT
        notification.sent_at = timezone.now()
        notification.last_error = ""
        notification.save(update_fields=["status", "sent_at", "attempts", "last_error"])
        return "sent", None


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
