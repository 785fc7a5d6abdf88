import pytest
from django.contrib import admin

from portal.admin import PortalAdminSite, SafeQueryMixin, is_possible_pk
from roles.models import Role


def test_the_default_admin_site_is_the_project_s():
    assert isinstance(admin.site, PortalAdminSite)


def test_every_registered_admin_is_safe_against_impossible_ids():
    unsafe = [
        model.__name__
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, SafeQueryMixin)
    ]
    assert unsafe == []


def test_an_app_s_own_admin_class_keeps_its_name_and_options():
    role_admin = admin.site._registry[Role]
    assert type(role_admin).__name__ == "RoleAdmin"
    # Its slug is still filled from its name, in each language (the translation admin).
    assert role_admin.prepopulated_fields == {"slug_en": ("name_en",), "slug_es": ("name_es",)}


@pytest.mark.parametrize(
    ("value", "possible"),
    [
        ("1", True),
        (str(2**63 - 1), True),
        (str(2**63), False),
        ("99999999999999999999999", False),
        ("²", False),
        ("1.0", False),
        ("abc", False),
        ("", False),
    ],
)
def test_is_possible_pk(value, possible):
    assert is_possible_pk(Role, value) is possible


def test_every_registered_admin_explains_a_protected_deletion():
    from portal.admin import ProtectedDeleteMixin

    assert [
        model.__name__
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, ProtectedDeleteMixin)
    ] == []
