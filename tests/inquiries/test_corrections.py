"""services.corrections: staff correct a mistyped email or phone, on the timeline."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inquiries.models import Activity
from inquiries.services.corrections import correct_contact_details
from tests.factories import InquiryFactory
from tests.inquiries.staff import manager, representative

pytestmark = pytest.mark.django_db


def test_an_email_correction_is_on_the_timeline_with_old_and_new():
    rep = representative()
    inquiry = InquiryFactory(owner=rep, email="ana@gmial.com")

    changes = correct_contact_details(inquiry=inquiry, email=" ana@gmail.com ", by=rep)

    inquiry.refresh_from_db()
    assert inquiry.email == "ana@gmail.com"
    assert changes == ["Email corrected from ana@gmial.com to ana@gmail.com"]
    entry = Activity.objects.get(inquiry=inquiry)
    assert (entry.body, entry.author) == (changes[0], rep)


@pytest.mark.parametrize("typed", ["(407) 555-0199", "407.555.0199", "+1 407 555 0199"])
def test_a_phone_is_stored_as_e164_however_it_is_typed(typed):
    boss = manager()
    inquiry = InquiryFactory(phone="")

    correct_contact_details(inquiry=inquiry, phone=typed, by=boss)

    inquiry.refresh_from_db()
    assert inquiry.phone == "+14075550199"


def test_an_invalid_email_and_phone_are_refused_together_and_nothing_is_written():
    boss = manager()
    inquiry = InquiryFactory(email="ana@example.com", phone="+14075550123")

    with pytest.raises(ValidationError) as refused:
        correct_contact_details(inquiry=inquiry, email="ana@", phone="555", by=boss)

    assert set(refused.value.message_dict) == {"email", "phone"}
    inquiry.refresh_from_db()
    assert (inquiry.email, inquiry.phone) == ("ana@example.com", "+14075550123")
    assert not Activity.objects.filter(inquiry=inquiry).exists()


def test_an_email_another_open_inquiry_has_is_refused_merge_instead():
    boss = manager()
    other = InquiryFactory(email="ana@example.com")
    inquiry = InquiryFactory(email="ana@exmaple.com")

    with pytest.raises(ValidationError) as refused:
        correct_contact_details(inquiry=inquiry, email="ANA@example.com", by=boss)

    assert f"Inquiry {other.pk} already has this email address" in str(refused.value)


def test_the_same_details_write_nothing():
    boss = manager()
    inquiry = InquiryFactory(email="ana@example.com", phone="+14075550123")

    assert (
        correct_contact_details(
            inquiry=inquiry, email="ana@example.com", phone="(407) 555-0123", by=boss
        )
        == []
    )
    assert not Activity.objects.filter(inquiry=inquiry).exists()


def test_a_representative_may_not_correct_a_colleague_s_inquiry():
    rep = representative()
    inquiry = InquiryFactory(owner=representative(), email="ana@example.com")

    with pytest.raises(PermissionDenied):
        correct_contact_details(inquiry=inquiry, email="new@example.com", by=rep)
