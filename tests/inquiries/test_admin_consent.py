"""Consent in the inquiry admin: per channel on the list, the page and the CSV export, and
the page where staff record a withdrawal, for whoever may change the inquiry."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from inquiries.admin.consent import consent_summary
from inquiries.models import ActivityKind, Channel
from inquiries.services import consent
from tests.factories import InquiryFactory
from tests.inquiries.staff import content_editor, manager, representative
from tests.inquiries.test_admin import csv_rows

pytestmark = pytest.mark.django_db


def withdraw_url(inquiry):
    return reverse("admin:inquiries_inquiry_withdraw_consent", args=[inquiry.pk])


def change_url(inquiry):
    return reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])


def learned(**kwargs):
    moment = timezone.localtime() - datetime.timedelta(hours=2)
    return {"when": moment.strftime("%Y-%m-%dT%H:%M"), **kwargs}


@pytest.fixture
def boss(client):
    user = manager(first_name="Dana", last_name="Whitfield")
    client.force_login(user)
    return user


@pytest.fixture
def inquiry():
    return InquiryFactory(
        may_email=True, may_call=False, may_text=True, consent_given=True, consent_channels="text"
    )


def test_the_list_shows_consent_per_channel_in_one_compact_column(client, boss, inquiry):
    response = client.get(reverse("admin:inquiries_inquiry_changelist"))

    html = response.content.decode()
    assert "column-consent_column" in html
    assert (
        '<span class="nowrap">Email ✓</span><br><span class="nowrap">Call ✗</span><br>'
        '<span class="nowrap">Text ✓</span>'
    ) in html


def test_the_summary_follows_each_channel():
    assert consent_summary(
        InquiryFactory.build(may_email=False, may_call=True, may_text=False)
    ) == ("Email ✗ · Call ✓ · Text ✗")


def test_the_inquiry_page_shows_consent_now_and_links_to_record_a_withdrawal(client, boss, inquiry):
    html = client.get(change_url(inquiry)).content.decode()

    assert "Email: yes · Phone calls: not given · Text messages: yes" in html
    assert f'href="{withdraw_url(inquiry)}"' in html


def test_a_withdrawn_channel_reads_withdrawn_not_not_given(client, boss, inquiry):
    consent.withdraw_consent(inquiry=inquiry, channel=Channel.TEXT, how="letter")

    html = client.get(change_url(inquiry)).content.decode()

    assert "Text messages: withdrawn" in html


def test_the_csv_export_has_consent_per_channel(client, boss, inquiry):
    response = client.get(reverse("admin:inquiries_inquiry_export"))

    (row,) = csv_rows(response)
    assert (row["may email"], row["may call"], row["may text"]) == ("yes", "no", "yes")


def test_a_manager_records_a_withdrawal_with_how_and_when(client, boss, inquiry):
    form = client.get(withdraw_url(inquiry))
    assert form.status_code == 200
    # Only the channels that still have consent are offered.
    assert 'value="email"' in form.content.decode()
    assert 'value="phone"' not in form.content.decode()

    response = client.post(withdraw_url(inquiry), learned(channel="text", how="phone_call"))

    assert response.status_code == 302
    assert response["Location"] == change_url(inquiry)
    inquiry.refresh_from_db()
    assert not inquiry.may_text and inquiry.may_email
    entry = inquiry.activities.get(kind=ActivityKind.CONSENT)
    assert entry.author == boss
    assert entry.body.startswith("Text messages consent withdrawn. Learned by phone call, ")


def test_a_withdrawal_needs_how_and_a_time_not_in_the_future(client, boss, inquiry):
    future = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")

    response = client.post(withdraw_url(inquiry), {"channel": "email", "how": "", "when": future})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "how" in errors
    response = client.post(
        withdraw_url(inquiry), {"channel": "email", "how": "letter", "when": future}
    )
    assert response.context["form"].errors["when"] == [
        "This is in the future: enter when you learned it."
    ]
    inquiry.refresh_from_db()
    assert inquiry.may_email
    assert not inquiry.activities.filter(kind=ActivityKind.CONSENT).exists()


def test_with_nothing_left_to_withdraw_the_page_says_so(client, boss):
    inquiry = InquiryFactory(may_email=False, may_call=False, may_text=False)

    response = client.get(withdraw_url(inquiry))

    assert "no consent left to withdraw" in response.content.decode()
    assert (
        client.post(withdraw_url(inquiry), learned(channel="email", how="letter")).status_code
        == 200
    )
    assert not inquiry.activities.exists()


def test_a_representative_records_a_withdrawal_on_their_own_inquiry(client):
    rep = representative()
    inquiry = InquiryFactory(owner=rep)
    client.force_login(rep)

    response = client.post(withdraw_url(inquiry), learned(channel="email", how="in_person"))

    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert not inquiry.may_email
    assert inquiry.activities.get(kind=ActivityKind.CONSENT).author == rep


def test_a_representative_cannot_reach_another_representatives_inquiry(client):
    rep = representative()
    theirs = InquiryFactory(owner=representative())
    client.force_login(rep)

    assert client.get(withdraw_url(theirs)).status_code == 404
    assert (
        client.post(withdraw_url(theirs), learned(channel="email", how="letter")).status_code == 404
    )
    theirs.refresh_from_db()
    assert theirs.may_email


def test_a_content_editor_cannot_see_or_record_anything(client):
    client.force_login(content_editor())
    inquiry = InquiryFactory()  # unassigned, which a representative could take

    assert client.get(withdraw_url(inquiry)).status_code == 403
    assert (
        client.post(withdraw_url(inquiry), learned(channel="email", how="letter")).status_code
        == 403
    )
    inquiry.refresh_from_db()
    assert inquiry.may_email


def test_an_id_no_row_can_have_is_not_found(client, boss):
    url = reverse("admin:inquiries_inquiry_withdraw_consent", args=["99999999999999999999"])
    assert client.get(url).status_code == 404
