"""services.consent: withdrawing consent per channel, and the signed unsubscribe token."""

import datetime
import time
from unittest import mock

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from inquiries.models import Activity, ActivityKind, Channel, Inquiry
from inquiries.services import consent
from tests.factories import InquiryFactory
from tests.inquiries.staff import representative

pytestmark = pytest.mark.django_db


def consent_entries(inquiry):
    return list(Activity.objects.filter(inquiry=inquiry, kind=ActivityKind.CONSENT))


def test_staff_withdrawal_clears_the_channel_and_writes_who_how_and_when():
    inquiry = InquiryFactory(may_call=True, may_text=True)
    rep = representative(first_name="Ana", last_name="Rivera")
    when = timezone.make_aware(datetime.datetime(2026, 1, 15, 14, 30))

    changed = consent.withdraw_consent(
        inquiry=inquiry,
        channel=Channel.PHONE,
        how=consent.HowLearned.PHONE_CALL,
        when=when,
        by=rep,
    )

    assert changed is True
    inquiry.refresh_from_db()
    assert (inquiry.may_email, inquiry.may_call, inquiry.may_text) == (True, False, True)
    (entry,) = consent_entries(inquiry)
    assert entry.author == rep
    assert entry.body == (
        "Phone calls consent withdrawn. Learned by phone call, Jan 15, 2026, 2:30 PM."
    )


def test_withdrawing_what_is_already_withdrawn_changes_nothing():
    inquiry = InquiryFactory(may_email=False)
    assert not consent.withdraw_consent(
        inquiry=inquiry, channel=Channel.EMAIL, how=consent.HowLearned.LETTER
    )
    assert consent_entries(inquiry) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channel": "fax"}, "channel"),
        ({"how": "telepathy"}, "how"),
        ({"when": timezone.now() + datetime.timedelta(days=1)}, "when"),
    ],
)
def test_a_withdrawal_with_a_bad_channel_how_or_future_time_is_refused(changes, field):
    inquiry = InquiryFactory()
    arguments = {"channel": Channel.EMAIL, "how": consent.HowLearned.IN_PERSON, **changes}
    with pytest.raises(ValidationError) as refused:
        consent.withdraw_consent(inquiry=inquiry, **arguments)
    assert field in refused.value.message_dict
    inquiry.refresh_from_db()
    assert inquiry.may_email
    assert consent_entries(inquiry) == []


def test_an_unsubscribe_token_reads_back_its_inquiry_and_channel():
    token = consent.unsubscribe_token(inquiry_id=42, channel=Channel.EMAIL)
    assert consent.read_unsubscribe_token(token) == (42, "email")


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token.replace("42.", "43.", 1),
        lambda token: token.replace(".email", ".phone", 1),
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "42.email",
        lambda token: "",
    ],
)
def test_a_tampered_token_is_refused(tamper):
    token = consent.unsubscribe_token(inquiry_id=42, channel=Channel.EMAIL)
    with pytest.raises(signing.BadSignature):
        consent.read_unsubscribe_token(tamper(token))


def test_a_token_signed_for_something_else_is_refused():
    # The same secret key with another salt (the thank-you cookie, say) is not a token.
    forged = signing.TimestampSigner(salt="inquiries.thanks").sign("42.email")
    with pytest.raises(signing.BadSignature):
        consent.read_unsubscribe_token(forged)


def test_a_token_older_than_its_max_age_has_expired():
    long_ago = time.time() - consent.UNSUBSCRIBE_MAX_AGE - 60
    with mock.patch("django.core.signing.time.time", return_value=long_ago):
        token = consent.unsubscribe_token(inquiry_id=42)
    with pytest.raises(signing.SignatureExpired):
        consent.read_unsubscribe_token(token)


def test_the_unsubscribe_url_is_absolute_on_the_site_url(settings):
    settings.SITE_URL = "https://portal.example.edu/"
    url = consent.unsubscribe_url(inquiry_id=7)
    assert url.startswith("https://portal.example.edu/request-info/unsubscribe/7.email:")
    assert url.endswith("/")


def test_unsubscribing_stops_email_on_every_inquiry_of_the_same_address():
    inquiry = InquiryFactory(email="maria@example.com")
    closed_earlier = InquiryFactory(email="MARIA@example.com")
    stranger = InquiryFactory(email="someone@example.com")

    assert consent.unsubscribe(inquiry=inquiry, channel=Channel.EMAIL) == 2
    assert consent.unsubscribe(inquiry=inquiry, channel=Channel.EMAIL) == 0

    assert set(Inquiry.objects.filter(may_email=False)) == {inquiry, closed_earlier}
    (entry,) = consent_entries(inquiry)
    assert entry.author is None
    assert "withdrawn by the prospect with the unsubscribe link" in entry.body
    assert stranger.activities.count() == 0
