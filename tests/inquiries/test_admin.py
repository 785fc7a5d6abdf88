"""The inquiry admin as a manager uses it: list, search, filters, edit form, actions, export."""

import csv
import datetime
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inquiries.admin.export import neutralise_cell
from inquiries.admin.filters import MAX_DATABASE_ID, query_id
from inquiries.models import (
    Activity,
    ActivityKind,
    ClosedReason,
    Coverage,
    Inquiry,
    Notification,
    NotificationKind,
    Status,
)
from inquiries.services import timeline, workflow
from tests.factories import InquiryFactory, ProgramFactory
from tests.inquiries.staff import inquiry_submitted, manager, representative

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:inquiries_inquiry_changelist"


@pytest.fixture
def boss():
    return manager(first_name="Dana", last_name="Whitfield")


@pytest.fixture
def client(client, boss):
    client.force_login(boss)
    return client


def changelist(client, **params):
    return client.get(reverse(CHANGELIST), params)


def listed(response):
    return {inquiry.pk for inquiry in response.context["cl"].result_list}


def change_url(inquiry):
    return reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])


def form_data(inquiry, **changes):
    """What the change form posts back when nothing is touched, plus `changes`."""
    follow_up = inquiry.next_follow_up_at and timezone.localtime(inquiry.next_follow_up_at)
    data = {
        "status": inquiry.status,
        "closed_reason": inquiry.closed_reason,
        "owner": inquiry.owner_id or "",
        "next_follow_up_at_0": follow_up.strftime("%Y-%m-%d") if follow_up else "",
        "next_follow_up_at_1": follow_up.strftime("%H:%M:%S") if follow_up else "",
        "entry_kind": ActivityKind.NOTE,
        "entry_body": "",
    }
    data.update(changes)
    return data


def csv_rows(response):
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


# --- The list ----------------------------------------------------------------------------------


def test_list_shows_name_status_owner_program_and_phone_and_email_as_links(client):
    rep = representative(first_name="Rosa", last_name="Alvarez")
    inquiry_submitted(
        datetime.timedelta(hours=3, minutes=5),
        first_name="Ana",
        last_name="Reyes",
        email="ana.reyes@example.com",
        phone="+14075550123",
        owner=rep,
        status=Status.CONTACTED,
        program=ProgramFactory(name="Phlebotomy Technician"),
        source_page="/compare/medical-assistant-vs-phlebotomist/",
    )

    html = changelist(client).content.decode()

    assert "Ana Reyes" in html
    assert "Contacted" in html
    assert "Rosa Alvarez" in html
    assert "Phlebotomy Technician" in html
    assert '<a class="nowrap" href="tel:+14075550123">(407) 555-0123</a>' in html
    assert '<a href="mailto:ana.reyes@example.com">ana.reyes@example.com</a>' in html


def test_list_leaves_campus_source_page_and_age_to_filters_and_the_page(client):
    response = changelist(client)

    assert response.context["cl"].list_display[1:] == [
        "name",
        "status_label",
        "owner_name",
        "follow_up",
        "phone_column",
        "email_column",
        "consent_column",
        "program_column",
    ]


def test_the_list_is_titled_inquiries(client):
    assert changelist(client).context["title"] == "Inquiries"


def test_list_flags_an_overdue_follow_up(client):
    InquiryFactory(
        status=Status.CONTACTED, next_follow_up_at=timezone.now() - datetime.timedelta(hours=2)
    )

    assert "Overdue:" in changelist(client).content.decode()


def test_list_does_not_flag_a_future_follow_up(client):
    InquiryFactory(
        status=Status.CONTACTED, next_follow_up_at=timezone.now() + datetime.timedelta(hours=2)
    )

    assert "Overdue:" not in changelist(client).content.decode()


def test_list_flags_a_new_inquiry_past_the_speed_to_lead_target(client, settings):
    settings.SPEED_TO_LEAD_MINUTES = 30
    inquiry_submitted(datetime.timedelta(minutes=45))

    assert (
        'Not contacted, <span class="nowrap">45 min</span>' in changelist(client).content.decode()
    )


def test_list_does_not_flag_a_new_inquiry_within_the_target(client, settings):
    settings.SPEED_TO_LEAD_MINUTES = 60
    inquiry_submitted(datetime.timedelta(minutes=45))

    assert "Not contacted" not in changelist(client).content.decode()


