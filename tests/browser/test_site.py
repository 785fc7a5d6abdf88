"""The frame every page shares: navigation at phone and desktop width, and the skip link."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)

SECTIONS = ["Careers", "Compare", "Programs"]


def open_phone_menu(page, url):
    page.set_viewport_size(PHONE)
    page.goto(url)
    navigation = page.get_by_role("navigation", name="Main")
    links = [navigation.get_by_role("link", name=name, exact=True) for name in SECTIONS]
    assert not any(link.is_visible() for link in links)
    navigation.locator("summary", has_text="Menu").click()
    assert all(link.is_visible() for link in links)
    assert navigation.get_by_role("link", name="Request info").is_visible()
    return navigation


def test_phone_navigation_opens_from_the_menu_button(page, live_server, screenshot):
    navigation = open_phone_menu(page, live_server.url + "/")
    screenshot(page, "phone-navigation-open")
    navigation.locator("summary").click()
    assert not navigation.get_by_role("link", name="Careers", exact=True).is_visible()


def test_phone_navigation_opens_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    try:
        navigation = open_phone_menu(context.new_page(), live_server.url + "/")
        navigation.get_by_role("link", name="Careers", exact=True).click()
        assert navigation.page.url == live_server.url + "/careers/"
    finally:
        context.close()


def test_phone_menu_button_opens_from_the_keyboard(page, live_server):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    navigation = page.get_by_role("navigation", name="Main")
    navigation.locator("summary").focus()
    page.keyboard.press("Enter")
    assert navigation.get_by_role("link", name="Programs", exact=True).is_visible()


def test_desktop_navigation_is_shown_without_a_menu_button(page, live_server):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/")
    navigation = page.get_by_role("navigation", name="Main")
    assert not navigation.locator("summary").is_visible()
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
