"""The iCalendar (RFC 5545) invitation an email carries, built with the `icalendar` package.

One registration is one calendar entry: its UID never changes, and its SEQUENCE
(`Registration.invitation_sequence`) goes up with every change, so a calendar program
updates (or, with METHOD:CANCEL, removes) the entry it already holds instead of adding
another. Times carry the event's own time zone (TZID), with its VTIMEZONE definition.
"""

import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

from visits.models import Registration

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def uid(registration: Registration) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"visit-registration-{registration.pk}@{domain}"


def event_location(event) -> str:
    if event.is_online:
        return event.online_url
    return f"{event.campus.name}, {event.campus.one_line_address}"


def invitation(*, registration: Registration, method: str, event_url: str) -> str:
    """The .ics text of this registration's calendar entry: METHOD:REQUEST to add or update
    it, METHOD:CANCEL to take it off the calendar."""
    event = registration.event
    return calendar_text(
        method=method,
        product="Visits",
        uid=uid(registration),
        sequence=registration.invitation_sequence,
        starts=event.local_starts_at,
        ends=event.local_ends_at,
        summary=event.title,
        description=f"{event.description}\n\n{event_url}" if event.description else "",
        location=event_location(event),
        url=event_url,
        attendee_email=registration.email,
        attendee_name=str(registration),
    )


def calendar_text(
    *,
    method: str,
    product: str,
    uid: str,
    sequence: int,
    starts: datetime.datetime,
    ends: datetime.datetime,
    summary: str,
    description: str,
    location: str,
    url: str,
    attendee_email: str,
    attendee_name: str,
) -> str:
    """One calendar entry with the admissions office as organizer and the person as the
    attendee, in the time zone `starts` and `ends` carry (its VTIMEZONE included)."""
    entry = icalendar.Event()
    entry.add("uid", uid)
    entry.add("sequence", sequence)
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", starts)
    entry.add("dtend", ends)
    entry.add("summary", summary)
    if description:
        entry.add("description", description)
    entry.add("location", location)
    entry.add("url", url)
    entry.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    organizer = icalendar.vCalAddress(f"mailto:{settings.ADMISSIONS_EMAIL}")
    organizer.params["cn"] = icalendar.vText(f"{settings.INSTITUTION_NAME} Admissions")
    entry.add("organizer", organizer)
    attendee = icalendar.vCalAddress(f"mailto:{attendee_email}")
    attendee.params["cn"] = icalendar.vText(attendee_name)
    attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = icalendar.vText("ACCEPTED")
    entry.add("attendee", attendee)

    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.INSTITUTION_NAME}//{product}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(entry)
    year = datetime.timedelta(days=366)
    calendar.add_missing_timezones(
        first_date=(starts - year).date(), last_date=(ends + year).date()
    )
    return calendar.to_ical().decode()
