"""The roster at the door: who may open it, checking in and undoing, no-shows' follow-ups."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inquiries import my_day
from inquiries.models import ActivityKind, Status
from tests.factories import InquiryFactory
from tests.inquiries.staff import content_editor, manager, representative
from tests.visits.factories import EventFactory, RegistrationFactory
from visits.models import Attendance, RegistrationStatus
from visits.services import attendance

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]


def roster_url(event):
    return reverse("admin:visits_event_roster", args=[event.pk])


def mark_url(registration, action):
    return reverse(
        "admin:visits_event_roster_mark", args=[registration.event_id, registration.pk, action]
    )


def started_event(**kwargs):
    return EventFactory(
        starts_at=timezone.now() - datetime.timedelta(minutes=30),
        ends_at=timezone.now() + datetime.timedelta(minutes=30),
        **kwargs,
    )


def test_the_roster_lists_confirmed_people_with_their_guests(client):
    client.force_login(representative())
    event = EventFactory()
    RegistrationFactory(event=event, first_name="Ana", last_name="Rivera", guests=2)
    RegistrationFactory(event=event, first_name="Waiting", status=RegistrationStatus.WAITLISTED)
    RegistrationFactory(event=event, first_name="Gone", status=RegistrationStatus.CANCELLED)
    response = client.get(roster_url(event))
    assert response.status_code == 200
    assert [person.first_name for person in response.context["people"]] == ["Ana"]
    html = response.content.decode()
    assert "Rivera, Ana" in html and "+ 2 guests" in html
    assert response.context["totals"]["seats"] == 3


def test_the_roster_search_narrows_by_name_or_email(client):
    client.force_login(manager())
    event = EventFactory()
    RegistrationFactory(event=event, first_name="Ana", email="ana@example.com")
    RegistrationFactory(event=event, first_name="Luis", email="luis@example.com")
    response = client.get(roster_url(event), {"q": "LUIS@"})
    assert [person.first_name for person in response.context["people"]] == ["Luis"]


def test_the_roster_costs_the_same_queries_however_many_people(client, django_assert_num_queries):
    client.force_login(representative())
    event = EventFactory()
    RegistrationFactory(event=event)
    client.get(roster_url(event))
    with django_assert_num_queries(7) as few:
        client.get(roster_url(event))
    for _ in range(20):
        RegistrationFactory(event=event)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(roster_url(event))


def test_content_editors_and_anonymous_visitors_cannot_open_the_roster(client):
    event = EventFactory()
    registration = RegistrationFactory(event=event)
    assert client.get(roster_url(event)).status_code == 302  # to the login page
    client.force_login(content_editor())
    assert client.get(roster_url(event)).status_code == 403
    assert client.post(mark_url(registration, "check-in")).status_code == 403
    registration.refresh_from_db()
    assert registration.attendance == ""


def test_checking_in_marks_them_attended_on_the_roster_and_the_timeline(client):
    rep = representative(first_name="Marcus", last_name="Bell")
    client.force_login(rep)
    inquiry = InquiryFactory()
    registration = RegistrationFactory(inquiry=inquiry, guests=1)
    response = client.post(mark_url(registration, "check-in"), {"q": "Gu"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?q=Gu#registration-{registration.pk}")
    registration.refresh_from_db()
    assert registration.attendance == Attendance.ATTENDED
    assert registration.checked_in_by == rep
    assert registration.checked_in_at is not None
    entry = inquiry.activities.get(kind=ActivityKind.VISIT, author=rep)
    assert entry.body.startswith("Attended ")
    assert "with 1 guest: checked in by Marcus Bell" in entry.body


def test_a_check_in_can_be_undone(client):
    client.force_login(representative())
    inquiry = InquiryFactory()
    registration = RegistrationFactory(inquiry=inquiry)
    client.post(mark_url(registration, "check-in"))
    client.post(mark_url(registration, "undo"))
    registration.refresh_from_db()
    assert (registration.attendance, registration.checked_in_at) == ("", None)
    assert inquiry.activities.filter(body__startswith="Check-in at").exists()


def test_checking_in_twice_writes_one_entry():
    inquiry = InquiryFactory()
    registration = RegistrationFactory(inquiry=inquiry)
    rep = representative()
    assert attendance.check_in(registration=registration, by=rep) is True
    assert attendance.check_in(registration=registration, by=rep) is False
    assert inquiry.activities.filter(kind=ActivityKind.VISIT).count() == 1


def test_only_confirmed_people_are_checked_in():
    registration = RegistrationFactory(status=RegistrationStatus.WAITLISTED)
    with pytest.raises(ValidationError):
        attendance.check_in(registration=registration, by=representative())


def test_no_shows_wait_for_the_event_to_start():
    event = EventFactory()
    RegistrationFactory(event=event)
    with pytest.raises(ValidationError, match="has not started"):
        attendance.mark_no_shows(event=event, by=manager())


def test_the_rest_are_marked_no_shows_with_a_follow_up_on_the_next_working_day(client):
    rep = representative()
    client.force_login(rep)
    event = started_event()
    came = RegistrationFactory(event=event, inquiry=InquiryFactory())
    attendance.check_in(registration=came, by=rep)
    missing_inquiry = InquiryFactory(owner=rep, status=Status.CONTACTED)
    missing = RegistrationFactory(event=event, inquiry=missing_inquiry)
    RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)
    response = client.post(
        reverse("admin:visits_event_roster_no_shows", args=[event.pk]), follow=True
    )
    assert "Marked 1 no-show" in response.content.decode()
    missing.refresh_from_db()
    came.refresh_from_db()
    assert (missing.attendance, came.attendance) == (Attendance.NO_SHOW, Attendance.ATTENDED)
    missing_inquiry.refresh_from_db()
    follow_up = timezone.localtime(missing_inquiry.next_follow_up_at)
    assert follow_up.weekday() < 5 and follow_up.hour == 10
    assert follow_up.date() > timezone.localdate()
    bodies = list(missing_inquiry.activities.values_list("body", flat=True))
    assert any(body.startswith("No-show at ") for body in bodies)
    assert any(body.startswith("Follow up: missed ") for body in bodies)
    # It shows in the representative's My day once that day comes.
    that_day = missing_inquiry.next_follow_up_at + datetime.timedelta(minutes=1)
    due = my_day.parts(my_day.representative_scope(rep), now=that_day)["overdue"]
    assert missing_inquiry in due
    # Running it again marks nobody twice.
    assert attendance.mark_no_shows(event=event, by=rep) == 0


def test_the_next_working_day_skips_the_weekend():
    friday = timezone.make_aware(datetime.datetime(2026, 12, 4, 18, 0))
    monday = attendance.next_working_day(friday)
    assert timezone.localtime(monday).date() == datetime.date(2026, 12, 7)


def test_a_no_show_who_turns_up_late_can_still_be_checked_in():
    event = started_event()
    registration = RegistrationFactory(event=event)
    attendance.mark_no_shows(event=event, by=manager())
    assert attendance.check_in(registration=registration, by=manager()) is True
    registration.refresh_from_db()
    assert registration.attendance == Attendance.ATTENDED
