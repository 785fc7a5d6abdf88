"""The request-info page as a shell every visitor shares, plus the few values that are theirs.

Rendering the form (crispy-forms laying out a dozen fields, the program and campus lists) is
most of what the page costs, and it is the same for every visitor who opens it for the same
program in the same language. Only these differ from one response to the next:

- the CSRF token, masked afresh for every response (`get_token`, which also sees that the
  CSRF cookie is sent);
- the signed fill-time token of the spam check (`spam.issue_fill_token`);
- where the visitor came from: the attribution fields, read from the query string and the
  Referer (`cleaning.attribution_initial`).

So the page is rendered once with a placeholder as the value of each of those fields and cut
around them into a `FormPageShell`; every response joins the shell's parts with the visitor's
own values, escaped as the form's widgets escape them. The result is byte for byte the page a
full render gives. A form sent back with errors is always rendered in full.
"""

import re
import secrets
import time
from dataclasses import dataclass

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import add_never_cache_headers
from django.utils.html import escape
from django.utils.http import http_date

from inquiries.attribution import ATTRIBUTION_FIELDS
from inquiries.cleaning import attribution_initial
from inquiries.spam import issue_fill_token

CSRF_SLOT = "csrf_token"
FILL_STAMP_SLOT = "fill_token"
SLOTS = (CSRF_SLOT, FILL_STAMP_SLOT, *ATTRIBUTION_FIELDS)

# Letters and digits only, so that escaping leaves a placeholder as it is; new in every
# process, so that no text of the page can pass for one.
_NONCE = secrets.token_hex(8)
# Every slot is a hidden input's value attribute. Django leaves the attribute out when the
# value is empty, so a slot is the whole attribute, not only what is between the quotes.
_SLOT_ATTRIBUTE = re.compile(rf' value="formslot{_NONCE}n(\d+)e"')


def placeholders() -> dict[str, str]:
    """The value to render in each per-visitor field of the shell."""
    return {slot: f"formslot{_NONCE}n{index}e" for index, slot in enumerate(SLOTS)}


@dataclass(frozen=True)
class FormPageShell:
    """The page cut around its per-visitor values: `literals` has one part more than
    `slots`, which name the value that goes between each two parts."""

    literals: tuple[str, ...]
    slots: tuple[str, ...]
    content_type: str


def cut(response: HttpResponse) -> FormPageShell | None:
    """The shell of a page rendered with `placeholders()`; None unless each slot is in it
    exactly once (a template that no longer shows one: the page is then rendered in full)."""
    pieces = _SLOT_ATTRIBUTE.split(response.content.decode(response.charset))
    slots = tuple(SLOTS[int(index)] for index in pieces[1::2])
    if sorted(slots) != sorted(SLOTS):
        return None
    return FormPageShell(
        literals=tuple(pieces[0::2]), slots=slots, content_type=response["Content-Type"]
    )


# The fill token signs the time in whole seconds, so every token issued in one second is
# the same string: it is signed once a second. (second, token)
_fill_token: list = [None, ""]


def _current_fill_token() -> str:
    second = int(time.time())
    if _fill_token[0] != second:
        _fill_token[:] = [second, issue_fill_token()]
    return _fill_token[1]


def visitor_values(request) -> dict[str, str]:
    """This response's own values: a fresh CSRF token and fill token, and the attribution."""
    return {
        CSRF_SLOT: get_token(request),
        FILL_STAMP_SLOT: _current_fill_token(),
        **attribution_initial(request),
    }


def _never_cache_headers() -> dict[str, str]:
    # What `add_never_cache_headers` writes, read once; only Expires (now) changes.
    response = HttpResponse()
    add_never_cache_headers(response)
    return {"Cache-Control": response["Cache-Control"]}


_NEVER_CACHE = _never_cache_headers()


def fill_in(shell: FormPageShell, request) -> HttpResponse:
    """The page for this visitor, as `never_cache` as the form view itself."""
    values = visitor_values(request)
    parts = [shell.literals[0]]
    for slot, literal in zip(shell.slots, shell.literals[1:], strict=True):
        value = values.get(slot) or ""
        if value:
            parts.append(f' value="{escape(value)}"')
        parts.append(literal)
    response = HttpResponse(
        "".join(parts),
        content_type=shell.content_type,
        headers={"Expires": http_date(), **_NEVER_CACHE},
    )
    return response
