"""Two workers sending two confirmations to one address at the same moment send one."""

import threading
import time

import pytest
from django.db import connection

from inquiries.models import Notification, NotificationKind, NotificationStatus
from inquiries.services import delivery
from tests.factories import InquiryFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sync_orm_beside_playwright"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite runs one writer at a time, so the race cannot happen",
    ),
]


def test_two_confirmations_to_one_address_at_once_send_one(monkeypatch):
    real_reason = delivery._withheld_reason

    def slow_reason(notification):
        reason = real_reason(notification)
        time.sleep(0.3)  # widen the window between deciding and marking it sent
        return reason

    monkeypatch.setattr(delivery, "_withheld_reason", slow_reason)
    first = InquiryFactory(email="maria.lopez@example.com")
    second = InquiryFactory(email="Maria.Lopez@example.com")
    owed = [
        Notification.objects.create(
            inquiry=inquiry, kind=NotificationKind.CONFIRMATION, recipient=inquiry.email
        )
        for inquiry in (first, second)
    ]

    def deliver(notification):
        try:
            delivery.deliver_notification(notification_id=notification.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(n,)) for n in reversed(owed)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(Notification.objects.values_list("status", flat=True))
    assert statuses == sorted([NotificationStatus.SENT, NotificationStatus.WITHHELD])
