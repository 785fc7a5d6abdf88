"""A Spanish-speaking prospect on a phone: from a Spanish comparison to the Spanish form, one
mistake answered in Spanish beside its field with everything typed kept, the thank-you page
and the confirmation email in Spanish; the form and thank-you pages pass axe and fit the
screen at 375 and 1280 px; and a visitor who changes language halfway keeps what they typed."""

import re

import pytest
from django.core import mail

from inquiries.models import Inquiry
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import assert_no_axe_violations, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)

COMPARISON_ES = "/es/comparar/asistente-medico-vs-flebotomista/"
FORM_ES = "/es/solicitar-informacion/"


def _check_layout_and_accessibility(page, name, screenshot):
    for size, label in ((PHONE, "375"), (DESKTOP, "1280")):
        page.set_viewport_size(size)
        assert_no_horizontal_scroll(page)
        assert_no_axe_violations(page)
        screenshot(page, f"spanish-{name}-{label}")
    page.set_viewport_size(PHONE)


def test_a_spanish_prospect_on_a_phone_corrects_a_mistake_and_is_answered_in_spanish(
    page, live_server, demo_content, settings, screenshot
):
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + COMPARISON_ES)
    assert page.locator("html").get_attribute("lang") == "es"

    page.locator(f"main a[href^='{FORM_ES}']").first.click()
    page.wait_for_url(re.compile(r"/es/solicitar-informacion/\?"))
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == "Solicitar información"
    _check_layout_and_accessibility(page, "form", screenshot)

    page.get_by_label("Nombre").fill("María")
    page.get_by_label("Apellidos").fill("López")
    page.get_by_role("textbox", name="Correo electrónico").fill("maria.lopez@example.com")
    page.get_by_label("Número de teléfono", exact=True).fill("(407) 555-0123")
    page.get_by_label("Código postal (ZIP)").fill("3474")
    page.get_by_label("Mensaje de texto", exact=True).check()
    page.get_by_label("Sí, ").check()
    page.get_by_label("Tus preguntas (opcional)").fill("¿Tienen horario de noche?")
    page.get_by_role("button", name="Enviar mi solicitud").click()

    summary = page.locator("#error-summary")
    summary.wait_for()
    assert "Revisa una respuesta" in summary.inner_text()
    beside = page.locator("#id_postal_code ~ .invalid-feedback, #error_1_id_postal_code").first
    assert "Escribe un código postal de 5 dígitos" in beside.inner_text()
    assert page.get_by_label("Nombre").input_value() == "María"
    assert page.get_by_label("Apellidos").input_value() == "López"
    assert page.get_by_label("Número de teléfono", exact=True).input_value() == "(407) 555-0123"
    assert page.get_by_label("Código postal (ZIP)").input_value() == "3474"
    assert page.get_by_label("Mensaje de texto", exact=True).is_checked()
    assert page.get_by_label("Sí, ").is_checked()
    assert page.get_by_label("Tus preguntas (opcional)").input_value() == (
        "¿Tienen horario de noche?"
    )
    assert not Inquiry.objects.exists()
    _check_layout_and_accessibility(page, "form-error", screenshot)

    page.get_by_label("Código postal (ZIP)").fill("34741")
    page.get_by_role("button", name="Enviar mi solicitud").click()
    page.wait_for_url("**/es/solicitar-informacion/gracias/")
    assert page.locator("h1").inner_text() == "Gracias, María"
    assert "por mensaje de texto" in page.locator("main").inner_text()
    _check_layout_and_accessibility(page, "thanks", screenshot)

    inquiry = Inquiry.objects.get()
    assert (inquiry.language, inquiry.postal_code, inquiry.phone) == ("es", "34741", "+14075550123")
    assert inquiry.consent_text.startswith("Sí, ")
    [confirmation] = [m for m in mail.outbox if m.to == ["maria.lopez@example.com"]]
    assert confirmation.subject.startswith("Tu solicitud de información")
    assert confirmation.body.startswith("Hola, María:")
    assert "/es/solicitar-informacion/darse-de-baja/" in confirmation.body


def test_changing_language_halfway_keeps_what_was_typed(page, live_server, demo_content):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/request-info/")
    page.get_by_label("First name").fill("Ana")
    page.get_by_label("ZIP code").fill("34741")
    page.get_by_label("Your questions (optional)").fill("Do you teach at night?")

    # The header's language link (the page's script sends what was typed along).
    page.locator("#site-nav summary").click()
    page.locator("header a[hreflang='es']").click()
    page.wait_for_url("**/es/solicitar-informacion/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_label("Nombre").input_value() == "Ana"
    assert page.get_by_label("Código postal (ZIP)").input_value() == "34741"
    assert page.get_by_label("Tus preguntas (opcional)").input_value() == "Do you teach at night?"
    assert page.locator("#error-summary").count() == 0

    # And back, with the button under the form (which works without the script too).
    page.get_by_role("button", name="Continue in English, keeping what you typed").click()
    page.wait_for_url("**/request-info/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_label("First name").input_value() == "Ana"
    assert not Inquiry.objects.exists()
