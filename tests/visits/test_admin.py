import pytest
from django.urls import reverse

from inquiries.models import ActivityKind
from tests.factories import InquiryFactory
from tests.inquiries.staff import content_editor, manager, representative
from tests.visits.factories import EventFactory, RegistrationFactory
from visits.models import RegistrationStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]

EVENTS = reverse("admin:visits_event_changelist")
REGISTRATIONS = reverse("admin:visits_registration_changelist")


def test_the_event_list_shows_seats_taken_left_and_the_waitlist(client):
    client.force_login(manager())
    event = EventFactory(title="Evening session", capacity=5)
    RegistrationFactory(event=event, guests=2)
    RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)
    RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED)
    response = client.get(EVENTS)
    assert response.status_code == 200
    row = next(r for r in response.context["cl"].result_list if r.pk == event.pk)
    assert (row.seats_taken, row.seats_left, row.waitlisted) == (3, 2, 1)


def test_a_manager_cancels_an_event_through_the_service(client):
    boss = manager()
    client.force_login(boss)
    event = EventFactory()
    inquiry = InquiryFactory()
    RegistrationFactory(event=event, inquiry=inquiry)
    response = client.post(
        EVENTS, {"action": "cancel_events", "_selected_action": [event.pk]}, follow=True
    )
    assert "Cancelled 1 event and 1 registration." in response.content.decode()
    event.refresh_from_db()
    assert event.is_cancelled
    assert inquiry.activities.filter(kind=ActivityKind.VISIT, author=boss).exists()


def test_cancelling_a_registration_in_the_admin_promotes_the_waitlist(client):
    client.force_login(manager())
    event = EventFactory(capacity=1)
    leaving = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)
    response = client.post(
        REGISTRATIONS,
        {"action": "cancel_registrations", "_selected_action": [leaving.pk]},
        follow=True,
    )
    assert f"Moved off the waitlist: {waiting}" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_raising_the_capacity_moves_the_waitlist_up(client):
    client.force_login(manager())
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)
    url = reverse("admin:visits_event_change", args=[event.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name not in ("programs", "cancelled_at", "created_at", "updated_at")
    }
    data.update(
        {
            "campus": event.campus_id,
            "starts_at_0": event.starts_at.strftime("%Y-%m-%d"),
            "starts_at_1": event.starts_at.strftime("%H:%M:%S"),
            "ends_at_0": event.ends_at.strftime("%Y-%m-%d"),
            "ends_at_1": event.ends_at.strftime("%H:%M:%S"),
            "registration_closes_at_0": "",
            "registration_closes_at_1": "",
            "capacity": 2,
            "registrations-TOTAL_FORMS": 2,
            "registrations-INITIAL_FORMS": 2,
            "registrations-MIN_NUM_FORMS": 0,
            "registrations-MAX_NUM_FORMS": 1000,
        }
    )
    data = {key: value for key, value in data.items() if value is not None}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_a_representative_sees_events_and_registrations_but_cannot_change_them(client):
    client.force_login(representative())
    event = EventFactory()
    assert client.get(EVENTS).status_code == 200
    assert client.get(REGISTRATIONS).status_code == 200
    assert client.get(reverse("admin:visits_event_add")).status_code == 403
    response = client.get(EVENTS)
    assert "cancel_events" not in response.content.decode()
    assert event.title in response.content.decode()


def test_a_content_editor_does_not_see_visits(client):
    client.force_login(content_editor())
    assert client.get(EVENTS).status_code == 403


def test_the_staff_groups_hold_exactly_the_visits_permissions_the_brief_grants():
    from django.contrib.auth.models import Group

    def visits_permissions(name):
        return set(
            Group.objects.get(name=name)
            .permissions.filter(content_type__app_label="visits")
            .values_list("codename", flat=True)
        )

    assert visits_permissions("Admissions manager") == {
        f"{action}_{model}"
        for action in ("view", "add", "change")
        for model in ("event", "registration")
    }
    assert visits_permissions("Admissions representative") == {
        "view_event",
        "view_registration",
    }
    assert visits_permissions("Content editor") == set()