def test_list_makes_the_same_number_of_queries_for_3_or_40_inquiries(client):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert changelist(client).status_code == 200
        return len(queries)

    program = ProgramFactory()
    rep = representative()
    InquiryFactory.create_batch(3, program=program, owner=rep, source_page="/a/")
    small = count_queries()
    InquiryFactory.create_batch(37, program=program, owner=rep, source_page="/a/")

    assert count_queries() == small


def test_a_manager_sees_everyone_s_inquiries_by_default(client):
    InquiryFactory(owner=representative())
    InquiryFactory()

    response = changelist(client)

    assert response.status_code == 200
    assert len(listed(response)) == 2


# --- Search ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["(407) 555-0123", "407.555.0123", "+1 407 555 0123", "4075550123", "555-0123"]
)
def test_search_finds_a_phone_number_however_it_is_typed(client, query):
    wanted = InquiryFactory(phone="+14075550123")
    InquiryFactory(phone="+13215550199")

    assert listed(changelist(client, q=query)) == {wanted.pk}


def test_search_finds_a_name_and_an_email(client):
    wanted = InquiryFactory(first_name="Imani", last_name="Joseph", email="ij@example.com")
    InquiryFactory()

    assert listed(changelist(client, q="imani joseph")) == {wanted.pk}
    assert listed(changelist(client, q="ij@example.com")) == {wanted.pk}


# --- Filters -----------------------------------------------------------------------------------


def test_status_filter_open_leaves_out_closed_and_enrolled(client):
    working = InquiryFactory(status=Status.APPOINTMENT)
    InquiryFactory(status=Status.ENROLLED)
    InquiryFactory(status=Status.CLOSED, closed_reason=ClosedReason.SPAM)

    assert listed(changelist(client, status="open")) == {working.pk}


def test_status_filter_by_closed_reason(client):
    spam = InquiryFactory(status=Status.CLOSED, closed_reason=ClosedReason.SPAM)
    InquiryFactory(status=Status.CLOSED, closed_reason=ClosedReason.UNREACHABLE)

    assert listed(changelist(client, status="closed:spam")) == {spam.pk}


def test_owner_filter_mine_unassigned_and_a_colleague(client, boss):
    rep = representative()
    mine = InquiryFactory(owner=boss)
    theirs = InquiryFactory(owner=rep)
    nobody = InquiryFactory()

    assert listed(changelist(client, owner="mine")) == {mine.pk}
    assert listed(changelist(client, owner="unassigned")) == {nobody.pk}
    assert listed(changelist(client, owner=str(rep.pk))) == {theirs.pk}


def test_overdue_filter_lists_open_inquiries_past_their_follow_up(client):
    past = timezone.now() - datetime.timedelta(hours=1)
    overdue = InquiryFactory(status=Status.CONTACTED, next_follow_up_at=past)
    InquiryFactory(status=Status.ENROLLED, next_follow_up_at=past)
    InquiryFactory(
        status=Status.CONTACTED, next_follow_up_at=timezone.now() + datetime.timedelta(days=1)
    )

    assert listed(changelist(client, overdue="follow_up")) == {overdue.pk}


def test_overdue_filter_lists_new_inquiries_waiting_past_speed_to_lead(client):
    waiting = inquiry_submitted(datetime.timedelta(hours=5))
    inquiry_submitted(datetime.timedelta(minutes=5))

    assert listed(changelist(client, overdue="speed_to_lead")) == {waiting.pk}


def test_program_campus_and_source_filters(client):
    wanted = InquiryFactory(source_page="/careers/phlebotomist/")
    other = InquiryFactory(source_page="/careers/medical-assistant/")

    assert listed(changelist(client, program=str(wanted.program_id))) == {wanted.pk}
    assert listed(changelist(client, source="/careers/medical-assistant/")) == {other.pk}
    assert listed(changelist(client, campus="none")) == {wanted.pk, other.pk}


def test_submitted_filter_past_seven_days(client):
    recent = inquiry_submitted(datetime.timedelta(days=2))
    inquiry_submitted(datetime.timedelta(days=20))

    assert listed(changelist(client, submitted="7d")) == {recent.pk}


def test_list_has_a_date_hierarchy_on_submission(client):
    InquiryFactory()

    response = changelist(client)

    assert response.context["cl"].date_hierarchy == "submitted_at"
    assert "submitted_at__year=" in response.content.decode()


# --- Ids and dates typed into the query string -------------------------------------------------

