"""Finding a page's row by the slug in its address, whatever language the slug is in.

Content has a slug per language (`slug_en`, `slug_es`; the Spanish one may be empty, then
the English one serves). An address with the other language's slug (or the English one
where a Spanish one exists) still finds the row, and the view redirects to `row.slug`,
the active language's own.
"""

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname


def slug_fields(field: str = "slug") -> list[str]:
    """The slug columns, the active language's first."""
    active = get_language()
    codes = sorted((code for code, _ in settings.LANGUAGES), key=lambda code: code != active)
    return [build_localized_fieldname(field, code) for code in codes]


def any_language_slug(slugs, field: str = "slug") -> Q:
    """Rows whose slug in any language is one of `slugs`."""
    condition = Q()
    for column in slug_fields(field):
        condition |= Q(**{f"{column}__in": list(slugs)})
    return condition


def by_any_slug(queryset: QuerySet, slug: str, field: str = "slug"):
    """The row whose `field` is `slug` in the active language, else in another one, or
    None (one query)."""
    rows = list(queryset.filter(any_language_slug([slug], field))[:2])
    for row in rows:
        if getattr(row, field) == slug:
            return row
    return rows[0] if rows else None


def matching(rows, slug: str, field: str = "slug"):
    """The row of `rows` that `slug` names in any language, or None."""
    for column in slug_fields(field):
        for row in rows:
            if getattr(row, column) == slug:
                return row
    return None
