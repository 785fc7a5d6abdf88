"""Every Spanish public page type (the request-info form has its own Spanish journey), at
phone and desktop width: no axe-core violation, one <h1>, no sideways scrolling, no table
column cut off, and the page in Spanish."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import (
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    assert_tables_fit,
)

pytestmark = pytest.mark.django_db(transaction=True)

SPANISH_PAGES = {
    "home": "/es/",
    "careers": "/es/carreras/",
    "career": "/es/carreras/asistente-medico/",
    "comparisons": "/es/comparar/",
    "picker": "/es/comparar/elegir/?careers=asistente-medico",
    "curated-comparison": "/es/comparar/asistente-medico-vs-flebotomista/",
    "computed-pair": "/es/comparar/tecnico-de-laboratorio-vs-flebotomista/",
    "computed-trio": "/es/comparar/asistente-medico-vs-tecnico-de-laboratorio-vs-flebotomista/",
    "programs": "/es/programas/",
    "program": "/es/programas/tecnico-de-asistente-medico/",
    "about": "/es/sobre-nosotros/",
    "accreditation": "/es/acreditacion/",
    "privacy": "/es/privacidad/",
    "thank-you": "/es/solicitar-informacion/gracias/",
    "not-found": "/es/no-existe/",
}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("name", SPANISH_PAGES.keys())
def test_spanish_page_is_accessible_and_readable(
    page, live_server, demo_content, screenshot, viewport, name
):
    page.set_viewport_size(viewport)
    response = page.goto(live_server.url + SPANISH_PAGES[name])
    assert response.status == (404 if name == "not-found" else 200)
    screenshot(page, f"page-es-{name}-{viewport['width']}px")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").count() == 1
    assert_no_horizontal_scroll(page)
    assert_tables_fit(page)
    assert_no_axe_violations(page)
