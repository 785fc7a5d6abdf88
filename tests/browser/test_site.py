import pytest

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import assert_no_axe_violations, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", ["/", "/no-such-page/"], ids=["home", "404"])
def test_site_pages_are_accessible_and_fit_the_screen(page, live_server, viewport, path):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)


def test_phone_navigation_opens_from_the_menu_button(page, live_server, screenshot):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    menu_link = page.locator("#site-nav").get_by_role("link", name="Careers", exact=True)
    assert not menu_link.is_visible()
    page.get_by_role("button", name="Toggle navigation").click()
    menu_link.wait_for(state="visible")
    page.locator("#site-nav.show:not(.collapsing)").wait_for()
    screenshot(page, "phone-navigation-open")
