import pytest

from inquiries.models import Inquiry
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import assert_no_axe_violations, assert_no_horizontal_scroll
from tests.factories import CampusFactory, ProgramFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def programs():
    several = ProgramFactory(
        name="Medical Assistant Technician Diploma Program", slug="medical-assistant-technician"
    )
    several.campuses.add(CampusFactory(name="Kissimmee"), CampusFactory(name="Orlando"))
    single = ProgramFactory(name="Phlebotomy Certificate", slug="phlebotomy")
    single.campuses.add(CampusFactory(name="Pembroke Pines"))
    return several, single


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_form_is_accessible_and_fits_the_screen(page, live_server, programs, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/request-info/?program=medical-assistant-technician")
    assert page.locator("h1").count() == 1
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)


def test_errors_are_summarised_focused_and_accessible(page, live_server, programs, screenshot):
    page.goto(live_server.url + "/request-info/")
    page.get_by_label("First name").fill("Maria")
    page.get_by_role("button", name="Send my request").click()
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.get_by_label("First name").input_value() == "Maria"
    screenshot(page, "request-info-errors")
    assert_no_axe_violations(page)
    summary.get_by_role("link", name="Email").click()
    assert page.evaluate("document.activeElement.id") == "id_email"


def test_the_campus_list_follows_the_chosen_program(page, live_server, programs):
    several, single = programs
    page.goto(live_server.url + "/request-info/")
    campus = page.locator("#campus-field")
    assert not campus.is_visible()
    page.get_by_label("Program of interest").select_option(str(several.pk))
    campus.wait_for(state="visible")
    options = page.locator("#id_campus option").all_inner_texts()
    assert options == ["No preference", "Kissimmee", "Orlando"]
    page.get_by_label("Program of interest").select_option(str(single.pk))
    campus.wait_for(state="hidden")


def test_a_prospect_sends_the_form_and_reads_what_happens_next(
    page, live_server, programs, settings, screenshot
):
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    page.goto(live_server.url + "/request-info/?program=medical-assistant-technician")
    page.get_by_label("First name").fill("Maria")
    page.get_by_label("Last name").fill("Lopez")
    page.get_by_role("textbox", name="Email").fill("maria.lopez@example.com")
    page.get_by_label("Phone number", exact=True).fill("(407) 555-0123")
    page.get_by_label("ZIP code").fill("34741")
    page.get_by_label("Campus").select_option(label="Orlando")
    page.get_by_label("Text message", exact=True).check()
    page.get_by_label("Yes, ").check()
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_url("**/request-info/thanks/")
    assert "Thank you, Maria" in page.locator("h1").inner_text()
    assert "within one business day" in page.content()
    screenshot(page, "request-info-thanks")
    assert_no_axe_violations(page)
    inquiry = Inquiry.objects.get()
    assert inquiry.phone == "+14075550123"
    assert inquiry.campus.name == "Orlando"
    assert inquiry.consent_given
