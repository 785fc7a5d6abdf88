"""Proof for every public page type in Spanish: it answers, says `lang="es"`, links its English
twin and is linked back (hreflang pairs), and shows none of the site's English interface
strings; the error pages are Spanish too, in the site's look."""

import html as html_module
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import override_settings
from django.urls import translate_url
from django.utils import translation

from bench.querybudget import PAGES
from portal import views
from portal.demo import load_demo_content

pytestmark = pytest.mark.django_db

PO_FILE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"

# Every page type (the bench's list), and the institution pages that are not in it.
PAGE_TYPES = [(name, path) for name, path in PAGES if path != "/sitemap.xml"] + [
    ("privacy", "/privacy/"),
    ("outcomes disclaimer", "/outcomes-disclaimer/"),
]


@pytest.fixture
def demo(db):
    load_demo_content()


def catalog() -> list[tuple[str, str]]:
    """(msgid, msgstr) of each single-line, non-plural entry of the Spanish catalog."""
    text = PO_FILE.read_text(encoding="utf-8")
    return re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', text, re.MULTILINE)


def english_interface_strings() -> list[str]:
    """The site's English interface strings that a Spanish page must not show: every catalog
    message of two words or more whose Spanish differs, without placeholders or markup."""
    return sorted(
        {
            english.replace('\\"', '"')
            for english, spanish in catalog()
            if english != spanish
            and len(english.split()) >= 2
            and not re.search(r"[%{<\\]", english)
        }
    )


def visible_text(page: str) -> str:
    body = page.split("<body", 1)[-1]
    body = re.sub(r"<script\b.*?</script>", " ", body, flags=re.S)
    return html_module.unescape(re.sub(r"<[^>]+>", " ", body))


def spanish_page(client, path: str):
    spanish = translate_url(path, "es")
    response = client.get(spanish)
    if response.status_code == 301:  # an English slug in a Spanish address
        spanish = response["Location"]
        response = client.get(spanish)
    return spanish, response


def test_the_list_of_english_interface_strings_is_the_catalog():
    strings = english_interface_strings()
    assert len(strings) > 100
    assert "Skip to main content" in strings


@pytest.mark.parametrize(("name", "path"), PAGE_TYPES, ids=[name for name, _ in PAGE_TYPES])
def test_every_page_type_in_spanish(client, demo, name, path):
    spanish, response = spanish_page(client, path)
    assert spanish.startswith("/es/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="es">' in page
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"', page))
    bare = spanish.split("?")[0]
    assert alternates["es"] == f"http://testserver{bare}"
    english = alternates["en"].removeprefix("http://testserver")
    assert alternates["x-default"] == alternates["en"]
    back = client.get(english)
    assert back.status_code == 200
    back_page = back.content.decode()
    assert '<html lang="en">' in back_page
    assert f'hreflang="es" href="http://testserver{bare}"' in back_page
    text = visible_text(page)
    left = [words for words in english_interface_strings() if words in text]
    assert left == [], f"English left on {spanish}"


@override_settings(DEBUG=False)
def test_the_404_is_spanish_in_the_site_look(client, demo):
    response = client.get("/es/no-existe/")
    page = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="es">' in page and 'href="#main"' in page
    assert "No encontramos esa página" in page


def test_the_500_is_spanish_in_the_site_look(rf):
    with translation.override("es"):
        response = views.server_error(rf.get("/es/carreras/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="es">' in page and 'href="#main"' in page
    assert "Something went wrong" not in page


def test_the_503_is_spanish_in_the_site_look(client, demo, monkeypatch, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0

    def down(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(views, "render", down)
    response = client.get("/es/")
    page = response.content.decode()
    assert response.status_code == 503
    assert '<html lang="es">' in page and 'href="#main"' in page
    assert "right back" not in page
    assert "Volvemos enseguida" in page
