"""The iCalendar (RFC 5545) invitation an appointment email carries (the `icalendar`
package, as visits' invitations).

A booking and the bookings it is moved to are one calendar entry: the UID
(`Booking.calendar_uid`) is carried over when it is rescheduled and the SEQUENCE goes up, so a
calendar program moves the entry it holds; METHOD:CANCEL takes it off. Times carry the slot's
own time zone (TZID) with its VTIMEZONE definition.
"""

import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

from appointments.models import Booking, Mode

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def uid(booking: Booking) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"appointment-{booking.calendar_uid}@{domain}"


def location(slot) -> str:
    if slot.mode == Mode.CAMPUS:
        return f"{slot.campus.name}, {slot.campus.one_line_address}"
    if slot.mode == Mode.VIDEO:
        return slot.video_url
    return "By phone"


def invitation(*, booking: Booking, method: str, summary: str, manage_url: str) -> str:
    """The .ics text of the booking's calendar entry: REQUEST adds or moves it, CANCEL
    removes it."""
    slot = booking.slot
    entry = icalendar.Event()
    entry.add("uid", uid(booking))
    entry.add("sequence", booking.calendar_sequence)
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", slot.local_start)
    entry.add("dtend", slot.local_end)
    entry.add("summary", summary)
    entry.add("description", manage_url)
    entry.add("location", location(slot))
    entry.add("url", manage_url)
    entry.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    organizer = icalendar.vCalAddress(f"mailto:{settings.ADMISSIONS_EMAIL}")
    organizer.params["cn"] = icalendar.vText(f"{settings.INSTITUTION_NAME} Admissions")
    entry.add("organizer", organizer)
    attendee = icalendar.vCalAddress(f"mailto:{booking.email}")
    attendee.params["cn"] = icalendar.vText(str(booking))
    attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = icalendar.vText("ACCEPTED")
    entry.add("attendee", attendee)

    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.INSTITUTION_NAME}//Appointments//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(entry)
    year = datetime.timedelta(days=366)
    calendar.add_missing_timezones(
        first_date=(slot.local_start - year).date(), last_date=(slot.local_end + year).date()
    )
    return calendar.to_ical().decode()
