"""The frame every page shares: navigation at phone and desktop width, and the skip link."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)

SECTIONS = ["Careers", "Compare", "Programs"]


def test_phone_navigation_opens_from_the_menu_button(page, live_server, screenshot):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    navigation = page.get_by_role("navigation", name="Main")
    links = [navigation.get_by_role("link", name=name, exact=True) for name in SECTIONS]
    assert not any(link.is_visible() for link in links)
    navigation.get_by_role("button", name="Toggle navigation").click()
    page.locator("#site-nav.show:not(.collapsing)").wait_for()
    assert all(link.is_visible() for link in links)
    assert navigation.get_by_role("link", name="Request info").is_visible()
    screenshot(page, "phone-navigation-open")


def test_desktop_navigation_is_shown_without_a_menu_button(page, live_server):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/")
    navigation = page.get_by_role("navigation", name="Main")
    assert not navigation.get_by_role("button", name="Toggle navigation").is_visible()
    for name in SECTIONS:
        assert navigation.get_by_role("link", name=name, exact=True).is_visible()


def test_navigation_marks_the_section_the_visitor_is_in(page, live_server):
    page.goto(live_server.url + "/careers/")
    current = page.get_by_role("navigation", name="Main").locator("[aria-current]")
    assert current.all_inner_texts() == ["Careers"]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_first_tab_shows_a_skip_link_to_the_content(page, live_server, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
