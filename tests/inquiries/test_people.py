"""One person, one inquiry: merge, split and the review of held possible spam, as services."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from inquiries.attribution import Attribution
from inquiries.models import (
    Activity,
    ActivityKind,
    ClosedReason,
    Coverage,
    Inquiry,
    NotificationKind,
    RepeatSubmission,
    Status,
    SubmissionKind,
)
from inquiries.services import capture, people
from inquiries.spam import SpamCheck
from tests.factories import InquiryFactory, ProgramFactory
from tests.inquiries.staff import manager, representative

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]


@pytest.fixture
def boss():
    return manager(first_name="Dana", last_name="Boss")


def _submit(program, **overrides):
    data = {
        "first_name": "Maria",
        "last_name": "Lopez",
        "email": "maria.lopez@example.com",
        "phone": "+14075550123",
        "postal_code": "34741",
        "program": program,
        "message": "Evening classes?",
    }
    data.update(overrides)
    signals = data.pop("signals", ())
    attribution = Attribution(source_page=data.pop("source_page", ""))
    return capture.record_inquiry(
        submission=capture.Submission(**data, attribution=attribution),
        spam=SpamCheck(signals=tuple(signals)),
    )


# --- Merge ---------------------------------------------------------------------------------


def test_merge_moves_the_timeline_submissions_and_attribution_to_the_kept_inquiry(boss):
    program = ProgramFactory()
    keep = _submit(program, email="work@example.com")
    other = _submit(program, email="home@example.com", source_page="/compare/a-vs-b/")
    _submit(program, email="home@example.com", message="Asked again from home")
    other_entries = set(other.activities.values_list("pk", flat=True))

    kept = people.merge_inquiries(
        keep_id=keep.pk,
        other_id=other.pk,
        owner_from_id=keep.pk,
        status_from_id=keep.pk,
        by=boss,
    )

    other.refresh_from_db()
    assert kept.pk == keep.pk
    assert other_entries <= set(keep.activities.values_list("pk", flat=True))
    assert (other.status, other.closed_reason, other.merged_into) == (
        Status.CLOSED,
        ClosedReason.MERGED,
        keep,
    )
    submissions = {(s.kind, s.email, s.message) for s in keep.submissions.all()}
    assert (SubmissionKind.MERGED, "home@example.com", "Evening classes?") in submissions
    assert (SubmissionKind.REPEAT, "home@example.com", "Asked again from home") in submissions
    assert keep.submissions.get(kind=SubmissionKind.MERGED).source_page == "/compare/a-vs-b/"
    assert keep.activities.filter(kind=ActivityKind.MERGE, body__contains="Merged with").exists()
    assert other.activities.get(kind=ActivityKind.MERGE).body.startswith("Merged into")


def test_merge_keeps_the_chosen_owner_and_status(boss):
    rep, rep2 = representative(), representative()
    keep = InquiryFactory(owner=rep, status=Status.NEW)
    other = InquiryFactory(owner=rep2, status=Status.APPLIED, first_contacted_at=None)
    people.merge_inquiries(
        keep_id=keep.pk, other_id=other.pk, owner_from_id=other.pk, status_from_id=other.pk, by=boss
    )
    keep.refresh_from_db()
    assert keep.owner == rep2
    assert keep.status == Status.APPLIED


def test_merge_is_not_a_first_contact_and_keeps_the_earlier_first_times(boss):
    # The other booked an appointment online: never contacted, status Appointment scheduled.
    keep = InquiryFactory(status=Status.NEW, first_attempted_at=None, first_contacted_at=None)
    called = keep.submitted_at + datetime.timedelta(hours=2)
    other = InquiryFactory(
        status=Status.APPOINTMENT, first_attempted_at=called, first_contacted_at=None
    )
    people.merge_inquiries(
        keep_id=keep.pk, other_id=other.pk, owner_from_id=keep.pk, status_from_id=other.pk, by=boss
    )
    keep.refresh_from_db()
    assert keep.status == Status.APPOINTMENT
    assert keep.first_contacted_at is None
    assert keep.first_attempted_at == called


def test_merge_keeps_the_furthest_stage_either_reached(boss):
    keep = InquiryFactory(status=Status.CONTACTED)
    other = InquiryFactory(status=Status.CLOSED, closed_reason=ClosedReason.NOT_INTERESTED)
    Inquiry.objects.filter(pk=other.pk).update(stage_reached=3)  # it had applied
    other.refresh_from_db()
    people.merge_inquiries(
        keep_id=keep.pk, other_id=other.pk, owner_from_id=keep.pk, status_from_id=keep.pk, by=boss
    )
    keep.refresh_from_db()
    assert keep.status == Status.CONTACTED
    assert keep.stage_reached == 3


def test_merge_allows_a_channel_only_where_both_allowed_it(boss):
    keep = InquiryFactory(may_call=True, may_text=True, may_email=True)
    other = InquiryFactory(may_call=False, may_text=True, may_email=True)
    people.merge_inquiries(
        keep_id=keep.pk, other_id=other.pk, owner_from_id=keep.pk, status_from_id=keep.pk, by=boss
    )
    keep.refresh_from_db()
    assert (keep.may_email, keep.may_call, keep.may_text) == (True, False, True)


def test_a_later_form_from_a_merged_email_joins_the_kept_inquiry(boss):
    program = ProgramFactory()
    keep = _submit(program, email="work@example.com")
    other = _submit(program, email="home@example.com", phone="+14075550199")
    people.merge_inquiries(
        keep_id=keep.pk, other_id=other.pk, owner_from_id=keep.pk, status_from_id=keep.pk, by=boss
    )
    again = _submit(program, email="HOME@example.com", message="Third time")
    assert again.pk == keep.pk
    assert keep.submissions.filter(message="Third time").exists()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("self", "cannot be merged into itself"),
        ("merged", "already merged"),
        ("held", "held for review"),
    ],
)
def test_bad_merges_are_refused_with_a_clear_message_and_change_nothing(boss, setup, message):
    keep = InquiryFactory()
    other = keep if setup == "self" else InquiryFactory()
    if setup == "merged":
        Inquiry.objects.filter(pk=other.pk).update(
            merged_into=InquiryFactory(), status=Status.CLOSED, closed_reason=ClosedReason.MERGED
        )
    if setup == "held":
        Inquiry.objects.filter(pk=other.pk).update(status=Status.HELD)
    entries = Activity.objects.count()

    with pytest.raises(ValidationError, match=message):
        people.merge_inquiries(
            keep_id=keep.pk,
            other_id=other.pk,
            owner_from_id=keep.pk,
            status_from_id=keep.pk,
            by=boss,
        )
    keep.refresh_from_db()
    assert keep.status == Status.NEW and keep.merged_into is None
    assert not keep.activities.filter(kind=ActivityKind.MERGE).exists()
    assert Activity.objects.count() == entries


def test_only_managers_merge():
    keep, other = InquiryFactory(), InquiryFactory()
    with pytest.raises(PermissionDenied):
        people.merge_inquiries(
            keep_id=keep.pk,
            other_id=other.pk,
            owner_from_id=keep.pk,
            status_from_id=keep.pk,
            by=representative(),
        )


# --- Split ---------------------------------------------------------------------------------


def test_a_later_submission_is_split_out_into_a_routed_inquiry_of_its_own(boss):
    program = ProgramFactory()
    rep = representative()
    Coverage.objects.create(representative=rep, program=program)
    first = _submit(program)
    _submit(program, first_name="Mario", message="This is my brother's form, oops")
    later = first.submissions.get()
    mail.outbox.clear()

    new = people.split_submission(inquiry_id=first.pk, submission_id=later.pk, by=boss)

    later.refresh_from_db()
    assert later.split_into == new
    assert (new.first_name, new.message) == ("Mario", "This is my brother's form, oops")
    assert new.status == Status.NEW and new.owner is not None
    assert f"Split out of inquiry {first.pk}" in new.activities.get(kind="submitted").body
    assert f"into inquiry {new.pk}" in first.activities.get(kind=ActivityKind.MERGE).body
    assert not [m for m in mail.outbox if m.to == [new.email]]  # they had their confirmation


@pytest.mark.parametrize(
    ("which", "message"),
    [("first", "first submission"), ("twice", "already split"), ("elsewhere", "not on this")],
)
def test_bad_splits_are_refused_with_a_clear_message(boss, which, message):
    program = ProgramFactory()
    first = _submit(program)
    _submit(program, message="again")
    later = first.submissions.get()
    target, submission_id = first, later.pk
    if which == "first":
        submission_id = None
    if which == "twice":
        people.split_submission(inquiry_id=first.pk, submission_id=later.pk, by=boss)
    if which == "elsewhere":
        target = InquiryFactory()
    count = Inquiry.objects.count()
    with pytest.raises(ValidationError, match=message):
        people.split_submission(inquiry_id=target.pk, submission_id=submission_id, by=boss)
    assert Inquiry.objects.count() == count


# --- Held for review -----------------------------------------------------------------------


def test_not_spam_releases_a_held_inquiry_as_if_it_had_just_arrived(
    boss, django_capture_on_commit_callbacks
):
    program = ProgramFactory()
    rep = representative()
    Coverage.objects.create(representative=rep, program=program)
    held = _submit(program, signals=["honeypot"])
    assert held.status == Status.HELD and held.owner is None

    with django_capture_on_commit_callbacks(execute=True):
        released = people.release_held(inquiry_id=held.pk, by=boss)

    held.refresh_from_db()
    assert released.pk == held.pk
    assert held.status == Status.NEW and held.released_at is not None
    assert held.owner == rep
    kinds = set(held.notifications.values_list("kind", flat=True))
    assert {NotificationKind.ADMISSIONS_ALERT, NotificationKind.CONFIRMATION} <= kinds
    assert held.email in {m.to[0] for m in mail.outbox}
    assert held.activities.filter(kind=ActivityKind.SPAM_REVIEW).exists()


def test_a_released_submission_joins_the_same_emails_open_inquiry(boss):
    program = ProgramFactory()
    first = _submit(program)
    held = _submit(program, message="http://a http://b", signals=["honeypot"])
    assert held.pk != first.pk

    landed = people.release_held(inquiry_id=held.pk, by=boss)

    held.refresh_from_db()
    assert landed.pk == first.pk
    assert (held.status, held.closed_reason, held.merged_into) == (
        Status.CLOSED,
        ClosedReason.MERGED,
        first,
    )
    assert first.submissions.filter(message="http://a http://b").exists()


def test_spam_closes_a_held_inquiry_without_email(boss):
    held = _submit(ProgramFactory(), signals=["honeypot"])
    mail.outbox.clear()
    people.close_held_as_spam(inquiry_id=held.pk, by=boss)
    held.refresh_from_db()
    assert (held.status, held.closed_reason) == (Status.CLOSED, ClosedReason.SPAM)
    assert held.first_contacted_at is None
    assert mail.outbox == []


def test_a_decision_on_an_inquiry_no_longer_held_is_refused(boss):
    inquiry = InquiryFactory(status=Status.NEW)
    with pytest.raises(ValidationError, match="not held"):
        people.release_held(inquiry_id=inquiry.pk, by=boss)
    with pytest.raises(ValidationError, match="not held"):
        people.close_held_as_spam(inquiry_id=inquiry.pk, by=boss)


def test_representatives_cannot_review_spam():
    held = InquiryFactory(status=Status.HELD)
    with pytest.raises(PermissionDenied):
        people.release_held(inquiry_id=held.pk, by=representative())


def test_a_repeat_submission_row_keeps_its_own_inquiry_link_after_a_split(boss):
    program = ProgramFactory()
    first = _submit(program)
    _submit(program, message="again")
    later = RepeatSubmission.objects.get()
    people.split_submission(inquiry_id=first.pk, submission_id=later.pk, by=boss)
    later.refresh_from_db()
    assert later.inquiry == first
