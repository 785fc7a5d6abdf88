"""Signed links: one to manage a booking (see, cancel, move it), one to book a time as a
known inquiry (the form prefilled, the booking joined to that inquiry).

Each token names one row and nothing else (no email address in the link), signed with a salt
of its own. A manage link is honored until its appointment has started; a booking link for
BOOKING_LINK_DAYS.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation

from appointments.models import Booking
from inquiries.models import Inquiry

MANAGE_SALT = "appointments.manage"
BOOK_SALT = "appointments.book"
MANAGE_MAX_AGE = 60 * 60 * 24 * 366
BOOKING_LINK_DAYS = 30


class LinkExpired(Exception):
    """The link was genuine but is too old, or its appointment has already started."""


def _read(token: str, *, salt: str, max_age: int, key: str) -> int:
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as expired:
        raise LinkExpired from expired
    value = payload.get(key) if isinstance(payload, dict) else None
    if not isinstance(value, int):
        raise signing.BadSignature("No id in the link.")
    return value


def manage_token(booking: Booking) -> str:
    return signing.dumps({"booking": booking.pk}, salt=MANAGE_SALT)


def read_manage_token(token: str) -> Booking:
    """The booking a manage link is for; raises signing.BadSignature (tampered, or no such
    booking) or LinkExpired (its appointment has started)."""
    pk = _read(token, salt=MANAGE_SALT, max_age=MANAGE_MAX_AGE, key="booking")
    booking = (
        Booking.objects.select_related("slot__campus", "slot__representative", "inquiry")
        .filter(pk=pk)
        .first()
    )
    if booking is None:
        raise signing.BadSignature("No such booking.")
    if booking.slot.starts_at <= timezone.now():
        raise LinkExpired
    return booking


def book_token(inquiry: Inquiry) -> str:
    return signing.dumps({"inquiry": inquiry.pk}, salt=BOOK_SALT)


def read_book_token(token: str) -> Inquiry:
    """The open inquiry a booking link is for; raises signing.BadSignature or LinkExpired
    (older than BOOKING_LINK_DAYS, or the inquiry is no longer open)."""
    pk = _read(token, salt=BOOK_SALT, max_age=BOOKING_LINK_DAYS * 24 * 60 * 60, key="inquiry")
    inquiry = Inquiry.objects.select_related("program").filter(pk=pk).first()
    if inquiry is None:
        raise signing.BadSignature("No such inquiry.")
    if not inquiry.is_open:
        raise LinkExpired
    return inquiry


def _path(name: str, token: str, language: str) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        return reverse(f"appointments:{name}", kwargs={"token": token})


def manage_path(booking: Booking) -> str:
    return _path("manage", manage_token(booking), booking.language)


def booking_path(inquiry: Inquiry) -> str:
    return _path("book-as", book_token(inquiry), inquiry.language)


def manage_url(booking: Booking) -> str:
    """The absolute link an email carries to see, move or cancel the booking."""
    return settings.SITE_URL.rstrip("/") + manage_path(booking)


def booking_url(inquiry: Inquiry) -> str:
    """The link to send a prospect so they book a call as themselves (their inquiry)."""
    return settings.SITE_URL.rstrip("/") + booking_path(inquiry)
