"""The unsubscribe page: GET asks, POST (the button or a mail program's one-click request)
withdraws; an expired, tampered or orphaned link changes nothing and says why."""

import time
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from inquiries.models import ActivityKind, Channel
from inquiries.services import consent
from tests.factories import InquiryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def inquiry():
    return InquiryFactory(email="maria.lopez@example.com")


def url_for(inquiry, channel=Channel.EMAIL):
    token = consent.unsubscribe_token(inquiry_id=inquiry.pk, channel=channel)
    return reverse("inquiries:unsubscribe", args=[token])


def test_opening_the_link_asks_first_and_changes_nothing(client, inquiry):
    response = client.get(url_for(inquiry))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Stop emails from us?" in html
    assert "m•••@example.com" in html
    assert "maria.lopez@example.com" not in html
    assert '<button class="btn btn-primary btn-lg" type="submit">Unsubscribe</button>' in html
    assert 'name="robots" content="noindex"' in html
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    inquiry.refresh_from_db()
    assert inquiry.may_email
    assert not inquiry.activities.filter(kind=ActivityKind.CONSENT).exists()


def test_the_button_withdraws_email_consent_without_a_csrf_token(inquiry):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url_for(inquiry), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    inquiry.refresh_from_db()
    assert not inquiry.may_email
    assert inquiry.activities.filter(kind=ActivityKind.CONSENT).count() == 1


def test_a_one_click_post_from_a_mail_program_answers_200(inquiry):
    # RFC 8058: the mail program POSTs this exact body, with no cookies and no token.
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        url_for(inquiry),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    inquiry.refresh_from_db()
    assert not inquiry.may_email


def test_posting_twice_records_the_withdrawal_once(client, inquiry):
    client.post(url_for(inquiry))
    second = client.post(url_for(inquiry))

    assert second.status_code == 200
    assert inquiry.activities.filter(kind=ActivityKind.CONSENT).count() == 1


def test_after_unsubscribing_the_link_says_so(client, inquiry):
    client.post(url_for(inquiry))
    response = client.get(url_for(inquiry))

    assert "You had already asked us to stop" in response.content.decode()
    assert "<form" not in response.content.decode().split("<main", 1)[-1].split("</main>")[0]


def test_a_tampered_link_gets_a_clear_page_and_changes_nothing(client, inquiry):
    other = InquiryFactory()
    token = consent.unsubscribe_token(inquiry_id=other.pk)
    tampered = token.replace(f"{other.pk}.", f"{inquiry.pk}.", 1)

    for method in (client.get, client.post):
        response = method(reverse("inquiries:unsubscribe", args=[tampered]))
        assert response.status_code == 400
        html = response.content.decode()
        assert "This unsubscribe link does not work" in html
        assert "Nothing has been changed" in html
        assert "<nav" in html  # the site's own layout
    inquiry.refresh_from_db()
    other.refresh_from_db()
    assert inquiry.may_email and other.may_email


def test_a_made_up_link_gets_the_same_page(client):
    response = client.post(reverse("inquiries:unsubscribe", args=["hello"]))
    assert response.status_code == 400
    assert "This unsubscribe link does not work" in response.content.decode()


def test_an_expired_link_gets_a_clear_page_and_changes_nothing(client, inquiry):
    long_ago = time.time() - consent.UNSUBSCRIBE_MAX_AGE - 60
    with mock.patch("django.core.signing.time.time", return_value=long_ago):
        url = url_for(inquiry)

    response = client.post(url)

    assert response.status_code == 400
    assert "This unsubscribe link has expired" in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.may_email


def test_a_link_to_an_erased_inquiry_says_nothing_is_held(client, inquiry):
    url = url_for(inquiry)
    inquiry.delete()

    response = client.post(url)

    assert response.status_code == 404
    assert "We no longer hold this request" in response.content.decode()


def test_other_methods_are_not_allowed(client, inquiry):
    assert client.put(url_for(inquiry)).status_code == 405
