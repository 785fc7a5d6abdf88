"""The emails about a visit registration, written in the language the person registered in
and queued in the inquiries outbox (`inquiries.services.notifications`): each is a
Notification row in the same transaction as the change it tells of, sent by the task worker
with retries, withheld if the person has unsubscribed. An invitation, when there is one,
travels with the email as an iCalendar attachment.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext

from inquiries.choices import Channel, NotificationKind
from inquiries.services import consent, notifications
from visits import invitations, links
from visits.models import Event, Registration

# Each email: its notification kind, its template (templates/visits/email/), and the
# invitation it carries (None: none).
CONFIRMED = (NotificationKind.VISIT_CONFIRMATION, "confirmed", invitations.REQUEST)
UPDATED = (NotificationKind.VISIT_CONFIRMATION, "updated", invitations.REQUEST)
WAITLISTED = (NotificationKind.VISIT_WAITLISTED, "waitlisted", None)
PROMOTED = (NotificationKind.VISIT_PROMOTED, "promoted", invitations.REQUEST)
REMINDER = (NotificationKind.VISIT_REMINDER, "reminder", None)
CANCELLED = (NotificationKind.VISIT_CANCELLED, "cancelled", invitations.CANCEL)
EVENT_CANCELLED = (NotificationKind.VISIT_CANCELLED, "event_cancelled", invitations.CANCEL)
# Someone on the waitlist never had an invitation, so there is none to take back.
CANCELLED_WAITING = (NotificationKind.VISIT_CANCELLED, "cancelled", None)
EVENT_CANCELLED_WAITING = (NotificationKind.VISIT_CANCELLED, "event_cancelled", None)


def when(event: Event) -> str:
    """The event's day and hours in its own time zone, with the zone's abbreviation
    ("Tuesday, Dec. 8, 2026, 6 p.m. to 7:30 p.m. EST"), in the active language."""
    starts, ends = event.local_starts_at, event.local_ends_at
    return gettext("%(day)s, %(date)s, %(start)s to %(end)s %(zone)s") % {
        "day": date_format(starts, "l"),
        "date": date_format(starts, "DATE_FORMAT"),
        "start": time_format(starts, "TIME_FORMAT"),
        "end": time_format(ends, "TIME_FORMAT"),
        "zone": starts.strftime("%Z"),
    }


def where(event: Event) -> str:
    if event.is_online:
        return gettext("Online, on video")
    return f"{event.campus.name}, {event.campus.one_line_address}"


def queue_email(*, registration: Registration, email: tuple, **extra) -> object | None:
    """Compose one of the emails above for this registration and put it in the outbox.

    Call inside the transaction that made the change. Returns the Notification, or None
    when the registration has no inquiry to file it under (erased on request)."""
    kind, template, method = email
    if registration.inquiry_id is None:
        return None
    event = registration.event
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        event_url = links.absolute_event_url(registration)
        context = {
            "registration": registration,
            "event": event,
            "first_name": registration.first_name,
            "title": event.title,
            "when": when(event),
            "where": where(event),
            "event_url": event_url,
            "visits_url": settings.SITE_URL.rstrip("/") + reverse("visits:event-list"),
            "booking_url": links.booking_url(registration),
            "cancel_url": links.booking_url(registration, name="booking-cancel"),
            "unsubscribe_url": consent.unsubscribe_url(
                inquiry_id=registration.inquiry_id, channel=Channel.EMAIL
            ),
            "institution_name": settings.INSTITUTION_NAME,
            "admissions_email": settings.ADMISSIONS_EMAIL,
            **extra,
        }
        subject = " ".join(
            render_to_string(f"visits/email/{template}_subject.txt", context).split()
        )
        body = render_to_string(f"visits/email/{template}.txt", context)
        calendar = (
            invitations.invitation(registration=registration, method=method, event_url=event_url)
            if method
            else ""
        )
    return notifications.queue_notification(
        inquiry=registration.inquiry,
        kind=kind,
        recipient=registration.email,
        subject=subject,
        body=body,
        calendar=calendar,
    )
