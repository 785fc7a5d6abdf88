import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from inquiries.attribution import Attribution
from inquiries.forms import consent_text, consent_version
from inquiries.models import (
    Activity,
    ActivityKind,
    ClosedReason,
    Coverage,
    Inquiry,
    Notification,
    NotificationKind,
    NotificationStatus,
    Status,
)
from inquiries.services.capture import (
    Submission,
    find_open_inquiry,
    find_phone_match,
    record_inquiry,
)
from inquiries.services.notifications import queue_notification
from inquiries.spam import SpamCheck
from tests.factories import InquiryFactory, ProgramFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]

ATTRIBUTION = {
    "source_page": "/careers/medical-assistant/",
    "referrer": "https://www.google.com/",
    "utm_source": "google",
    "utm_medium": "cpc",
    "utm_campaign": "spring",
}


@pytest.fixture
def program():
    return ProgramFactory(name="Medical Assistant Technician Diploma Program")


def submission(program, **overrides) -> Submission:
    data = {
        "first_name": "Maria",
        "last_name": "Lopez",
        "email": "maria.lopez@example.com",
        "phone": "+14075550123",
        "postal_code": "34741",
        "program": program,
        "campus": None,
        "start_timeframe": "3_months",
        "contact_method": "email",
        "message": "Do you have evening classes?",
        "consent": False,
    }
    data.update(overrides)
    return Submission(**data, attribution=Attribution(**ATTRIBUTION))


def record(program, *, signals=(), **overrides) -> Inquiry:
    return record_inquiry(
        submission=submission(program, **overrides),
        spam=SpamCheck(signals=tuple(signals)),
        consent_text=consent_text(),
        consent_version=consent_version(),
    )


def test_an_inquiry_is_saved_with_its_submitted_timeline_entry(program):
    inquiry = record(program)
    inquiry.refresh_from_db()
    assert inquiry.status == Status.NEW
    assert inquiry.program == program
    assert inquiry.message == "Do you have evening classes?"
    entry = inquiry.activities.get()
    assert entry.kind == ActivityKind.SUBMITTED
    assert entry.author is None
    assert "Within 3 months" in entry.body
    assert "evening classes" in entry.body


def test_attribution_is_stored_with_the_inquiry(program):
    inquiry = record(program)
    inquiry.refresh_from_db()
    assert inquiry.source_page == "/careers/medical-assistant/"
    assert inquiry.referrer == "https://www.google.com/"
    assert (inquiry.utm_source, inquiry.utm_medium, inquiry.utm_campaign) == (
        "google",
        "cpc",
        "spring",
    )


def test_consent_is_stored_with_its_exact_wording_version_time_and_channels(program):
    inquiry = record(program, consent=True, contact_method="text")
    inquiry.refresh_from_db()
    assert inquiry.consent_given
    assert inquiry.consent_text == consent_text()
    assert inquiry.consent_version == consent_version()
    assert inquiry.consent_channels == "phone,text"
    assert inquiry.consented_at is not None


def test_no_consent_stores_no_channels_and_no_time(program):
    inquiry = record(program, consent=False)
    inquiry.refresh_from_db()
    assert not inquiry.consent_given
    assert inquiry.consent_channels == ""
    assert inquiry.consented_at is None


def test_the_admissions_inbox_and_the_prospect_are_owed_an_email(program, settings):
    settings.ADMISSIONS_EMAIL = "inbox@college.example"
    inquiry = record(program)
    owed = {(n.kind, n.recipient) for n in inquiry.notifications.all()}
    assert owed == {
        (NotificationKind.ADMISSIONS_ALERT, "inbox@college.example"),
        (NotificationKind.CONFIRMATION, "maria.lopez@example.com"),
    }


