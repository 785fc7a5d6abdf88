"""The team page: managers add, change and deactivate representatives, and grant nothing more."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from inquiries.models import Activity, ActivityKind, Coverage, Inquiry, StaffProfile, Status
from inquiries.services import routing, team
from tests.factories import InquiryFactory, ProgramFactory
from tests.inquiries.staff import MANAGER, REPRESENTATIVE, content_editor, manager, representative

pytestmark = pytest.mark.django_db

User = get_user_model()
TEAM = reverse("admin:inquiries_representative_changelist")
ADD = reverse("admin:inquiries_representative_add")
STRONG = "a long and unusual passphrase 42"


def change_url(user):
    return reverse("admin:inquiries_representative_change", args=[user.pk])


@pytest.fixture
def boss():
    return manager()


@pytest.fixture
def manager_client(client, boss):
    client.force_login(boss)
    return client


def new_rep_form(**overrides):
    return {
        "username": "dana",
        "first_name": "Dana",
        "last_name": "Ortiz",
        "email": "dana@ftc.example",
        "password1": STRONG,
        "password2": STRONG,
        "direct_line": "+14075550111",
        "_save": "Save",
        **overrides,
    }


def rep_change_form(rep, **overrides):
    return {
        "first_name": rep.first_name,
        "last_name": rep.last_name,
        "email": rep.email,
        "direct_line": "",
        # As the browser sends the form: the programs they cover now stay ticked.
        "programs": list(rep.coverages.values_list("program", flat=True)),
        "active": "on" if rep.is_active else "",
        "_save": "Save",
        **overrides,
    }


# --- Who may use it ----------------------------------------------------------------------------


@pytest.mark.parametrize("make_user", [representative, content_editor])
def test_only_managers_see_the_team_page(client, make_user):
    client.force_login(make_user())

    assert client.get(TEAM).status_code == 403
    assert client.get(ADD).status_code == 403
    assert TEAM not in client.get(reverse("admin:index")).content.decode()


def test_a_manager_s_admin_home_links_to_the_team(manager_client):
    assert TEAM in manager_client.get(reverse("admin:index")).content.decode()


def test_the_team_lists_representatives_only(manager_client):
    rep = representative(first_name="Rosa")
    other_manager = manager(first_name="Mona")
    both = representative(first_name="Bea")
    both.groups.add(Group.objects.get(name=MANAGER))

    rows = list(manager_client.get(TEAM).context["cl"].result_list)

    assert rows == [rep]
    assert manager_client.get(change_url(other_manager)).status_code == 302  # "doesn't exist"
    assert manager_client.get(change_url(both)).status_code == 302


# --- Adding ------------------------------------------------------------------------------------


def test_a_manager_adds_a_representative_with_programs_and_a_direct_line(manager_client, client):
    nursing, welding = ProgramFactory(name="Nursing"), ProgramFactory(name="Welding")

    response = manager_client.post(ADD, new_rep_form(programs=[nursing.pk, welding.pk]))

    assert response.status_code == 302, response.context["adminform"].form.errors
    dana = User.objects.get(username="dana")
    assert (dana.is_staff, dana.is_active, dana.is_superuser) == (True, True, False)
    assert [g.name for g in dana.groups.all()] == [REPRESENTATIVE]
    assert set(
        Coverage.objects.filter(representative=dana).values_list("program__name", flat=True)
    ) == {"Nursing", "Welding"}
    assert StaffProfile.objects.get(user=dana).direct_line == "+14075550111"
    assert dana.check_password(STRONG)


def test_a_crafted_post_grants_nothing_beyond_the_representatives_group(manager_client):
    manager_group = Group.objects.get(name=MANAGER)
    permissions = list(Permission.objects.values_list("pk", flat=True)[:5])
    crafted = {
        "is_superuser": "on",
        "is_staff": "on",
        "groups": [manager_group.pk],
        "user_permissions": permissions,
        "password": "pbkdf2_sha256$1$x$y",
    }

    manager_client.post(ADD, new_rep_form(**crafted))
    dana = User.objects.get(username="dana")
    manager_client.post(change_url(dana), rep_change_form(dana, **crafted))

    dana.refresh_from_db()
    assert dana.is_superuser is False
    assert [g.name for g in dana.groups.all()] == [REPRESENTATIVE]
    assert not dana.user_permissions.exists()
    assert not dana.has_perm("inquiries.manage_team")
    assert dana.check_password(STRONG)


def test_a_crafted_post_cannot_change_a_manager_or_a_superuser(manager_client):
    other = manager(first_name="Mona")
    root = User.objects.create_superuser("root", "root@ftc.example", STRONG)

    for user in (other, root):
        manager_client.post(change_url(user), rep_change_form(user, first_name="Hacked"))
        user.refresh_from_db()
        assert user.first_name != "Hacked"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password2": "something else entirely"}, "password2"),
        ({"password1": "123", "password2": "123"}, "password1"),
        ({"email": "not an email"}, "email"),
        ({"first_name": ""}, "first_name"),
    ],
)
def test_bad_details_are_refused_beside_their_field(manager_client, overrides, field):
    response = manager_client.post(ADD, new_rep_form(**overrides))

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not User.objects.filter(username="dana").exists()


def test_a_username_already_taken_is_refused(manager_client):
    representative(username="dana")

    response = manager_client.post(ADD, new_rep_form())

    assert "username" in response.context["adminform"].form.errors


def test_without_a_password_they_get_a_set_password_link_that_works_once(manager_client, client):
    response = manager_client.post(ADD, new_rep_form(password1="", password2=""), follow=True)
    dana = User.objects.get(username="dana")
    assert not dana.has_usable_password()

    assert response.redirect_chain[-1][0] == change_url(dana)
    html = response.content.decode()
    link = html.split('<a href="/admin/inquiries/representative/set-password/', 1)[1]
    link = "/admin/inquiries/representative/set-password/" + link.split('"', 1)[0]

    anonymous = client.__class__()
    form_page = anonymous.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = anonymous.post(set_url, {"new_password1": STRONG, "new_password2": STRONG}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("admin:login")
    assert "Your password is set" in done.content.decode()
    dana.refresh_from_db()
    assert dana.check_password(STRONG)
    assert anonymous.get(link, follow=True).context["validlink"] is False


# --- Changing and deactivating -------------------------------------------------------------------


def test_a_manager_changes_what_a_representative_covers(manager_client):
    nursing, welding = ProgramFactory(name="Nursing"), ProgramFactory(name="Welding")
    rep = representative()
    Coverage.objects.create(representative=rep, program=nursing)

    manager_client.post(
        change_url(rep), rep_change_form(rep, programs=[welding.pk], direct_line="555")
    )

    assert list(Coverage.objects.filter(representative=rep).values_list("program", flat=True)) == [
        welding.pk
    ]
    assert StaffProfile.objects.get(user=rep).direct_line == "555"


def test_the_page_says_what_happens_to_their_open_inquiries(manager_client):
    rep = representative()
    InquiryFactory.create_batch(2, owner=rep, status=Status.CONTACTED)

    html = manager_client.get(change_url(rep)).content.decode()

    assert "They own 2 open inquiries" in html
    assert "stay assigned to them" in html


def test_deactivating_keeps_their_inquiries_and_stops_routing_to_them(manager_client):
    program = ProgramFactory()
    leaving, staying = representative(), representative()
    for rep in (leaving, staying):
        Coverage.objects.create(representative=rep, program=program)
    mine = InquiryFactory(owner=leaving, status=Status.CONTACTED)

    manager_client.post(change_url(leaving), rep_change_form(leaving, active=""))

    leaving.refresh_from_db()
    mine.refresh_from_db()
    assert leaving.is_active is False
    assert mine.owner == leaving
    assert Coverage.objects.filter(representative=leaving).exists()
    for _ in range(3):
        assert routing.route_new_inquiry(inquiry=InquiryFactory(program=program)) == staying


def test_deactivating_can_unassign_their_open_inquiries_on_the_timeline(manager_client, boss):
    rep = representative()
    open_one = InquiryFactory(owner=rep, status=Status.APPOINTMENT)
    enrolled = InquiryFactory(owner=rep, status=Status.ENROLLED)

    manager_client.post(change_url(rep), rep_change_form(rep, active="", unassign_open="on"))

    open_one.refresh_from_db()
    enrolled.refresh_from_db()
    assert open_one.owner is None
    assert enrolled.owner == rep
    entry = Activity.objects.get(inquiry=open_one, kind=ActivityKind.ASSIGNMENT)
    assert (entry.author, entry.body) == (boss, "Unassigned")


def test_a_deactivated_representative_can_be_reactivated(manager_client):
    rep = representative(is_active=False)

    manager_client.post(change_url(rep), rep_change_form(rep, active="on"))

    rep.refresh_from_db()
    assert rep.is_active is True


# --- The service's own checks --------------------------------------------------------------------


def test_only_managers_may_call_the_team_services():
    rep = representative()
    with pytest.raises(PermissionDenied):
        team.add_representative(
            username="x", first_name="X", last_name="Y", email="x@ftc.example", by=rep
        )
    with pytest.raises(PermissionDenied):
        team.deactivate_representative(user=representative(), by=rep)


def test_the_services_change_representatives_only(boss):
    for target in (manager(), User.objects.create_superuser("root", "r@ftc.example", STRONG)):
        with pytest.raises(PermissionDenied):
            team.update_representative(
                user=target, first_name="A", last_name="B", email="a@ftc.example", by=boss
            )
        with pytest.raises(PermissionDenied):
            team.deactivate_representative(user=target, by=boss)
    assert Inquiry.objects.count() == 0
