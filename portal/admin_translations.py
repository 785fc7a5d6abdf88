"""Translated content in the admin: each language's column beside the other, and what is left
untranslated.

The project's admin site (portal/admin.py) applies this to every admin it registers whose model,
or one of whose inlines' models, has fields translated with django-modeltranslation, so the apps
keep registering plain ModelAdmins:

- the form shows, for each translated field, one row with a box per language ("Tagline
  (English)", "Tagline (Spanish)"), the English one required as the field itself was;
- the changelist gets a filter per other language, "Spanish translation: missing / complete",
  where missing means a translated field (of the row or of a row edited inline with it) has its
  English filled in and its Spanish empty;
- `untranslated_counts` gives the admin home its "Translations" summary.

Plain modeltranslation admin classes, without the tabbed variant: that one loads jQuery UI from
a CDN, which the site's Content Security Policy ('self' only) refuses.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from modeltranslation.admin import TranslationAdmin, TranslationInlineModelAdmin
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname


def translated_fields(model) -> list[str]:
    """The names of `model`'s translated fields (`name`, not `name_en`), or none."""
    if model not in translator.get_registered_models():
        return []
    return list(translator.get_options_for_model(model).all_fields)


def other_languages() -> list[str]:
    return [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def missing_translation(model, language: str) -> Q:
    """Rows with a translated field whose English is filled in and whose `language` is not."""
    missing = Q(pk__in=[])
    for field in translated_fields(model):
        english = build_localized_fieldname(field, settings.LANGUAGE_CODE)
        translated = build_localized_fieldname(field, language)
        missing |= (
            Q(**{f"{english}__isnull": False})
            & ~Q(**{english: ""})
            & (Q(**{f"{translated}__isnull": True}) | Q(**{translated: ""}))
        )
    return missing


def missing_translation_with_inlines(model_admin, language: str) -> Q:
    """`missing_translation` of the admin's own rows, or of any row edited inline with one."""
    missing = missing_translation(model_admin.model, language)
    for inline in model_admin.inlines:
        if not translated_fields(inline.model):
            continue
        link = inline.fk_name or _link_to(model_admin.model, inline.model)
        rows = inline.model._default_manager.filter(**{link: OuterRef("pk")})
        missing |= Q(Exists(rows.filter(missing_translation(inline.model, language))))
    return missing


def _link_to(parent, child) -> str:
    return next(
        field.name
        for field in child._meta.fields
        if field.many_to_one and field.related_model is parent
    )


def language_name(language: str) -> str:
    return get_language_info(language)["name"]


def missing_translation_filter(language: str) -> type[admin.SimpleListFilter]:
    """A list filter: rows whose `language` translation is missing, or complete."""

    class MissingTranslationFilter(admin.SimpleListFilter):
        title = f"{language_name(language)} translation"
        parameter_name = f"translation_{language}"

        def __init__(self, request, params, model, model_admin):
            self.model_admin = model_admin
            super().__init__(request, params, model, model_admin)

        def lookups(self, request, model_admin):
            return [("missing", "Missing"), ("complete", "Complete")]

        def queryset(self, request, queryset):
            missing = missing_translation_with_inlines(self.model_admin, language)
            if self.value() == "missing":
                return queryset.filter(missing)
            if self.value() == "complete":
                return queryset.exclude(missing)
            return queryset

    MissingTranslationFilter.__doc__ = (
        f"Rows with a field (or an inline row's field) written in English but not in "
        f"{language_name(language)}."
    )
    return MissingTranslationFilter


class LanguagesSideBySide:
    """Each translated field as one form row with a box per language, labeled in words."""

    class Media:
        css = {"all": ["css/admin-translations.css"]}

    def get_fieldsets(self, request, obj=None):
        return [
            (name, {**options, "fields": self._languages_in_a_row(options["fields"])})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def _languages_in_a_row(self, fields) -> list:
        rows = []
        for field in fields:
            original = self._translated_from(field)
            if original and rows and self._translated_from(_last(rows[-1])) == original:
                previous = rows[-1] if isinstance(rows[-1], tuple) else (rows[-1],)
                rows[-1] = (*previous, field)
            else:
                rows.append(field)
        return rows

    def _translated_from(self, field) -> str | None:
        if not isinstance(field, str):
            return None
        try:
            model_field = self.model._meta.get_field(field)
        except FieldDoesNotExist:  # a method or admin display, not a model field
            return None
        translated = getattr(model_field, "translated_field", None)
        return translated.name if translated else None

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        translated = getattr(db_field, "translated_field", None)
        if formfield is not None and translated is not None:
            formfield.label = (
                f"{capfirst(translated.verbose_name)} ({language_name(db_field.language)})"
            )
        return formfield


def _last(row):
    return row[-1] if isinstance(row, tuple) else row


def with_translations(model, admin_class: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    """`admin_class`, editing every language of its translated fields and filtering by what
    is untranslated; unchanged when neither `model` nor its inlines' models are translated."""
    inlines = [_inline_with_translations(inline) for inline in admin_class.inlines]
    model_translated = bool(translated_fields(model))
    if not model_translated and inlines == list(admin_class.inlines):
        return admin_class
    bases = (admin_class,)
    if model_translated and not issubclass(admin_class, TranslationAdmin):
        bases = (LanguagesSideBySide, admin_class, TranslationAdmin)
    filters = [missing_translation_filter(language) for language in other_languages()]
    return type(
        admin_class.__name__,
        bases,
        {
            "__module__": admin_class.__module__,
            "__doc__": admin_class.__doc__,
            "inlines": inlines,
            "list_filter": [*admin_class.list_filter, *filters],
        },
    )


def _inline_with_translations(inline):
    if not translated_fields(inline.model) or issubclass(inline, TranslationInlineModelAdmin):
        return inline
    return type(
        inline.__name__,
        (LanguagesSideBySide, inline, TranslationInlineModelAdmin),
        {"__module__": inline.__module__, "__doc__": inline.__doc__},
    )


@dataclass(frozen=True)
class Untranslated:
    language: str
    name: str
    count: int
    url: str


def untranslated_counts(admin_site, request) -> list[Untranslated]:
    """Per translated model the user may change, how many rows miss each other language."""
    counts = []
    for model, model_admin in admin_site._registry.items():
        if not any(
            getattr(list_filter, "parameter_name", "").startswith("translation_")
            for list_filter in model_admin.list_filter
        ):
            continue
        if not model_admin.has_change_permission(request):
            continue
        for language in other_languages():
            missing = missing_translation_with_inlines(model_admin, language)
            opts = model._meta
            url = reverse(f"{admin_site.name}:{opts.app_label}_{opts.model_name}_changelist")
            counts.append(
                Untranslated(
                    language=language_name(language),
                    name=capfirst(opts.verbose_name_plural),
                    count=model._default_manager.filter(missing).count(),
                    url=f"{url}?translation_{language}=missing",
                )
            )
    return sorted(counts, key=lambda row: (row.language, row.name))