TOO_LARGE = "99999999999999999999999"
NOT_IDS = [TOO_LARGE, str(MAX_DATABASE_ID + 1), "²", "-1", "1.0", " 1", ""]


@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize("parameter", ["owner", "program", "campus"])
def test_a_filter_id_no_row_can_have_lists_nothing(client, parameter, value):
    InquiryFactory()

    response = changelist(client, **{parameter: value})

    assert response.status_code == 200
    assert listed(response) == set()


@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize("parameter", ["owner", "program", "campus"])
def test_a_filter_id_no_row_can_have_exports_nothing(client, parameter, value):
    InquiryFactory()

    response = client.get(reverse("admin:inquiries_inquiry_export"), {parameter: value})

    assert response.status_code == 200
    assert csv_rows(response) == []


@pytest.mark.parametrize("parameter", ["owner", "program", "campus"])
def test_the_largest_possible_id_is_a_valid_filter_that_matches_nothing(client, parameter):
    InquiryFactory()

    assert listed(changelist(client, **{parameter: str(MAX_DATABASE_ID)})) == set()


def test_a_representative_s_owner_filter_with_a_huge_id_lists_nothing():
    rep = representative()
    InquiryFactory(owner=rep)
    client = Client()
    client.force_login(rep)

    response = changelist(client, owner=TOO_LARGE, status="open")

    assert response.status_code == 200
    assert listed(response) == set()


@pytest.mark.parametrize(
    "params",
    [
        {"submitted_at__year": TOO_LARGE},
        {"submitted_at__year": "2024", "submitted_at__month": TOO_LARGE},
        {"submitted_at__year": "2024", "submitted_at__month": "1", "submitted_at__day": TOO_LARGE},
    ],
)
@pytest.mark.parametrize(
    "url", ["admin:inquiries_inquiry_changelist", "admin:inquiries_inquiry_export"]
)
def test_a_date_too_large_for_the_calendar_is_a_wrong_filter_not_an_error(client, url, params):
    response = client.get(reverse(url), params)

    assert response.status_code == 302  # back to the list, as for any wrong filter


def test_a_notification_date_too_large_for_the_calendar_is_a_wrong_filter(client):
    response = client.get(
        reverse("admin:inquiries_notification_changelist"), {"created_at__year": TOO_LARGE}
    )

    assert response.status_code == 302
    assert response.url.endswith("?e=1")


@pytest.mark.parametrize("action", ["export_csv", "assign_to_me", "mark_contacted"])
def test_an_action_on_ids_no_row_can_have_changes_nothing(client, action):
    inquiry = InquiryFactory()
    data = {"action": action, ACTION_CHECKBOX_NAME: [TOO_LARGE, "²"]}

    response = client.post(reverse(CHANGELIST), data)

    assert response.status_code == 302  # back to the list, saying nothing was selected
    assert Inquiry.objects.get(pk=inquiry.pk).owner is None
    assert Inquiry.objects.get(pk=inquiry.pk).status == Status.NEW


def test_an_action_keeps_the_valid_ids_among_impossible_ones(client, boss):
    inquiry = InquiryFactory()
    data = {"action": "assign_to_me", ACTION_CHECKBOX_NAME: [str(inquiry.pk), TOO_LARGE]}

    assert client.post(reverse(CHANGELIST), data).status_code == 302
    assert Inquiry.objects.get(pk=inquiry.pk).owner == boss


def test_the_change_form_of_an_impossible_id_is_a_missing_inquiry(client):
    response = client.get(reverse("admin:inquiries_inquiry_change", args=[TOO_LARGE]))

    assert response.status_code == 302


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("42", 42),
        ("0", 0),
        (str(MAX_DATABASE_ID), MAX_DATABASE_ID),
        (str(MAX_DATABASE_ID + 1), None),
        (TOO_LARGE, None),
        ("²", None),
        ("٤٢", None),
        ("-1", None),
        ("+1", None),
        ("4 2", None),
        ("", None),
        (None, None),
    ],
)
def test_query_id(value, expected):
    assert query_id(value) == expected


# --- The change form ---------------------------------------------------------------------------


def test_change_form_shows_the_timeline_newest_first(client):
    inquiry = InquiryFactory()
    now = timezone.now()
    timeline.add_activity(
        inquiry=inquiry, kind=ActivityKind.NOTE, body="older entry", at=now - datetime.timedelta(2)
    )
    timeline.add_activity(inquiry=inquiry, kind=ActivityKind.NOTE, body="newer entry", at=now)

    html = client.get(change_url(inquiry)).content.decode()

    assert html.index("newer entry") < html.index("older entry")


