"""The page in every language: the switcher's and hreflang links, and content shown in
English where its Spanish translation is missing (marked for the reader, `lang="en"`)."""

from django import template
from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from django.urls.exceptions import NoReverseMatch
from django.utils import translation
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from modeltranslation.utils import build_localized_fieldname

register = template.Library()


def _address(context, language: str) -> str:
    """The current page's address in `language`: the page's own object knows its slug
    there (`i18n_object`, anything with `get_absolute_url`); list pages and forms are the
    same address in the other words; an error page leads to that language's home."""
    request = context["request"]
    page_object = context.get("i18n_object")
    if page_object is not None:
        with translation.override(language):
            return page_object.get_absolute_url()
    if context.get("is_error_page"):
        return reverse_in(language, "home")
    try:
        match = resolve(request.path_info)  # in the page's own language
    except Resolver404:
        return reverse_in(language, "home")
    if match.url_name == "institution-page" or not match.url_name:
        return reverse_in(language, "home")
    return reverse_in(language, match.view_name, args=match.args, kwargs=match.kwargs)


def reverse_in(language, *args, **kwargs) -> str:
    with translation.override(language):
        try:
            return reverse(*args, **kwargs)
        except NoReverseMatch:
            return reverse("home")


@register.simple_tag(takes_context=True)
def language_links(context):
    """Each language of the site: code, its name in itself, the page's address in it, its
    absolute address and whether it is the page's own."""
    request = context["request"]
    current = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        path = request.path if code == current else _address(context, code)
        links.append(
            {
                "code": code,
                "name": name,
                "path": path,
                "url": request.build_absolute_uri(path),
                "is_current": code == current,
            }
        )
    return links


def is_fallback(obj, field: str) -> bool:
    """Whether `obj.field` shows the English text because the active language has none."""
    language = translation.get_language()
    if language == settings.LANGUAGE_CODE:
        return False
    own = getattr(obj, build_localized_fieldname(field, language), None)
    return not own and bool(getattr(obj, field, ""))


@register.simple_tag
def tr(obj, field, paragraphs=False):
    """`obj.field` in the page's language; when it is missing there, the English text in a
    `lang="en"` element with a visible "only in English" note."""
    value = getattr(obj, field, "") or ""
    # linebreaks() escapes the text itself (autoescape) and returns plain str.
    text = mark_safe(linebreaks(value, autoescape=True)) if paragraphs else value  # noqa: S308
    if not is_fallback(obj, field):
        return format_html("{}", text)
    note = format_html(' <span class="only-english">{}</span>', gettext("(only in English)"))
    if paragraphs:
        return format_html('<div lang="en">{}</div>{}', text, note)
    return format_html('<span lang="en">{}</span>{}', text, note)


@register.simple_tag
def lang_attr(obj, field):
    """` lang="en"` for an element showing `obj.field` in English as a fallback."""
    return format_html(' lang="{}"', settings.LANGUAGE_CODE) if is_fallback(obj, field) else ""


@register.filter
def is_fallback_of(obj, field):
    """`{% if page|is_fallback_of:"content" %}`: the field is shown in English."""
    return is_fallback(obj, field)


def _in_other_language() -> bool:
    return translation.get_language() != settings.LANGUAGE_CODE


@register.filter
def english(value):
    """A name that stays English (a credential, an issuing body, a source), marked
    `lang="en"` on pages in another language; unchanged on English pages."""
    if _in_other_language():
        return format_html('<span lang="{}">{}</span>', settings.LANGUAGE_CODE, value)
    return value


@register.simple_tag
def en_attr():
    """` lang="en"` on pages in another language, for an element holding English text."""
    return format_html(' lang="{}"', settings.LANGUAGE_CODE) if _in_other_language() else ""
