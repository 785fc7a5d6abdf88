"""A visitor finds a career, compares careers, and asks about the program that fits."""

import re

import pytest

from roles.models import RoleFact
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import assert_no_horizontal_scroll, open_navigation_link

pytestmark = pytest.mark.django_db(transaction=True)

CAREERS = ["Medical Assistant", "Laboratory Technician", "Phlebotomist"]
DEMO_PROGRAM = "Medical Assistant Technician Diploma Program"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_visitor_compares_careers_and_asks_about_the_program(
    page, live_server, demo_content, screenshot, viewport
):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/")

    page.get_by_role("main").get_by_role("link", name="Medical Assistant", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Medical Assistant"
    assert_no_horizontal_scroll(page)

    open_navigation_link(page, "Compare")
    page.wait_for_url("**/compare/")
    for career in CAREERS:
        page.get_by_role("checkbox", name=career, exact=True).check()
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_url(re.compile(r"/compare/[a-z-]+-vs-[a-z-]+-vs-[a-z-]+/$"))
    assert_no_horizontal_scroll(page)

    table = page.get_by_role("table", name=re.compile("at a glance", re.I))
    columns = table.get_by_role("columnheader").all_inner_texts()
    assert sorted(columns) == sorted(CAREERS)
    training = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Training", exact=True)
    )
    # A sourced fact ends with its numbered note ("Source 1"), a link to the footnote.
    cells = [
        re.sub(r" Source \d+$", "", " ".join(text.split()))
        for text in training.get_by_role("cell").all_inner_texts()
    ]
    facts = {
        fact.role.name: " ".join(fact.value.split())
        for fact in RoleFact.objects.filter(dimension__name="Training").select_related("role")
    }
    assert cells == [facts[career] for career in columns]

    open_navigation_link(page, "Compare")
    page.wait_for_url("**/compare/")
    page.get_by_role("link", name=re.compile(r"medical assistant or phlebotomist", re.I)).click()
    page.wait_for_url("**/compare/medical-assistant-vs-phlebotomist/")
    assert "phlebotomist" in page.get_by_role("heading", level=1).inner_text().lower()
    assert_no_horizontal_scroll(page)

    page.get_by_role("main").get_by_role("link", name="Request information").first.click()
    page.wait_for_url("**/request-info/**")
    program = page.get_by_label("Program of interest")
    assert program.evaluate("select => select.selectedOptions[0].text") == DEMO_PROGRAM
    assert_no_horizontal_scroll(page)
    screenshot(page, f"visitor-journey-{'phone' if viewport == PHONE else 'desktop'}")
