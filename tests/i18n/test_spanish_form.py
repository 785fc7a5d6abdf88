"""The request-info form in Spanish: its page, its messages beside the fields, the language
the inquiry keeps, the prospect's confirmation email and unsubscribe page in that language,
and a form typed in one language and continued in the other."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import translation

from inquiries.consent_wording import consent_text
from inquiries.emails import build_message
from inquiries.models import Inquiry, Notification, NotificationKind, RepeatSubmission
from tests.factories import CampusFactory, ProgramFactory
from tests.inquiries.conftest import immediate_tasks  # noqa: F401 (a fixture)
from tests.inquiries.test_forms import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]

PO_FILE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
FORM_EN = "/request-info/"
FORM_ES = "/es/solicitar-informacion/"
THANKS_ES = "/es/solicitar-informacion/gracias/"

# The English interface of the form, thank-you and unsubscribe pages: none may show in Spanish.
ENGLISH_FORM_WORDS = [
    "First name",
    "Last name",
    "Phone number",
    "ZIP code",
    "Program of interest",
    "Choose a program",
    "When would you like to start?",
    "Choose one (optional)",
    "At the next start date",
    "Within 3 months",
    "Just exploring",
    "How should we contact you?",
    "Phone call",
    "Text message",
    "Your questions (optional)",
    "Send my request",
    "may call me or send me text messages",
    "Fields marked with an asterisk",
    "What happens next",
    "Needed if you would like a call",
    "No preference",
    "Request information",
]


@pytest.fixture(scope="module", autouse=True)
def _compiled_catalog():
    subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "-o", str(PO_FILE.with_suffix(".mo")), str(PO_FILE)],  # noqa: S607
        check=True,
    )


@pytest.fixture
def program():
    program = ProgramFactory(
        name="Medical Assistant Technician Diploma Program",
        name_es="Programa de Diploma de Técnico de Asistente Médico",
        slug="medical-assistant-technician",
    )
    program.campuses.add(CampusFactory(name="Kissimmee"), CampusFactory(name="Pembroke Pines"))
    return program


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    def post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        translation.activate(settings.LANGUAGE_CODE)
        return response

    return post


def _field_errors(html: str, field: str) -> list[str]:
    """The messages shown under one field (crispy-forms' invalid-feedback)."""
    return re.findall(
        rf'<(?:p|span|div) id="error_\d+_id_{field}"[^>]*>\s*(?:<strong>)?(.*?)(?:</strong>)?\s*</',
        html,
        re.S,
    )


def test_the_spanish_form_page_is_all_spanish(client, program):
    response = client.get(FORM_ES)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    for spanish in (
        "Solicitar información",
        "Nombre",
        "Apellidos",
        "Código postal (ZIP)",
        "Programa que te interesa",
        "Programa de Diploma de Técnico de Asistente Médico",
        "En los próximos 3 meses",
        "Llamada telefónica",
        "Enviar mi solicitud",
        "Sin preferencia",
        "me puede llamar o enviar mensajes de texto",
        'action="/es/solicitar-informacion/"',
    ):
        assert spanish in html, spanish
    for english in ENGLISH_FORM_WORDS:
        assert english not in html, english


def test_the_english_form_page_is_unchanged(client, program):
    html = client.get(FORM_EN).content.decode()
    assert '<html lang="en">' in html
    for english in ("First name", "ZIP code", "Send my request", "Within 3 months"):
        assert english in html
    assert "Enviar mi solicitud" not in html
    # The way to the Spanish form keeping what was typed reads in Spanish.
    assert "Seguir en español sin perder lo que escribiste" in html


def test_a_spanish_post_with_an_error_answers_in_spanish_beside_the_field_keeping_every_value(
    send, program
):
    data = form_data(program, postal_code="3474", message="¿Hay horario nocturno?")
    response = send(FORM_ES, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    message = "Escribe un código postal de 5 dígitos (como 34741) o ZIP+4 (como 34741-1234)."
    assert message in _field_errors(html, "postal_code")
    assert "Revisa una respuesta" in html
    assert "Enter a 5-digit ZIP code" not in html
    for value in ('value="Maria"', 'value="Lopez"', 'value="maria.lopez@example.com"'):
        assert value in html
    assert 'value="3474"' in html
    assert "¿Hay horario nocturno?</textarea>" in html
    assert re.search(rf'<option value="{program.pk}"[^>]*selected', html)
    assert not Inquiry.objects.exists()


def test_spanish_messages_for_the_phone_and_consent_rules(send, program):
    html = send(FORM_ES, form_data(program, contact_method="text")).content.decode()
    assert "Escribe tu número de teléfono para que te podamos enviar mensajes de texto." in (
        _field_errors(html, "phone")
    )
    assert any("Marca esta casilla" in message for message in _field_errors(html, "consent"))
    html = send(FORM_ES, form_data(program, phone="12")).content.decode()
    assert "Escribe un número de teléfono con su código de área" in html
    html = send(FORM_ES, form_data(program, email="maria@localhost")).content.decode()
    assert "Escribe el correo electrónico que lees de verdad" in html


def test_a_valid_spanish_post_keeps_its_language_consent_and_emails_in_spanish(
    client, send, program
):
    data = form_data(program, phone="(407) 555-0123", contact_method="phone", consent="on")
    response = send(FORM_ES, data)
    assert response.status_code == 302
    assert response["Location"] == THANKS_ES

    inquiry = Inquiry.objects.get()
    assert inquiry.language == "es"
    with translation.override("es"):
        shown = consent_text()
    assert inquiry.consent_text == shown
    assert shown.startswith("Sí, ")
    assert inquiry.consent_version.startswith("v1-es-")

    confirmation = next(m for m in mail.outbox if m.to == ["maria.lopez@example.com"])
    assert confirmation.subject.startswith("Tu solicitud de información")
    assert "Hola, Maria:" in confirmation.body
    assert "Programa de Diploma de Técnico de Asistente Médico" in confirmation.body
    assert "por teléfono" in confirmation.body
    assert "Thank you" not in confirmation.body
    link = re.search(r"https?://\S+/darse-de-baja/\S+/", confirmation.body)[0]
    assert "/es/solicitar-informacion/darse-de-baja/" in link
    assert confirmation.extra_headers["List-Unsubscribe"] == f"<{link}>"

    # The admissions alert stays in the staff's language.
    alert = next(m for m in mail.outbox if m.to == [settings.ADMISSIONS_EMAIL])
    assert alert.subject.startswith("New inquiry")
    assert "Hopes to start: Within 3 months" in alert.body
    # So does the timeline.
    assert "Hopes to start: Within 3 months" in inquiry.activities.get().body
    assert "Form language: Spanish" in inquiry.activities.get().body

    page = client.get(link.split("testserver", 1)[-1] if "testserver" in link else link)
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="es">' in html
    assert "¿Dejar de recibir nuestros correos electrónicos?" in html
    assert "Darme de baja" in html
    translation.activate(settings.LANGUAGE_CODE)
    done = client.post(link.split("testserver", 1)[-1] if "testserver" in link else link)
    assert "Ya te diste de baja" in done.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.may_email is False


def test_the_spanish_thank_you_page(client, send, program):
    send(FORM_ES, form_data(program, contact_method="email"))
    html = client.get(THANKS_ES).content.decode()
    assert '<html lang="es">' in html
    assert "Gracias, Maria" in html
    assert "Programa de Diploma de Técnico de Asistente Médico" in html
    assert "por correo electrónico" in html
    for english in ("Thank you", "What happens next", "While you wait", "by email"):
        assert english not in html


def test_an_english_post_keeps_english(send, program):
    send(FORM_EN, form_data(program))
    inquiry = Inquiry.objects.get()
    assert inquiry.language == "en"
    assert inquiry.consent_version.startswith("v1-") and "-es-" not in inquiry.consent_version
    confirmation = next(m for m in mail.outbox if m.to == ["maria.lopez@example.com"])
    assert confirmation.subject.startswith("Your request for information")
    assert "/request-info/unsubscribe/" in confirmation.body


def test_a_repeat_from_the_spanish_form_is_confirmed_in_spanish(send, program):
    send(FORM_EN, form_data(program))
    mail.outbox.clear()
    send(FORM_ES, form_data(program, email="Maria.Lopez@example.com"))
    repeat = RepeatSubmission.objects.get()
    assert repeat.language == "es"
    # (The outbox withholds a second confirmation the same day; its words are still Spanish.)
    owed = Notification.objects.filter(kind=NotificationKind.CONFIRMATION).latest("pk")
    message = build_message(owed)
    assert message.subject.startswith("Tu solicitud de información")
    assert "/es/solicitar-informacion/darse-de-baja/" in message.body
    alert = build_message(Notification.objects.get(kind=NotificationKind.REPEAT_ALERT))
    assert alert.subject.startswith("Asked again")


def test_continuing_in_the_other_language_keeps_every_value_and_sends_nothing(send, program):
    """The button under the form posts what was typed to the other language's form, which
    shows it back unsent and unjudged, in that language."""
    data = form_data(
        program,
        postal_code="3474",
        phone="(407) 555-0123",
        contact_method="text",
        consent="on",
        message="Trabajo de día.",
        switch_language="es",
    )
    html = send(FORM_ES, data).content.decode()
    assert '<html lang="es">' in html
    assert "error-summary" not in html
    for value in (
        'value="Maria"',
        'value="Lopez"',
        'value="maria.lopez@example.com"',
        'value="(407) 555-0123"',
        'value="3474"',
        f'value="{data["fill_token"]}"',
    ):
        assert value in html, value
    assert "Trabajo de día.</textarea>" in html
    assert re.search(r'value="text"[^>]*checked', html)
    assert re.search(r'name="consent"[^>]*checked', html)
    assert re.search(rf'<option value="{program.pk}"[^>]*selected', html)
    assert not Inquiry.objects.exists()
    assert mail.outbox == []


def test_data_typed_under_english_validates_the_same_under_spanish(send, program):
    """Everything the form sends is a code, never a label: a post of the English page's
    values to the Spanish address is recorded the same way."""
    campus = program.campuses.get(name="Kissimmee")
    data = form_data(program, campus=str(campus.pk), start_timeframe="next_start")
    assert send(FORM_ES, data).status_code == 302
    inquiry = Inquiry.objects.get()
    assert (inquiry.campus, inquiry.start_timeframe, inquiry.language) == (
        campus,
        "next_start",
        "es",
    )


def test_a_form_sent_with_an_expired_token_comes_back_in_spanish_with_every_value(program):
    browser = Client(enforce_csrf_checks=True)
    data = form_data(program, postal_code="34741", message="¿Hay horario nocturno?")
    response = browser.post(FORM_ES, data)  # no token: as after a cookie was refused
    translation.activate(settings.LANGUAGE_CODE)
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "Vuelve a enviar el formulario" in html
    assert "Todo lo que escribiste sigue aquí" in html
    for value in ('value="Maria"', 'value="Lopez"', 'value="34741"'):
        assert value in html
    assert "¿Hay horario nocturno?</textarea>" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "error-summary" not in html
    assert not Inquiry.objects.exists()


def test_another_form_sent_with_an_expired_token_gets_the_sites_page_in_its_language(program):
    response = Client(enforce_csrf_checks=True).post("/es/carreras/", {})
    translation.activate(settings.LANGUAGE_CODE)
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "<h1>Vuelve a enviar el formulario</h1>" in html


def test_a_request_the_form_cannot_read_gets_the_spanish_400_page(client, program, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = client.post(FORM_ES, {f"field{n}": "x" for n in range(20)})
    translation.activate("en")
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "No pudimos leer esa solicitud" in html
    assert 'href="/es/solicitar-informacion/"' in html


def test_the_rate_limit_notice_is_spanish_and_keeps_what_was_typed(send, program, settings):
    settings.INQUIRY_RATE_LIMIT = 0
    response = send(FORM_ES, form_data(program, message="Quiero saber más."))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Espera unos minutos" in html
    assert "Lo que escribiste no tiene nada malo y sigue todo aquí" in html
    assert "Quiero saber más.</textarea>" in html
    assert "Please wait" not in html


def test_a_broken_unsubscribe_link_is_explained_in_spanish(client):
    response = client.get("/es/solicitar-informacion/darse-de-baja/not-a-token/")
    translation.activate(settings.LANGUAGE_CODE)
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "Este enlace para darte de baja no funciona" in html
    assert "No se cambió nada." in html
