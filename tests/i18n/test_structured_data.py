"""JSON-LD and canonical links per language: a Spanish page describes itself in Spanish, with
Spanish names and addresses, and an English page in English."""

import json
import re

import pytest

from portal.demo import load_demo_content
from tests.i18n.test_spanish_pages import SPANISH_PAGES

pytestmark = pytest.mark.django_db

ENGLISH_PAGES = [
    "/",
    "/careers/",
    "/careers/medical-assistant/",
    "/compare/",
    "/compare/medical-assistant-vs-laboratory-technician/",
    "/programs/",
    "/programs/medical-assistant-technician/",
    "/about/",
]


@pytest.fixture
def demo(db):
    load_demo_content()


def blocks(html: str) -> list[dict]:
    return [
        json.loads(text)
        for text in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def site_addresses(data) -> list[str]:
    """Every address of this site's pages in a JSON-LD value (not its images or cards)."""
    if isinstance(data, dict):
        return [address for value in data.values() for address in site_addresses(value)]
    if isinstance(data, list):
        return [address for value in data for address in site_addresses(value)]
    if isinstance(data, str) and data.startswith("http://testserver/"):
        path = data.removeprefix("http://testserver")
        return [] if path.startswith(("/static/", "/og/")) else [path]
    return []


@pytest.mark.parametrize("path", SPANISH_PAGES)
def test_every_json_ld_block_of_a_spanish_page_is_spanish(client, demo, path):
    found = blocks(client.get(path).content.decode())
    for data in found:
        assert data["inLanguage"] == "es"
        for address in site_addresses(data):
            assert address.startswith("/es/"), (path, address)


@pytest.mark.parametrize("path", ENGLISH_PAGES)
def test_every_json_ld_block_of_an_english_page_is_english(client, demo, path):
    html = client.get(path).content.decode()
    assert f'<link rel="canonical" href="http://testserver{path}">' in html
    for data in blocks(html):
        assert data["inLanguage"] == "en"
        for address in site_addresses(data):
            assert not address.startswith("/es/"), (path, address)


def test_the_spanish_career_describes_itself_in_spanish(client, demo):
    html = client.get("/es/carreras/asistente-medico/").content.decode()
    occupation = next(data for data in blocks(html) if data["@type"] == "Occupation")
    assert occupation["name"] == "Asistente médico"
    assert occupation["url"] == "http://testserver/es/carreras/asistente-medico/"
    assert "Contestar el teléfono" in occupation["responsibilities"]
    assert occupation["estimatedSalary"]["name"] == "Salario anual mediano, mayo de 2024"
    crumbs = next(data for data in blocks(html) if data["@type"] == "BreadcrumbList")
    assert [item["name"] for item in crumbs["itemListElement"]][:2] == ["Inicio", "Carreras"]


def test_the_spanish_program_describes_itself_in_spanish(client, demo):
    html = client.get("/es/programas/tecnico-de-asistente-medico/").content.decode()
    program = next(
        data for data in blocks(html) if data["@type"] == "EducationalOccupationalProgram"
    )
    assert program["name"] == "Programa de Diploma de Técnico de Asistente Médico"
    assert program["provider"]["url"] == "http://testserver/es/"
    assert program["offers"]["category"] == "Costo total del programa"
    assert (
        program["hasCourse"][0]["name"] == "Fundamentos del Cuidado de Salud y Terminología Médica"
    )
    text = json.dumps(program, ensure_ascii=False)
    for english in ("sample value", "Route to", "Cohort:", ": disclosures", "percent"):
        assert english not in text
