"""Editors write the Spanish beside the English in the admin, and the admin lists what is left
untranslated, to those who edit that content only."""

import re

import pytest
from django.contrib import admin
from django.contrib.flatpages.models import FlatPage

from inquiries.models import ReplyTemplate
from programs.models import Program
from roles.models import Comparison, Role
from tests.factories import ComparisonFactory, ProgramFactory, RoleFactory, UserFactory
from tests.inquiries.staff import content_editor, manager, representative
from visits.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_superuser=True))
    return client


def field_names(html: str) -> set[str]:
    return set(re.findall(r'name="([\w-]+)"', html))


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Role, ["name", "slug", "tagline", "summary", "next_step"]),
        (Comparison, ["title", "lede", "caveat"]),
        (Program, ["name", "slug", "summary", "description", "clinical_experience"]),
        (FlatPage, ["url", "title", "content"]),
        (Event, ["title", "description"]),
        (ReplyTemplate, ["subject", "body"]),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_the_add_form_has_an_english_and_a_spanish_box_for_each_translated_field(
    superuser_client, model, fields
):
    opts = model._meta
    html = superuser_client.get(f"/admin/{opts.app_label}/{opts.model_name}/add/").content.decode()
    names = field_names(html)
    for field in fields:
        assert {f"{field}_en", f"{field}_es"} <= names
        assert field not in names


def test_the_two_languages_of_a_field_share_one_row_labeled_in_words(superuser_client):
    html = superuser_client.get("/admin/roles/role/add/").content.decode()
    assert re.search(r'class="form-row[^"]*field-tagline_en field-tagline_es"', html)
    assert "Tagline (English)" in html
    assert "Tagline (Spanish)" in html


def test_inline_rows_have_both_languages_too(superuser_client):
    comparison = ComparisonFactory()
    comparison.sections.create(heading="The work", body="Text")
    html = superuser_client.get(f"/admin/roles/comparison/{comparison.pk}/change/").content.decode()
    names = field_names(html)
    assert {"sections-0-heading_en", "sections-0-heading_es", "sections-0-body_es"} <= names


