"""Cleaning what arrives from outside the form's own fields: characters no field should hold,
and where the visitor came from (kept only as a path on this site or short plain text)."""

import unicodedata
from urllib.parse import parse_qs, urlsplit

from django.utils.http import url_has_allowed_host_and_scheme

from inquiries.attribution import ATTRIBUTION_FIELDS
from inquiries.models import Inquiry

UTM_FIELDS = tuple(name for name in ATTRIBUTION_FIELDS if name.startswith("utm_"))

# Zero-width non-joiner and joiner: invisible, but some scripts (Persian, several Indic ones)
# spell names with them.
_NAME_JOINERS = {"\u200c", "\u200d"}


def strip_control_characters(value: str) -> str:
    return "".join(ch for ch in value if unicodedata.category(ch) != "Cc")


def has_control_characters(value: str, *, allow_newlines: bool) -> bool:
    """Control characters anywhere; in a one-line field (a name, an address) also the
    invisible formatting ones (direction overrides, zero-width spaces), which would make a
    name read differently on the thank-you page, in the admin and in emails."""
    if allow_newlines:
        allowed = {"\n", "\r", "\t"}
        return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value)
    return any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in _NAME_JOINERS for ch in value)


def clean_attribution_value(name: str, value) -> str:
    """One attribution value as the Inquiry field `name` can store it: plain, trimmed text."""
    if not isinstance(value, str):
        return ""
    max_length = Inquiry._meta.get_field(name).max_length
    return strip_control_characters(value).strip()[:max_length]


def local_path_or_empty(value) -> str:
    """Keep only a path on this site ("/programs/x/"), never another site's address."""
    if not isinstance(value, str):
        return ""
    value = strip_control_characters(value).strip()
    if (
        not value.startswith("/")
        or value.startswith("//")
        or "\\" in value
        or not url_has_allowed_host_and_scheme(value, allowed_hosts=None)
    ):
        return ""
    return value


def attribution_initial(request) -> dict:
    """Where the visitor came from, read once when the form page is shown.

    Calls to action pass `?from=<path>`; without it a Referer from this site gives the page.
    A Referer from elsewhere is the external referrer. UTM parameters come from the form
    page's own query string, or else from the same-site page the visitor came from.
    """
    initial = {"source_page": local_path_or_empty(request.GET.get("from", "")), "referrer": ""}
    referer = request.headers.get("Referer", "")
    utm_query = request.GET
    if referer:
        try:
            parts = urlsplit(referer)
        except ValueError:
            parts = None
        if parts is not None and parts.scheme in ("http", "https"):
            if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
                if not initial["source_page"] and parts.path != request.path:
                    path = parts.path + (f"?{parts.query}" if parts.query else "")
                    initial["source_page"] = local_path_or_empty(path)
                if not any(request.GET.get(key) for key in UTM_FIELDS):
                    utm_query = {
                        key: values[0]
                        for key, values in parse_qs(parts.query).items()
                        if key.startswith("utm_")
                    }
            else:
                initial["referrer"] = referer
    for key in UTM_FIELDS:
        initial[key] = utm_query.get(key, "")
    return {name: clean_attribution_value(name, value) for name, value in initial.items()}
