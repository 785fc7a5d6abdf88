"""At the door and before it: a representative checks people in on a phone, and a prospect
books a call with admissions from the request-info thank-you page, then moves it from the
email's link. Screenshots land in test-artifacts/screenshots/ (roster and booking at 375 px,
the slots in the admin at 1280 px as a representative and as a manager)."""

import datetime
import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from appointments import links
from appointments.models import Booking, BookingStatus, Mode
from inquiries.models import ActivityKind, Inquiry, Status
from programs.models import Campus, Program
from tests.appointments.factories import SlotFactory
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import (
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    log_in_to_admin,
)
from tests.factories import InquiryFactory, UserFactory
from tests.visits.factories import EventFactory, RegistrationFactory
from visits.models import Attendance

pytestmark = pytest.mark.django_db(transaction=True)


def _grant(app_label: str, migration_name: str) -> None:
    """Run an app's group-grant data migration again (a transactional test's flush emptied
    the permissions it gave), on the models as they were when it was written."""
    migration = importlib.import_module(f"{app_label}.migrations.{migration_name}")
    state = MigrationLoader(connection).project_state((app_label, migration_name), at_end=True)
    migration.grant(state.apps, None)


@pytest.fixture
def door_staff(staff_groups):
    _grant("visits", "0002_staff_groups")
    _grant("appointments", "0002_staff_groups")
    rep = UserFactory(username="rosa", first_name="Rosa", last_name="Alvarez")
    rep.groups.add(staff_groups["Admissions representative"])
    colleague = UserFactory(username="marcus", first_name="Marcus", last_name="Bell")
    colleague.groups.add(staff_groups["Admissions representative"])
    boss = UserFactory(username="dana", first_name="Dana", last_name="Whitfield")
    boss.groups.add(staff_groups["Admissions manager"])
    return {"rep": rep, "colleague": colleague, "manager": boss}


def test_a_representative_checks_people_in_on_a_phone(
    page, live_server, demo_content, door_staff, screenshot
):
    rep = door_staff["rep"]
    event = EventFactory(
        title="Evening information session",
        campus=Campus.objects.first(),
        starts_at=timezone.now() - datetime.timedelta(minutes=10),
        ends_at=timezone.now() + datetime.timedelta(minutes=80),
    )
    ana_inquiry = InquiryFactory(first_name="Ana", last_name="Rivera", owner=rep)
    ana = RegistrationFactory(
        event=event, first_name="Ana", last_name="Rivera", guests=1, inquiry=ana_inquiry
    )
    for first, last in [("Luis", "Ortega"), ("Keisha", "Brown"), ("Tomás", "Nieves")]:
        RegistrationFactory(
            event=event, first_name=first, last_name=last, inquiry=InquiryFactory(owner=rep)
        )

    page.set_viewport_size(PHONE)
    log_in_to_admin(page, live_server.url, "rosa")
    page.goto(f"{live_server.url}/admin/visits/event/{event.pk}/roster/")
    assert "0 of 4 checked in" in page.locator("#roster-totals").inner_text()
    page.get_by_label("Find a person").fill("river")
    page.get_by_role("button", name="Search").click()
    assert page.locator("#roster-list li").count() == 1
    page.get_by_role("button", name="Check in Ana Rivera").click()
    row = page.locator(f"#registration-{ana.pk}")
    assert "Checked in" in row.inner_text()
    assert page.get_by_label("Find a person").input_value() == "river"
    page.get_by_role("link", name="Show everyone").click()
    assert "1 of 4 checked in" in page.locator("#roster-totals").inner_text()
    assert_no_horizontal_scroll(page)
    screenshot(page, "roster-phone")

    # A mistaken tap is undone, then done again.
    page.get_by_role("button", name="Undo the check-in of Ana Rivera").click()
    assert "0 of 4 checked in" in page.locator("#roster-totals").inner_text()
    page.get_by_role("button", name="Check in Ana Rivera").click()
    page.get_by_role("button", name="Check in Luis Ortega").click()

    # The rest are no-shows, each with a follow-up on their inquiry.
    page.get_by_role("button", name="Mark the rest as no-shows").click()
    assert "Marked 2 no-shows" in page.content()
    screenshot(page, "roster-phone-closed")
    ana.refresh_from_db()
    assert ana.attendance == Attendance.ATTENDED
    missing = Inquiry.objects.filter(visit_registrations__attendance=Attendance.NO_SHOW)
    assert missing.count() == 2
    assert all(inquiry.next_follow_up_at for inquiry in missing)
    assert ana_inquiry.activities.filter(kind=ActivityKind.VISIT, author=rep).exists()


