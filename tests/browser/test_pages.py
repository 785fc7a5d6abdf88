"""Every public page type, at phone and desktop width: accessible, and readable on the screen.

Each page is checked as a person meets it: no axe-core violation of any impact, one <h1>,
no sideways scrolling of the page, and no table column cut off.
"""

import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import (
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    assert_tables_fit,
)

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = {
    "home": "/",
    "careers": "/careers/",
    "career": "/careers/medical-assistant/",
    "compare-picker": "/compare/",
    "curated-comparison": "/compare/medical-assistant-vs-phlebotomist/",
    # Any order of the three: the page redirects to its canonical address.
    "trio-comparison": "/compare/phlebotomist-vs-laboratory-technician-vs-medical-assistant/",
    "programs": "/programs/",
    "program": "/programs/medical-assistant-technician/",
    "institution-page": "/about/",
    "request-info": "/request-info/?program=medical-assistant-technician",
    "not-found": "/no-such-page/",
}


def check_page(page, screenshot, name):
    screenshot(page, f"page-{name}-{page.viewport_size['width']}px")
    assert page.locator("h1").count() == 1
    assert_no_horizontal_scroll(page)
    assert_tables_fit(page)
    assert_no_axe_violations(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("name", PAGES.keys())
def test_public_page_is_accessible_and_readable(
    page, live_server, demo_content, screenshot, viewport, name
):
    page.set_viewport_size(viewport)
    response = page.goto(live_server.url + PAGES[name])
    assert response.status == (404 if name == "not-found" else 200)
    check_page(page, screenshot, name)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_request_form_with_errors_is_accessible_and_readable(
    page, live_server, demo_content, screenshot, viewport
):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/request-info/?program=medical-assistant-technician")
    page.get_by_label("First name").fill("Maria")
    page.get_by_label("Last name").fill("Lopez")
    page.get_by_role("textbox", name="Email").fill("maria.lopez@")
    page.get_by_role("radio", name="Text message").check()
    page.get_by_role("button", name="Send my request").click()
    page.locator("#error-summary").wait_for()
    assert page.get_by_role("textbox", name="Email").input_value() == "maria.lopez@"
    check_page(page, screenshot, "request-info-errors")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_thank_you_page_is_accessible_and_readable(
    page, live_server, demo_content, settings, screenshot, viewport
):
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/request-info/?program=medical-assistant-technician")
    page.get_by_label("First name").fill("Maria")
    page.get_by_label("Last name").fill("Lopez")
    page.get_by_role("textbox", name="Email").fill("maria.lopez@example.com")
    page.get_by_label("ZIP code").fill("34741")
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_url("**/request-info/thanks/")
    check_page(page, screenshot, "thank-you")


@pytest.mark.parametrize("name", ["curated-comparison", "trio-comparison"])
def test_on_a_phone_each_comparison_answer_is_full_width_and_names_its_career(
    page, live_server, demo_content, name
):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + PAGES[name])
    table = page.get_by_role("table", name=re.compile("at a glance", re.I))
    careers = table.get_by_role("columnheader").all_inner_texts()
    cells = table.locator("tbody td").evaluate_all(
        """cells => cells.map(cell => ({
            width: cell.getBoundingClientRect().width,
            label: getComputedStyle(cell, "::before").content.replace(/^"|"$/g, ""),
        }))"""
    )
    assert cells
    assert all(cell["width"] >= 0.8 * PHONE["width"] for cell in cells)
    per_row = [cell["label"] for cell in cells[: len(careers)]]
    assert [label.lower() for label in per_row] == [career.lower() for career in careers]