def test_changing_status_in_the_form_goes_through_the_service(client, boss):
    inquiry = InquiryFactory()

    response = client.post(change_url(inquiry), form_data(inquiry, status=Status.APPOINTMENT))

    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == Status.APPOINTMENT
    assert inquiry.first_contacted_at is not None
    [entry] = Activity.objects.filter(inquiry=inquiry)
    assert (entry.kind, entry.author, entry.body) == (
        ActivityKind.STATUS_CHANGE,
        boss,
        "New → Appointment scheduled",
    )


def test_closing_in_the_form_without_a_reason_shows_an_error(client):
    inquiry = InquiryFactory()

    response = client.post(change_url(inquiry), form_data(inquiry, status=Status.CLOSED))

    assert response.status_code == 200
    assert "Choose why the inquiry is being closed." in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.status == Status.NEW


def test_moving_a_closed_inquiry_back_clears_its_reason(client):
    inquiry = InquiryFactory(status=Status.CLOSED, closed_reason=ClosedReason.UNREACHABLE)

    client.post(change_url(inquiry), form_data(inquiry, status=Status.CONTACTED))

    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.closed_reason) == (Status.CONTACTED, "")


def test_assigning_in_the_form_writes_the_timeline_and_emails_the_owner(client, boss):
    inquiry = InquiryFactory()
    rep = representative()

    client.post(change_url(inquiry), form_data(inquiry, owner=rep.pk))

    inquiry.refresh_from_db()
    assert inquiry.owner == rep
    entry = Activity.objects.get(inquiry=inquiry, kind=ActivityKind.ASSIGNMENT)
    assert entry.author == boss
    assert Notification.objects.get(inquiry=inquiry).kind == NotificationKind.OWNER_ASSIGNED


def test_setting_a_follow_up_in_the_form_writes_the_timeline(client, boss):
    inquiry = InquiryFactory(status=Status.CONTACTED)

    client.post(
        change_url(inquiry),
        form_data(inquiry, next_follow_up_at_0="2031-03-04", next_follow_up_at_1="09:30:00"),
    )

    inquiry.refresh_from_db()
    assert timezone.localtime(inquiry.next_follow_up_at).strftime("%Y-%m-%d %H:%M") == (
        "2031-03-04 09:30"
    )
    entry = Activity.objects.get(inquiry=inquiry)
    assert entry.body == "Next follow-up set for Tue Mar 4, 2031 9:30 AM"
    assert entry.author == boss


def test_saving_an_untouched_form_writes_nothing(client):
    inquiry = InquiryFactory(
        status=Status.CONTACTED, next_follow_up_at=timezone.now() + datetime.timedelta(days=1)
    )

    response = client.post(change_url(inquiry), form_data(inquiry))

    assert response.status_code == 302
    assert not Activity.objects.filter(inquiry=inquiry).exists()


def test_a_connected_call_logged_in_the_form_is_on_the_timeline_and_marks_contacted(client, boss):
    inquiry = InquiryFactory()

    client.post(
        change_url(inquiry),
        form_data(inquiry, entry_kind=ActivityKind.CALL, outcome="connected", entry_body="Spoke."),
    )

    call = Activity.objects.get(inquiry=inquiry, kind=ActivityKind.CALL)
    assert (call.body, call.outcome, call.author) == ("Spoke.", "connected", boss)
    inquiry.refresh_from_db()
    assert inquiry.status == Status.CONTACTED


def test_a_call_logged_without_saying_what_happened_is_refused_beside_the_text(client, boss):
    inquiry = InquiryFactory()

    response = client.post(
        change_url(inquiry), form_data(inquiry, entry_kind=ActivityKind.CALL, entry_body="  ")
    )

    assert response.status_code == 200
    assert "Say what happened on the call, email or text." in str(
        response.context["adminform"].form.errors["entry_body"]
    )
    assert not Activity.objects.filter(inquiry=inquiry).exists()
    inquiry.refresh_from_db()
    assert inquiry.status == Status.NEW


