"""Replies from the record: templates filled in safely, sent through the outbox with consent
respected, on the timeline; the "Write to them" page and the template admin per group."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from inquiries.models import (
    Activity,
    ActivityKind,
    Notification,
    NotificationKind,
    NotificationStatus,
    Outcome,
    ReplyTemplate,
    StaffProfile,
    Status,
)
from inquiries.services import consent, delivery, replies
from tests.factories import CampusFactory, InquiryFactory, ProgramFactory, StartDateFactory
from tests.inquiries.staff import content_editor, manager, representative

pytestmark = pytest.mark.django_db


@pytest.fixture
def rep():
    user = representative(first_name="Rosa", last_name="Alvarez", email="rosa@ftc.example")
    StaffProfile.objects.create(user=user, direct_line="(407) 555-0188")
    return user


@pytest.fixture
def template():
    return ReplyTemplate.objects.create(
        name="Intro",
        subject="About {program}, {first_name}",
        body="Hi {first_name}, the next {program} class starts {next_start}. "
        "Call me, {rep_name}, at {rep_phone}. {institution}",
    )


def write_url(inquiry):
    return reverse("admin:inquiries_inquiry_write", args=[inquiry.pk])


# --- Filling a template ------------------------------------------------------------------------


def test_render_fills_every_placeholder_for_the_inquiry_and_the_sender(rep, template):
    campus = CampusFactory()
    program = ProgramFactory(name="Medical Assistant Technician")
    start = timezone.localdate() + datetime.timedelta(days=20)
    StartDateFactory(program=program, campus=campus, starts_on=start)
    inquiry = InquiryFactory(first_name="Ana", program=program, campus=campus)

    subject, body = replies.render_reply(template=template, inquiry=inquiry, by=rep)

    assert subject == "About Medical Assistant Technician, Ana"
    assert f"starts {start:%A, %B %-d, %Y}." in body
    assert "Call me, Rosa Alvarez, at (407) 555-0188. Florida Technical College" in body


def test_missing_values_become_sensible_words_never_an_error(template):
    inquiry = InquiryFactory(first_name=" ", program=None, campus=None)
    nobody_special = representative(first_name="", last_name="", username="desk")

    subject, body = replies.render_reply(template=template, inquiry=inquiry, by=nobody_special)

    assert subject == "About our programs, there"
    assert "Hi there, the next our programs class starts soon (ask me for the dates)." in body
    assert "Call me, desk, at the admissions office." in body


def test_a_template_cannot_reach_into_attributes_or_break_on_braces(rep):
    template = ReplyTemplate(
        name="x", subject="{first_name.__class__} {0} {", body="{unknown} {{first_name}} }"
    )

    subject, body = replies.render_reply(template=template, inquiry=InquiryFactory(), by=rep)

    assert subject == "{first_name.__class__} {0} {"
    assert "{unknown}" in body


# --- Sending -----------------------------------------------------------------------------------


def test_send_reply_queues_a_reply_and_logs_an_email_sent_as_an_attempt(rep, template):
    inquiry = InquiryFactory(owner=rep)

    notification = replies.send_reply(
        inquiry=inquiry, subject="Hello", body="Hi Ana", by=rep, template=template
    )

    assert (notification.kind, notification.recipient) == (NotificationKind.REPLY, inquiry.email)
    assert (notification.subject, notification.body, notification.sent_by) == (
        "Hello",
        "Hi Ana",
        rep,
    )
    entry = Activity.objects.get(inquiry=inquiry, kind=ActivityKind.EMAIL)
    assert (entry.outcome, entry.author) == (Outcome.SENT, rep)
    assert "“Hello”" in entry.body and "Intro" in entry.body
    inquiry.refresh_from_db()
    assert inquiry.first_attempted_at is not None
    assert (inquiry.status, inquiry.first_contacted_at) == (Status.NEW, None)


def test_a_placeholder_typed_into_the_text_is_filled_when_sent(rep):
    inquiry = InquiryFactory(owner=rep, first_name="Ana")

    notification = replies.send_reply(
        inquiry=inquiry, subject="For {first_name}", body="Hi {first_name}", by=rep
    )

    assert (notification.subject, notification.body) == ("For Ana", "Hi Ana")


def test_the_reply_is_sent_from_the_college_answered_to_the_representative_with_unsubscribe(
    rep, immediate_tasks, django_capture_on_commit_callbacks
):
    inquiry = InquiryFactory(owner=rep, email="ana@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        replies.send_reply(inquiry=inquiry, subject="Your  questions\n", body="Hi Ana", by=rep)

    [message] = mail.outbox
    assert message.subject == "Your questions"
    assert message.to == ["ana@example.com"]
    assert message.reply_to == ["rosa@ftc.example"]
    assert message.from_email == "admissions@ftc.example"
    assert message.body.startswith("Hi Ana\n")
    assert "/request-info/unsubscribe/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Notification.objects.get().status == NotificationStatus.SENT


def test_a_reply_queued_before_consent_is_withdrawn_is_withheld(rep):
    inquiry = InquiryFactory(owner=rep)
    notification = replies.send_reply(inquiry=inquiry, subject="Hi", body="Hello", by=rep)
    consent.withdraw_consent(inquiry=inquiry, channel="email", how="phone_call", by=rep)

    outcome, _ = delivery.deliver_notification(notification_id=notification.pk)

    assert outcome == "withheld"
    assert mail.outbox == []


def test_a_failed_reply_stays_pending_for_a_retry(rep, settings, monkeypatch):
    inquiry = InquiryFactory(owner=rep)
    notification = replies.send_reply(inquiry=inquiry, subject="Hi", body="Hello", by=rep)
    monkeypatch.setattr(
        "django.core.mail.EmailMessage.send", lambda *a, **k: (_ for _ in ()).throw(OSError)
    )

    outcome, retry_in = delivery.deliver_notification(notification_id=notification.pk)

    assert outcome == "will retry" and retry_in
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.PENDING


def test_no_reply_without_consent_to_email_and_the_refusal_says_when(rep):
    inquiry = InquiryFactory(owner=rep)
    consent.withdraw_consent(inquiry=inquiry, channel="email", how="phone_call", by=rep)
    inquiry.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        replies.send_reply(inquiry=inquiry, subject="Hi", body="Hello", by=rep)

    assert refused.value.messages == [
        f"They withdrew consent to email on {timezone.localtime():%b %-d, %Y}."
    ]
    assert not Notification.objects.exists()
    assert not Activity.objects.filter(kind=ActivityKind.EMAIL).exists()


@pytest.mark.parametrize(
    ("subject", "body", "field"),
    [("", "Hello", "subject"), ("Hi", "  ", "body"), ("Hi", "Dear {frist_name}", "body")],
)
def test_an_empty_or_mistyped_email_is_refused_by_field(rep, subject, body, field):
    with pytest.raises(ValidationError) as refused:
        replies.send_reply(inquiry=InquiryFactory(owner=rep), subject=subject, body=body, by=rep)

    assert field in refused.value.message_dict
    assert not Notification.objects.exists()


def test_a_representative_cannot_write_on_a_colleague_s_inquiry():
    colleague = representative(first_name="Marcus", last_name="Bell")
    inquiry = InquiryFactory(owner=colleague)

    with pytest.raises(PermissionDenied, match="belongs to Marcus Bell"):
        replies.send_reply(inquiry=inquiry, subject="Hi", body="Hello", by=representative())


def test_a_manager_may_write_on_anyone_s_inquiry_and_an_editor_on_none():
    inquiry = InquiryFactory(owner=representative())

    replies.send_reply(inquiry=inquiry, subject="Hi", body="Hello", by=manager())
    with pytest.raises(PermissionDenied):
        replies.send_reply(inquiry=inquiry, subject="Hi", body="Hello", by=content_editor())

    assert Notification.objects.count() == 1


# --- The "Write to them" page ------------------------------------------------------------------


def test_the_page_fills_the_chosen_template_in_for_this_inquiry(client, rep, template):
    inquiry = InquiryFactory(owner=rep, first_name="Ana", program=ProgramFactory(name="MAT"))
    client.force_login(rep)

    response = client.get(write_url(inquiry), {"template": template.pk})

    assert response.status_code == 200
    form = response.context["form"]
    assert form["subject"].value() == "About MAT, Ana"
    assert "Call me, Rosa Alvarez, at (407) 555-0188." in form["body"].value()
    html = response.content.decode()
    assert "What they will receive" in html
    assert "rosa@ftc.example" in html  # where replies go


def test_sending_from_the_page_queues_it_and_returns_to_the_inquiry(client, rep, template):
    inquiry = InquiryFactory(owner=rep)
    client.force_login(rep)

    response = client.post(
        write_url(inquiry),
        {"template": template.pk, "subject": "Hi", "body": "Hello there", "send": "1"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])
    assert Notification.objects.get(kind=NotificationKind.REPLY).body == "Hello there"


def test_update_the_preview_sends_nothing_and_keeps_the_edits(client, rep):
    inquiry = InquiryFactory(owner=rep, first_name="Ana")
    client.force_login(rep)

    response = client.post(
        write_url(inquiry), {"subject": "Hi", "body": "Dear {first_name},", "preview": "1"}
    )

    assert response.status_code == 200
    assert response.context["preview_body"] == "Dear Ana,"
    assert response.context["form"]["body"].value() == "Dear {first_name},"
    assert not Notification.objects.exists()


def test_the_page_refuses_an_empty_message_beside_the_field(client, rep):
    inquiry = InquiryFactory(owner=rep)
    client.force_login(rep)

    response = client.post(write_url(inquiry), {"subject": "Hi", "body": "", "send": "1"})

    assert response.status_code == 200
    assert response.context["form"].errors["body"]
    assert not Notification.objects.exists()


def test_the_page_says_when_they_withdrew_consent_and_offers_no_form(client, rep):
    inquiry = InquiryFactory(owner=rep)
    consent.withdraw_consent(inquiry=inquiry, channel="email", how="email_reply", by=rep)
    client.force_login(rep)

    response = client.get(write_url(inquiry))
    posted = client.post(write_url(inquiry), {"subject": "Hi", "body": "x", "send": "1"})

    assert "They withdrew consent to email on" in response.content.decode()
    assert "Send the email" not in response.content.decode()
    assert posted.status_code == 200
    assert not Notification.objects.exists()


def test_the_page_tells_a_representative_whose_inquiry_it_is(client, rep):
    inquiry = InquiryFactory(owner=representative(first_name="Marcus", last_name="Bell"))
    client.force_login(rep)

    response = client.post(write_url(inquiry), {"subject": "Hi", "body": "x", "send": "1"})

    # They may not see it at all (404), or see it read-only and be told whose it is (403).
    assert response.status_code in (403, 404)
    if response.status_code == 403:
        assert "belongs to Marcus Bell" in response.content.decode()
    assert not Notification.objects.exists()


def test_a_content_editor_cannot_open_the_page(client):
    client.force_login(content_editor())

    response = client.get(write_url(InquiryFactory()))

    assert response.status_code in (403, 404)


def test_the_inquiry_page_links_to_write_to_them(client, rep):
    inquiry = InquiryFactory(owner=rep)
    client.force_login(rep)

    html = client.get(reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])).content

    assert write_url(inquiry).encode() in html


# --- Templates in the admin --------------------------------------------------------------------


def test_the_migration_ships_two_starter_templates():
    assert ReplyTemplate.objects.filter(is_active=True).count() >= 2


def test_a_manager_edits_templates_and_an_unknown_placeholder_is_refused(client, template):
    client.force_login(manager())
    url = reverse("admin:inquiries_replytemplate_change", args=[template.pk])
    data = {
        "name": "Intro",
        "subject_en": "Hi {frist_name}",
        "subject_es": "Hola {first_name}",
        "body_en": "Hello",
        "body_es": "Hola, {nombre}",
        "is_active": "on",
    }

    refused = client.post(url, data)
    saved = client.post(
        url, {**data, "subject_en": "Hi {first_name}", "body_es": "Hola, {first_name}"}
    )

    assert refused.status_code == 200
    assert "{frist_name} is not a placeholder" in refused.content.decode()
    assert "{nombre} is not a placeholder" in refused.content.decode()
    assert saved.status_code == 302
    template.refresh_from_db()
    assert template.subject_en == "Hi {first_name}"
    assert template.body_es == "Hola, {first_name}"


def test_a_representative_may_read_templates_but_not_change_or_add_them(client, template):
    client.force_login(representative())

    listed = client.get(reverse("admin:inquiries_replytemplate_changelist"))
    change = client.post(
        reverse("admin:inquiries_replytemplate_change", args=[template.pk]),
        {"name": "Mine", "subject": "x", "body": "y"},
    )
    add = client.get(reverse("admin:inquiries_replytemplate_add"))

    assert listed.status_code == 200
    assert change.status_code == 403
    assert add.status_code == 403
    template.refresh_from_db()
    assert template.name == "Intro"


def test_a_content_editor_does_not_see_templates(client):
    client.force_login(content_editor())

    response = client.get(reverse("admin:inquiries_replytemplate_changelist"))

    assert response.status_code == 403