def test_a_prospect_books_a_call_from_the_thank_you_page_and_moves_it_from_the_email(
    page, live_server, demo_content, door_staff, settings, screenshot
):
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    program = Program.objects.get(slug="medical-assistant-technician")
    first = SlotFactory(representative=door_staff["rep"], mode=Mode.PHONE)
    later = SlotFactory(representative=door_staff["colleague"], mode=Mode.PHONE)

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/request-info/?program={program.slug}")
    page.get_by_label("First name").fill("Maria")
    page.get_by_label("Last name").fill("Lopez")
    page.get_by_role("textbox", name="Email").fill("maria.lopez@example.com")
    page.get_by_label("ZIP code").fill("34741")
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_url("**/request-info/thanks/")
    card = page.locator("#book-a-call")
    assert "Book a call with admissions" in card.inner_text()
    card.get_by_role("link").first.click()

    page.wait_for_url("**/appointments/**")
    assert page.locator(f"#slot-{first.pk}").is_checked()
    page.get_by_label("First name").fill("Maria")
    page.get_by_label("Last name").fill("Lopez")
    page.get_by_role("textbox", name="Email").fill("maria.lopez@example.com")
    page.get_by_label("Phone number (optional)").fill("(407) 555-0123")
    page.get_by_label("ZIP code").fill("34741")
    page.get_by_label("What would you like to talk about? (optional)").fill("Evening classes")
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    screenshot(page, "appointment-book-phone")
    page.get_by_role("button", name="Book this time").click()

    page.wait_for_url("**/appointments/my-appointment/**")
    assert "You are booked, Maria" in page.locator("h1").inner_text()
    assert_no_axe_violations(page)
    screenshot(page, "appointment-booked-phone")
    booking = Booking.objects.get()
    inquiry = Inquiry.objects.get()
    assert (booking.slot, booking.inquiry) == (first, inquiry)
    assert inquiry.status == Status.APPOINTMENT

    # The email's link: another time.
    page.goto(live_server.url + links.manage_path(booking))
    page.locator(f"label[for='slot-{later.pk}']").click()
    page.get_by_role("button", name="Move my appointment").click()
    page.wait_for_url("**?moved=1")
    assert "Your appointment has moved" in page.locator("h1").inner_text()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.RESCHEDULED
    assert booking.rescheduled_to.slot == later


@pytest.mark.parametrize("who", ["rep", "manager"])
def test_the_slots_in_the_admin_as_a_representative_and_as_a_manager(
    page, live_server, demo_content, door_staff, who, screenshot
):
    SlotFactory(representative=door_staff["rep"])
    SlotFactory(
        representative=door_staff["colleague"],
        mode=Mode.VIDEO,
        video_url="https://meet.example.com/marcus",
    )
    page.set_viewport_size(DESKTOP)
    log_in_to_admin(page, live_server.url, door_staff[who].username)
    page.goto(f"{live_server.url}/admin/appointments/slot/")
    rows = page.locator("#result_list tbody tr")
    expected = 1 if who == "rep" else 2
    assert rows.count() == expected
    listed = page.locator("#result_list").inner_text()
    assert "Rosa Alvarez" in listed
    assert ("Marcus Bell" in listed) == (who == "manager")
    assert_no_horizontal_scroll(page)
    screenshot(page, f"appointment-slots-{who}")
