"""Slots in the admin: representatives open and see their own only, managers everyone's."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from appointments.models import BookingStatus, Mode, Slot
from tests.appointments.factories import BookingFactory, SlotFactory
from tests.factories import CampusFactory, InquiryFactory
from tests.inquiries.staff import content_editor, manager, representative

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]

SLOTS = reverse("admin:appointments_slot_changelist")
ADD_SLOT = reverse("admin:appointments_slot_add")
BOOKINGS = reverse("admin:appointments_booking_changelist")


def slot_form(**overrides):
    day = timezone.localdate() + datetime.timedelta(days=5)
    data = {
        "mode": Mode.PHONE,
        "campus": "",
        "video_url": "",
        "starts_at_0": day.isoformat(),
        "starts_at_1": "10:00",
        "ends_at_0": day.isoformat(),
        "ends_at_1": "10:30",
        "bookings-TOTAL_FORMS": "0",
        "bookings-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_a_representative_sees_only_their_own_slots(client):
    rep = representative()
    mine = SlotFactory(representative=rep)
    theirs = SlotFactory(representative=representative())
    client.force_login(rep)
    response = client.get(SLOTS)
    assert [slot.pk for slot in response.context["cl"].result_list] == [mine.pk]
    other_page = client.get(reverse("admin:appointments_slot_change", args=[theirs.pk]))
    assert other_page.status_code == 302  # "doesn't exist", back to the list


def test_a_manager_sees_everyones_slots(client):
    client.force_login(manager())
    slots = {SlotFactory().pk, SlotFactory().pk}
    response = client.get(SLOTS)
    assert {slot.pk for slot in response.context["cl"].result_list} == slots


def test_content_editors_see_no_slots(client):
    client.force_login(content_editor())
    assert client.get(SLOTS).status_code == 403


def test_a_slot_a_representative_opens_is_theirs_whatever_is_posted(client):
    rep = representative()
    other = representative()
    client.force_login(rep)
    response = client.post(ADD_SLOT, slot_form(representative=other.pk))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Slot.objects.get().representative == rep


def test_a_campus_slot_is_typed_in_the_campuss_time_zone(client):
    campus = CampusFactory(time_zone="America/Puerto_Rico")
    rep = representative()
    client.force_login(rep)
    client.post(ADD_SLOT, slot_form(mode=Mode.CAMPUS, campus=campus.pk))
    slot = Slot.objects.get()
    local = slot.starts_at.astimezone(zoneinfo.ZoneInfo("America/Puerto_Rico"))
    assert (local.hour, local.minute) == (10, 0)
    # Shown again as typed.
    page = client.get(reverse("admin:appointments_slot_change", args=[slot.pk]))
    assert page.context["adminform"].form.initial["starts_at"].hour == 10


def test_each_mode_asks_for_what_it_needs_beside_the_field(client):
    client.force_login(representative())
    response = client.post(ADD_SLOT, slot_form(mode=Mode.CAMPUS))
    assert "Choose the campus" in str(response.context["adminform"].form.errors["campus"])
    response = client.post(ADD_SLOT, slot_form(mode=Mode.VIDEO))
    assert "Give the link" in str(response.context["adminform"].form.errors["video_url"])
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(ADD_SLOT, slot_form(starts_at_0=past))
    assert "has passed" in str(response.context["adminform"].form.errors["starts_at"])
    assert not Slot.objects.exists()


def test_a_representative_sees_the_bookings_on_their_slots_only(client):
    rep = representative()
    mine = BookingFactory(slot=SlotFactory(representative=rep))
    BookingFactory(slot=SlotFactory(representative=representative()))
    client.force_login(rep)
    response = client.get(BOOKINGS)
    assert [booking.pk for booking in response.context["cl"].result_list] == [mine.pk]


def test_cancelling_a_booking_in_the_admin_goes_through_the_service(client):
    boss = manager()
    client.force_login(boss)
    booking = BookingFactory(inquiry=InquiryFactory())
    client.post(BOOKINGS, {"action": "cancel_bookings", "_selected_action": [booking.pk]})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.inquiry.activities.filter(author=boss).exists()


def test_the_slot_list_costs_the_same_queries_however_many_slots(client, django_assert_num_queries):
    boss = manager()
    client.force_login(boss)
    BookingFactory()
    client.get(SLOTS)
    with django_assert_num_queries(12) as few:
        client.get(SLOTS)
    for _ in range(5):
        BookingFactory()
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(SLOTS)


def test_a_representative_marks_an_appointment_attended_and_the_funnel_counts_it(client):
    from inquiries import reports

    rep = representative()
    client.force_login(rep)
    inquiry = InquiryFactory()
    booking = BookingFactory(slot=SlotFactory(representative=rep), inquiry=inquiry)
    client.post(BOOKINGS, {"action": "mark_attended", "_selected_action": [booking.pk]})
    booking.refresh_from_db()
    assert booking.attendance == "attended"
    assert inquiry.activities.filter(
        author=rep, body__startswith="Attended the appointment"
    ).exists()
    funnel = {row["key"]: row["count"] for row in reports.dashboard()["visit_funnel"]}
    assert funnel["attended"] == 1


def test_the_campus_filter_names_its_choice_for_slots_with_no_campus(client):
    client.force_login(manager())
    campus = CampusFactory(name="Kissimmee")
    by_phone = SlotFactory()
    SlotFactory(mode=Mode.CAMPUS, campus=campus)
    response = client.get(SLOTS)
    campus_filter = next(f for f in response.context["cl"].filter_specs if f.title == "campus")
    choices = [choice["display"] for choice in campus_filter.choices(response.context["cl"])]
    assert choices == ["All", "Kissimmee", "No campus (by phone or video)"]
    assert "No campus (by phone or video)" in response.content.decode()
    chosen = client.get(SLOTS, {"campus__isnull": "True"})
    assert [slot.pk for slot in chosen.context["cl"].result_list] == [by_phone.pk]
