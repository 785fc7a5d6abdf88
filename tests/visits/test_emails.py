"""The emails a registration sends, through the inquiries outbox, with their invitations."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.core import mail

from inquiries.models import Inquiry, Notification, NotificationKind, NotificationStatus
from inquiries.services import delivery
from inquiries.spam import SpamCheck
from tests.factories import CampusFactory
from tests.visits.factories import EventFactory
from visits import services
from visits.models import RegistrationStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def register(event, email="maria@example.com", guests=0, **kwargs):
    return services.register(
        event=event,
        first_name="Maria",
        last_name="Lopez",
        email=email,
        guests=guests,
        consent=True,
        **kwargs,
    )


def visit_emails(kind=None):
    kinds = [kind] if kind else [k for k in NotificationKind.values if k.startswith("visit_")]
    return list(Notification.objects.filter(kind__in=kinds).order_by("id"))


def the_calendar(notification):
    calendar = icalendar.Calendar.from_ical(notification.calendar)
    (entry,) = calendar.walk("VEVENT")
    return calendar, entry


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def winter_event(**kwargs):
    starts = datetime.datetime(2030, 1, 15, 18, 0, tzinfo=NEW_YORK)
    return EventFactory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=1.5), **kwargs)


def test_the_confirmation_carries_an_invitation_in_the_campus_time_zone(
    django_capture_on_commit_callbacks,
):
    event = winter_event(campus=CampusFactory(time_zone="America/Chicago"))
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event, guests=1)

    (notification,) = visit_emails(NotificationKind.VISIT_CONFIRMATION)
    calendar, entry = the_calendar(notification)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(entry["UID"]).startswith(f"visit-registration-{registration.pk}@")
    assert entry["SEQUENCE"] == 0
    assert "TZID=America/Chicago" in notification.calendar
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Chicago"]
    # 6 p.m. in New York is 5 p.m. in Chicago: the time is the same moment, in the campus's zone.
    assert entry.decoded("DTSTART") == datetime.datetime(
        2030, 1, 15, 17, 0, tzinfo=zoneinfo.ZoneInfo("America/Chicago")
    )
    assert entry.decoded("DTEND") - entry.decoded("DTSTART") == datetime.timedelta(hours=1.5)
    assert str(entry["LOCATION"]) == f"{event.campus.name}, {event.campus.one_line_address}"
    assert str(entry["URL"]).endswith(event.get_absolute_url())
    assert str(entry["ORGANIZER"]) == "mailto:admissions@ftc.example"
    assert "5 p.m. to 6:30 p.m. CST" in notification.body

    (message,) = sent_to("maria@example.com")[-1:]
    assert message.subject == f"You are registered: {event.title}"
    assert "/visit/booking/" in message.body and "/cancel/" in message.body
    assert "unsubscribe" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    raw = message.message().as_string()
    assert 'Content-Type: text/calendar; charset="utf-8"; method="REQUEST"' in raw
    assert "invitation.ics" in raw


def test_an_online_session_is_in_the_colleges_zone_with_the_link_as_its_location():
    event = winter_event(campus=None, online_url="https://meet.example.com/ftc")
    register(event)
    (notification,) = visit_emails(NotificationKind.VISIT_CONFIRMATION)
    _, entry = the_calendar(notification)
    assert str(entry["LOCATION"]) == "https://meet.example.com/ftc"
    assert "TZID=America/New_York" in notification.calendar
    assert "6 p.m. to 7:30 p.m. EST" in notification.body
    assert "https://meet.example.com/ftc" in notification.body


def test_summer_times_say_edt():
    starts = datetime.datetime(2030, 7, 9, 10, 0, tzinfo=NEW_YORK)
    register(EventFactory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=1)))
    (notification,) = visit_emails(NotificationKind.VISIT_CONFIRMATION)
    assert "10 a.m. to 11 a.m. EDT" in notification.body


def test_a_waitlisted_person_is_told_without_an_invitation():
    event = EventFactory(capacity=1)
    register(event, email="first@example.com")
    register(event, email="second@example.com")
    (notification,) = visit_emails(NotificationKind.VISIT_WAITLISTED)
    assert notification.recipient == "second@example.com"
    assert notification.calendar == ""
    assert "waitlist" in notification.subject


def test_registering_again_sends_an_updated_invitation_with_the_same_uid_and_a_higher_sequence():
    event = EventFactory(capacity=10)
    register(event, guests=0)
    register(event, guests=2)
    first, second = visit_emails(NotificationKind.VISIT_CONFIRMATION)
    assert the_calendar(first)[1]["UID"] == the_calendar(second)[1]["UID"]
    assert (the_calendar(first)[1]["SEQUENCE"], the_calendar(second)[1]["SEQUENCE"]) == (0, 1)
    assert "Seats: 3" in second.body


def test_a_cancellation_takes_the_entry_off_the_calendar_and_the_promoted_person_gets_theirs():
    event = EventFactory(capacity=1)
    leaving = register(event, email="first@example.com")
    waiting = register(event, email="second@example.com")
    services.cancel(registration=leaving)

    (cancelled,) = visit_emails(NotificationKind.VISIT_CANCELLED)
    calendar, entry = the_calendar(cancelled)
    assert cancelled.recipient == "first@example.com"
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(entry["UID"]).startswith(f"visit-registration-{leaving.pk}@")
    assert entry["SEQUENCE"] == 1
    assert str(entry["STATUS"]) == "CANCELLED"

    (promoted,) = visit_emails(NotificationKind.VISIT_PROMOTED)
    assert promoted.recipient == "second@example.com"
    assert str(the_calendar(promoted)[0]["METHOD"]) == "REQUEST"
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_a_cancelled_event_emails_everyone_registered():
    event = EventFactory(capacity=1)
    register(event, email="seat@example.com")
    register(event, email="waiting@example.com")
    services.cancel_event(event=event)

    notifications = visit_emails(NotificationKind.VISIT_CANCELLED)
    by_recipient = {n.recipient: n for n in notifications}
    assert set(by_recipient) == {"seat@example.com", "waiting@example.com"}
    assert "METHOD:CANCEL" in by_recipient["seat@example.com"].calendar
    # The waiting person never had an invitation, so none is taken back.
    assert by_recipient["waiting@example.com"].calendar == ""
    assert "Cancelled by the college" in by_recipient["waiting@example.com"].subject


def test_spam_held_registrations_are_sent_nothing():
    register(EventFactory(), spam=SpamCheck(signals=("honeypot",)))
    assert visit_emails() == []


def test_mail_down_loses_nothing_the_email_stays_owed(settings, django_capture_on_commit_callbacks):
    working = settings.MAILERS
    settings.MAILERS = {"default": {"BACKEND": "tests.visits.test_emails.BrokenBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(EventFactory())
    settings.MAILERS = working
    assert registration.status == RegistrationStatus.CONFIRMED
    (notification,) = visit_emails(NotificationKind.VISIT_CONFIRMATION)
    assert notification.status == NotificationStatus.PENDING
    assert notification.attempts == 1 and "down" in notification.last_error
    # Once mail is back, the retry sends it, invitation and all.
    outcome, _ = delivery.deliver_notification(notification_id=notification.pk)
    assert outcome == "sent"
    assert "text/calendar" in sent_to("maria@example.com")[-1].message().as_string()


def test_an_unsubscribed_person_gets_no_visit_email(django_capture_on_commit_callbacks):
    event = EventFactory()
    register(event)
    Inquiry.objects.update(may_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        register(event, guests=1)
    latest = visit_emails(NotificationKind.VISIT_CONFIRMATION)[-1]
    assert latest.status == NotificationStatus.WITHHELD


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_emails_go_in_the_language_the_person_registered_in():
    event = winter_event(title_en="Evening session", title_es="Sesión de la tarde")
    register(event, language="es")
    (notification,) = visit_emails(NotificationKind.VISIT_CONFIRMATION)
    assert notification.subject == "Estás inscrito: Sesión de la tarde"
    assert notification.body.startswith("Hola, Maria:")
    assert "martes, 15 de enero de 2030, de 18:00 a 19:30 EST" in notification.body
    assert "/es/visitas/inscripcion/" in notification.body
    assert "SUMMARY:Sesión de la tarde" in notification.calendar
