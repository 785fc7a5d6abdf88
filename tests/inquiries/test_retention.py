"""Retention for every status: applied, enrolled, closed and held inquiries each lose their
personal data after their own age of no activity; open ones never do by age."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from inquiries.models import (
    Activity,
    ActivityKind,
    ClosedReason,
    Inquiry,
    RepeatSubmission,
    Status,
)
from inquiries.services import retention, timeline
from tests.factories import InquiryFactory

pytestmark = pytest.mark.django_db

AGES = {Status.APPLIED: 300, Status.ENROLLED: 400, Status.CLOSED: 200, Status.HELD: 30}


def untouched_for(days, **kwargs):
    """An inquiry in a status, nobody having touched it or its timeline for `days` days."""
    if kwargs.get("status") == Status.CLOSED:
        kwargs.setdefault("closed_reason", ClosedReason.NOT_INTERESTED)
    inquiry = InquiryFactory(message="Please call after 5, my cell is 407-555-0100.", **kwargs)
    timeline.add_activity(inquiry=inquiry, kind=ActivityKind.SUBMITTED, body="Message: call me")
    stamp = timezone.now() - datetime.timedelta(days=days)
    Inquiry.objects.filter(pk=inquiry.pk).update(updated_at=stamp, submitted_at=stamp)
    Activity.objects.filter(inquiry=inquiry).update(created_at=stamp)
    return inquiry


def later_submission(inquiry, **kwargs):
    return RepeatSubmission.objects.create(
        inquiry=inquiry,
        first_name="Ana",
        last_name="Again",
        email=inquiry.email,
        phone="+14075550111",
        postal_code="32801",
        message="Asking again: evenings only.",
        referrer="https://search.example/?q=ana",
        utm_campaign="spring",
        program=inquiry.program,
        **kwargs,
    )


def is_anonymised(inquiry) -> bool:
    inquiry = Inquiry.objects.get(pk=inquiry.pk)
    return inquiry.anonymised_at is not None and inquiry.email == "" and inquiry.first_name == ""


@pytest.mark.parametrize("status", [Status.APPLIED, Status.ENROLLED, Status.CLOSED, Status.HELD])
def test_each_status_is_anonymised_after_its_own_age(status):
    due = untouched_for(AGES[status] + 1, status=status)
    not_yet = untouched_for(AGES[status] - 1, status=status)

    counts = retention.anonymise_inquiries(ages=AGES)

    assert counts[status]["inquiries"] == 1
    assert is_anonymised(due)
    assert not is_anonymised(not_yet)
    assert Inquiry.objects.get(pk=due.pk).status == status


@pytest.mark.parametrize("status", [Status.NEW, Status.CONTACTED, Status.APPOINTMENT])
def test_open_inquiries_are_never_anonymised_by_age(status):
    ancient = untouched_for(5000, status=status)

    counts = retention.anonymise_inquiries(ages={s: 1 for s in AGES})

    assert not is_anonymised(ancient)
    assert sum(c["inquiries"] for c in counts.values()) == 0


def test_an_age_for_an_open_status_is_refused():
    with pytest.raises(ValueError, match="never anonymised"):
        retention.anonymise_inquiries(ages={Status.NEW: 30})


def test_a_zero_age_is_refused():
    with pytest.raises(ValueError):
        retention.anonymise_inquiries(ages={Status.HELD: 0})


def test_ages_come_from_the_settings_by_default(settings):
    settings.INQUIRY_RETENTION_DAYS_HELD = 10
    settings.INQUIRY_RETENTION_DAYS_ENROLLED = 5000
    held = untouched_for(11, status=Status.HELD)
    enrolled = untouched_for(4000, status=Status.ENROLLED)

    retention.anonymise_inquiries()

    assert is_anonymised(held)
    assert not is_anonymised(enrolled)


def test_the_default_ages_hold_spam_briefly_and_people_for_years(settings):
    ages = retention.retention_ages()
    assert ages[Status.HELD] == 30
    assert ages[Status.CLOSED] == 730
    assert min(ages[Status.APPLIED], ages[Status.ENROLLED]) >= 730


def test_a_recent_timeline_entry_keeps_an_enrolled_inquiry():
    enrolled = untouched_for(500, status=Status.ENROLLED)
    timeline.add_activity(inquiry=enrolled, kind=ActivityKind.NOTE, body="Started classes")

    retention.anonymise_inquiries(ages=AGES)

    assert not is_anonymised(enrolled)


def test_anonymising_clears_the_later_submissions_personal_fields():
    applied = untouched_for(301, status=Status.APPLIED)
    submission = later_submission(applied)

    retention.anonymise_inquiries(ages=AGES)

    submission.refresh_from_db()
    for field in retention.SUBMISSION_PERSONAL_FIELDS:
        assert getattr(submission, field) == "", field
    assert submission.utm_campaign == "spring"
    assert submission.program_id == applied.program_id


def test_the_later_submissions_of_other_inquiries_are_kept():
    untouched_for(301, status=Status.APPLIED)
    recent = untouched_for(10, status=Status.APPLIED)
    submission = later_submission(recent)

    retention.anonymise_inquiries(ages=AGES)

    submission.refresh_from_db()
    assert submission.email == recent.email


def test_the_timeline_says_how_long_and_in_which_status():
    held = untouched_for(31, status=Status.HELD)
    enrolled = untouched_for(401, status=Status.ENROLLED)

    retention.anonymise_inquiries(ages=AGES)

    assert Activity.objects.filter(inquiry=held).first().body == (
        "Personal data removed after 30 days held for review."
    )
    assert Activity.objects.filter(inquiry=enrolled).first().body == (
        "Personal data removed after 400 days enrolled."
    )
    assert Activity.objects.get(inquiry=held, kind=ActivityKind.SUBMITTED).body == ""


def test_a_dry_run_counts_every_status_and_changes_nothing():
    applied = untouched_for(301, status=Status.APPLIED)
    held = untouched_for(31, status=Status.HELD)

    counts = retention.anonymise_inquiries(ages=AGES, dry_run=True)

    assert counts[Status.APPLIED] == {"inquiries": 1, "entries": 1}
    assert counts[Status.HELD] == {"inquiries": 1, "entries": 1}
    assert counts[Status.CLOSED] == {"inquiries": 0, "entries": 0}
    assert not is_anonymised(applied)
    assert not is_anonymised(held)


def test_the_data_request_entries_are_kept_as_written():
    closed = untouched_for(201, status=Status.CLOSED)
    timeline.add_activity(
        inquiry=closed, kind=ActivityKind.DATA_REQUEST, body="Downloaded on request."
    )
    Activity.objects.filter(inquiry=closed).update(
        created_at=timezone.now() - datetime.timedelta(days=201)
    )

    retention.anonymise_inquiries(ages=AGES)

    assert Activity.objects.get(inquiry=closed, kind=ActivityKind.DATA_REQUEST).body == (
        "Downloaded on request."
    )


# --- The command --------------------------------------------------------------------------------


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("anonymise_inquiries", *args, stdout=out)
    return out.getvalue()


def test_the_command_reports_every_status(settings):
    settings.INQUIRY_RETENTION_DAYS_HELD = 30
    untouched_for(40, status=Status.HELD)

    output = run("--dry-run")

    assert "Would anonymise 1 held inquiries untouched for 30 days" in output
    for status in ("applied", "enrolled", "closed"):
        assert f"Would anonymise 0 {status} inquiries" in output


@pytest.mark.parametrize(
    ("option", "status"),
    [
        ("--applied-days", Status.APPLIED),
        ("--enrolled-days", Status.ENROLLED),
        ("--held-days", Status.HELD),
        ("--days", Status.CLOSED),
    ],
)
def test_each_status_has_a_command_option(option, status):
    inquiry = untouched_for(20, status=status)

    output = run(option, "15")

    assert f"Anonymised 1 {status.value} inquiries untouched for 15 days" in output
    assert is_anonymised(inquiry)


@pytest.mark.parametrize("option", ["--applied-days", "--enrolled-days", "--held-days"])
def test_the_command_refuses_a_zero_age_for_any_status(option):
    with pytest.raises(CommandError):
        run(option, "0")


def test_a_download_of_their_data_does_not_postpone_anonymisation():
    from inquiries.services import personal_data
    from tests.inquiries.staff import manager

    closed = untouched_for(201, status=Status.CLOSED)
    personal_data.export_person(email=closed.email, by=manager())

    retention.anonymise_inquiries(ages=AGES)

    assert is_anonymised(closed)


def test_anonymising_clears_a_reply_written_to_the_prospect():
    from inquiries.models import Notification, NotificationKind

    closed = untouched_for(201, status=Status.CLOSED)
    Notification.objects.create(
        inquiry=closed,
        kind=NotificationKind.REPLY,
        recipient=closed.email,
        subject=f"Hello {closed.first_name}",
        body=f"Dear {closed.first_name}, thank you.",
    )

    retention.anonymise_inquiries(ages=AGES)

    reply = Notification.objects.get(inquiry=closed)
    assert (reply.recipient, reply.subject, reply.body) == ("", "", "")