def test_emails_are_sent_only_after_the_transaction_commits(
    program, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record(program)
        assert mail.outbox == []
    assert len(callbacks) == 1  # the emails, queued as one task
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(status=NotificationStatus.SENT).count() == 2


def test_a_rolled_back_inquiry_sends_nothing(program, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        record(program)
        raise RuntimeError("the request failed after recording")
    assert callbacks == []
    assert mail.outbox == []
    assert not Inquiry.objects.exists()
    assert not Notification.objects.exists()


def test_a_new_inquiry_is_routed_to_the_representative_covering_the_program(
    program, django_capture_on_commit_callbacks
):
    rep = UserFactory(email="rep@college.example")
    Coverage.objects.create(representative=rep, program=program)
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = record(program)
    inquiry.refresh_from_db()
    assert inquiry.owner == rep
    assert inquiry.notifications.filter(
        kind=NotificationKind.OWNER_ASSIGNED, recipient="rep@college.example"
    ).exists()
    assert "rep@college.example" in {m.to[0] for m in mail.outbox}


def test_possible_spam_is_held_for_review_never_routed_or_emailed(
    program, django_capture_on_commit_callbacks
):
    Coverage.objects.create(representative=UserFactory(), program=program)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        inquiry = record(program, signals=["honeypot"])
    inquiry.refresh_from_db()
    assert inquiry.status == Status.HELD
    assert inquiry.held_at is not None
    assert inquiry.spam_signal == "honeypot"
    assert inquiry.spam_score >= 3
    assert inquiry.owner is None
    assert not inquiry.notifications.exists()
    assert callbacks == []
    assert mail.outbox == []
    assert inquiry not in Inquiry.objects.open()
    assert inquiry.activities.get().kind == ActivityKind.SUBMITTED


def test_a_repeat_from_the_same_email_in_any_case_joins_the_open_inquiry(program):
    first = record(program)
    again = record(
        program, email="Maria.LOPEZ@Example.com", phone="", message="What about financial aid?"
    )
    assert again.pk == first.pk
    assert Inquiry.objects.count() == 1
    entry = first.activities.get(kind=ActivityKind.REPEAT_SUBMISSION)
    assert "same email" in entry.body
    assert "financial aid" in entry.body


def test_the_same_phone_under_another_email_is_a_new_inquiry_marked_possible_duplicate(program):
    first = record(program)
    other = record(program, first_name="Ana", email="ana@example.com")
    assert other.pk != first.pk
    assert other.possible_duplicate_of == first
    assert list(first.possible_duplicates.all()) == [other]
    assert not first.activities.filter(kind=ActivityKind.REPEAT_SUBMISSION).exists()
    assert "Possible duplicate" in first.activities.get(kind=ActivityKind.MERGE).body
    assert f"inquiry {first.pk}" in other.activities.get(kind=ActivityKind.MERGE).body
    # Their own name, email and message stay theirs, on their own inquiry.
    assert (other.first_name, other.email) == ("Ana", "ana@example.com")


def test_the_same_email_wins_even_when_the_phone_matches_someone_else(program):
    stranger = record(program, email="stranger@example.com", phone="+14075550123")
    mine = record(program, email="maria.lopez@example.com", phone="+14075550188")
    again = record(program, email="maria.lopez@example.com", phone="+14075550123")
    assert again.pk == mine.pk
    assert not stranger.activities.filter(kind=ActivityKind.REPEAT_SUBMISSION).exists()


def test_a_repeat_is_kept_whole_as_a_later_submission(program):
    first = record(program)
    record(program, first_name="María José", message="What about financial aid?")
    [later] = first.submissions.all()
    assert later.first_name == "María José"
    assert later.message == "What about financial aid?"
    assert later.source_page == ATTRIBUTION["source_page"]


def test_a_repeat_tells_the_owner_and_confirms_to_the_prospect(program):
    rep = UserFactory(email="rep@college.example")
    first = InquiryFactory(program=program, email="maria.lopez@example.com", owner=rep)
    record(program)
    owed = {(n.kind, n.recipient) for n in first.notifications.all()}
    assert owed == {
        (NotificationKind.REPEAT_ALERT, "rep@college.example"),
        (NotificationKind.CONFIRMATION, "maria.lopez@example.com"),
    }


def test_a_repeat_on_an_unassigned_inquiry_tells_the_admissions_inbox(program, settings):
    settings.ADMISSIONS_EMAIL = "inbox@college.example"
    first = InquiryFactory(program=program, email="maria.lopez@example.com")
    record(program)
    assert first.notifications.filter(
        kind=NotificationKind.REPEAT_ALERT, recipient="inbox@college.example"
    ).exists()


def test_a_repeat_does_not_route_again_or_alert_the_inbox_as_new(program):
    rep = UserFactory()
    Coverage.objects.create(representative=rep, program=program)
    first = record(program)
    record(program)
    kinds = list(first.notifications.values_list("kind", flat=True))
    assert kinds.count(NotificationKind.ADMISSIONS_ALERT) == 1
    assert kinds.count(NotificationKind.OWNER_ASSIGNED) == 1
    assert first.activities.filter(kind=ActivityKind.ASSIGNMENT).count() == 1


def test_a_repeat_records_newly_given_consent_and_a_missing_phone(program):
    first = record(program, phone="", consent=False)
    record(program, phone="+14075550199", consent=True, contact_method="text")
    first.refresh_from_db()
    assert first.phone == "+14075550199"
    assert first.consent_given
    assert first.consent_channels == "phone,text"
    assert first.may_call and first.may_text
    assert "given on the form sent again" in first.activities.get(kind=ActivityKind.CONSENT).body


def test_a_closed_inquiry_does_not_absorb_a_new_request(program):
    InquiryFactory(
        program=program,
        email="maria.lopez@example.com",
        status=Status.CLOSED,
        closed_reason=ClosedReason.NOT_INTERESTED,
    )
    record(program)
    assert Inquiry.objects.count() == 2


def test_held_spam_never_joins_a_real_open_inquiry(program):
    first = record(program)
    spam = record(program, signals=["honeypot"])
    assert spam.pk != first.pk
    assert not first.activities.filter(kind=ActivityKind.REPEAT_SUBMISSION).exists()


def test_find_open_inquiry_returns_the_earliest_match_by_email(program):
    older = InquiryFactory(email="a@example.com", phone="+14075550100")
    InquiryFactory(email="a@example.com")
    InquiryFactory(email="b@example.com", phone="+14075550100")
    assert find_open_inquiry(email="A@example.com") == older


def test_find_open_inquiry_follows_a_merge(program):
    kept = InquiryFactory(email="work@example.com")
    InquiryFactory(
        email="home@example.com",
        status=Status.CLOSED,
        closed_reason=ClosedReason.MERGED,
        merged_into=kept,
    )
    assert find_open_inquiry(email="HOME@example.com") == kept


def test_find_open_inquiry_prefers_the_persons_own_email_to_an_older_merge(program):
    kept = InquiryFactory(email="work@example.com")
    InquiryFactory(
        email="home@example.com",
        status=Status.CLOSED,
        closed_reason=ClosedReason.MERGED,
        merged_into=kept,
    )
    own = InquiryFactory(email="home@example.com")
    assert kept.submitted_at < own.submitted_at
    assert find_open_inquiry(email="home@example.com") == own


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="index use is checked with PostgreSQL's EXPLAIN; set DATABASE_URL to a PostgreSQL "
    "database to run it",
)
def test_finding_the_open_inquiry_uses_the_email_and_phone_indexes(program):
    """Every submission runs these lookups; without indexes they read the whole table."""
    with CaptureQueriesContext(connection) as captured:
        find_open_inquiry(email="Someone@Example.com")
        find_phone_match(phone="+14075550100", email="Someone@Example.com")
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is too small to need one
        for query in captured:
            cursor.execute(f"EXPLAIN {query['sql']}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    assert all("inquiry_email_upper_idx" in plan for plan in plans[:2])
    assert "inquiry_phone_idx" in plans[2]


def test_queue_notification_without_a_recipient_owes_nothing(program):
    inquiry = InquiryFactory(program=program)
    assert (
        queue_notification(inquiry=inquiry, kind=NotificationKind.CONFIRMATION, recipient="")
        is None
    )
    assert not Notification.objects.exists()
    assert not Activity.objects.exists()


def test_someone_typing_a_strangers_phone_learns_nothing_about_them(
    program, django_capture_on_commit_callbacks
):
    rep = UserFactory(email="rep@college.example")
    InquiryFactory(
        program=program,
        first_name="Xavier",
        email="xavier@example.com",
        phone="+14075550123",
        contact_method="text",
        owner=rep,
    )
    with django_capture_on_commit_callbacks(execute=True):
        record(program, first_name="Ana", email="ana@example.com", contact_method="email")

    [confirmation] = [m for m in mail.outbox if m.to == ["ana@example.com"]]
    assert "Ana" in confirmation.body
    assert "Xavier" not in confirmation.subject + confirmation.body
    assert "by email" in confirmation.body and "text message" not in confirmation.body
    assert not [m for m in mail.outbox if m.to == ["rep@college.example"]]


def test_a_phone_only_match_does_not_record_consent_on_the_earlier_persons_record(program):
    earlier = InquiryFactory(program=program, email="xavier@example.com", phone="+14075550123")
    record(program, email="ana@example.com", consent=True)
    earlier.refresh_from_db()
    assert not earlier.consent_given


def test_a_repeat_keeps_where_it_came_from_on_the_timeline(program):
    first = record(program)
    record(program)
    entry = first.activities.get(kind=ActivityKind.REPEAT_SUBMISSION)
    assert f"Sent from: {ATTRIBUTION['source_page']}" in entry.body
