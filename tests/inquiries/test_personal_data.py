"""One person's data on request: the export of everything held about an email address and
its erasure, both logged without what they held, and who in the admin may do them."""

import datetime
import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from inquiries.models import (
    Activity,
    ActivityKind,
    DataRequestKind,
    DataRequestLog,
    Inquiry,
    Notification,
    NotificationKind,
    RepeatSubmission,
    Status,
)
from inquiries.services import personal_data, retention, timeline, workflow
from tests.factories import InquiryFactory, UserFactory
from tests.inquiries.staff import content_editor, manager, representative

pytestmark = pytest.mark.django_db

PERSON = reverse("admin:inquiries_datarequestlog_person")
LOG = reverse("admin:inquiries_datarequestlog_changelist")


@pytest.fixture
def boss():
    return manager(first_name="Maria", last_name="Boss")


@pytest.fixture
def ana():
    """Ana's data: an inquiry of her own, one she sent again on, one of hers merged into
    another inquiry under an old address, and an email owed to her."""
    own = InquiryFactory(
        first_name="Ana",
        last_name="Lopez",
        email="Ana.Lopez@Example.com",
        message="Evenings only, please.",
        consent_given=True,
        consent_text="You may call or text me.",
        may_call=True,
    )
    timeline.add_activity(inquiry=own, kind=ActivityKind.SUBMITTED, body="Message: evenings")
    workflow.add_note(inquiry=own, body="Ana prefers Spanish", by=representative())
    RepeatSubmission.objects.create(
        inquiry=own,
        first_name="Ana",
        last_name="Lopez",
        email="ana.lopez@example.com",
        phone="+14075550111",
        message="Asking again about the start date.",
    )
    Notification.objects.create(
        inquiry=own,
        kind=NotificationKind.CONFIRMATION,
        recipient="Ana.Lopez@Example.com",
        status="sent",
    )
    older = InquiryFactory(first_name="A.", last_name="Lopez", email="al@old.example")
    RepeatSubmission.objects.create(
        inquiry=older,
        kind="merged",
        first_name="Ana",
        last_name="Lopez",
        email="ANA.LOPEZ@example.com",
    )
    return own, older


@pytest.fixture
def stranger():
    return InquiryFactory(first_name="Bo", last_name="Other", email="bo@example.com")


# --- Export ----------------------------------------------------------------------------------


def test_the_export_holds_every_inquiry_of_the_email_in_any_case(ana, stranger, boss):
    own, older = ana

    data = personal_data.export_person(email="  ana.lopez@EXAMPLE.com ", by=boss)

    assert [i["id"] for i in data["inquiries"]] == sorted([own.pk, older.pk])
    assert stranger.pk not in [i["id"] for i in data["inquiries"]]


def test_the_export_holds_the_timeline_emails_consent_and_later_submissions(ana, boss):
    own, _ = ana

    data = personal_data.export_person(email="ana.lopez@example.com", by=boss)

    first = next(i for i in data["inquiries"] if i["id"] == own.pk)
    assert (first["first_name"], first["email"]) == ("Ana", "Ana.Lopez@Example.com")
    assert first["message"] == "Evenings only, please."
    assert first["program"] == str(own.program)
    assert first["consent"]["consent_text"] == "You may call or text me."
    assert first["consent"]["may_call"] is True
    assert [e["text"] for e in first["timeline"]][:2] == [
        "Message: evenings",
        "Ana prefers Spanish",
    ]
    assert first["emails"][0]["recipient"] == "Ana.Lopez@Example.com"
    assert first["later_submissions"][0]["message"] == "Asking again about the start date."
    json.dumps(data)  # all of it is JSON


def test_an_export_is_logged_without_the_address_and_noted_on_each_timeline(ana, boss):
    own, older = ana

    personal_data.export_person(email="ana.lopez@example.com", by=boss)

    log = DataRequestLog.objects.get()
    assert (log.kind, log.requested_by) == (DataRequestKind.EXPORT, boss)
    assert sorted(log.inquiry_ids) == sorted([own.pk, older.pk])
    assert "ana" not in json.dumps(log.inquiry_ids).lower()
    for inquiry in (own, older):
        entry = Activity.objects.filter(inquiry=inquiry).first()
        assert entry.kind == ActivityKind.DATA_REQUEST
        assert entry.author == boss
        assert "downloaded" in entry.body
        assert "Ana" not in entry.body


def test_an_empty_address_finds_nobody_not_every_anonymised_inquiry(boss):
    InquiryFactory(email="")
    with pytest.raises(ValueError):
        personal_data.export_person(email="  ", by=boss)


def test_the_export_file_name_says_what_it_is_without_the_person():
    moment = timezone.make_aware(datetime.datetime(2026, 3, 4, 12))
    assert personal_data.export_filename(inquiry_ids=[42, 57], now=moment) == (
        "personal-data-inquiry-42-2026-03-04.json"
    )


# --- Erasure ---------------------------------------------------------------------------------


