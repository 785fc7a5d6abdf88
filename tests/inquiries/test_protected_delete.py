"""Programs and campuses that inquiries name cannot be deleted: the admin says so plainly,
without naming prospects to those who may not see them, and tells what to do instead."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import ProtectedError
from django.urls import reverse

from inquiries.models import Inquiry, RepeatSubmission
from programs.models import Campus, Program
from tests.factories import CampusFactory, InquiryFactory, ProgramFactory, UserFactory
from tests.inquiries.staff import content_editor

pytestmark = pytest.mark.django_db


def delete_url(obj):
    return reverse(f"admin:programs_{obj._meta.model_name}_delete", args=[obj.pk])


@pytest.fixture
def named_program():
    program = ProgramFactory(name="Phlebotomy Technician")
    InquiryFactory(program=program, first_name="Zelda", last_name="Quintana")
    return program


@pytest.fixture
def superuser():
    return UserFactory(is_superuser=True)


def test_the_orm_refuses_to_delete_a_program_inquiries_name(named_program):
    with pytest.raises(ProtectedError):
        named_program.delete()


def test_the_orm_refuses_to_delete_a_program_a_later_submission_names():
    program = ProgramFactory()
    other = InquiryFactory()
    RepeatSubmission.objects.create(
        inquiry=other, first_name="A", last_name="B", email="a@example.com", program=program
    )
    with pytest.raises(ProtectedError):
        program.delete()


def test_the_orm_refuses_to_delete_a_campus_inquiries_name():
    campus = CampusFactory()
    InquiryFactory(campus=campus)
    with pytest.raises(ProtectedError):
        campus.delete()


def test_a_content_editor_is_told_to_unpublish_without_seeing_who_asked(client, named_program):
    client.force_login(content_editor())

    response = client.get(delete_url(named_program))

    assert response.status_code == 200
    assert "cannot be deleted" in response.text
    assert "unpublish it" in response.text
    assert "1 inquiry (not listed" in response.text
    assert "Zelda" not in response.text
    assert "Quintana" not in response.text
    assert "permission to delete" not in response.text
    assert 'name="post"' not in response.text  # no confirmation button


def test_a_content_editor_posting_the_deletion_anyway_deletes_nothing(client, named_program):
    client.force_login(content_editor())

    response = client.post(delete_url(named_program), {"post": "yes"})

    assert response.status_code == 200
    assert "cannot be deleted" in response.text
    assert Program.objects.filter(pk=named_program.pk).exists()


def test_a_superuser_is_told_the_same_and_sees_which_inquiries(client, named_program, superuser):
    client.force_login(superuser)

    response = client.post(delete_url(named_program), {"post": "yes"})

    assert response.status_code == 200
    assert "cannot be deleted" in response.text
    assert "unpublish it" in response.text
    assert "Zelda Quintana" in response.text
    assert Program.objects.filter(pk=named_program.pk).exists()


def test_a_campus_says_to_deactivate_it(client, superuser):
    campus = CampusFactory()
    InquiryFactory(campus=campus)
    client.force_login(content_editor())

    response = client.get(delete_url(campus))

    assert "deactivate it" in response.text
    assert Campus.objects.filter(pk=campus.pk).exists()


def test_the_bulk_delete_action_says_so_too(client, named_program):
    client.force_login(content_editor())
    spare = ProgramFactory()

    response = client.post(
        reverse("admin:programs_program_changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [named_program.pk, spare.pk]},
    )

    assert response.status_code == 200
    assert "cannot be deleted" in response.text
    assert "unpublish them" in response.text
    assert "Zelda" not in response.text
    assert Program.objects.count() == 2


def test_a_program_without_inquiries_still_deletes(client, superuser):
    program = ProgramFactory()
    client.force_login(superuser)

    response = client.post(delete_url(program), {"post": "yes"})

    assert response.status_code == 302
    assert not Program.objects.filter(pk=program.pk).exists()


def test_a_content_editor_deletes_a_program_without_inquiries(client):
    program = ProgramFactory()
    client.force_login(content_editor())

    response = client.post(delete_url(program), {"post": "yes"})

    assert response.status_code == 302
    assert not Program.objects.filter(pk=program.pk).exists()


def test_an_inquiry_arriving_during_the_deletion_gives_a_message_not_an_error(
    client, superuser, monkeypatch
):
    """The confirmation found nothing protecting; an inquiry names the program by the time
    the rows are deleted."""
    from django.contrib.admin import ModelAdmin

    program = ProgramFactory()
    client.force_login(superuser)
    real = ModelAdmin.get_deleted_objects
    arrivals = []

    def then_an_inquiry_arrives(self, objs, request):
        found = real(self, objs, request)
        if not arrivals:
            arrivals.append(InquiryFactory(program=program))
        return found

    monkeypatch.setattr(ModelAdmin, "get_deleted_objects", then_an_inquiry_arrives)

    response = client.post(delete_url(program), {"post": "yes"})

    assert response.status_code == 302
    assert response.url == delete_url(program)
    assert Program.objects.filter(pk=program.pk).exists()
    assert not Inquiry.objects.filter(program=program).exists()  # rolled back with the try
    assert "Nothing was deleted" in client.get(response.url).text
