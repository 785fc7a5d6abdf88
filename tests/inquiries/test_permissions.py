"""Each staff group sees and does exactly what the README says, through the admin's real URLs."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from inquiries.models import Activity, ActivityKind, Inquiry, Status
from tests.factories import InquiryFactory, UserFactory
from tests.inquiries.staff import (
    CONTENT_EDITOR,
    MANAGER,
    REPRESENTATIVE,
    content_editor,
    manager,
    representative,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:inquiries_inquiry_changelist")
EXPORT = reverse("admin:inquiries_inquiry_export")
DASHBOARD = reverse("admin:inquiries_inquiry_dashboard")


def change_url(inquiry):
    return reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])


def delete_url(inquiry):
    return reverse("admin:inquiries_inquiry_delete", args=[inquiry.pk])


def listed(response):
    return [inquiry.pk for inquiry in response.context["cl"].result_list]


def offered_actions(response):
    return {name for name, _ in response.context["action_form"].fields["action"].choices}


def logged_in(client, user):
    client.force_login(user)
    return client


# --- What each group holds ---------------------------------------------------------------------


def group_permissions(name):
    group = Group.objects.get(name=name)
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_representatives_view_and_work_inquiries_and_add_timeline_entries_only():
    # Besides the inquiries: seeing events and their registrations, and opening their own
    # appointment slots (the admin shows each representative only theirs).
    assert group_permissions(REPRESENTATIVE) - {
        "visits.view_event",
        "visits.view_registration",
        "appointments.view_slot",
        "appointments.add_slot",
        "appointments.change_slot",
        "appointments.view_booking",
        "appointments.change_booking",
    } == {
        "inquiries.view_inquiry",
        "inquiries.change_inquiry",
        "inquiries.view_activity",
        "inquiries.add_activity",
        "inquiries.view_repeatsubmission",
        "inquiries.send_reply",
        "inquiries.view_replytemplate",
    }


def test_managers_hold_every_inquiry_permission_including_assign_export_delete():
    held = group_permissions(MANAGER)

    for codename in [
        "delete_inquiry",
        "assign_inquiry",
        "export_inquiry",
        "view_dashboard",
        "add_coverage",
        "change_coverage",
        "delete_coverage",
        "view_notification",
        "merge_inquiry",
        "review_spam",
        "manage_personal_data",
        "view_datarequestlog",
        "send_reply",
        "manage_team",
        "change_replytemplate",
    ]:
        assert f"inquiries.{codename}" in held
    assert all(
        permission.startswith(("inquiries.", "visits.", "appointments.")) for permission in held
    )


def test_content_editors_edit_careers_programs_and_pages_and_nothing_of_inquiries():
    held = group_permissions(CONTENT_EDITOR)

    for model in ["roles.role", "roles.comparison", "programs.program", "flatpages.flatpage"]:
        app, name = model.split(".")
        for action in ["add", "change", "delete", "view"]:
            assert f"{app}.{action}_{name}" in held
    assert not any(permission.startswith("inquiries.") for permission in held)


# --- Representative ----------------------------------------------------------------------------


@pytest.fixture
def rep():
    return representative()


@pytest.fixture
def rep_client(client, rep):
    return logged_in(client, rep)


def test_a_representative_lands_on_their_open_inquiries(rep_client):
    response = rep_client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"] == f"{CHANGELIST}?owner=mine&status=open"


def test_a_representative_s_list_puts_the_oldest_follow_up_first(rep_client, rep):
    now = timezone.now()
    later = InquiryFactory(
        owner=rep, status=Status.CONTACTED, next_follow_up_at=now + datetime.timedelta(days=3)
    )
    unplanned = InquiryFactory(owner=rep, status=Status.CONTACTED)
    soonest = InquiryFactory(
        owner=rep, status=Status.CONTACTED, next_follow_up_at=now - datetime.timedelta(days=1)
    )
    InquiryFactory(owner=rep, status=Status.ENROLLED)
    InquiryFactory(status=Status.CONTACTED)

    response = rep_client.get(CHANGELIST, {"owner": "mine", "status": "open"})

    assert listed(response) == [soonest.pk, later.pk, unplanned.pk]


def test_a_representative_sees_own_and_unassigned_but_not_colleagues_inquiries(rep_client, rep):
    own = InquiryFactory(owner=rep)
    unassigned = InquiryFactory()
    InquiryFactory(owner=representative())

    response = rep_client.get(CHANGELIST, {"status": "open"})

    assert set(listed(response)) == {own.pk, unassigned.pk}


def test_a_representative_cannot_open_a_colleague_s_inquiry_and_is_told_whose_it_is(rep_client):
    theirs = InquiryFactory(owner=representative(first_name="Marcus", last_name="Bell"))

    response = rep_client.get(change_url(theirs), follow=True)

    assert response.redirect_chain[0] == (CHANGELIST, 302)
    html = response.content.decode()
    assert f"Inquiry {theirs.pk} belongs to Marcus Bell; ask them or a manager." in html
    assert theirs.last_name not in html


def test_a_representative_works_their_inquiry_and_the_timeline_names_them(rep_client, rep):
    own = InquiryFactory(owner=rep)

    response = rep_client.post(
        change_url(own),
        {
            "status": Status.CONTACTED,
            "closed_reason": "",
            "owner": rep.pk,
            "next_follow_up_at_0": "",
            "next_follow_up_at_1": "",
            "entry_kind": ActivityKind.TEXT,
            "entry_body": "Texted the tour times.",
            "outcome": "sent",
        },
    )

    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == Status.CONTACTED
    assert set(Activity.objects.filter(inquiry=own).values_list("kind", "author")) == {
        (ActivityKind.STATUS_CHANGE, rep.pk),
        (ActivityKind.TEXT, rep.pk),
    }


def test_a_representative_can_only_choose_themselves_as_owner(rep_client, rep):
    unassigned = InquiryFactory()

    form = rep_client.get(change_url(unassigned)).context["adminform"].form

    assert list(form.fields["owner"].queryset) == [rep]


def test_a_representative_cannot_hand_an_inquiry_to_a_colleague_through_the_form(rep_client, rep):
    own = InquiryFactory(owner=rep)
    colleague = representative()

    response = rep_client.post(
        change_url(own),
        {
            "status": own.status,
            "closed_reason": "",
            "owner": colleague.pk,
            "next_follow_up_at_0": "",
            "next_follow_up_at_1": "",
            "entry_kind": ActivityKind.NOTE,
            "entry_body": "",
        },
    )

    assert response.status_code == 200
    own.refresh_from_db()
    assert own.owner == rep


def test_a_representative_takes_an_unassigned_inquiry_with_assign_to_me(rep_client, rep):
    unassigned = InquiryFactory()

    rep_client.post(CHANGELIST, {"action": "assign_to_me", ACTION_CHECKBOX_NAME: [unassigned.pk]})

    unassigned.refresh_from_db()
    assert unassigned.owner == rep


def test_a_representative_is_offered_no_export_assign_to_others_or_delete(rep_client, rep):
    InquiryFactory(owner=rep)

    actions = offered_actions(rep_client.get(CHANGELIST, {"owner": "mine"}))

    assert actions == {"", "assign_to_me", "mark_contacted", "close_as_spam"}


def test_a_representative_cannot_export_by_posting_the_action(rep_client, rep):
    own = InquiryFactory(owner=rep)

    response = rep_client.post(CHANGELIST, {"action": "export_csv", ACTION_CHECKBOX_NAME: [own.pk]})

    assert not response.get("Content-Type", "").startswith("text/csv")


def test_a_representative_cannot_assign_to_others_by_posting_the_action(rep_client, rep):
    own = InquiryFactory(owner=rep)
    colleague = representative()

    rep_client.post(
        CHANGELIST,
        {
            "action": "assign_to_staff",
            ACTION_CHECKBOX_NAME: [own.pk],
            "apply": "1",
            "owner": colleague.pk,
        },
    )

    own.refresh_from_db()
    assert own.owner == rep


def test_a_representative_cannot_delete(rep_client, rep):
    own = InquiryFactory(owner=rep)

    assert rep_client.get(delete_url(own)).status_code == 403
    assert rep_client.post(delete_url(own), {"post": "yes"}).status_code == 403
    assert Inquiry.objects.filter(pk=own.pk).exists()


def test_a_representative_cannot_use_the_export_link_or_the_dashboard(rep_client):
    assert rep_client.get(EXPORT).status_code == 403
    assert rep_client.get(DASHBOARD).status_code == 403


def test_a_representative_cannot_change_program_coverage(rep_client):
    assert rep_client.get(reverse("admin:inquiries_coverage_changelist")).status_code == 403


def test_a_representative_s_admin_home_lists_inquiries_without_the_dashboard(rep_client):
    html = rep_client.get(reverse("admin:index")).content.decode()

    assert CHANGELIST in html
    assert DASHBOARD not in html


# --- Manager -----------------------------------------------------------------------------------


@pytest.fixture
def manager_client(client):
    return logged_in(client, manager())


def test_a_manager_sees_the_whole_list_without_a_redirect(manager_client):
    InquiryFactory(owner=representative())

    response = manager_client.get(CHANGELIST)

    assert response.status_code == 200
    assert len(listed(response)) == 1


def test_a_manager_is_offered_every_action(manager_client):
    InquiryFactory()

    actions = offered_actions(manager_client.get(CHANGELIST))

    assert {"assign_to_me", "assign_to_staff", "export_csv", "delete_selected"} <= actions


def test_a_manager_can_export_delete_and_open_the_dashboard(manager_client):
    inquiry = InquiryFactory(owner=representative())

    assert manager_client.get(EXPORT).status_code == 200
    assert manager_client.get(DASHBOARD).status_code == 200
    assert manager_client.get(change_url(inquiry)).status_code == 200
    assert manager_client.post(delete_url(inquiry), {"post": "yes"}).status_code == 302
    assert not Inquiry.objects.exists()


def test_a_manager_s_admin_home_links_to_the_dashboard(manager_client):
    assert DASHBOARD in manager_client.get(reverse("admin:index")).content.decode()


# --- Content editor ----------------------------------------------------------------------------


@pytest.fixture
def editor_client(client):
    return logged_in(client, content_editor())


def test_a_content_editor_gets_403_on_every_inquiry_page(editor_client):
    inquiry = InquiryFactory()

    for url in [CHANGELIST, change_url(inquiry), delete_url(inquiry), EXPORT, DASHBOARD]:
        assert editor_client.get(url).status_code == 403, url
    assert editor_client.get(reverse("admin:inquiries_coverage_changelist")).status_code == 403


def test_a_content_editor_does_not_see_inquiries_on_the_admin_home(editor_client):
    html = editor_client.get(reverse("admin:index")).content.decode()

    assert "/admin/inquiries/" not in html
    assert DASHBOARD not in html


@pytest.mark.parametrize(
    "url",
    [
        "admin:roles_role_changelist",
        "admin:roles_comparison_changelist",
        "admin:programs_program_changelist",
        "admin:programs_program_add",
        "admin:flatpages_flatpage_changelist",
    ],
)
def test_a_content_editor_reaches_careers_programs_and_pages(editor_client, url):
    assert editor_client.get(reverse(url)).status_code == 200


def test_staff_outside_every_group_see_no_inquiries(client):
    logged_in(client, UserFactory())

    assert client.get(CHANGELIST).status_code == 403


# --- Password guessing -------------------------------------------------------------------------


def login(client, username, password):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}
    )


def test_admin_login_locks_out_after_repeated_failures(client, settings):
    user = manager(username="dana")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "dana", "wrong guess")

    response = login(client, "dana", "correct horse battery staple")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert user.is_active


def test_a_successful_login_before_the_limit_resets_the_count(client, settings):
    manager(username="dana")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "dana", "wrong guess")
    assert login(client, "dana", "correct horse battery staple").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "dana", "wrong guess")

    assert login(client, "dana", "correct horse battery staple").status_code == 302


def test_a_locked_out_username_does_not_lock_out_colleagues(client, settings):
    manager(username="dana")
    representative(username="rosa")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "dana", "wrong guess")

    assert login(client, "rosa", "correct horse battery staple").status_code == 302


def test_behind_the_load_balancer_a_guesser_elsewhere_does_not_lock_out_the_real_user(
    client, settings
):
    settings.BEHIND_TLS_PROXY = True
    manager(username="dana")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("admin:login"),
            {"username": "dana", "password": "wrong guess", "next": "/admin/"},
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )

    response = client.post(
        reverse("admin:login"),
        {"username": "dana", "password": "correct horse battery staple", "next": "/admin/"},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )

    assert response.status_code == 302