def test_erasure_empties_every_personal_field_of_the_person_s_inquiries(ana, stranger, boss):
    own, older = ana

    erased = personal_data.erase_person(email="ana.lopez@example.com", by=boss)

    assert erased == 2
    for inquiry in Inquiry.objects.filter(pk__in=[own.pk, older.pk]):
        for field in retention.INQUIRY_PERSONAL_FIELDS:
            assert getattr(inquiry, field) == "", field
        assert inquiry.anonymised_at is not None
    for submission in RepeatSubmission.objects.all():
        assert (submission.first_name, submission.email, submission.message) == ("", "", "")
    assert set(Notification.objects.values_list("recipient", flat=True)) == {""}
    assert Inquiry.objects.get(pk=stranger.pk).email == "bo@example.com"


def test_erasure_empties_the_timeline_s_free_text_and_the_admin_history(ana, boss):
    own, _ = ana
    LogEntry.objects.log_actions(
        user_id=boss.pk,
        queryset=[own],
        action_flag=CHANGE,
        change_message="Called Ana Lopez",
        single_object=True,
    )

    personal_data.erase_person(email="ana.lopez@example.com", by=boss)

    bodies = " ".join(Activity.objects.filter(inquiry=own).values_list("body", flat=True))
    assert "Ana" not in bodies
    assert "evenings" not in bodies
    entry = LogEntry.objects.get(object_id=str(own.pk))
    assert (entry.object_repr, entry.change_message) == (f"Inquiry {own.pk}", "")


def test_erasure_is_logged_and_noted_after_it_without_personal_data(ana, boss):
    own, older = ana

    personal_data.erase_person(email="ana.lopez@example.com", by=boss)

    log = DataRequestLog.objects.get()
    assert (log.kind, log.requested_by) == (DataRequestKind.ERASURE, boss)
    assert sorted(log.inquiry_ids) == sorted([own.pk, older.pk])
    entry = Activity.objects.filter(inquiry=own).first()
    assert entry.kind == ActivityKind.DATA_REQUEST
    assert entry.body == (
        "Personal data erased on request; closed, and no channel open to contact "
        f"(personal data request {log.pk})."
    )


def test_erasure_keeps_what_reports_count(ana, boss):
    own, _ = ana
    workflow.change_status(inquiry=own, status=Status.CONTACTED, by=boss)

    personal_data.erase_person(email="ana.lopez@example.com", by=boss)

    inquiry = Inquiry.objects.get(pk=own.pk)
    assert inquiry.program_id == own.program_id
    assert inquiry.submitted_at == own.submitted_at
    assert inquiry.first_contacted_at is not None  # it reached "contacted", for the funnel


def test_erasure_closes_open_inquiries_and_every_channel(ana, boss):
    own, older = ana
    personal_data.erase_person(email="ana.lopez@example.com", by=boss)
    for inquiry in Inquiry.objects.filter(pk__in=[own.pk, older.pk]):
        assert (inquiry.status, inquiry.closed_reason) == (Status.CLOSED, "not_interested")
        assert not (inquiry.may_email or inquiry.may_call or inquiry.may_text)
    assert not Inquiry.objects.open().filter(pk__in=[own.pk, older.pk]).exists()


def test_after_erasure_nothing_is_found_and_retention_skips_them(ana, boss):
    personal_data.erase_person(email="ana.lopez@example.com", by=boss)

    assert personal_data.export_person(email="ana.lopez@example.com", by=boss)["inquiries"] == []
    assert personal_data.erase_person(email="ana.lopez@example.com", by=boss) == 0
    counts = retention.anonymise_inquiries(ages=dict.fromkeys(retention.RETAINED_STATUSES, 1))
    assert all(c["inquiries"] == 0 for c in counts.values())


@pytest.mark.parametrize("who", [representative, content_editor])
def test_only_managers_may_export_or_erase(ana, who):
    user = who()
    with pytest.raises(PermissionDenied):
        personal_data.export_person(email="ana.lopez@example.com", by=user)
    with pytest.raises(PermissionDenied):
        personal_data.erase_person(email="ana.lopez@example.com", by=user)
    assert not DataRequestLog.objects.exists()
    assert Inquiry.objects.filter(email__iexact="ana.lopez@example.com").exists()


# --- In the admin ----------------------------------------------------------------------------


def test_a_manager_finds_the_person_from_their_inquiry_page(client, ana, boss):
    own, _ = ana
    client.force_login(boss)

    page = client.get(reverse("admin:inquiries_inquiry_change", args=[own.pk]))
    assert f"{PERSON}?inquiry={own.pk}" in page.text

    response = client.get(PERSON, {"inquiry": own.pk})
    assert response.status_code == 200
    assert 'value="Ana.Lopez@Example.com"' in response.text
    assert response.context["held"]["inquiries"] == 2


def test_the_person_page_opens_empty_without_an_inquiry_or_with_a_wrong_one(client, boss):
    client.force_login(boss)
    for query in ({}, {"inquiry": "x"}, {"inquiry": "999999"}):
        response = client.get(PERSON, query)
        assert response.status_code == 200
        assert "held" not in response.context
        assert "This field is required" not in response.text


