"""The inquiry's page built for a call, "Take it", correcting contact details, and covering
for a colleague (reading, not changing, the inquiries of a program one covers)."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from inquiries.models import Activity, ActivityKind, Coverage, Status
from tests.factories import InquiryFactory, ProgramFactory
from tests.inquiries.staff import content_editor, manager, representative

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:inquiries_inquiry_changelist")


def change_url(inquiry):
    return reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])


def take_url(inquiry):
    return reverse("admin:inquiries_inquiry_take", args=[inquiry.pk])


def correct_url(inquiry):
    return reverse("admin:inquiries_inquiry_correct_contact", args=[inquiry.pk])


@pytest.fixture
def rep():
    return representative(first_name="Rosa", last_name="Alvarez")


@pytest.fixture
def colleague():
    return representative(first_name="Marcus", last_name="Bell")


@pytest.fixture
def program(rep):
    program = ProgramFactory()
    Coverage.objects.create(representative=rep, program=program)
    return program


# --- The page ----------------------------------------------------------------------------------


def test_the_page_is_titled_with_the_name_and_number(client, rep):
    inquiry = InquiryFactory(first_name="Maria", last_name="Lopez", owner=rep)
    client.force_login(rep)

    response = client.get(change_url(inquiry))

    assert response.context["title"] == f"Maria Lopez, inquiry {inquiry.pk}"
    assert f"<title>Maria Lopez, inquiry {inquiry.pk} |" in response.content.decode()


def test_the_first_fieldsets_reach_them_log_the_call_and_set_status(client, rep):
    inquiry = InquiryFactory(owner=rep)
    client.force_login(rep)

    adminform = client.get(change_url(inquiry)).context["adminform"]
    names = [fieldset.name for fieldset in adminform]

    assert names[:4] == [
        "Reach them",
        "Log a call, email or text",
        "Status and follow-up",
        "Prospect’s answers",
    ]


def test_the_phone_is_a_tel_link_in_national_format_and_the_email_a_mailto(client, rep):
    inquiry = InquiryFactory(owner=rep, phone="+16895550140", email="maria@example.com")
    client.force_login(rep)

    html = client.get(change_url(inquiry)).content.decode()

    assert '<a class="nowrap" href="tel:+16895550140">(689) 555-0140</a>' in html
    assert '<a href="mailto:maria@example.com">maria@example.com</a>' in html
    assert "Phone calls: " in html  # consent per channel, not folded away


# --- Take it -----------------------------------------------------------------------------------


def test_a_representative_takes_an_unassigned_inquiry_with_one_button(client, rep):
    inquiry = InquiryFactory(owner=None)
    client.force_login(rep)

    assert "take-it-form" in client.get(change_url(inquiry)).content.decode()
    response = client.post(take_url(inquiry))

    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.owner == rep
    assert Activity.objects.filter(inquiry=inquiry, kind=ActivityKind.ASSIGNMENT).count() == 1


def test_take_it_is_not_offered_on_an_owned_inquiry(client, rep):
    inquiry = InquiryFactory(owner=rep)
    client.force_login(rep)

    assert "take-it-form" not in client.get(change_url(inquiry)).content.decode()


def test_take_it_needs_a_post(client, rep):
    inquiry = InquiryFactory(owner=None)
    client.force_login(rep)

    assert client.get(take_url(inquiry)).status_code == 405
    inquiry.refresh_from_db()
    assert inquiry.owner is None


def test_a_representative_cannot_take_a_covered_colleague_s_inquiry(
    client, rep, colleague, program
):
    inquiry = InquiryFactory(owner=colleague, program=program)
    client.force_login(rep)

    assert client.post(take_url(inquiry)).status_code == 403
    inquiry.refresh_from_db()
    assert inquiry.owner == colleague


def test_a_manager_takes_an_unassigned_inquiry(client):
    boss = manager()
    inquiry = InquiryFactory(owner=None)
    client.force_login(boss)

    client.post(take_url(inquiry))

    inquiry.refresh_from_db()
    assert inquiry.owner == boss


def test_a_content_editor_cannot_take_or_correct(client):
    inquiry = InquiryFactory(owner=None)
    client.force_login(content_editor())

    assert client.post(take_url(inquiry)).status_code == 403
    assert client.get(correct_url(inquiry)).status_code == 403


# --- Correcting contact details ----------------------------------------------------------------


def test_a_representative_corrects_a_mistyped_email_and_phone(client, rep):
    inquiry = InquiryFactory(owner=rep, email="maria@gmial.com", phone="+14075550123")
    client.force_login(rep)

    page = client.get(correct_url(inquiry))
    response = client.post(
        correct_url(inquiry), {"email": "maria@gmail.com", "phone": "407.555.0199"}
    )

    assert page.status_code == 200
    assert page.context["form"]["phone"].value() == "(407) 555-0123"
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert (inquiry.email, inquiry.phone) == ("maria@gmail.com", "+14075550199")
    bodies = set(Activity.objects.filter(inquiry=inquiry).values_list("body", flat=True))
    assert "Email corrected from maria@gmial.com to maria@gmail.com" in bodies
    assert "Phone corrected from (407) 555-0123 to (407) 555-0199" in bodies


def test_a_wrong_email_or_phone_is_refused_beside_its_field(client, rep):
    inquiry = InquiryFactory(owner=rep, email="maria@example.com", phone="+14075550123")
    client.force_login(rep)

    response = client.post(correct_url(inquiry), {"email": "maria@", "phone": "12"})

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"email", "phone"}
    inquiry.refresh_from_db()
    assert inquiry.email == "maria@example.com"


def test_a_manager_corrects_anyone_s_inquiry(client, rep):
    inquiry = InquiryFactory(owner=rep, email="old@example.com")
    client.force_login(manager())

    client.post(correct_url(inquiry), {"email": "new@example.com", "phone": ""})

    inquiry.refresh_from_db()
    assert inquiry.email == "new@example.com"


# --- Covering for a colleague ------------------------------------------------------------------


def test_a_representative_lists_and_reads_a_covered_colleague_s_inquiry(
    client, rep, colleague, program
):
    theirs = InquiryFactory(owner=colleague, program=program)
    client.force_login(rep)

    listed = client.get(CHANGELIST, {"status": "open"}).context["cl"].result_list
    response = client.get(change_url(theirs))

    assert theirs in listed
    assert response.status_code == 200
    html = response.content.decode()
    assert "Read-only: owned by Marcus Bell." in html
    assert "Phone calls: " in html
    # No links to pages that would only refuse them.
    assert "withdraw-consent" not in html
    assert "/admin/auth/user/" not in html
    assert not response.context["has_change_permission"]
    fieldsets = [fieldset.name for fieldset in response.context["adminform"]]
    assert "Log a call, email or text" not in fieldsets


def test_a_representative_cannot_change_a_covered_colleague_s_inquiry(
    client, rep, colleague, program
):
    theirs = InquiryFactory(owner=colleague, program=program)
    client.force_login(rep)

    response = client.post(
        change_url(theirs),
        {"status": Status.CLOSED, "closed_reason": "not_interested", "entry_body": "x"},
    )
    correct = client.post(correct_url(theirs), {"email": "x@example.com", "phone": ""})
    consent = client.get(reverse("admin:inquiries_inquiry_withdraw_consent", args=[theirs.pk]))

    assert response.status_code == 403
    assert correct.status_code == 403
    assert consent.status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == Status.NEW


def test_bulk_actions_leave_a_covered_colleague_s_inquiry_alone(client, rep, colleague, program):
    theirs = InquiryFactory(owner=colleague, program=program)
    client.force_login(rep)

    client.post(CHANGELIST, {"action": "mark_contacted", ACTION_CHECKBOX_NAME: [theirs.pk]})

    theirs.refresh_from_db()
    assert theirs.status == Status.NEW


def test_an_uncovered_colleague_s_inquiry_says_whose_it_is_without_the_prospect(
    client, rep, colleague
):
    theirs = InquiryFactory(owner=colleague, first_name="Xiomara", email="xiomara@example.com")
    client.force_login(rep)

    response = client.get(change_url(theirs), follow=True)

    html = response.content.decode()
    assert f"Inquiry {theirs.pk} belongs to Marcus Bell; ask them or a manager." in html
    assert "Xiomara" not in html
    assert "doesn’t exist" not in html


def test_held_inquiries_stay_hidden_even_in_a_covered_program(client, rep, program):
    held = InquiryFactory(status=Status.HELD, program=program, first_name="Spammy")
    client.force_login(rep)

    response = client.get(change_url(held), follow=True)

    assert "held for a manager’s review" in response.content.decode()
    assert "Spammy" not in response.content.decode()


def test_an_id_nobody_has_still_says_it_does_not_exist(client, rep):
    client.force_login(rep)

    response = client.get(reverse("admin:inquiries_inquiry_change", args=[987654]), follow=True)

    assert "doesn’t exist" in response.content.decode()
