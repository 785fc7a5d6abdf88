"""The workflow rules in inquiries.services: statuses, owners, follow-ups, timeline, routing,
bulk changes and anonymisation."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from inquiries import reports
from inquiries.models import (
    Activity,
    ActivityKind,
    ClosedReason,
    Coverage,
    Inquiry,
    Notification,
    NotificationKind,
    Outcome,
    Status,
)
from inquiries.services import retention, routing, timeline, workflow
from tests.factories import InquiryFactory, ProgramFactory, UserFactory
from tests.inquiries.staff import manager, representative

pytestmark = pytest.mark.django_db


def entries(inquiry, kind=None):
    activities = Activity.objects.filter(inquiry=inquiry).order_by("created_at", "id")
    return list(activities.filter(kind=kind) if kind else activities)


# --- Status ------------------------------------------------------------------------------------


def test_change_status_writes_a_timeline_entry_with_author_and_both_statuses():
    inquiry = InquiryFactory()
    rep = representative()

    workflow.change_status(inquiry=inquiry, status=Status.CONTACTED, by=rep)

    [entry] = entries(inquiry, ActivityKind.STATUS_CHANGE)
    assert entry.author == rep
    assert entry.body == "New → Contacted"
    inquiry.refresh_from_db()
    assert inquiry.status == Status.CONTACTED


def test_the_furthest_stage_reached_stays_when_the_inquiry_goes_back_or_closes():
    inquiry = InquiryFactory()
    rep = representative()
    assert inquiry.stage_reached == 0

    workflow.change_status(inquiry=inquiry, status=Status.APPLIED, by=rep)
    workflow.change_status(inquiry=inquiry, status=Status.CONTACTED, by=rep)
    workflow.change_status(
        inquiry=inquiry, status=Status.CLOSED, closed_reason=ClosedReason.NOT_INTERESTED, by=rep
    )

    inquiry.refresh_from_db()
    assert inquiry.stage_reached == 3  # applied
    assert Inquiry.objects.filter(reports.reached(Status.APPLIED)).get() == inquiry
    assert not Inquiry.objects.filter(reports.reached(Status.ENROLLED)).exists()


def test_the_stage_reached_is_filled_from_the_timeline_for_inquiries_made_before_it():
    fill = importlib.import_module(
        "inquiries.migrations.0015_desk_indexes_stage_reached"
    ).fill_stage_reached
    closed = InquiryFactory(status=Status.CLOSED, closed_reason=ClosedReason.UNREACHABLE)
    Activity.objects.create(
        inquiry=closed, kind=ActivityKind.STATUS_CHANGE, body="Contacted → Appointment scheduled"
    )
    applied = InquiryFactory(status=Status.APPLIED)
    untouched = InquiryFactory()
    Inquiry.objects.update(stage_reached=0)

    fill(django_apps, None)

    stages = dict(Inquiry.objects.values_list("pk", "stage_reached"))
    assert stages == {closed.pk: 2, applied.pk: 3, untouched.pk: 0}


def test_closing_without_a_reason_is_refused():
    inquiry = InquiryFactory()

    with pytest.raises(ValidationError):
        workflow.change_status(inquiry=inquiry, status=Status.CLOSED, by=None)

    inquiry.refresh_from_db()
    assert inquiry.status == Status.NEW
    assert entries(inquiry) == []


def test_closing_records_the_reason_in_the_timeline():
    inquiry = InquiryFactory()

    workflow.change_status(
        inquiry=inquiry, status=Status.CLOSED, closed_reason=ClosedReason.UNREACHABLE
    )

    inquiry.refresh_from_db()
    assert inquiry.closed_reason == ClosedReason.UNREACHABLE
    assert entries(inquiry)[0].body == "New → Closed (Unreachable)"


def test_reopening_clears_the_closed_reason():
    inquiry = InquiryFactory(status=Status.CLOSED, closed_reason=ClosedReason.NOT_INTERESTED)

    workflow.change_status(inquiry=inquiry, status=Status.CONTACTED)

    inquiry.refresh_from_db()
    assert inquiry.closed_reason == ""
    assert entries(inquiry)[0].body == "Closed (Not interested) → Contacted"


def test_first_move_out_of_new_stamps_first_contacted_at_once():
    inquiry = InquiryFactory()
    workflow.change_status(inquiry=inquiry, status=Status.CONTACTED)
    first = inquiry.first_contacted_at
    assert first is not None

    workflow.change_status(inquiry=inquiry, status=Status.APPOINTMENT)
    workflow.change_status(inquiry=inquiry, status=Status.NEW)
    workflow.change_status(inquiry=inquiry, status=Status.CONTACTED)

    inquiry.refresh_from_db()
    assert inquiry.first_contacted_at == first


def test_closing_new_spam_does_not_count_as_a_first_contact():
    inquiry = InquiryFactory()

    workflow.change_status(inquiry=inquiry, status=Status.CLOSED, closed_reason=ClosedReason.SPAM)

    inquiry.refresh_from_db()
    assert inquiry.first_contacted_at is None


def test_setting_the_same_status_writes_nothing():
    inquiry = InquiryFactory(status=Status.CONTACTED)

    workflow.change_status(inquiry=inquiry, status=Status.CONTACTED)

    assert entries(inquiry) == []


def test_a_backdated_status_change_uses_that_time_for_entry_and_first_contact():
    inquiry = InquiryFactory()
    earlier = timezone.now() - datetime.timedelta(days=3)

    workflow.change_status(inquiry=inquiry, status=Status.CONTACTED, at=earlier)

    inquiry.refresh_from_db()
    assert inquiry.first_contacted_at == earlier
    assert entries(inquiry)[0].created_at == earlier


# --- Owner -------------------------------------------------------------------------------------


def test_assigning_writes_an_entry_and_emails_the_new_owner():
    inquiry = InquiryFactory()
    boss, rep = manager(), representative()

    workflow.assign_owner(inquiry=inquiry, owner=rep, by=boss)

    inquiry.refresh_from_db()
    assert inquiry.owner == rep
    [entry] = entries(inquiry, ActivityKind.ASSIGNMENT)
    assert entry.author == boss
    assert entry.body == f"Assigned to {rep.get_full_name()}"
    notification = Notification.objects.get(inquiry=inquiry)
    assert notification.kind == NotificationKind.OWNER_ASSIGNED
    assert notification.recipient == rep.email


def test_taking_an_inquiry_for_yourself_sends_no_email():
    inquiry = InquiryFactory()
    rep = representative()

    workflow.assign_owner(inquiry=inquiry, owner=rep, by=rep)

    assert not Notification.objects.exists()
    assert len(entries(inquiry, ActivityKind.ASSIGNMENT)) == 1


def test_a_representative_may_not_assign_to_someone_else():
    inquiry = InquiryFactory()
    rep, other = representative(), representative()

    with pytest.raises(PermissionDenied):
        workflow.assign_owner(inquiry=inquiry, owner=other, by=rep)

    inquiry.refresh_from_db()
    assert inquiry.owner is None


def test_a_representative_may_not_take_an_inquiry_owned_by_a_colleague():
    other = representative()
    inquiry = InquiryFactory(owner=other)
    rep = representative()

    with pytest.raises(PermissionDenied):
        workflow.assign_owner(inquiry=inquiry, owner=rep, by=rep)


def test_a_representative_may_not_unassign():
    rep = representative()
    inquiry = InquiryFactory(owner=rep)

    with pytest.raises(PermissionDenied):
        workflow.assign_owner(inquiry=inquiry, owner=None, by=rep)


def test_a_manager_may_unassign():
    rep = representative()
    inquiry = InquiryFactory(owner=rep)

    workflow.assign_owner(inquiry=inquiry, owner=None, by=manager())

    inquiry.refresh_from_db()
    assert inquiry.owner is None
    assert entries(inquiry, ActivityKind.ASSIGNMENT)[0].body == "Unassigned"


def test_only_active_staff_can_own_inquiries():
    inquiry = InquiryFactory()

    with pytest.raises(ValidationError):
        workflow.assign_owner(inquiry=inquiry, owner=UserFactory(is_staff=False))
    with pytest.raises(ValidationError):
        workflow.assign_owner(inquiry=inquiry, owner=UserFactory(is_active=False))


# --- Follow-up and staff entries ---------------------------------------------------------------


def test_setting_and_clearing_a_follow_up_are_both_on_the_timeline():
    inquiry = InquiryFactory()
    rep = representative()
    when = timezone.now() + datetime.timedelta(days=1)

    workflow.set_follow_up(inquiry=inquiry, when=when, by=rep)
    workflow.set_follow_up(inquiry=inquiry, when=None, by=rep)

    first, second = entries(inquiry)
    assert first.body.startswith("Next follow-up set for ")
    assert second.body == "Next follow-up cleared"
    assert {first.author, second.author} == {rep}


def test_a_note_needs_text():
    with pytest.raises(ValidationError):
        workflow.add_note(inquiry=InquiryFactory(), body="   ", by=representative())


def test_a_note_is_written_with_its_author():
    inquiry = InquiryFactory()
    rep = representative()

    workflow.add_note(inquiry=inquiry, body=" Prefers evenings. ", by=rep)

    [entry] = entries(inquiry, ActivityKind.NOTE)
    assert (entry.body, entry.author) == ("Prefers evenings.", rep)


def test_logging_a_connected_call_on_a_new_inquiry_marks_it_contacted():
    inquiry = InquiryFactory()
    rep = representative()

    workflow.log_contact(
        inquiry=inquiry,
        channel=ActivityKind.CALL,
        outcome=Outcome.CONNECTED,
        body="Spoke about evenings.",
        by=rep,
    )

    inquiry.refresh_from_db()
    assert inquiry.status == Status.CONTACTED
    assert inquiry.first_contacted_at is not None
    kinds = [entry.kind for entry in entries(inquiry)]
    assert kinds == [ActivityKind.CALL, ActivityKind.STATUS_CHANGE]


def test_logging_a_text_later_in_the_funnel_leaves_the_status_alone():
    inquiry = InquiryFactory(status=Status.APPOINTMENT)

    workflow.log_contact(
        inquiry=inquiry,
        channel=ActivityKind.TEXT,
        outcome=Outcome.SENT,
        body="Reminder sent.",
        by=representative(),
    )

    inquiry.refresh_from_db()
    assert inquiry.status == Status.APPOINTMENT
    assert [e.kind for e in entries(inquiry)] == [ActivityKind.TEXT]


def test_a_contact_entry_must_be_a_call_email_or_text():
    with pytest.raises(ValidationError):
        workflow.log_contact(
            inquiry=InquiryFactory(),
            channel=ActivityKind.STATUS_CHANGE,
            outcome=Outcome.SENT,
            body="x",
            by=representative(),
        )


def test_add_activity_can_backdate_an_entry():
    inquiry = InquiryFactory()
    earlier = timezone.now() - datetime.timedelta(weeks=5)

    entry = timeline.add_activity(inquiry=inquiry, kind=ActivityKind.NOTE, body="x", at=earlier)

    entry.refresh_from_db()
    assert entry.created_at == earlier


# --- Routing -----------------------------------------------------------------------------------


def test_routing_takes_turns_among_the_program_representatives():
    program = ProgramFactory()
    first, second = representative(), representative()
    Coverage.objects.create(representative=first, program=program)
    Coverage.objects.create(representative=second, program=program)

    owners = [routing.route_new_inquiry(inquiry=InquiryFactory(program=program)) for _ in range(4)]

    assert owners == [first, second, first, second]


def test_routing_skips_inactive_representatives():
    program = ProgramFactory()
    gone = representative(is_active=False)
    here = representative()
    Coverage.objects.create(representative=gone, program=program)
    Coverage.objects.create(representative=here, program=program)

    assert routing.route_new_inquiry(inquiry=InquiryFactory(program=program)) == here


def test_routing_leaves_an_uncovered_program_unassigned():
    inquiry = InquiryFactory()

    assert routing.route_new_inquiry(inquiry=inquiry) is None

    inquiry.refresh_from_db()
    assert inquiry.owner is None
    assert entries(inquiry) == []


def test_routing_emails_the_owner_and_records_the_system_as_author():
    program = ProgramFactory()
    rep = representative()
    Coverage.objects.create(representative=rep, program=program)
    inquiry = InquiryFactory(program=program)

    routing.route_new_inquiry(inquiry=inquiry)

    [entry] = entries(inquiry, ActivityKind.ASSIGNMENT)
    assert entry.author is None
    assert Notification.objects.get(inquiry=inquiry).recipient == rep.email


# --- One save from the inquiry's page ----------------------------------------------------------


def test_one_save_applies_every_change_with_an_entry_each_in_order():
    inquiry = InquiryFactory()
    boss = manager()
    rep = representative()
    when = timezone.now() + datetime.timedelta(days=2)

    workflow.update_inquiry(
        inquiry_id=inquiry.pk,
        changes={"owner": rep, "status": Status.CONTACTED, "next_follow_up_at": when},
        by=boss,
        entry_kind=ActivityKind.CALL,
        entry_body="Left a voicemail.",
        outcome=Outcome.VOICEMAIL,
    )

    inquiry.refresh_from_db()
    assert (inquiry.owner, inquiry.status, inquiry.next_follow_up_at) == (
        rep,
        Status.CONTACTED,
        when,
    )
    assert [(e.kind, e.author) for e in entries(inquiry)] == [
        (ActivityKind.ASSIGNMENT, boss),
        (ActivityKind.STATUS_CHANGE, boss),
        (ActivityKind.NOTE, boss),
        (ActivityKind.CALL, boss),
    ]


def test_one_save_is_all_or_nothing():
    inquiry = InquiryFactory()
    boss = manager()

    with pytest.raises(ValidationError):
        workflow.update_inquiry(
            inquiry_id=inquiry.pk,
            changes={"owner": representative(), "status": Status.CLOSED},  # no reason given
            by=boss,
        )

    inquiry.refresh_from_db()
    assert (inquiry.owner, inquiry.status) == (None, Status.NEW)
    assert entries(inquiry) == []
    assert not Notification.objects.filter(inquiry=inquiry).exists()


def test_one_save_compares_with_what_is_stored_not_with_the_page():
    rep = representative()
    inquiry = InquiryFactory(owner=rep, status=Status.CONTACTED)
    stale_page = Inquiry.objects.get(pk=inquiry.pk)
    workflow.change_status(inquiry=inquiry, status=Status.APPLIED, by=rep)

    # A page opened before that change still says "contacted"; saving the owner and status
    # it shows must not move the inquiry back or write entries for nothing.
    workflow.update_inquiry(
        inquiry_id=stale_page.pk, changes={"owner": rep}, by=manager(), entry_body="  "
    )

    inquiry.refresh_from_db()
    assert inquiry.status == Status.APPLIED
    assert [e.kind for e in entries(inquiry)] == [ActivityKind.STATUS_CHANGE]


def test_closing_keeps_the_reason_given_with_the_status():
    inquiry = InquiryFactory()

    workflow.update_inquiry(
        inquiry_id=inquiry.pk,
        changes={"status": Status.CLOSED, "closed_reason": ClosedReason.NOT_INTERESTED},
        by=manager(),
    )

    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.closed_reason) == (Status.CLOSED, ClosedReason.NOT_INTERESTED)


def test_one_save_refuses_a_call_logged_without_saying_what_happened():
    inquiry = InquiryFactory()

    with pytest.raises(ValidationError):
        workflow.update_inquiry(
            inquiry_id=inquiry.pk, changes={}, by=manager(), entry_kind=ActivityKind.CALL
        )

    assert entries(inquiry) == []


# --- Checking a save before making it ----------------------------------------------------------


def test_validate_update_names_every_refusal_by_its_field_and_writes_nothing():
    rep = representative()
    inquiry = InquiryFactory()

    with pytest.raises(ValidationError) as refused:
        workflow.validate_update(
            inquiry=inquiry,
            changes={"owner": representative(), "status": Status.CLOSED},
            by=rep,
            entry_kind=ActivityKind.CALL,
            entry_body=" ",
        )

    assert refused.value.message_dict == {
        "owner": ["You can assign inquiries to yourself only."],
        "closed_reason": ["Choose why the inquiry is being closed."],
        "outcome": ["Choose what came of the call."],
        "entry_body": ["Say what happened on the call, email or text."],
    }
    inquiry.refresh_from_db()
    assert (inquiry.owner, inquiry.status) == (None, Status.NEW)
    assert entries(inquiry) == []


@pytest.mark.parametrize(
    ("changes", "entry_kind", "entry_body", "field"),
    [
        (lambda: {"status": Status.CLOSED}, "", "", "closed_reason"),
        (lambda: {"status": "lost"}, "", "", "status"),
        (lambda: {"owner": representative()}, "", "", "owner"),
        (lambda: {}, ActivityKind.TEXT, "", "outcome"),
        (lambda: {}, ActivityKind.STATUS_CHANGE, "Moved", "entry_kind"),
        (
            lambda: {"next_follow_up_at": timezone.now() - datetime.timedelta(days=1)},
            "",
            "",
            "next_follow_up_at",
        ),
    ],
    ids=[
        "no reason",
        "unknown status",
        "someone else",
        "no outcome",
        "not a contact",
        "past follow-up",
    ],
)
def test_validate_update_refuses_with_the_words_update_inquiry_uses(
    changes, entry_kind, entry_body, field
):
    rep = representative()
    inquiry = InquiryFactory(owner=rep)
    update = {"changes": changes(), "by": rep, "entry_kind": entry_kind, "entry_body": entry_body}

    with pytest.raises(ValidationError) as checked:
        workflow.validate_update(inquiry=inquiry, **update)
    with pytest.raises((ValidationError, PermissionDenied)) as saved:
        workflow.update_inquiry(inquiry_id=inquiry.pk, **update)

    [message] = checked.value.message_dict[field]
    assert message in str(saved.value)


def test_validate_update_accepts_what_update_inquiry_would_apply():
    rep = representative()
    inquiry = InquiryFactory()

    workflow.validate_update(
        inquiry=inquiry,
        changes={"owner": rep, "status": Status.CLOSED, "closed_reason": ClosedReason.SPAM},
        by=rep,
        entry_body="Wrong number.",
    )

    assert entries(inquiry) == []


# --- Bulk changes ------------------------------------------------------------------------------


def test_bulk_mark_contacted_moves_only_new_inquiries():
    fresh = InquiryFactory()
    later = InquiryFactory(status=Status.APPLIED)
    rep = representative()

    moved = workflow.bulk_mark_contacted(inquiries=Inquiry.objects.all(), by=rep)

    assert moved == 1
    fresh.refresh_from_db()
    later.refresh_from_db()
    assert (fresh.status, later.status) == (Status.CONTACTED, Status.APPLIED)
    assert entries(later) == []


def test_bulk_close_writes_one_entry_per_inquiry():
    inquiries = InquiryFactory.create_batch(3)
    boss = manager()

    closed = workflow.bulk_close(inquiries=Inquiry.objects.all(), reason=ClosedReason.SPAM, by=boss)

    assert closed == 3
    for inquiry in inquiries:
        [entry] = entries(inquiry)
        assert entry.kind == ActivityKind.STATUS_CHANGE
        assert entry.author == boss


def test_bulk_assign_counts_only_inquiries_that_changed_hands():
    rep = representative()
    InquiryFactory(owner=rep)
    InquiryFactory()

    changed = workflow.bulk_assign(inquiries=Inquiry.objects.all(), owner=rep, by=manager())

    assert changed == 1
    assert Inquiry.objects.filter(owner=rep).count() == 2


# --- Anonymisation -----------------------------------------------------------------------------


def _age(inquiry, days):
    stamp = timezone.now() - datetime.timedelta(days=days)
    Inquiry.objects.filter(pk=inquiry.pk).update(updated_at=stamp, submitted_at=stamp)
    Activity.objects.filter(inquiry=inquiry).update(created_at=stamp)


@pytest.fixture
def old_closed():
    rep = representative()
    inquiry = InquiryFactory(
        message="Call me at work, 407-555-0199.",
        referrer="https://search.example/?q=pat",
        source_page="/careers/phlebotomist/",
        utm_campaign="spring",
    )
    timeline.add_activity(inquiry=inquiry, kind=ActivityKind.SUBMITTED, body="Message: hi")
    workflow.assign_owner(inquiry=inquiry, owner=rep)
    workflow.log_contact(
        inquiry=inquiry,
        channel=ActivityKind.CALL,
        outcome=Outcome.CONNECTED,
        body="Spoke to Pat",
        by=rep,
    )
    workflow.change_status(
        inquiry=inquiry,
        status=Status.CLOSED,
        closed_reason=ClosedReason.NOT_INTERESTED,
        note="Pat chose another school",
        by=rep,
    )
    _age(inquiry, 800)
    return inquiry


def test_anonymising_removes_personal_data_and_keeps_report_fields(old_closed):
    program = old_closed.program

    counts = retention.anonymise_closed_inquiries(older_than_days=730)

    assert counts["inquiries"] == 1
    inquiry = Inquiry.objects.get(pk=old_closed.pk)
    for field in ["first_name", "last_name", "email", "phone", "postal_code", "message"]:
        assert getattr(inquiry, field) == "", field
    assert inquiry.referrer == ""
    assert inquiry.anonymised_at is not None
    assert (inquiry.status, inquiry.closed_reason) == (Status.CLOSED, ClosedReason.NOT_INTERESTED)
    assert inquiry.program == program
    assert inquiry.source_page == "/careers/phlebotomist/"
    assert inquiry.utm_campaign == "spring"
    assert inquiry.submitted_at < timezone.now() - datetime.timedelta(days=730)
    assert set(
        Notification.objects.filter(inquiry=inquiry).values_list("recipient", flat=True)
    ) == {""}


def test_anonymising_clears_free_text_entries_and_status_notes(old_closed):
    retention.anonymise_closed_inquiries(older_than_days=730)

    by_kind = {}
    for entry in entries(old_closed):
        by_kind.setdefault(entry.kind, []).append(entry.body)
    assert by_kind[ActivityKind.SUBMITTED] == [""]
    assert by_kind[ActivityKind.CALL] == [""]
    assert by_kind[ActivityKind.ASSIGNMENT][0].startswith("Assigned to ")
    assert by_kind[ActivityKind.STATUS_CHANGE] == [
        "New → Contacted",
        "Contacted → Closed (Not interested)",
    ]


def test_anonymising_notes_it_on_the_timeline(old_closed):
    retention.anonymise_closed_inquiries(older_than_days=730)

    last = Activity.objects.filter(inquiry=old_closed).first()
    assert last.body == "Personal data removed after 730 days closed."
    assert last.author is None


def test_anonymising_leaves_recent_and_open_inquiries_alone(old_closed):
    recent = InquiryFactory(status=Status.CLOSED, closed_reason=ClosedReason.UNREACHABLE)
    _age(recent, 100)
    still_open = InquiryFactory(status=Status.CONTACTED)
    _age(still_open, 900)

    retention.anonymise_closed_inquiries(older_than_days=730)

    assert Inquiry.objects.get(pk=recent.pk).email == recent.email
    assert Inquiry.objects.get(pk=still_open.pk).email == still_open.email


def test_a_dry_run_counts_without_changing_anything(old_closed):
    counts = retention.anonymise_closed_inquiries(older_than_days=730, dry_run=True)

    assert counts == {"inquiries": 1, "entries": 3}
    inquiry = Inquiry.objects.get(pk=old_closed.pk)
    assert inquiry.email == old_closed.email
    assert inquiry.anonymised_at is None


def _admin_log(user, inquiry, change_message):
    """What the admin records when someone edits `inquiry` (its history, "Recent actions")."""
    return LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[inquiry],
        action_flag=CHANGE,
        change_message=change_message,
        single_object=True,
    )


@pytest.fixture
def admin_history(old_closed):
    """A manager's admin history of the old inquiry: a plain field change, a related object
    named after the prospect and a free-text message quoting them."""
    boss = manager()
    name = str(old_closed)
    fields = _admin_log(boss, old_closed, [{"changed": {"fields": ["Next follow-up"]}}])
    related = _admin_log(
        boss, old_closed, [{"added": {"name": "timeline entry", "object": f"Note on {name}"}}]
    )
    free_text = _admin_log(boss, old_closed, f"Called {name} at {old_closed.email}")
    return boss, name, [fields, related, free_text]


def test_anonymising_removes_the_prospect_from_the_admin_history(admin_history, old_closed):
    boss, name, (fields, related, free_text) = admin_history
    recent = InquiryFactory(status=Status.CLOSED, closed_reason=ClosedReason.UNREACHABLE)
    _age(recent, 100)
    kept = _admin_log(boss, recent, f"Called {recent}")

    retention.anonymise_closed_inquiries(older_than_days=730)

    for entry in LogEntry.objects.filter(pk__in=[fields.pk, related.pk, free_text.pk]):
        assert entry.object_repr == f"Inquiry {old_closed.pk}"
        assert name not in entry.change_message
        assert old_closed.email not in entry.change_message
        assert name not in entry.get_change_message()
    assert LogEntry.objects.get(pk=fields.pk).get_change_message() == "Changed Next follow-up."
    assert (
        LogEntry.objects.get(pk=related.pk).get_change_message().startswith("Added timeline entry")
    )
    assert LogEntry.objects.get(pk=free_text.pk).change_message == ""
    # Another prospect's history is theirs to keep until their own turn comes.
    kept.refresh_from_db()
    assert (kept.object_repr, kept.change_message) == (str(recent), f"Called {recent}")


def test_the_admin_pages_no_longer_show_an_anonymised_prospect(admin_history, old_closed, client):
    boss, name, _ = admin_history
    client.force_login(boss)
    pages = [
        reverse("admin:index"),  # "Recent actions"
        reverse("admin:inquiries_inquiry_history", args=[old_closed.pk]),
    ]
    assert all(name in client.get(page).text for page in pages)

    retention.anonymise_closed_inquiries(older_than_days=730)

    for page in pages:
        response = client.get(page)
        assert response.status_code == 200
        assert name not in response.text
        assert old_closed.email not in response.text
        assert f"Inquiry {old_closed.pk}" in response.text


def test_a_dry_run_leaves_the_admin_history_alone(admin_history):
    _, _, logged = admin_history
    before = [(e.object_repr, e.change_message) for e in logged]

    retention.anonymise_closed_inquiries(older_than_days=730, dry_run=True)

    after = [
        (e.object_repr, e.change_message)
        for e in LogEntry.objects.filter(pk__in=[e.pk for e in logged]).order_by("pk")
    ]
    assert after == before


def test_anonymising_twice_changes_nothing_the_second_time(old_closed):
    retention.anonymise_closed_inquiries(older_than_days=730)

    assert retention.anonymise_closed_inquiries(older_than_days=730)["inquiries"] == 0


def test_anonymising_clears_what_a_repeat_submission_left_on_its_emails(old_closed):
    from inquiries.models import NotificationKind

    Notification.objects.create(
        inquiry=old_closed,
        kind=NotificationKind.CONFIRMATION,
        recipient="ana@example.com",
        status="sent",
        submission={"first_name": "Ana", "email": "ana@example.com"},
    )
    retention.anonymise_closed_inquiries(older_than_days=730)
    assert all(not n.submission for n in Notification.objects.filter(inquiry=old_closed))


def test_a_bulk_assign_works_from_the_inquiry_as_it_is_now_not_as_listed():
    from tests.factories import InquiryFactory, UserFactory

    first_rep, second_rep = UserFactory(), UserFactory()
    inquiry = InquiryFactory()
    stale_list = [Inquiry.objects.get(pk=inquiry.pk)]  # what the second rep's page showed
    workflow.assign_owner(inquiry=inquiry, owner=first_rep, by=first_rep)

    with pytest.raises(PermissionDenied):
        workflow.bulk_assign(inquiries=stale_list, owner=second_rep, by=second_rep)

    inquiry.refresh_from_db()
    assert inquiry.owner == first_rep


def test_a_closed_inquiry_with_a_recent_note_is_not_anonymised_yet(old_closed):
    timeline.add_activity(inquiry=old_closed, kind=ActivityKind.NOTE, body="Called back about fees")
    counts = retention.anonymise_closed_inquiries(older_than_days=730)
    assert counts["inquiries"] == 0
    assert Inquiry.objects.get(pk=old_closed.pk).first_name != ""
