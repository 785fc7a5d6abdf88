import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roles.models import Certification, Comparison, Dimension, Duty, Role
from tests.factories import ComparisonFactory, RoleDutyFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [Role, Duty, Dimension, Certification, Comparison]


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(is_superuser=True))
    return client


def test_slugs_are_prepopulated_from_the_name_in_each_language():
    assert admin.site._registry[Role].prepopulated_fields == {
        "slug_en": ("name_en",),
        "slug_es": ("name_es",),
    }
    # A dimension's slug is not translated: it follows the English name.
    assert admin.site._registry[Dimension].prepopulated_fields == {"slug": ("name_en",)}


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_admin_list_and_add_pages_open(editor_client, model):
    base = f"/admin/roles/{model._meta.model_name}/"
    assert editor_client.get(base).status_code == 200
    assert editor_client.get(base + "add/").status_code == 200


def test_career_change_page_shows_inline_duties(editor_client):
    link = RoleDutyFactory(duty__name="Drawing blood")
    response = editor_client.get(f"/admin/roles/role/{link.role.pk}/change/")
    assert response.status_code == 200
    assert "Drawing blood" in response.content.decode()


def test_comparison_change_page_opens_with_its_inlines(editor_client):
    comparison = ComparisonFactory()
    comparison.sections.create(heading="The work", body="Text")
    comparison.advice.create(role=comparison.left, text="You like variety")
    response = editor_client.get(f"/admin/roles/comparison/{comparison.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "The work" in html and "You like variety" in html


def test_comparison_list_queries_do_not_grow_with_rows(editor_client):
    def count():
        with CaptureQueriesContext(connection) as context:
            editor_client.get("/admin/roles/comparison/")
        return len(context.captured_queries)

    ComparisonFactory()
    few = count()
    for _ in range(10):
        ComparisonFactory(left=RoleFactory(), right=RoleFactory())
    assert count() == few


def test_admin_search_finds_a_career_by_soc_code(editor_client):
    RoleFactory(name="Phlebotomist", soc_code="31-9097")
    RoleFactory(name="Other")
    html = editor_client.get("/admin/roles/role/", {"q": "31-9097"}).content.decode()
    assert "Phlebotomist" in html and ">Other<" not in html
