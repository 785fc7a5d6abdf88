"""Browser journeys for visits: book on a phone; cancel from the email's link, which frees
the seat for the first person waiting, who is emailed."""

import datetime
import re

import pytest

from inquiries.models import Notification, NotificationKind
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import assert_no_axe_violations, assert_no_horizontal_scroll
from tests.visits.factories import EventFactory, RegistrationFactory
from visits import links, services
from visits.models import Registration, RegistrationStatus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _people_type_fast(settings):
    settings.INQUIRY_MIN_FILL_SECONDS = 0


def fill_in_as_maria(page):
    page.get_by_label("First name").fill("Maria")
    page.get_by_label("Last name").fill("Lopez")
    page.get_by_label("Email").fill("maria.lopez@gmail.com")
    page.get_by_label("ZIP code").fill("34741")


def path_of(url):
    return "/" + url.split("://", 1)[1].partition("/")[2]


def test_booking_on_a_phone_reaches_the_thank_you_page(page, live_server, screenshot):
    event = EventFactory(title="Evening information session", capacity=10)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + event.get_absolute_url())
    assert_no_horizontal_scroll(page)
    screenshot(page, "visit-event-phone")
    fill_in_as_maria(page)
    page.get_by_label("Guests coming with you").fill("1")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/visit/thanks/")
    assert "You are registered, Maria" in page.locator("h1").inner_text()
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    screenshot(page, "visit-thanks-phone")
    registration = Registration.objects.get()
    assert (registration.status, registration.seats) == (RegistrationStatus.CONFIRMED, 2)
    confirmation = Notification.objects.get(kind=NotificationKind.VISIT_CONFIRMATION)
    assert "METHOD:REQUEST" in confirmation.calendar


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_cancelling_from_the_email_link_promotes_the_first_person_waiting(
    page, live_server, screenshot, viewport
):
    event = EventFactory(title="Campus tour", capacity=1)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + event.get_absolute_url())
    fill_in_as_maria(page)
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/visit/thanks/")
    waiting = RegistrationFactory(
        event=event,
        email="ana.ruiz@gmail.com",
        status=RegistrationStatus.WAITLISTED,
        inquiry=Registration.objects.get().inquiry,
    )

    body = Notification.objects.get(kind=NotificationKind.VISIT_CONFIRMATION).body
    path = path_of(re.search(r"https?://\S+/cancel/", body).group(0))
    page.set_viewport_size(viewport)
    page.goto(live_server.url + path)
    assert page.locator("h1").inner_text() == "Cancel your registration?"
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    name = viewport["width"]
    screenshot(page, f"visit-cancel-{name}")
    page.get_by_role("button", name="Yes, cancel my registration").click()
    page.get_by_role("heading", name="Your registration is cancelled").wait_for()
    screenshot(page, f"visit-cancelled-{name}")

    assert Registration.objects.get(email="maria.lopez@gmail.com").status == "cancelled"
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    promoted = Notification.objects.get(kind=NotificationKind.VISIT_PROMOTED)
    assert promoted.recipient == "ana.ruiz@gmail.com"
    assert "METHOD:REQUEST" in promoted.calendar

    page.goto(live_server.url + path.replace("/cancel/", "/"))
    assert "This registration is cancelled." in page.locator("#booking-status").inner_text()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_the_booking_page_fits_and_is_accessible(page, live_server, screenshot, viewport):
    event = EventFactory(title="Evening information session", capacity=10)
    later = event.starts_at + datetime.timedelta(days=7)
    EventFactory(title="Evening information session", starts_at=later)
    registration = services.register(
        event=event, first_name="Maria", last_name="Lopez", email="maria.lopez@gmail.com"
    )
    page.set_viewport_size(viewport)
    page.goto(live_server.url + path_of(links.booking_url(registration)))
    assert page.get_by_label("Date").count() == 1
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    screenshot(page, f"visit-booking-{viewport['width']}")


def test_a_registration_over_the_limit_asks_to_wait_and_keeps_what_was_typed(
    page, live_server, screenshot, settings
):
    settings.INQUIRY_RATE_LIMIT = 0  # this connection has sent its share already
    event = EventFactory(title="Campus tour", capacity=10)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + event.get_absolute_url())
    fill_in_as_maria(page)
    page.get_by_role("button", name="Register").click()

    summary = page.locator("#error-summary")
    assert "Please wait a few minutes" in summary.inner_text()
    assert page.get_by_text("We have received several forms").count() == 1  # not repeated
    assert page.get_by_label("Email").input_value() == "maria.lopez@gmail.com"
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    screenshot(page, "visit-rate-limited-phone")
    assert not Registration.objects.exists()
