"""The Spanish edition of the public site: addresses, language, alternates, redirects,
fallbacks, the catalog and the query budgets."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from portal.demo import load_demo_content
from roles.models import Role

pytestmark = pytest.mark.django_db

PO_FILE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"

SPANISH_PAGES = [
    "/es/",
    "/es/carreras/",
    "/es/carreras/asistente-medico/",
    "/es/comparar/",
    "/es/comparar/asistente-medico-vs-tecnico-de-laboratorio/",
    "/es/comparar/asistente-medico-vs-tecnico-de-laboratorio-vs-flebotomista/",
    "/es/programas/",
    "/es/programas/tecnico-de-asistente-medico/",
    "/es/sobre-nosotros/",
    "/es/acreditacion/",
]

# Interface words of the English pages that no Spanish page may show.
ENGLISH_INTERFACE = [
    "Skip to main content",
    "Request info<",
    ">Careers<",
    ">Compare<",
    "At a glance",
    "Where they overlap",
    "Where they differ",
    "Which might fit you",
    "Ask admissions",
    "Total cost",
    "Next start",
    "Request information",
    "Map and directions",
    "Career training for healthcare support roles.",
]


@pytest.fixture
def demo(db):
    load_demo_content()


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalog():
    """The Spanish catalog compiled, as `make` and CI do (the .mo is not committed)."""
    subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "-o", str(PO_FILE.with_suffix(".mo")), str(PO_FILE)],  # noqa: S607
        check=True,
    )


@pytest.mark.parametrize("path", SPANISH_PAGES)
def test_every_spanish_page_is_spanish_with_both_alternates(client, demo, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert response["Content-Language"] == "es"
    assert "Accept-Language" not in response.get("Vary", "")
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"', html))
    assert set(alternates) == {"en", "es", "x-default"}
    assert alternates["es"] == f"http://testserver{path}"
    assert f'<link rel="canonical" href="http://testserver{path}">' in html
    english = alternates["en"].removeprefix("http://testserver")
    back = client.get(english)
    assert back.status_code == 200
    assert f'hreflang="es" href="http://testserver{path}"' in back.content.decode()
    if '<div class="institution-page" lang="en">' in html:
        # The demo's institution pages have Spanish titles and addresses, English bodies
        # (marked lang="en", "solo en inglés"): only the interface around them is checked.
        html = html.split('<div class="institution-page" lang="en">')[0]
    for words in ENGLISH_INTERFACE:
        assert words not in html, f"{words!r} left in English on {path}"


def test_the_language_switcher_leads_to_the_same_career_in_english(client, demo):
    html = client.get("/es/carreras/asistente-medico/").content.decode()
    assert 'href="/careers/medical-assistant/" hreflang="en" lang="en">English</a>' in html
    html = client.get("/careers/medical-assistant/").content.decode()
    assert 'href="/es/carreras/asistente-medico/" hreflang="es" lang="es">Español</a>' in html


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/careers/asistente-medico/", "/careers/medical-assistant/"),
        ("/es/carreras/medical-assistant/", "/es/carreras/asistente-medico/"),
        (
            "/es/programas/medical-assistant-technician/",
            "/es/programas/tecnico-de-asistente-medico/",
        ),
        ("/programs/tecnico-de-asistente-medico/", "/programs/medical-assistant-technician/"),
        (
            "/es/comparar/flebotomista-vs-medical-assistant/",
            "/es/comparar/asistente-medico-vs-flebotomista/",
        ),
        ("/es/about/", "/es/sobre-nosotros/"),
        ("/sobre-nosotros/", "/about/"),
    ],
)
def test_a_slug_in_the_other_language_redirects_to_the_right_address(client, demo, path, target):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == target


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/es/careers/", "/es/carreras/"),
        ("/carreras/", "/careers/"),
        ("/es/compare/", "/es/comparar/"),
    ],
)
def test_address_words_in_the_other_language_redirect(client, demo, path, target):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == target


@override_settings(DEBUG=False)
@pytest.mark.parametrize("path", ["/fr/careers/", "/fr/", "/es/no-existe/"])
def test_an_unknown_language_or_page_is_a_404_in_the_site_look(client, demo, path):
    response = client.get(path)
    assert response.status_code == 404
    assert 'href="#main"' in response.content.decode()


@override_settings(DEBUG=False)
def test_the_spanish_404_is_in_spanish(client, demo):
    html = client.get("/es/no-existe/").content.decode()
    assert '<html lang="es">' in html
    assert "No encontramos esa página" in html


def test_a_missing_translation_shows_the_english_marked_as_such(client, demo):
    Role.objects.filter(slug_en="phlebotomist").update(tagline_es=None, summary_es=None)
    html = client.get("/es/carreras/flebotomista/").content.decode()
    assert '<span lang="en">A specialist in one clinical skill' in html
    assert "(solo en inglés)" in html


def test_a_career_without_a_spanish_slug_is_served_at_its_english_slug(client, demo):
    Role.objects.filter(slug_en="phlebotomist").update(slug_es=None, name_es=None)
    response = client.get("/es/carreras/phlebotomist/")
    assert response.status_code == 200
    assert '<span lang="en">Phlebotomist</span>' in response.content.decode()


def test_spanish_and_english_pages_are_cached_apart(client, demo):
    assert "Carreras" in client.get("/es/carreras/").content.decode()
    english = client.get("/careers/").content.decode()
    assert '<html lang="en">' in english
    assert '<html lang="es">' in client.get("/es/carreras/").content.decode()


def test_dates_and_money_are_written_for_spanish_readers(client, demo):
    html = client.get("/es/programas/tecnico-de-asistente-medico/").content.decode()
    assert re.search(
        r"\d{1,2} de (enero|febrero|marzo|abril|mayo|junio|julio|agosto|"
        r"septiembre|octubre|noviembre|diciembre) de \d{4}",
        html,
    )
    assert "$16,150" in html


def test_the_sitemap_lists_each_page_in_both_languages_with_alternates(client, demo):
    xml = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/es/carreras/asistente-medico/</loc>" in xml
    assert "<loc>http://testserver/careers/medical-assistant/</loc>" in xml
    assert 'hreflang="es" href="http://testserver/es/programas/tecnico-de-asistente-medico/"' in xml
    assert 'hreflang="x-default"' in xml
    assert "<loc>http://testserver/es/sobre-nosotros/</loc>" in xml


def test_staff_pages_stay_in_english(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert 'lang="en"' in html


@pytest.mark.parametrize("path", ["/es/carreras/asistente-medico/", "/careers/medical-assistant/"])
def test_career_pages_cost_the_same_queries_in_both_languages(
    client, demo, path, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        assert client.get(path).status_code == 200


def test_the_catalog_has_no_untranslated_or_fuzzy_message():
    text = PO_FILE.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]
    assert entries
    for entry in entries:
        assert "#, fuzzy" not in entry and "fuzzy," not in entry, entry
        assert not re.search(r'^msgstr(\[\d\])? ""\n?$', entry.strip(), re.MULTILINE) or (
            re.search(r'^msgstr(\[\d\])? ""\n"', entry, re.MULTILINE)
        ), entry


def test_gettext_counts_every_message_translated():
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO_FILE)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    )
    assert "translated message" in result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr


def test_an_english_paragraph_fallback_is_html_not_escaped_text(client, demo):
    from programs.models import Program

    Program.objects.filter(slug_en="medical-assistant-technician").update(description_es=None)
    html = client.get("/es/programas/tecnico-de-asistente-medico/").content.decode()
    assert '<div lang="en"><p>This diploma program' in html
    assert "&lt;p&gt;" not in html
