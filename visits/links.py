"""The signed links in every visit email to see, change or cancel a booking.

The token names the registration and nothing else (no email address in the link); it is
signed with a salt of its own, and honored until its event has ended (the event the booking
holds now, so moving the booking moves the expiry too), a year at most.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation

from visits.models import Registration

SALT = "visits.booking"
MAX_AGE = 60 * 60 * 24 * 366


class BookingLinkExpired(Exception):
    """The link was genuine, but its event is over (or it is older than MAX_AGE)."""


def booking_token(registration: Registration) -> str:
    return signing.dumps({"registration": registration.pk}, salt=SALT)


def read_booking_token(token: str) -> Registration:
    """The registration a link is for. Raises signing.BadSignature for a tampered or
    mangled link (and for one whose registration no longer exists), BookingLinkExpired for
    one that was genuine but is past its event."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired as expired:
        raise BookingLinkExpired from expired
    registration_id = payload.get("registration") if isinstance(payload, dict) else None
    registration = (
        Registration.objects.select_related("event__campus")
        .filter(pk=registration_id if isinstance(registration_id, int) else None)
        .first()
    )
    if registration is None:
        raise signing.BadSignature("No such registration.")
    if registration.event.ends_at <= timezone.now():
        raise BookingLinkExpired
    return registration


def booking_url(registration: Registration, *, name: str = "booking") -> str:
    """The absolute address of the booking's page ("booking") or its cancel page
    ("booking-cancel"), in the language the person registered in."""
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        path = reverse(f"visits:{name}", kwargs={"token": booking_token(registration)})
    return settings.SITE_URL.rstrip("/") + path


def absolute_event_url(registration: Registration) -> str:
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        path = registration.event.get_absolute_url()
    return settings.SITE_URL.rstrip("/") + path