def test_a_note_added_with_a_status_change_gives_two_entries(client):
    inquiry = InquiryFactory(status=Status.CONTACTED)

    client.post(
        change_url(inquiry),
        form_data(inquiry, status=Status.APPLIED, entry_body="Application received."),
    )

    kinds = set(Activity.objects.filter(inquiry=inquiry).values_list("kind", flat=True))
    assert kinds == {ActivityKind.STATUS_CHANGE, ActivityKind.NOTE}


def test_the_prospect_s_answers_are_read_only(client):
    inquiry = InquiryFactory(first_name="Original", email="original@example.com")

    client.post(
        change_url(inquiry),
        form_data(inquiry, first_name="Changed", email="changed@example.com", source_page="/x/"),
    )

    inquiry.refresh_from_db()
    assert (inquiry.first_name, inquiry.email) == ("Original", "original@example.com")


def test_inquiries_cannot_be_added_in_the_admin(client):
    assert client.get(reverse("admin:inquiries_inquiry_add")).status_code == 403


# --- Actions -----------------------------------------------------------------------------------


def run_action(client, action, inquiries, url=None, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [i.pk for i in inquiries], **extra}
    return client.post(url or reverse(CHANGELIST), data)


def test_assign_to_me_action(client, boss):
    inquiries = InquiryFactory.create_batch(2)

    response = run_action(client, "assign_to_me", inquiries)

    assert response.status_code == 302
    assert Inquiry.objects.filter(owner=boss).count() == 2
    assert Activity.objects.filter(kind=ActivityKind.ASSIGNMENT, author=boss).count() == 2


def test_assign_to_staff_action_asks_whom_then_assigns(client, boss):
    inquiries = InquiryFactory.create_batch(2)
    rep = representative(first_name="Marcus", last_name="Bell")

    page = run_action(client, "assign_to_staff", inquiries)
    assert page.status_code == 200
    assert "Marcus Bell" in page.content.decode()
    assert not Inquiry.objects.filter(owner=rep).exists()

    response = run_action(client, "assign_to_staff", inquiries, apply="1", owner=rep.pk)

    assert response.status_code == 302
    assert Inquiry.objects.filter(owner=rep).count() == 2
    assert Notification.objects.filter(recipient=rep.email).count() == 2


def test_assign_to_staff_with_select_all_assigns_everything_the_filters_show(client):
    open_ones = InquiryFactory.create_batch(3, status=Status.CONTACTED)
    enrolled = InquiryFactory(status=Status.ENROLLED)
    rep = representative()
    url = reverse(CHANGELIST) + "?status=open"

    page = run_action(client, "assign_to_staff", open_ones[:1], url=url, select_across="1")
    assert page.context["count"] == 3
    assert 'name="select_across" value="1"' in page.content.decode()
    run_action(
        client,
        "assign_to_staff",
        open_ones[:1],
        url=url,
        select_across="1",
        apply="1",
        owner=rep.pk,
    )

    assert set(Inquiry.objects.filter(owner=rep)) == set(open_ones)
    enrolled.refresh_from_db()
    assert enrolled.owner is None


def test_mark_contacted_action(client):
    inquiry = InquiryFactory()

    response = run_action(client, "mark_contacted", [inquiry])

    inquiry.refresh_from_db()
    assert inquiry.status == Status.CONTACTED
    assert Activity.objects.filter(inquiry=inquiry, kind=ActivityKind.STATUS_CHANGE).exists()
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("1 inquiry marked contacted (only new ones move")


def test_action_messages_count_in_words_that_agree(client, boss):
    one, two = InquiryFactory(), InquiryFactory.create_batch(2)

    run_action(client, "assign_to_me", [one])
    response = run_action(client, "close_as_spam", two)

    # Both wait in the session until a page shows them.
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "1 inquiry assigned to you.",
        "2 inquiries closed as spam.",
    ]


def test_close_as_spam_action(client):
    inquiry = InquiryFactory()

    run_action(client, "close_as_spam", [inquiry])

    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.closed_reason) == (Status.CLOSED, ClosedReason.SPAM)


def test_export_action_returns_the_selected_inquiries_as_csv(client):
    wanted = InquiryFactory(first_name="Wanted", message="Hello")
    InquiryFactory(first_name="Other")

    response = run_action(client, "export_csv", [wanted])

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert [row["first name"] for row in rows] == ["Wanted"]
    assert rows[0]["message"] == "Hello"
    assert rows[0]["program"] == wanted.program.name


