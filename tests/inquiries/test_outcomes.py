"""Outcomes of calls, emails and texts: an attempt is not a contact; follow-ups are for later."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from inquiries.models import Activity, ActivityKind, ClosedReason, Inquiry, Outcome, Status
from inquiries.services import workflow
from tests.factories import CampusFactory, InquiryFactory, ProgramFactory
from tests.inquiries.staff import content_editor, manager, representative

pytestmark = pytest.mark.django_db


def log(inquiry, channel, outcome, by=None, **kwargs):
    return workflow.log_contact(
        inquiry=inquiry,
        channel=channel,
        outcome=outcome,
        body="What happened.",
        by=by or representative(),
        **kwargs,
    )


# --- Attempts and contacts ---------------------------------------------------------------------


def test_a_voicemail_is_an_attempt_and_leaves_a_new_inquiry_new():
    inquiry = InquiryFactory()

    entry = log(inquiry, ActivityKind.CALL, Outcome.VOICEMAIL)

    inquiry.refresh_from_db()
    assert inquiry.status == Status.NEW
    assert inquiry.first_attempted_at == entry.created_at
    assert inquiry.first_contacted_at is None
    assert entry.outcome == Outcome.VOICEMAIL


@pytest.mark.parametrize(
    ("channel", "outcome"),
    [
        (ActivityKind.CALL, Outcome.NO_ANSWER),
        (ActivityKind.CALL, Outcome.WRONG_NUMBER),
        (ActivityKind.EMAIL, Outcome.SENT),
        (ActivityKind.TEXT, Outcome.SENT),
    ],
)
def test_one_way_outcomes_never_mark_contacted(channel, outcome):
    inquiry = InquiryFactory()

    log(inquiry, channel, outcome)

    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.first_contacted_at) == (Status.NEW, None)
    assert inquiry.first_attempted_at is not None


@pytest.mark.parametrize(
    ("channel", "outcome"),
    [
        (ActivityKind.CALL, Outcome.CONNECTED),
        (ActivityKind.EMAIL, Outcome.REPLIED),
        (ActivityKind.TEXT, Outcome.REPLIED),
    ],
)
def test_a_two_way_outcome_marks_a_new_inquiry_contacted(channel, outcome):
    inquiry = InquiryFactory()

    entry = log(inquiry, channel, outcome)

    inquiry.refresh_from_db()
    assert inquiry.status == Status.CONTACTED
    assert inquiry.first_contacted_at == entry.created_at
    assert inquiry.first_attempted_at == entry.created_at


def test_a_connection_after_voicemails_keeps_the_first_attempt_and_stamps_the_contact():
    inquiry = InquiryFactory()
    start = timezone.now() - datetime.timedelta(days=2)
    log(inquiry, ActivityKind.CALL, Outcome.VOICEMAIL, at=start)
    log(inquiry, ActivityKind.CALL, Outcome.NO_ANSWER, at=start + datetime.timedelta(hours=5))
    connected = start + datetime.timedelta(days=1)

    log(inquiry, ActivityKind.CALL, Outcome.CONNECTED, at=connected)

    inquiry.refresh_from_db()
    assert inquiry.first_attempted_at == start
    assert inquiry.first_contacted_at == connected
    assert inquiry.status == Status.CONTACTED


def test_a_reply_later_in_the_funnel_stamps_a_missing_first_contact_but_keeps_the_status():
    inquiry = InquiryFactory(status=Status.APPOINTMENT)

    log(inquiry, ActivityKind.EMAIL, Outcome.REPLIED)

    inquiry.refresh_from_db()
    assert inquiry.status == Status.APPOINTMENT
    assert inquiry.first_contacted_at is not None


def test_a_manual_move_to_contacted_stamps_first_contact_and_first_attempt():
    inquiry = InquiryFactory()

    workflow.change_status(inquiry=inquiry, status=Status.CONTACTED, by=representative())

    inquiry.refresh_from_db()
    assert inquiry.first_contacted_at is not None
    assert inquiry.first_attempted_at == inquiry.first_contacted_at


def test_a_manual_move_keeps_an_earlier_first_attempt():
    inquiry = InquiryFactory()
    voicemail = log(inquiry, ActivityKind.CALL, Outcome.VOICEMAIL)

    workflow.change_status(inquiry=inquiry, status=Status.CONTACTED, by=representative())

    inquiry.refresh_from_db()
    assert inquiry.first_attempted_at == voicemail.created_at
    assert inquiry.first_contacted_at > voicemail.created_at


@pytest.mark.parametrize("reason", [ClosedReason.UNREACHABLE, ClosedReason.SPAM])
def test_closing_a_new_inquiry_unreached_is_no_first_contact(reason):
    inquiry = InquiryFactory()

    workflow.change_status(inquiry=inquiry, status=Status.CLOSED, closed_reason=reason)

    inquiry.refresh_from_db()
    assert inquiry.first_contacted_at is None


def test_closing_a_new_inquiry_as_not_interested_says_they_talked():
    inquiry = InquiryFactory()

    workflow.change_status(
        inquiry=inquiry, status=Status.CLOSED, closed_reason=ClosedReason.NOT_INTERESTED
    )

    inquiry.refresh_from_db()
    assert inquiry.first_contacted_at is not None


# --- Refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "outcome", "message"),
    [
        (ActivityKind.CALL, "", "Choose what came of the call."),
        (ActivityKind.EMAIL, "", "Choose what came of the email."),
        (
            ActivityKind.CALL,
            Outcome.SENT,
            "A call can only be: connected (spoke with them), left a voicemail, no answer, "
            "wrong number.",
        ),
        (ActivityKind.EMAIL, Outcome.VOICEMAIL, "An email can only be: sent, they replied."),
        (ActivityKind.TEXT, Outcome.CONNECTED, "A text message can only be: sent, they replied."),
        (ActivityKind.CALL, "shouted", "A call can only be"),
    ],
)
def test_an_outcome_that_does_not_fit_the_channel_is_refused_by_name(channel, outcome, message):
    inquiry = InquiryFactory()

    with pytest.raises(ValidationError) as refused:
        log(inquiry, channel, outcome)

    [said] = refused.value.message_dict["outcome"]
    assert said.startswith(message)
    assert not Activity.objects.filter(inquiry=inquiry).exists()
    inquiry.refresh_from_db()
    assert inquiry.first_attempted_at is None


def test_a_note_with_an_outcome_is_refused():
    inquiry = InquiryFactory()

    with pytest.raises(ValidationError) as refused:
        workflow.update_inquiry(
            inquiry_id=inquiry.pk,
            changes={},
            by=manager(),
            entry_kind=ActivityKind.NOTE,
            entry_body="Prefers mornings.",
            outcome=Outcome.CONNECTED,
        )

    assert "outcome" in refused.value.message_dict
    assert not Activity.objects.filter(inquiry=inquiry).exists()


# --- Follow-ups --------------------------------------------------------------------------------


def test_a_follow_up_in_the_past_is_refused_and_nothing_changes():
    inquiry = InquiryFactory()
    yesterday = timezone.now() - datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        workflow.set_follow_up(inquiry=inquiry, when=yesterday, by=representative())

    [message] = refused.value.message_dict["next_follow_up_at"]
    assert message.endswith("has passed: choose a time from now on.")
    inquiry.refresh_from_db()
    assert inquiry.next_follow_up_at is None
    assert not Activity.objects.filter(inquiry=inquiry).exists()


def test_a_follow_up_for_just_now_or_later_is_accepted_and_clearing_always_is():
    inquiry = InquiryFactory()
    rep = representative()

    workflow.set_follow_up(inquiry=inquiry, when=timezone.now() - datetime.timedelta(minutes=1))
    workflow.set_follow_up(inquiry=inquiry, when=timezone.now() + datetime.timedelta(days=1))
    workflow.set_follow_up(inquiry=inquiry, when=None, by=rep)

    inquiry.refresh_from_db()
    assert inquiry.next_follow_up_at is None


def test_a_backdated_follow_up_is_compared_with_its_own_moment():
    inquiry = InquiryFactory()
    then = timezone.now() - datetime.timedelta(days=5)

    workflow.set_follow_up(inquiry=inquiry, when=then + datetime.timedelta(days=1), at=then)

    inquiry.refresh_from_db()
    assert inquiry.next_follow_up_at == then + datetime.timedelta(days=1)


def test_validate_update_names_a_past_follow_up_beside_its_field():
    inquiry = InquiryFactory()

    with pytest.raises(ValidationError) as refused:
        workflow.validate_update(
            inquiry=inquiry,
            changes={"next_follow_up_at": timezone.now() - datetime.timedelta(hours=3)},
            by=manager(),
        )

    assert list(refused.value.message_dict) == ["next_follow_up_at"]


# --- The inquiry's page ------------------------------------------------------------------------


def change_url(inquiry):
    return reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])


def page_data(inquiry, **changes):
    return {
        "status": inquiry.status,
        "closed_reason": inquiry.closed_reason,
        "owner": inquiry.owner_id or "",
        "next_follow_up_at_0": "",
        "next_follow_up_at_1": "",
        "entry_kind": ActivityKind.NOTE,
        "outcome": "",
        "entry_body": "",
        **changes,
    }


def test_the_page_refuses_a_call_without_an_outcome_beside_the_outcome_field(client):
    rep = representative()
    inquiry = InquiryFactory(owner=rep)
    client.force_login(rep)

    response = client.post(
        change_url(inquiry), page_data(inquiry, entry_kind="call", entry_body="Rang.")
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["outcome"] == ["Choose what came of the call."]
    assert "Rang." in response.content.decode()  # what was typed is kept
    assert not Activity.objects.filter(inquiry=inquiry).exists()


def test_a_representative_logs_a_voicemail_and_their_new_lead_stays_new(client):
    rep = representative()
    inquiry = InquiryFactory(owner=rep)
    client.force_login(rep)

    response = client.post(
        change_url(inquiry),
        page_data(inquiry, entry_kind="call", outcome="voicemail", entry_body="Left a message."),
    )

    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.first_contacted_at) == (Status.NEW, None)
    entry = Activity.objects.get(inquiry=inquiry, kind=ActivityKind.CALL)
    assert (entry.outcome, entry.author) == (Outcome.VOICEMAIL, rep)


def test_the_page_refuses_a_past_follow_up_beside_its_field(client):
    boss = manager()
    inquiry = InquiryFactory()
    client.force_login(boss)
    past = timezone.localtime() - datetime.timedelta(days=2)

    response = client.post(
        change_url(inquiry),
        page_data(
            inquiry,
            next_follow_up_at_0=past.strftime("%Y-%m-%d"),
            next_follow_up_at_1=past.strftime("%H:%M:%S"),
        ),
    )

    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["next_follow_up_at"]
    assert "has passed" in message
    inquiry.refresh_from_db()
    assert inquiry.next_follow_up_at is None


def test_a_content_editor_cannot_log_an_outcome(client):
    inquiry = InquiryFactory()
    client.force_login(content_editor())

    response = client.post(
        change_url(inquiry),
        page_data(inquiry, entry_kind="call", outcome="connected", entry_body="Spoke."),
    )

    assert response.status_code in (302, 403)
    assert not Activity.objects.filter(inquiry=inquiry).exists()


# --- Demo data ---------------------------------------------------------------------------------


def test_demo_calls_carry_outcomes_with_voicemails_before_a_connection(settings):
    settings.DEBUG = True
    program = ProgramFactory(slug="medical-assistant-technician")
    program.campuses.add(CampusFactory(slug="kissimmee"))
    call_command("load_demo_inquiries", count=120, stdout=StringIO())

    contacts = Activity.objects.filter(kind__in=[ActivityKind.CALL, ActivityKind.EMAIL])
    assert contacts.exists()
    assert not contacts.filter(outcome="").exists()
    missed_first = Inquiry.objects.filter(
        activities__outcome=Outcome.VOICEMAIL, first_contacted_at__isnull=False
    ).distinct()
    assert any(inquiry.first_attempted_at < inquiry.first_contacted_at for inquiry in missed_first)
    # Some new leads have been tried but not reached: the speed-to-lead clock still runs.
    assert Inquiry.objects.filter(
        status=Status.NEW, first_attempted_at__isnull=False, first_contacted_at__isnull=True
    ).exists()


def test_the_timeline_on_the_inquiry_page_says_what_came_of_each_call(client):
    boss = manager()
    client.force_login(boss)
    inquiry = InquiryFactory()
    log(inquiry, ActivityKind.CALL, Outcome.VOICEMAIL, by=boss)
    html = client.get(change_url(inquiry)).content.decode()
    assert "<strong>Call</strong> (Call: left a voicemail)," in html
