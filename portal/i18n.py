"""The page's language, from its address alone.

English pages have no prefix (`/careers/`), Spanish ones start with `/es/`; nothing else
(no cookie, no Accept-Language) chooses the language, so a page's address says what it is
and every cached copy is of one language. Staff pages (`/admin/`) are unprefixed: English.
"""

from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from django.urls.exceptions import NoReverseMatch
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin


class PathLocaleMiddleware(MiddlewareMixin):
    """Like Django's LocaleMiddleware with `prefix_default_language=False`, minus the
    guessing: no redirect by Accept-Language and so no `Vary: Accept-Language`."""

    def process_request(self, request):
        language = translation.get_language_from_path(request.path_info)
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


# Catch-all patterns match any address, so they say nothing about its language.
_CATCH_ALL = {"institution-page"}


def address_in_right_words(path: str) -> str | None:
    """For an address written with another language's words (`/es/careers/x/`,
    `/carreras/x/`), the same page's address in the address's own language, or None.

    The prefix says the language; a visitor or an old link that typed the other language's
    words is taken to the right address rather than told the page does not exist.
    """
    language = translation.get_language()
    prefix = f"/{language}/"
    bare = path[len(prefix) - 1 :] if path.startswith(prefix) else path
    for words, _ in settings.LANGUAGES:
        if words != language:
            target = _translate(bare, words, language)
            if target and target != path:
                return target
    return None


def _translate(bare_path: str, words_language: str, language: str) -> str | None:
    prefixed = (
        bare_path if words_language == settings.LANGUAGE_CODE else f"/{words_language}{bare_path}"
    )
    with translation.override(words_language):
        try:
            match = resolve(prefixed)
        except Resolver404:
            return None
    if match.url_name in _CATCH_ALL or match.url_name is None:
        return None
    with translation.override(language):
        try:
            return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return None
