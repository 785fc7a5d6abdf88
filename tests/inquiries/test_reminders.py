"""The morning reminder: one email per representative per day, listing their untried new leads
and today's (and overdue) follow-ups with links; nothing for those with nothing due."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from inquiries.models import (
    ActivityKind,
    Notification,
    NotificationKind,
    NotificationStatus,
    Outcome,
    Status,
)
from inquiries.services import delivery, reminders, workflow
from tests.factories import InquiryFactory
from tests.inquiries.staff import content_editor, manager, representative

pytestmark = pytest.mark.django_db


def local_today_at(hour, minute=0, days=0):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def run(*args):
    out = StringIO()
    call_command("send_follow_up_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def rep():
    return representative(first_name="Rosa", email="rosa@ftc.example")


def reminder_for(user):
    return Notification.objects.get(kind=NotificationKind.REMINDER, recipient=user.email)


def test_a_representative_gets_one_email_listing_new_leads_and_todays_follow_ups(rep, settings):
    settings.ADMIN_BASE_URL = "https://admissions.example.edu:8443"
    lead = InquiryFactory(owner=rep, first_name="Ana", last_name="Reyes")
    due = InquiryFactory(
        owner=rep,
        status=Status.CONTACTED,
        first_name="Luis",
        last_name="Pena",
        next_follow_up_at=local_today_at(23, 30),
    )
    overdue = InquiryFactory(
        owner=rep, status=Status.CONTACTED, next_follow_up_at=local_today_at(10, days=-2)
    )

    summary = reminders.send_follow_up_reminders()

    assert summary.sent == [rep.username]
    notification = reminder_for(rep)
    assert notification.inquiry is None
    assert notification.subject == "Your day: 1 new lead and 2 follow-ups"
    body = notification.body
    assert body.startswith("Good morning Rosa,")
    for inquiry in (lead, due, overdue):
        link = f"https://admissions.example.edu:8443/admin/inquiries/inquiry/{inquiry.pk}/change/"
        assert link in body
    assert body.index("New leads") < body.index("Follow-ups due today")
    assert body.index("Follow-ups due today") < body.index("Overdue follow-ups")
    assert "11:30 PM: Luis Pena" in body


def test_running_twice_the_same_day_sends_nothing_more(rep):
    InquiryFactory(owner=rep)

    run()
    output = run()

    assert Notification.objects.filter(kind=NotificationKind.REMINDER).count() == 1
    assert "0 sent, 1 already sent today" in output


def test_the_next_day_brings_a_new_reminder(rep):
    InquiryFactory(owner=rep)
    reminders.send_follow_up_reminders()
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(days=1))

    reminders.send_follow_up_reminders()

    assert Notification.objects.filter(kind=NotificationKind.REMINDER).count() == 2


def test_nothing_due_means_no_email(rep):
    InquiryFactory(owner=rep, status=Status.CONTACTED, next_follow_up_at=local_today_at(9, days=1))
    InquiryFactory(owner=rep, status=Status.CLOSED, closed_reason="not_interested")

    summary = reminders.send_follow_up_reminders()

    assert summary.sent == []
    assert not Notification.objects.exists()


def test_a_lead_already_tried_is_no_longer_new(rep):
    lead = InquiryFactory(owner=rep)
    workflow.log_contact(
        inquiry=lead, channel=ActivityKind.CALL, outcome=Outcome.VOICEMAIL, body="VM", by=rep
    )

    assert reminders.send_follow_up_reminders().sent == []


def test_only_their_own_inquiries_are_listed(rep):
    mine = InquiryFactory(owner=rep)
    theirs = InquiryFactory(owner=representative())
    unassigned = InquiryFactory()

    reminders.send_follow_up_reminders()

    body = reminder_for(rep).body
    assert f"/inquiry/{mine.pk}/change/" in body
    assert f"/inquiry/{theirs.pk}/change/" not in body
    assert f"/inquiry/{unassigned.pk}/change/" not in body


def test_inactive_staff_and_content_editors_get_nothing():
    gone = representative(is_active=False)
    InquiryFactory(owner=gone)
    content_editor()

    assert reminders.send_follow_up_reminders().sent == []


def test_a_manager_with_inquiries_of_their_own_is_reminded_too():
    boss = manager()
    InquiryFactory(owner=boss)

    assert reminders.send_follow_up_reminders().sent == [boss.username]


def test_a_dry_run_names_who_would_get_one_and_queues_nothing(rep):
    InquiryFactory(owner=rep)

    output = run("--dry-run")

    assert f"1 sent ({rep.username})" in output and "(dry run)" in output
    assert not Notification.objects.exists()


def test_the_reminder_goes_out_through_the_outbox_as_staff_email(
    rep, immediate_tasks, django_capture_on_commit_callbacks
):
    InquiryFactory(owner=rep)

    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_follow_up_reminders()

    [message] = mail.outbox
    assert message.to == ["rosa@ftc.example"]
    assert message.subject == "Your day: 1 new lead"
    assert "List-Unsubscribe" not in message.extra_headers
    assert reminder_for(rep).status == NotificationStatus.SENT


def test_a_reminder_that_keeps_failing_is_marked_failed_without_a_timeline(
    rep, settings, monkeypatch
):
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    InquiryFactory(owner=rep)
    reminders.send_follow_up_reminders()

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)

    outcome, _ = delivery.deliver_notification(notification_id=reminder_for(rep).pk)

    assert outcome == "failed"
    assert reminder_for(rep).status == NotificationStatus.FAILED


def test_a_long_list_ends_with_how_many_more(rep):
    for _ in range(reminders.MAX_LISTED + 3):
        InquiryFactory(owner=rep)

    reminders.send_follow_up_reminders()

    assert "- and 3 more on My day" in reminder_for(rep).body
