"""Emails owed about an inquiry: a Notification row for each, and its sending queued.

The sending itself is services.delivery, run by the task in inquiries.tasks.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from inquiries import tasks
from inquiries.models import Inquiry, Notification, NotificationStatus


def queue_notification(
    *,
    inquiry: Inquiry | None,
    kind: str,
    recipient: str,
    submission: dict | None = None,
    subject: str = "",
    body: str = "",
    calendar: str = "",
    sent_by=None,
) -> Notification | None:
    """Record that an email is owed and queue its sending once the transaction commits.

    The row is written inside the caller's transaction, so a rolled-back inquiry owes no
    email, and a committed one always shows what was owed even if the task never runs.
    `subject` and `body` are for an email composed in full beforehand (a reply, a reminder,
    a visit's emails); `calendar` is an iCalendar invitation to attach to it.
    """
    if not recipient:
        return None
    notification = Notification.objects.create(
        inquiry=inquiry,
        kind=kind,
        recipient=recipient,
        submission=submission or {},
        subject=subject,
        body=body,
        calendar=calendar,
        sent_by=sent_by,
    )
    transaction.on_commit(
        lambda pk=notification.pk: tasks.enqueue_notification(notification_id=pk), robust=True
    )
    return notification


def queue_notifications(*, inquiry: Inquiry, owed: list[tuple[str, str]]) -> list[Notification]:
    """`queue_notification` for several emails about one inquiry, (kind, recipient) each, in
    one statement; once the transaction commits they are queued as one task that sends them
    in the same order."""
    rows = Notification.objects.bulk_create(
        Notification(inquiry=inquiry, kind=kind, recipient=recipient, submission={})
        for kind, recipient in owed
        if recipient
    )
    if rows:
        ids = [notification.pk for notification in rows]
        transaction.on_commit(
            lambda: tasks.enqueue_notifications(notification_ids=ids), robust=True
        )
    return rows


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
        tasks.enqueue_notification(notification_id=notification_id)
    return len(ids)