def test_export_neutralises_formula_cells(client):
    inquiry = InquiryFactory(
        first_name='=HYPERLINK("http://evil.example","x")',
        last_name="@SUM(A1)",
        message="-2+3",
        phone="+14075550123",
    )

    [row] = csv_rows(run_action(client, "export_csv", [inquiry]))

    assert row["first name"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["last name"] == "'@SUM(A1)"
    assert row["message"] == "'-2+3"
    assert row["phone"] == "+14075550123"  # a phone number, left as dialers and CRMs need it


def test_export_with_select_all_covers_everything_the_filters_show(client):
    open_ones = InquiryFactory.create_batch(3, status=Status.CONTACTED)
    InquiryFactory(status=Status.ENROLLED)

    response = run_action(
        client,
        "export_csv",
        open_ones[:1],
        url=reverse(CHANGELIST) + "?status=open",
        select_across="1",
    )

    assert {int(row["id"]) for row in csv_rows(response)} == {i.pk for i in open_ones}


def test_export_link_keeps_the_current_filters(client):
    spam = InquiryFactory(status=Status.CLOSED, closed_reason=ClosedReason.SPAM)
    InquiryFactory()
    html = changelist(client, status="closed:spam").content.decode()
    assert reverse("admin:inquiries_inquiry_export") + "?status=closed%3Aspam" in html

    response = client.get(reverse("admin:inquiries_inquiry_export"), {"status": "closed:spam"})

    assert [int(row["id"]) for row in csv_rows(response)] == [spam.pk]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("+14075550123", "+14075550123"),
        ("+14075550123+1", "'+14075550123+1"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        (None, ""),
        (42, "42"),
    ],
)
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


# --- Timeline entries, notifications and coverage ----------------------------------------------


def test_timeline_entries_have_no_admin_pages(client):
    assert client.get("/admin/inquiries/activity/").status_code == 404


def test_notifications_can_be_viewed_but_not_changed_or_deleted(client):
    inquiry = InquiryFactory()
    notification = Notification.objects.create(
        inquiry=inquiry, kind=NotificationKind.CONFIRMATION, recipient="p@example.com"
    )
    change = reverse("admin:inquiries_notification_change", args=[notification.pk])
    delete = reverse("admin:inquiries_notification_delete", args=[notification.pk])

    assert client.get(reverse("admin:inquiries_notification_changelist")).status_code == 200
    assert client.get(change).status_code == 200
    assert client.post(change, {"recipient": "x@example.com"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    notification.refresh_from_db()
    assert notification.recipient == "p@example.com"


def test_a_manager_can_delete_an_inquiry_with_its_timeline_and_notifications(client):
    inquiry = InquiryFactory()
    workflow.assign_owner(inquiry=inquiry, owner=representative())
    delete = reverse("admin:inquiries_inquiry_delete", args=[inquiry.pk])

    page = client.get(delete)
    assert "Are you sure" in page.content.decode()
    response = client.post(delete, {"post": "yes"})

    assert response.status_code == 302
    assert not Inquiry.objects.exists()
    assert not Activity.objects.exists()


def test_a_manager_sets_who_covers_a_program(client):
    rep = representative()
    program = ProgramFactory()

    response = client.post(
        reverse("admin:inquiries_coverage_add"), {"representative": rep.pk, "program": program.pk}
    )

    assert response.status_code == 302
    assert Coverage.objects.filter(representative=rep, program=program).exists()


def test_the_list_s_selection_checkbox_is_the_admin_s_own_element():
    from django.contrib import admin

    inquiry_admin = admin.site._registry[Inquiry]
    for first, last in [("Ana", "O'Brien <b>&"), ("José", 'Núñez "Pepe"')]:
        inquiry = Inquiry(pk=12, first_name=first, last_name=last)

        ours = inquiry_admin.action_checkbox(inquiry)

        assert ours == admin.ModelAdmin.action_checkbox(inquiry_admin, inquiry)


@pytest.mark.parametrize(
    "number",
    [
        "+14075550123",
        "+12125550199",
        "+18005550100",
        "+14071234567",
        "+11234567890",  # no area code starts with 1: phonenumbers leaves it unformatted
        "+10234567890",
        "+442079460958",
        "+525512345678",
        "+1407555012",
    ],
)
def test_a_phone_reads_as_phonenumbers_formats_it(number):
    import phonenumbers

    from inquiries import phones

    parsed = phonenumbers.parse(number, "US")
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if parsed.country_code == 1
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )

    assert phones.national_format(number) == phonenumbers.format_number(parsed, style)
