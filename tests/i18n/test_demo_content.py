"""The demo content ships in both languages: every text a visitor reads has its Spanish, with
the same figures as the English, so the "solo en inglés" fallback never shows on the demo."""

import re

import pytest
from django.contrib.flatpages.models import FlatPage
from modeltranslation.translator import translator

from portal.admin_translations import missing_translation, translated_fields
from portal.demo import load_demo_content
from programs.models import Program
from tests.i18n.test_spanish_pages import SPANISH_PAGES

pytestmark = pytest.mark.django_db

# What `load_demo_content` loads: careers and all said about them, programs and their
# disclosures, and the institution pages (visits and reply templates have loaders of their own).
DEMO_APPS = {"roles", "programs", "flatpages"}
DEMO_MODELS = [
    model for model in translator.get_registered_models() if model._meta.app_label in DEMO_APPS
]


@pytest.fixture
def demo(db):
    load_demo_content()


def figures(text: str) -> list[str]:
    """The numbers in a text, as written: 44,200; 2024; 12; 560..."""
    return sorted(re.findall(r"\d+(?:[.,]\d+)*", text or ""))


@pytest.mark.parametrize("model", DEMO_MODELS, ids=lambda model: model.__name__)
def test_no_translated_field_of_the_demo_is_left_without_spanish(demo, model):
    rows = model._default_manager.all()
    assert rows.exists()
    untranslated = [
        (str(row), field)
        for row in rows.filter(missing_translation(model, "es"))
        for field in translated_fields(model)
        if getattr(row, f"{field}_en") and not getattr(row, f"{field}_es")
    ]
    assert untranslated == []


@pytest.mark.parametrize("model", DEMO_MODELS, ids=lambda model: model.__name__)
def test_the_spanish_carries_the_same_figures_as_the_english(demo, model):
    for row in model._default_manager.all():
        for field in translated_fields(model):
            english, spanish = getattr(row, f"{field}_en"), getattr(row, f"{field}_es")
            assert figures(spanish) == figures(english), (str(row), field, spanish)


@pytest.mark.parametrize("path", SPANISH_PAGES)
def test_no_spanish_demo_page_falls_back_to_english(client, demo, path):
    html = client.get(path).content.decode()
    assert "solo en inglés" not in html


def test_the_spanish_institution_pages_link_the_spanish_form(demo):
    for page in FlatPage.objects.exclude(content_es__isnull=True):
        assert 'href="/request-info/"' not in page.content_es, page.url_en


def test_loading_the_demo_twice_changes_no_spanish(demo):
    program = Program.objects.get(slug_en="medical-assistant-technician")
    before = program.description_es
    load_demo_content()
    program.refresh_from_db()
    assert program.description_es == before


def test_a_value_left_without_spanish_still_shows_the_english_marked(client, demo):
    Program.objects.filter(slug_en="medical-assistant-technician").update(description_es=None)
    html = client.get("/es/programas/tecnico-de-asistente-medico/").content.decode()
    assert '<div lang="en"><p>This diploma program' in html
    assert "solo en inglés" in html
