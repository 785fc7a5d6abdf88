"""Email notifications as background tasks (django.tasks).

Each email owed is a Notification row written in the same transaction as the inquiry; the
task only sends it. A row already sent is never sent again, a failure is recorded on the row
and retried later with a growing delay, and after NOTIFICATION_MAX_ATTEMPTS the row is marked
failed and a timeline entry tells staff. Nothing here raises into the request that queued it.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from inquiries.emails import build_message
from inquiries.models import ActivityKind, Notification, NotificationStatus

logger = logging.getLogger(__name__)

MAX_RETRY_DELAY_SECONDS = 6 * 60 * 60
ERROR_MAX_LENGTH = 2000


@task()
def send_notification(notification_id: int) -> str:
    """Send one owed email (safe to run more than once); returns what happened."""
    outcome, retry_in = deliver_notification(notification_id=notification_id)
    if retry_in is not None:
        enqueue_notification(notification_id=notification_id, delay_seconds=retry_in)
    return outcome


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
    if gave_up:
        # Imported here: services imports this module to queue notifications.
        from inquiries.services import add_activity

        add_activity(
            inquiry=notification.inquiry,
            kind=ActivityKind.NOTIFICATION,
            body=(
                f"Email not sent: {notification.get_kind_display()} to "
                f"{notification.recipient or '(no address)'} failed {notification.attempts} "
                f"times. Last error: {notification.last_error}"
            ),
        )
        return "failed", None
    return "will retry", retry_delay_seconds(notification.attempts)


def enqueue_notification(*, notification_id: int, delay_seconds: int = 0) -> bool:
    """Hand a notification to the task backend; True if it was queued.

    A backend that cannot defer (the immediate one used in development and tests) is not
    asked to retry at once, which would only repeat the failure inside the prospect's
    request: the row stays pending for `manage.py retry_notifications`. If queueing itself
    fails, the row stays pending too, and nothing is raised to the caller.
    """
    queued_task = send_notification
    try:
        if delay_seconds:
            if not queued_task.get_backend().supports_defer:
                return False
            run_after = timezone.now() + datetime.timedelta(seconds=delay_seconds)
            queued_task = queued_task.using(run_after=run_after)
        queued_task.enqueue(notification_id)
    except Exception:
        logger.exception("Could not queue notification %s; it stays pending", notification_id)
        return False
    return True


def requeue_notifications(
    *, include_failed: bool = True, older_than_seconds: int = 0, dry_run: bool = False
) -> int:
    """Queue every unsent notification again; failed ones start a fresh round of attempts.

    Returns how many were queued. Safe to run while a worker is busy: a notification that
    gets sent twice over is found already sent and skipped.
    """
    statuses = [NotificationStatus.PENDING]
    if include_failed:
        statuses.append(NotificationStatus.FAILED)
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    unsent = Notification.objects.filter(status__in=statuses, created_at__lte=cutoff)
    ids = list(unsent.order_by("created_at", "id").values_list("pk", flat=True))
    if dry_run or not ids:
        return len(ids)
    Notification.objects.filter(pk__in=ids, status=NotificationStatus.FAILED).update(
        status=NotificationStatus.PENDING, attempts=0
    )
    for notification_id in ids:
        enqueue_notification(notification_id=notification_id)
    return len(ids)
