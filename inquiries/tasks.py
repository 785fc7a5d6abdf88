"""Email notifications as background tasks (django.tasks).

Each email owed is a Notification row written in the same transaction as the inquiry
(services.notifications); the task sends it through services.delivery, which holds the rules
(attempts, backoff, giving up), and queues itself again when delivery asks for a retry.
Nothing here raises into the request that queued it.
"""

import datetime
import logging

from django.tasks import task
from django.utils import timezone

from inquiries.services import delivery

logger = logging.getLogger(__name__)


@task()
def send_notification(notification_id: int) -> str:
    """Send one owed email (safe to run more than once); returns what happened."""
    outcome, retry_in = delivery.deliver_notification(notification_id=notification_id)
    if retry_in is not None:
        enqueue_notification(notification_id=notification_id, delay_seconds=retry_in)
    return outcome


@task()
def send_notifications(notification_ids: list[int]) -> list[str]:
    """Send several owed emails in turn, each as `send_notification` does: the emails one
    submission owes go to the queue as one task, one row and one commit, not one each."""
    return [send_notification.call(notification_id) for notification_id in notification_ids]


def enqueue_notifications(*, notification_ids: list[int]) -> bool:
    """Hand several notifications to the task backend as one task; True if it was queued.
    If queueing fails, the rows stay pending, as with `enqueue_notification`."""
    try:
        send_notifications.enqueue(notification_ids)
    except Exception:
        logger.exception("Could not queue notifications %s; they stay pending", notification_ids)
        return False
    return True


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
