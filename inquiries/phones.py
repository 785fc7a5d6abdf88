"""Phone numbers as staff read and dial them: stored as E.164 (+14075550123), shown in the
national format ((407) 555-0123) with a tel: link."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

DEFAULT_REGION = "US"
# A North American number as phonenumbers formats it in the national style: "(407) 555-0123"
# for every +1 number whose area code starts with 2-9 (the others it leaves unformatted).
NANP = re.compile(r"\+1([2-9][0-9]{2})([0-9]{3})([0-9]{4})")
INVALID_PHONE = _("Enter a phone number with its area code, for example (407) 555-0123.")


def normalise_phone(raw: str) -> str:
    """E.164 for a number typed any way ("407.555.0123", "(407) 555-0123"); "" for blank.

    Raises ValidationError for what is not a valid number, as the request-info form does.
    """
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national_format(e164: str) -> str:
    """(407) 555-0123 for a US number, +44 20 7946 0958 for another; as stored otherwise."""
    if not e164:
        return ""
    # The list shows fifty of these per page: the common case without parsing.
    if nanp := NANP.fullmatch(e164):
        return "({}) {}-{}".format(*nanp.groups())
    try:
        number = phonenumbers.parse(e164, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == phonenumbers.country_code_for_region(DEFAULT_REGION):
        style = phonenumbers.PhoneNumberFormat.NATIONAL
    else:
        style = phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)


def phone_link(e164: str, *, empty: str = "–") -> str:
    """A tel: link reading in the national format (safe HTML)."""
    if not e164:
        return empty
    return format_html(
        '<a class="nowrap" href="tel:{}">{}</a>', e164.replace(" ", ""), national_format(e164)
    )


def email_link(address: str, *, empty: str = "–") -> str:
    """A mailto: link (safe HTML)."""
    if not address:
        return empty
    return format_html('<a href="mailto:{}">{}</a>', address, address)