def test_a_manager_sees_counts_and_downloads_a_json_file(client, ana, boss):
    own, older = ana
    client.force_login(boss)

    found = client.post(PERSON, {"email": "ana.lopez@example.com", "find": "1"})
    assert found.status_code == 200
    assert found.context["held"]["inquiries"] == 2
    assert "Evenings only" not in found.text  # counts, not content

    response = client.post(PERSON, {"email": "ana.lopez@example.com", "export": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="personal-data-inquiry-{own.pk}-'
    )
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert {i["id"] for i in data["inquiries"]} == {own.pk, older.pk}


def test_erasure_asks_first_with_a_count_and_not_the_content(client, ana, boss):
    client.force_login(boss)

    confirm = client.post(PERSON, {"email": "ana.lopez@example.com", "erase": "1"})

    assert confirm.status_code == 200
    assert "2 inquiries" in confirm.text
    assert "Yes, erase" in confirm.text
    assert "Evenings only" not in confirm.text
    assert "Lopez" not in confirm.text
    assert Inquiry.objects.filter(email__iexact="ana.lopez@example.com").exists()
    assert not DataRequestLog.objects.exists()


def test_a_confirmed_erasure_erases_and_lands_on_the_log(client, ana, boss):
    client.force_login(boss)

    response = client.post(PERSON, {"email": "ana.lopez@example.com", "step": "erase-confirmed"})

    assert response.status_code == 302
    assert response.url == LOG
    assert not Inquiry.objects.filter(email__iexact="ana.lopez@example.com").exists()
    log_page = client.get(LOG)
    assert "Personal data erased from 2 inquiries" in log_page.text
    assert "ana.lopez" not in log_page.text.lower()


def test_a_wrong_address_is_refused_beside_the_field(client, boss):
    client.force_login(boss)

    response = client.post(PERSON, {"email": "not an address", "step": "erase-confirmed"})

    assert response.status_code == 200
    assert "valid email address" in response.text
    assert not DataRequestLog.objects.exists()


def test_an_address_nobody_gave_says_nothing_is_held(client, boss):
    client.force_login(boss)

    response = client.post(PERSON, {"email": "nobody@example.com", "find": "1"})

    assert "Nothing is held about this address" in response.text


def test_the_request_log_is_read_only_for_managers(client, ana, boss):
    personal_data.export_person(email="ana.lopez@example.com", by=boss)
    client.force_login(boss)
    log = DataRequestLog.objects.get()

    assert client.get(LOG).status_code == 200
    assert (
        client.get(reverse("admin:inquiries_datarequestlog_change", args=[log.pk])).status_code
        == 200
    )
    assert client.get(reverse("admin:inquiries_datarequestlog_add")).status_code == 403
    assert (
        client.post(reverse("admin:inquiries_datarequestlog_delete", args=[log.pk])).status_code
        == 403
    )
    assert DataRequestLog.objects.count() == 1


@pytest.mark.parametrize("who", [representative, content_editor])
def test_others_reach_neither_the_person_page_nor_the_log(client, ana, who):
    own, _ = ana
    client.force_login(who())

    assert client.get(PERSON).status_code == 403
    assert client.post(PERSON, {"email": "ana.lopez@example.com", "export": "1"}).status_code == 403
    assert (
        client.post(
            PERSON, {"email": "ana.lopez@example.com", "step": "erase-confirmed"}
        ).status_code
        == 403
    )
    assert client.get(LOG).status_code == 403
    assert Inquiry.objects.filter(email__iexact="ana.lopez@example.com").exists()


def test_a_representative_s_inquiry_page_has_no_personal_data_link(client, ana):
    own, _ = ana
    rep = representative()
    own.owner = rep
    own.save()
    client.force_login(rep)

    page = client.get(reverse("admin:inquiries_inquiry_change", args=[own.pk]))

    assert page.status_code == 200
    assert PERSON not in page.text


def test_a_superuser_may_do_it_too(client, ana):
    client.force_login(UserFactory(is_superuser=True))
    response = client.post(PERSON, {"email": "ana.lopez@example.com", "export": "1"})
    assert response.status_code == 200


def test_a_reply_written_to_the_person_is_exported_then_erased(ana, boss):
    own, _ = ana
    Notification.objects.create(
        inquiry=own,
        kind=NotificationKind.REPLY,
        recipient=own.email,
        subject="Your visit, Ana",
        body="Hi Ana, see you Tuesday.",
        sent_by=boss,
    )

    data = personal_data.export_person(email=own.email, by=boss)
    emails = next(i for i in data["inquiries"] if i["id"] == own.pk)["emails"]
    assert {"subject": "Your visit, Ana", "sent_by": "Maria Boss"}.items() <= next(
        e for e in emails if e["body"]
    ).items()

    personal_data.erase_person(email=own.email, by=boss)

    reply = Notification.objects.get(kind=NotificationKind.REPLY)
    assert (reply.recipient, reply.subject, reply.body) == ("", "", "")
