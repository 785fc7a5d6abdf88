import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.tasks import task_backends
from django.tasks.backends.dummy import DummyBackend
from django.tasks.backends.immediate import ImmediateBackend
from django.utils import timezone

from inquiries.models import ActivityKind, Notification, NotificationKind, NotificationStatus
from inquiries.services.delivery import deliver_notification, retry_delay_seconds
from inquiries.services.notifications import requeue_notifications
from inquiries.tasks import enqueue_notification, send_notification
from tests.factories import InquiryFactory, UserFactory

pytestmark = pytest.mark.django_db

FAILING_MAILER = {"default": {"BACKEND": "tests.inquiries.test_tasks.FailingEmailBackend"}}


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def use_backend(backend):
    previous = task_backends["default"]
    task_backends["default"] = backend
    return previous


@pytest.fixture(autouse=True)
def immediate_tasks():
    previous = use_backend(ImmediateBackend(alias="default", params={}))
    yield
    task_backends["default"] = previous


@pytest.fixture
def deferring_tasks():
    """A backend that stores tasks (with run_after) instead of running them, like the worker."""
    backend = DummyBackend(alias="default", params={})
    previous = use_backend(backend)
    yield backend
    task_backends["default"] = previous


@pytest.fixture
def inquiry():
    return InquiryFactory(
        first_name="Maria",
        last_name="Lopez",
        email="maria.lopez@example.com",
        program__name="Medical Assistant Technician Diploma Program",
    )


def owe(inquiry, kind=NotificationKind.ADMISSIONS_ALERT, recipient="inbox@college.example"):
    return Notification.objects.create(inquiry=inquiry, kind=kind, recipient=recipient)


def test_the_admissions_alert_has_reply_to_set_to_the_prospect(inquiry):
    notification = owe(inquiry)
    send_notification.call(notification.pk)
    (message,) = mail.outbox
    assert message.to == ["inbox@college.example"]
    assert message.reply_to == ["maria.lopez@example.com"]
    assert "Maria Lopez" in message.subject
    assert "Medical Assistant Technician Diploma Program" in message.body
    assert f"/admin/inquiries/inquiry/{inquiry.pk}/change/" in message.body
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.sent_at is not None
    assert notification.attempts == 1


def test_the_confirmation_tells_the_prospect_what_happens_next(inquiry):
    notification = owe(inquiry, NotificationKind.CONFIRMATION, "maria.lopez@example.com")
    send_notification.call(notification.pk)
    (message,) = mail.outbox
    assert message.to == ["maria.lopez@example.com"]
    assert "Maria" in message.body
    assert "within one business day" in message.body
    assert "by email" in message.body


def test_the_repeat_alert_quotes_what_was_asked_this_time(inquiry):
    inquiry.activities.create(kind=ActivityKind.REPEAT_SUBMISSION, body="Asked about night classes")
    notification = owe(inquiry, NotificationKind.REPEAT_ALERT, "rep@college.example")
    send_notification.call(notification.pk)
    (message,) = mail.outbox
    assert "Asked again" in message.subject
    assert "night classes" in message.body
    assert message.reply_to == ["maria.lopez@example.com"]


def test_a_notification_already_sent_is_never_sent_again(inquiry):
    notification = owe(inquiry)
    send_notification.call(notification.pk)
    send_notification.call(notification.pk)
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.attempts == 1


def test_a_failed_send_is_recorded_and_left_pending(inquiry, settings):
    settings.MAILERS = FAILING_MAILER
    notification = owe(inquiry)
    assert send_notification.call(notification.pk) == "will retry"
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.PENDING
    assert notification.attempts == 1
    assert "SMTPServerDisconnected" in notification.last_error


def test_a_failed_send_is_retried_later_with_a_growing_delay(inquiry, settings, deferring_tasks):
    settings.MAILERS = FAILING_MAILER
    settings.NOTIFICATION_RETRY_SECONDS = 60
    notification = owe(inquiry)
    before = timezone.now()
    send_notification.call(notification.pk)
    (retry,) = deferring_tasks.results
    assert retry.args == [notification.pk]
    assert retry.task.run_after >= before + datetime.timedelta(seconds=60)
    assert retry_delay_seconds(1) == 60
    assert retry_delay_seconds(2) == 120
    assert retry_delay_seconds(3) == 240


def test_after_the_last_attempt_the_notification_is_failed_and_staff_see_it(inquiry, settings):
    settings.MAILERS = FAILING_MAILER
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    notification = owe(inquiry)
    outcomes = [send_notification.call(notification.pk) for _ in range(4)]
    assert outcomes == ["will retry", "will retry", "failed", "gave up earlier"]
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert notification.attempts == 3
    entry = inquiry.activities.get(kind=ActivityKind.NOTIFICATION)
    assert "failed 3 times" in entry.body
    assert "inbox@college.example" in entry.body


def test_the_immediate_backend_does_not_retry_inside_the_request(inquiry, settings):
    settings.MAILERS = FAILING_MAILER
    notification = owe(inquiry)
    result = send_notification.enqueue(notification.pk)
    assert result.return_value == "will retry"
    notification.refresh_from_db()
    assert notification.attempts == 1


def test_a_notification_without_an_address_fails_at_once_without_sending(inquiry):
    notification = owe(inquiry, recipient="")
    assert deliver_notification(notification_id=notification.pk) == ("failed", None)
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED


def test_a_missing_notification_is_skipped():
    assert deliver_notification(notification_id=123456) == ("missing", None)


def test_queueing_failure_is_logged_not_raised(inquiry, monkeypatch):
    def broken_enqueue(*args, **kwargs):
        raise ConnectionError("task database unavailable")

    monkeypatch.setattr(task_backends["default"], "enqueue", broken_enqueue)
    notification = owe(inquiry)
    assert enqueue_notification(notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.PENDING


def test_requeue_sends_pending_and_failed_notifications_but_not_sent_ones(inquiry):
    pending = owe(inquiry)
    failed = owe(inquiry, NotificationKind.CONFIRMATION, "maria.lopez@example.com")
    Notification.objects.filter(pk=failed.pk).update(
        status=NotificationStatus.FAILED, attempts=5, last_error="SMTP down"
    )
    sent = owe(inquiry, NotificationKind.OWNER_ASSIGNED, "rep@college.example")
    Notification.objects.filter(pk=sent.pk).update(status=NotificationStatus.SENT)
    assert requeue_notifications() == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "inbox@college.example",
        "maria.lopez@example.com",
    ]
    for notification in (pending, failed):
        notification.refresh_from_db()
        assert notification.status == NotificationStatus.SENT


def test_requeue_can_leave_failed_notifications_alone(inquiry):
    failed = owe(inquiry)
    Notification.objects.filter(pk=failed.pk).update(status=NotificationStatus.FAILED)
    assert requeue_notifications(include_failed=False) == 0
    assert mail.outbox == []


def test_the_retry_notifications_command_reports_what_it_queued(inquiry, capsys):
    owe(inquiry)
    call_command("retry_notifications", "--dry-run")
    assert "1 notification(s) would be queued again." in capsys.readouterr().out
    assert mail.outbox == []
    call_command("retry_notifications")
    assert "1 notification(s) queued again." in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_the_owner_email_names_the_inquiry(inquiry):
    rep = UserFactory(email="rep@college.example")
    notification = owe(inquiry, NotificationKind.OWNER_ASSIGNED, rep.email)
    send_notification.call(notification.pk)
    (message,) = mail.outbox
    assert message.subject.startswith("Assigned to you: Maria Lopez")
    assert message.reply_to == ["maria.lopez@example.com"]
