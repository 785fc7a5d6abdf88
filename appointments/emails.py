"""The emails about an appointment, written in the language it was booked in and queued in
the inquiries outbox (`inquiries.services.notifications`), as visits' emails are: a
Notification row in the transaction that made the change, sent by the task worker with
retries, withheld if the person has unsubscribed. The invitation travels as an attachment.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext

from appointments import calendar, links
from appointments.models import Booking, Mode, Slot
from inquiries.choices import Channel, NotificationKind
from inquiries.phones import national_format
from inquiries.selectors import staff_name
from inquiries.services import consent, notifications

# Each email: its notification kind, its template (templates/appointments/email/), and the
# invitation it carries.
BOOKED = (NotificationKind.APPOINTMENT_BOOKED, "booked", calendar.REQUEST)
MOVED = (NotificationKind.APPOINTMENT_BOOKED, "moved", calendar.REQUEST)
CANCELLED = (NotificationKind.APPOINTMENT_CANCELLED, "cancelled", calendar.CANCEL)
REMINDER = (NotificationKind.APPOINTMENT_REMINDER, "reminder", calendar.REQUEST)


def when(slot: Slot) -> str:
    """The slot's day and hours in its own time zone, with the zone's abbreviation, in the
    active language ("Tuesday, December 8, 2026, 10:00 a.m. to 10:30 a.m. EST")."""
    starts, ends = slot.local_start, slot.local_end
    return gettext("%(day)s, %(date)s, %(start)s to %(end)s %(zone)s") % {
        "day": date_format(starts, "l"),
        "date": date_format(starts, "DATE_FORMAT"),
        "start": time_format(starts, "TIME_FORMAT"),
        "end": time_format(ends, "TIME_FORMAT"),
        "zone": starts.strftime("%Z"),
    }


def how(slot: Slot) -> str:
    """How the appointment happens, in the words the prospect reads."""
    if slot.mode == Mode.CAMPUS:
        return gettext("On campus: %(place)s") % {
            "place": f"{slot.campus.name}, {slot.campus.one_line_address}"
        }
    if slot.mode == Mode.VIDEO:
        return gettext("Video call: %(link)s") % {"link": slot.video_url}
    return gettext("By phone: admissions will call you")


def queue_email(*, booking: Booking, email: tuple, previous: Slot | None = None) -> object | None:
    """Compose one of the emails above for this booking and put it in the outbox (inside
    the transaction that made the change). `previous` is the slot a moved booking left. None
    when there is no inquiry to file it under."""
    kind, template, method = email
    if booking.inquiry_id is None:
        return None
    slot = booking.slot
    with translation.override(booking.language or settings.LANGUAGE_CODE):
        manage_url = links.manage_url(booking)
        context = {
            "booking": booking,
            "first_name": booking.first_name,
            "when": when(slot),
            "how": how(slot),
            "phone": national_format(booking.phone) if booking.phone else "",
            "representative": staff_name(slot.representative),
            "manage_url": manage_url,
            "book_again_url": links.booking_url(booking.inquiry),
            "unsubscribe_url": consent.unsubscribe_url(
                inquiry_id=booking.inquiry_id, channel=Channel.EMAIL
            ),
            "previous_when": when(previous) if previous else "",
            "institution_name": settings.INSTITUTION_NAME,
        }
        subject = render_to_string(f"appointments/email/{template}_subject.txt", context)
        body = render_to_string(f"appointments/email/{template}.txt", context)
        invitation = calendar.invitation(
            booking=booking,
            method=method,
            summary=gettext("Admissions appointment, %(institution)s")
            % {"institution": settings.INSTITUTION_NAME},
            manage_url=manage_url,
        )
    return notifications.queue_notification(
        inquiry=booking.inquiry,
        kind=kind,
        recipient=booking.email,
        subject=" ".join(subject.split()),
        body=body,
        calendar=invitation,
    )
