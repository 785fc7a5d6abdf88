"""Merging, splitting, possible duplicates and the spam review, as managers and
representatives use them in the admin."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from inquiries.models import ClosedReason, Inquiry, RepeatSubmission, Status
from tests.factories import InquiryFactory
from tests.inquiries.staff import manager, representative

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]

CHANGELIST = reverse("admin:inquiries_inquiry_changelist")
MERGE = reverse("admin:inquiries_inquiry_merge")


@pytest.fixture
def client(client):
    client.force_login(manager())
    return client


def change_url(inquiry):
    return reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_merge_action_on_two_inquiries_opens_them_side_by_side(client):
    keep, other = InquiryFactory(email="a@example.com"), InquiryFactory(email="b@example.com")
    response = client.post(
        CHANGELIST, {"action": "merge_selected", ACTION_CHECKBOX_NAME: [keep.pk, other.pk]}
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "a@example.com" in html and "b@example.com" in html
    assert f"Merge inquiry {other.pk} into inquiry {keep.pk}" in html


def test_the_merge_action_needs_exactly_two(client):
    response = client.post(
        CHANGELIST,
        {"action": "merge_selected", ACTION_CHECKBOX_NAME: [InquiryFactory().pk]},
        follow=True,
    )
    assert "Select exactly two inquiries" in response.content.decode()


def test_merging_from_the_page_keeps_the_chosen_owner_and_lands_on_the_kept_inquiry(client):
    rep = representative(first_name="Rosa")
    keep, other = InquiryFactory(), InquiryFactory(owner=rep)
    response = client.post(
        MERGE,
        {"keep": keep.pk, "other": other.pk, "owner_from": other.pk, "status_from": keep.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == change_url(keep)
    keep.refresh_from_db()
    other.refresh_from_db()
    assert keep.owner == rep
    assert other.merged_into == keep
    page = client.get(change_url(other)).content.decode()
    assert f'Merged into <a href="{change_url(keep)}">inquiry {keep.pk}</a>' in page


def test_merging_an_inquiry_into_itself_says_why_and_changes_nothing(client):
    inquiry = InquiryFactory()
    response = client.post(MERGE, {"keep": inquiry.pk, "other": inquiry.pk})
    assert response.status_code == 200
    assert "cannot be merged into itself" in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.status == Status.NEW


def test_merging_an_inquiry_already_merged_says_why(client):
    keep = InquiryFactory()
    merged = InquiryFactory(
        status=Status.CLOSED, closed_reason=ClosedReason.MERGED, merged_into=InquiryFactory()
    )
    response = client.post(MERGE, {"keep": keep.pk, "other": merged.pk})
    assert "already merged" in response.content.decode()


@pytest.mark.parametrize("query", ["", "?keep=abc&other=1", "?keep=99999999999999999999&other=1"])
def test_the_merge_page_with_missing_or_impossible_ids_goes_back_to_the_list(client, query):
    response = client.get(MERGE + query)
    assert response.status_code == 302


def test_representatives_cannot_merge_or_split():
    rep = representative()
    inquiry = InquiryFactory(owner=rep)
    rep_client = Client()
    rep_client.force_login(rep)
    assert rep_client.get(MERGE + f"?keep={inquiry.pk}&other={inquiry.pk}").status_code == 403
    split = reverse("admin:inquiries_inquiry_split", args=[inquiry.pk])
    assert rep_client.post(split, {"submission": "first"}).status_code == 403
    actions = rep_client.get(CHANGELIST + "?owner=mine").context["action_form"]
    choices = {value for value, _ in actions.fields["action"].choices}
    assert not {"merge_selected", "release_not_spam", "close_held_as_spam"} & choices


def test_a_later_submission_shows_on_the_page_and_splits_out(client):
    inquiry = InquiryFactory()
    later = RepeatSubmission.objects.create(
        inquiry=inquiry, first_name="Mario", last_name="Lopez", email=inquiry.email
    )
    page = client.get(change_url(inquiry)).content.decode()
    assert "Later submissions (1)" in page
    assert f'form="split-{later.pk}"' in page and f'id="split-{later.pk}"' in page

    response = client.post(
        reverse("admin:inquiries_inquiry_split", args=[inquiry.pk]), {"submission": later.pk}
    )
    new = Inquiry.objects.get(first_name="Mario")
    assert response["Location"] == change_url(new)


def test_splitting_the_first_submission_says_why(client):
    inquiry = InquiryFactory()
    response = client.post(
        reverse("admin:inquiries_inquiry_split", args=[inquiry.pk]),
        {"submission": "first"},
        follow=True,
    )
    assert "cannot be split out" in response.content.decode()
    assert Inquiry.objects.count() == 1


def test_possible_duplicates_show_on_both_pages_and_in_a_list_filter(client):
    first = InquiryFactory(email="dad@example.com")
    second = InquiryFactory(email="kid@example.com", possible_duplicate_of=first)
    InquiryFactory()
    for inquiry, other in ((first, second), (second, first)):
        page = client.get(change_url(inquiry)).content.decode()
        assert f'Possible duplicate: <a href="{change_url(other)}">' in page
        assert "Merge them" in page
    listed = {
        i.pk for i in client.get(CHANGELIST, {"duplicates": "possible"}).context["cl"].result_list
    }
    assert listed == {first.pk, second.pk}


def test_a_repeat_submissions_own_name_finds_its_inquiry(client):
    inquiry = InquiryFactory(first_name="Maria")
    RepeatSubmission.objects.create(
        inquiry=inquiry, first_name="Mariajosé", last_name="Pérez", email=inquiry.email
    )
    response = client.get(CHANGELIST, {"q": "Mariajosé"})
    assert [i.pk for i in response.context["cl"].result_list] == [inquiry.pk]


def test_managers_review_held_inquiries_from_the_list(client):
    held = InquiryFactory(status=Status.HELD)
    spam = InquiryFactory(status=Status.HELD)
    listed = client.get(CHANGELIST, {"status": "held"}).context["cl"].result_list
    assert {i.pk for i in listed} == {held.pk, spam.pk}

    client.post(CHANGELIST, {"action": "release_not_spam", ACTION_CHECKBOX_NAME: [held.pk]})
    response = client.post(
        CHANGELIST, {"action": "close_held_as_spam", ACTION_CHECKBOX_NAME: [spam.pk]}
    )
    held.refresh_from_db()
    spam.refresh_from_db()
    assert held.status == Status.NEW
    assert (spam.status, spam.closed_reason) == (Status.CLOSED, ClosedReason.SPAM)
    assert "1 held inquiry closed as spam." in messages_of(response)


def test_representatives_never_see_held_inquiries():
    rep = representative()
    InquiryFactory(status=Status.HELD)
    rep_client = Client()
    rep_client.force_login(rep)
    response = rep_client.get(CHANGELIST, {"owner": "unassigned"})
    assert list(response.context["cl"].result_list) == []


def test_the_inquiry_page_refuses_to_move_a_held_inquiry_along_the_funnel(client):
    held = InquiryFactory(status=Status.HELD)
    response = client.post(
        change_url(held),
        {"status": Status.CONTACTED, "closed_reason": "", "owner": "", "entry_kind": "note"},
    )
    assert response.status_code == 200
    assert "Not spam" in response.content.decode()
    held.refresh_from_db()
    assert held.status == Status.HELD


def test_the_dashboard_counts_held_and_released_inquiries(client):
    from django.utils import timezone

    InquiryFactory(status=Status.HELD, held_at=timezone.now())
    InquiryFactory(held_at=timezone.now(), released_at=timezone.now())
    page = client.get(reverse("admin:inquiries_inquiry_dashboard")).content.decode()
    assert "Held for review now" in page
    assert "Held in these dates" in page
    assert "Released as not spam" in page
    context = client.get(reverse("admin:inquiries_inquiry_dashboard")).context
    assert (context["current"]["held"], context["current"]["held_in_window"]) == (1, 2)
    assert context["current"]["released_in_window"] == 1
