"""Staff type and read an event's times on its campus's clock."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from inquiries.models import Notification, NotificationKind
from tests.factories import CampusFactory, InquiryFactory
from tests.inquiries.staff import manager
from tests.visits.factories import EventFactory, RegistrationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def change_data(event, **times):
    data = {
        "kind": event.kind,
        "title_en": event.title,
        "description_en": event.description,
        "campus": event.campus_id or "",
        "online_url": event.online_url,
        "capacity": event.capacity,
        "is_published": "on",
        "registration_closes_at_0": "",
        "registration_closes_at_1": "",
        "registrations-TOTAL_FORMS": 0,
        "registrations-INITIAL_FORMS": 0,
        "registrations-MIN_NUM_FORMS": 0,
        "registrations-MAX_NUM_FORMS": 1000,
    }
    data.update(times)
    return data


def test_the_change_form_shows_and_takes_times_in_the_campus_zone(client):
    client.force_login(manager())
    starts = datetime.datetime(2030, 1, 15, 17, 0, tzinfo=CHICAGO)
    event = EventFactory(
        campus=CampusFactory(time_zone="America/Chicago"),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
    )
    url = reverse("admin:visits_event_change", args=[event.pk])
    page = client.get(url).content.decode()
    assert 'value="17:00:00"' in page  # 5 p.m. in Chicago, not 6 p.m. in New York
    assert "America/Chicago" in page  # the help text names the zone

    response = client.post(
        url,
        change_data(
            event,
            starts_at_0="2030-01-15",
            starts_at_1="18:00:00",
            ends_at_0="2030-01-15",
            ends_at_1="19:00:00",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    event.refresh_from_db()
    assert event.starts_at == datetime.datetime(2030, 1, 15, 18, 0, tzinfo=CHICAGO)


def test_the_event_list_shows_the_campus_clock_with_its_zone(client):
    client.force_login(manager())
    starts = datetime.datetime(2030, 7, 9, 10, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    EventFactory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=1))
    page = client.get(reverse("admin:visits_event_changelist")).content.decode()
    assert "Jul 9, 2030, 10:00 AM EDT" in page


def test_moving_an_event_in_the_admin_emails_everyone_confirmed_the_new_time(client):
    client.force_login(manager())
    starts = datetime.datetime(2030, 1, 15, 18, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    event = EventFactory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=1))
    RegistrationFactory(event=event, inquiry=InquiryFactory(email="ana@example.com"))
    response = client.post(
        reverse("admin:visits_event_change", args=[event.pk]),
        change_data(
            event,
            starts_at_0="2030-01-16",
            starts_at_1="18:00:00",
            ends_at_0="2030-01-16",
            ends_at_1="19:00:00",
        ),
        follow=True,
    )
    assert "Emailed 1 registered person the new time" in response.content.decode()
    (updated,) = Notification.objects.filter(kind=NotificationKind.VISIT_CONFIRMATION)
    assert "DTSTART;TZID=America/New_York:20300116T180000" in updated.calendar