def test_an_editor_saves_the_spanish_beside_the_english(client):
    client.force_login(content_editor())
    role = RoleFactory(name="Phlebotomist", tagline="Draws blood.")
    response = client.post(
        f"/admin/roles/role/{role.pk}/change/",
        {
            "name_en": "Phlebotomist",
            "name_es": "Flebotomista",
            "slug_en": role.slug,
            "slug_es": "flebotomista",
            "soc_code": "31-9097",
            "tagline_en": "Draws blood.",
            "tagline_es": "Saca sangre.",
            "summary_en": "Summary.",
            "summary_es": "",
            "next_step_en": "",
            "next_step_es": "",
            "is_published": "on",
            "order": "1",
            **empty_inlines("role_duties", "facts", "role_certifications"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    role.refresh_from_db()
    assert (role.name_es, role.slug_es, role.tagline_es) == (
        "Flebotomista",
        "flebotomista",
        "Saca sangre.",
    )
    assert role.summary_es is None
    assert role.tagline_en == "Draws blood."


def empty_inlines(*prefixes: str) -> dict:
    data = {}
    for prefix in prefixes:
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def spanish_filter(client, path: str, value: str) -> list[str]:
    html = client.get(f"{path}?translation_es={value}").content.decode()
    return re.findall(r'<th class="field-[\w_]+"><a href="[^"]+">([^<]+)</a>', html)


def test_the_filter_finds_exactly_the_rows_missing_spanish(superuser_client):
    complete = RoleFactory(name="Complete", slug="complete")
    Role.objects.filter(pk=complete.pk).update(
        name_es="Completo", slug_es="completo", tagline_es="Sí.", summary_es="Sí."
    )
    no_tagline = RoleFactory(name="No tagline", slug="no-tagline")
    Role.objects.filter(pk=no_tagline.pk).update(
        name_es="Sin lema", slug_es="sin-lema", tagline_es="", summary_es="Sí."
    )
    nothing = RoleFactory(name="Nothing", slug="nothing")
    # An English value left empty needs no Spanish.
    blank_both = RoleFactory(name="Blank next step", slug="blank-next-step", next_step="")
    Role.objects.filter(pk=blank_both.pk).update(
        name_es="Sin paso", slug_es="sin-paso", tagline_es="Sí.", summary_es="Sí."
    )
    missing = spanish_filter(superuser_client, "/admin/roles/role/", "missing")
    done = spanish_filter(superuser_client, "/admin/roles/role/", "complete")
    assert sorted(missing) == sorted([no_tagline.name, nothing.name])
    assert sorted(done) == sorted([complete.name, blank_both.name])


def test_a_row_edited_inline_without_spanish_counts_as_missing(superuser_client):
    comparison = ComparisonFactory(title="Pair")
    Comparison.objects.filter(pk=comparison.pk).update(title_es="Par", lede_es="Sí.")
    comparison.refresh_from_db()
    if comparison.caveat:
        Comparison.objects.filter(pk=comparison.pk).update(caveat_es="Sí.")
    assert spanish_filter(superuser_client, "/admin/roles/comparison/", "missing") == []
    comparison.sections.create(heading="The work", body="Text")
    assert spanish_filter(superuser_client, "/admin/roles/comparison/", "missing") == ["Pair"]


def test_the_admin_home_counts_what_an_editor_has_to_translate(client):
    RoleFactory(name="Untranslated", slug="untranslated")
    ProgramFactory()
    client.force_login(content_editor())
    html = client.get("/admin/").content.decode()
    assert 'id="translations"' in html
    for changelist in ("/admin/roles/role/", "/admin/programs/program/"):
        link = f'<a href="{changelist}?translation_es=missing">1 to translate</a>'
        assert f"Spanish: {link}" in html
    # Content editors do not edit reply templates or events: those are not theirs to count.
    assert "replytemplate" not in html
    assert "visits/event" not in html.split('id="translations"')[1].split("</table>")[0]


@pytest.mark.parametrize("who", [representative], ids=["representative"])
def test_staff_who_edit_no_content_see_no_translation_counts(client, who):
    RoleFactory(name="Untranslated", slug="untranslated")
    client.force_login(who())
    html = client.get("/admin/").content.decode()
    assert 'id="translations"' not in html
    assert client.get("/admin/roles/role/?translation_es=missing").status_code == 403


def test_a_manager_sees_the_counts_of_what_managers_edit_only(client):
    client.force_login(manager())
    html = client.get("/admin/").content.decode()
    table = (
        html.split('id="translations"')[1].split("</table>")[0]
        if 'id="translations"' in html
        else ""
    )
    assert "/admin/roles/role/" not in table
    assert "/admin/programs/program/" not in table


def test_every_translated_admin_has_the_filter():
    from portal.admin_translations import translated_fields

    for model, model_admin in admin.site._registry.items():
        if translated_fields(model):
            parameters = [getattr(f, "parameter_name", None) for f in model_admin.list_filter]
            assert "translation_es" in parameters, model


def test_an_institution_page_address_is_checked_in_each_language(superuser_client):
    FlatPage.objects.create(url="/privacy/", url_es="/privacidad/", title="Privacy").sites.add(1)
    page = FlatPage.objects.create(url="/about/", title="About", content="<p>A</p>")
    page.sites.add(1)
    data = {
        "url_en": "/about/",
        "title_en": "About",
        "title_es": "Sobre nosotros",
        "content_en": "<p>A</p>",
        "content_es": "<p>B</p>",
        "sites": [1],
    }
    url = f"/admin/flatpages/flatpage/{page.pk}/change/"
    taken = superuser_client.post(url, {**data, "url_es": "/privacidad/"})
    no_slash = superuser_client.post(url, {**data, "url_es": "sobre-nosotros"})
    saved = superuser_client.post(url, {**data, "url_es": "/sobre-nosotros/"})
    assert "Another page of this site is already at /privacidad/." in taken.content.decode()
    assert "Start and end the address with a slash" in no_slash.content.decode()
    assert 'value="sobre-nosotros"' in no_slash.content.decode()
    assert saved.status_code == 302
    page.refresh_from_db()
    assert (page.url_en, page.url_es, page.content_es) == (
        "/about/",
        "/sobre-nosotros/",
        "<p>B</p>",
    )
