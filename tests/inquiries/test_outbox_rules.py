"""The outbox's rules for email to a prospect: the one-click unsubscribe it carries, a fixed
subject, and what it withholds (no consent, an address that cannot be a prospect's, a second
confirmation in a day), while staff email goes out as before."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from inquiries.models import (
    ActivityKind,
    Channel,
    Notification,
    NotificationKind,
    NotificationStatus,
)
from inquiries.services import consent
from inquiries.services.delivery import deliver_notification
from tests.factories import InquiryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def inquiry():
    return InquiryFactory(
        first_name="Buy cheap pills at spam.example",
        last_name="Lopez",
        email="maria.lopez@example.com",
        program__name="Medical Assistant Technician Diploma Program",
    )


def owe(inquiry, kind=NotificationKind.CONFIRMATION, recipient=None):
    return Notification.objects.create(
        inquiry=inquiry, kind=kind, recipient=recipient or inquiry.email
    )


def deliver(notification):
    outcome, _ = deliver_notification(notification_id=notification.pk)
    notification.refresh_from_db()
    return outcome


def test_the_confirmation_carries_the_one_click_unsubscribe_headers(settings, inquiry):
    settings.SITE_URL = "https://portal.example.edu"
    deliver(owe(inquiry))

    (message,) = mail.outbox
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<https://portal.example.edu/request-info/unsubscribe/")
    assert header.endswith("/>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = header[1:-1]
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert consent.read_unsubscribe_token(token) == (inquiry.pk, Channel.EMAIL)
    assert f"To stop emails from us: {url}" in message.body
    # The headers survive into the message a mail server receives.
    raw = message.message().as_string()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw


def test_the_confirmation_subject_is_fixed_text(settings, inquiry):
    settings.INSTITUTION_NAME = "Florida Technical College"
    deliver(owe(inquiry))

    (message,) = mail.outbox
    assert message.subject == "Your request for information from Florida Technical College"
    assert "spam.example" not in message.subject


@pytest.mark.parametrize(
    "kind",
    [
        NotificationKind.ADMISSIONS_ALERT,
        NotificationKind.OWNER_ASSIGNED,
        NotificationKind.REPEAT_ALERT,
    ],
)
def test_staff_email_has_no_unsubscribe_and_ignores_the_prospects_consent(inquiry, kind):
    inquiry.may_email = False
    inquiry.save()

    notification = owe(inquiry, kind=kind, recipient="inbox@college.example")
    assert deliver(notification) == "sent"

    (message,) = mail.outbox
    assert "List-Unsubscribe" not in message.extra_headers
    assert notification.status == NotificationStatus.SENT


def test_no_email_goes_to_a_prospect_who_withdrew_consent(inquiry):
    consent.withdraw_consent(
        inquiry=inquiry, channel=Channel.EMAIL, how=consent.HowLearned.EMAIL_REPLY
    )
    notification = owe(inquiry)

    assert deliver(notification) == "withheld"

    assert mail.outbox == []
    assert notification.status == NotificationStatus.WITHHELD
    assert notification.last_error == "The prospect has withdrawn consent to email."
    assert notification.sent_at is None
    entry = inquiry.activities.filter(kind=ActivityKind.NOTIFICATION).get()
    assert entry.body == (
        "Email not sent: Confirmation, to the prospect to maria.lopez@example.com withheld. "
        "The prospect has withdrawn consent to email."
    )


def test_a_withheld_email_is_never_tried_again(inquiry):
    inquiry.may_email = False
    inquiry.save()
    notification = owe(inquiry)
    deliver(notification)
    inquiry.may_email = True
    inquiry.save()

    assert deliver(notification) == "gave up earlier"
    assert mail.outbox == []


def test_a_second_confirmation_to_the_same_address_in_a_day_is_withheld(inquiry):
    again = InquiryFactory(email="MARIA.LOPEZ@example.com")
    first, second = owe(inquiry), owe(again)

    assert deliver(first) == "sent"
    assert deliver(second) == "withheld"

    assert len(mail.outbox) == 1
    assert second.status == NotificationStatus.WITHHELD
    assert second.last_error == "This address already had its one confirmation of the day."
    assert again.activities.filter(
        kind=ActivityKind.NOTIFICATION, body__contains="one confirmation of the day"
    ).exists()


def test_a_confirmation_waits_its_turn_behind_an_earlier_one_still_owed(inquiry):
    earlier, later = owe(inquiry), owe(inquiry)

    assert deliver(later) == "withheld"
    assert deliver(earlier) == "sent"
    assert len(mail.outbox) == 1


def test_a_confirmation_goes_out_again_after_a_day(inquiry):
    first = owe(inquiry)
    deliver(first)
    Notification.objects.filter(pk=first.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=1, minutes=1),
        created_at=timezone.now() - datetime.timedelta(days=1, minutes=2),
    )

    assert deliver(owe(inquiry)) == "sent"
    assert len(mail.outbox) == 2


def test_other_emails_to_the_same_address_do_not_count_against_the_confirmation(inquiry):
    deliver(owe(inquiry, kind=NotificationKind.ADMISSIONS_ALERT, recipient=inquiry.email))
    assert deliver(owe(inquiry)) == "sent"


@pytest.mark.parametrize("address", ["x@[127.0.0.1]", "x@localhost", "x@printer.local"])
def test_a_confirmation_to_an_address_that_cannot_be_a_prospects_is_withheld(address):
    inquiry = InquiryFactory(email=address)
    notification = owe(inquiry)

    assert deliver(notification) == "withheld"
    assert mail.outbox == []
    assert "cannot be a prospect's" in notification.last_error
