"""The iCalendar (RFC 5545) invitation an appointment email carries (built by visits'
`invitations.calendar_text`, with the `icalendar` package).

A booking and the bookings it is moved to are one calendar entry: the UID
(`Booking.calendar_uid`) is carried over when it is rescheduled and the SEQUENCE goes up, so a
calendar program moves the entry it holds; METHOD:CANCEL takes it off. Times carry the slot's
own time zone (TZID) with its VTIMEZONE definition.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext

from appointments.models import Booking, Mode
from visits import invitations

REQUEST = invitations.REQUEST
CANCEL = invitations.CANCEL


def uid(booking: Booking) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"appointment-{booking.calendar_uid}@{domain}"


def location(slot) -> str:
    if slot.mode == Mode.CAMPUS:
        return f"{slot.campus.name}, {slot.campus.one_line_address}"
    if slot.mode == Mode.VIDEO:
        return slot.video_url
    return gettext("By phone")


def invitation(*, booking: Booking, method: str, summary: str, manage_url: str) -> str:
    """The .ics text of the booking's calendar entry: REQUEST adds or moves it, CANCEL
    removes it."""
    slot = booking.slot
    return invitations.calendar_text(
        method=method,
        product="Appointments",
        uid=uid(booking),
        sequence=booking.calendar_sequence,
        starts=slot.local_start,
        ends=slot.local_end,
        summary=summary,
        description=manage_url,
        location=location(slot),
        url=manage_url,
        attendee_email=booking.email,
        attendee_name=str(booking),
    )
