"""Whole-page cache for public content pages, and the HTTP caching headers they send.

Two parts, so that an edit shows at once everywhere while a hit stays cheap:
- the content version lives in the shared cache (Redis in production). Every request reads
  it, and any committed write to what a public page shows calls `invalidate_public_pages()`
  (portal/freshness.py), which bumps it, so every app server sees the change on its next
  request. With Redis the read is
  tracked (`RedisCache.get_tracked`): each process keeps the value until Redis pushes word
  that it changed, so an unchanged version costs no round trip;
- the rendered pages live in each process's own memory (the "pages" cache), stored with the
  version they were rendered under. A page of an older version is never served (but for
  the outage copy below): the next request renders it afresh and overwrites it. Keeping
  bodies local spares every hit a round trip carrying tens of kilobytes.
With Redis, each version read is trusted for at most `CONTENT_VERSION_MAX_AGE` seconds (1 s),
so even an invalidation lost on a dead link delays a change by a second at most.

One render per change (single flight). When a page's stored copy is of an older version,
the process first looks at the shared copy (below): if another worker or app server has
already rendered the current version, it takes that copy instead of rendering. Otherwise it
takes a short render lock in the shared cache (`render-lock:<page>`, living
`PUBLIC_PAGE_STALE_SECONDS`) and renders; every other worker, on any server, that wants the
page meanwhile serves the previous copy (marked `no-cache`), or waits for the new one when it
has none. A render that fails releases the lock; one that hangs or dies loses it when it
expires. Whatever happens, a process serves a previous copy of a page for at most
`PUBLIC_PAGE_STALE_SECONDS` after it first wanted the new version, and then renders itself.
So after an editor's save each page is rendered once in the whole cluster, not once per
worker, and nobody waits for it.

If the shared cache cannot be reached, pages are rendered without caching rather than fail.
If the database cannot be reached, the last good copy of a page (kept in the shared cache
whenever a page is rendered) is served rather than an error page.
Pages hold no per-visitor state, so one copy serves everyone.

The same pages tell browsers and a CDN how long they may keep them (`Cache-Control`), and
carry validators (a strong `ETag` of the body and a `Last-Modified`), so a repeat visit after
that gets a `304 Not Modified` instead of the whole page.
"""

import gzip
import hashlib
import logging
import re
import time
import uuid
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache, caches
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date, parse_http_date_safe

logger = logging.getLogger(__name__)

VERSION_KEY = "public-pages:version"
# The cache alias holding rendered pages: local memory of each process (see settings).
PAGE_STORE = "pages"


def _fresh_version() -> int:
    # Not 1: if the version key is ever evicted, a restart from 1 could match entries that
    # were stored before an edit. A clock-based start never matches an older entry.
    return time.time_ns() // 1000


def content_version() -> int:
    # With Redis, a tracked read: no round trip until the version changes, or for a second at
    # most (portal/cache.py).
    tracked = getattr(cache, "get_tracked", None)
    if tracked is None:
        get = cache.get
    else:

        def get(key):
            return tracked(key, max_age=settings.CONTENT_VERSION_MAX_AGE)

    version = get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        version = get(VERSION_KEY)
    return version


def invalidate_public_pages() -> None:
    """Make every cached public page stale; call after any content change."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, _fresh_version(), timeout=None)


def _site_host(request) -> str | None:
    """The request's host as one of the site's own names, or None.

    Pages carry absolute links built from the Host header, so a copy is kept per host; only
    for hosts named exactly in ALLOWED_HOSTS (or SITE_URL's), with no port or the port the
    request really came in on, written plainly. Anything else (`Host: 127.0.0.1:1`, `:01`,
    `:001`, a name matched by a wildcard) is rendered and served but never stored, so a
    stream of made-up Host headers cannot fill the caches.
    """
    domain, port = split_domain_port(request.get_host())
    if domain not in _exact_hosts():
        return None
    if port and (port != str(int(port)) or port != str(request.get_port())):
        return None
    return f"{domain}:{port}" if port else domain


def _exact_hosts() -> frozenset[str]:
    named = {host.lower() for host in settings.ALLOWED_HOSTS if not host.startswith((".", "*"))}
    site = urlsplit(getattr(settings, "SITE_URL", "")).hostname
    return frozenset(named | ({site} if site else set()))


def _page_key(request) -> str | None:
    # The address without its query string: campaign links (?utm_source=...) share one copy,
    # and random query strings cannot push real pages out of the cache.
    host = _site_host(request)
    if host is None:
        return None
    url = f"{request.scheme}://{host}{request.path}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"public-page:{request.method}:{digest}"


def _current_version():
    """The content version, or None when the shared cache cannot be reached."""
    try:
        return content_version()
    except Exception:  # e.g. Redis down: serve freshly rendered pages, never an error
        logger.exception("Page-cache version unavailable; rendering without the cache")
        return None


# The last good copy of each page also goes to the shared cache, with the version it was
# rendered under, for two purposes: after an edit, the first process to render a page shares
# it with every other worker and app server (which take it instead of rendering it again);
# and while the database is down, a process that has no copy of a page of its own (another
# app server, a recycled worker) can still serve it, if perhaps from before the latest edit.
# The gzipped variant is kept when there is one, being the smaller.
LAST_GOOD_SECONDS = 7 * 24 * 60 * 60


# A page this large is not one of ours (the biggest are tens of kilobytes): not kept.
LAST_GOOD_MAX_BYTES = 512 * 1024


def _keep_last_good_copy(key: str, version: int, response) -> None:
    if len(response.content) > LAST_GOOD_MAX_BYTES:
        return
    try:
        cache.set(f"last-good:{key}", (version, response), LAST_GOOD_SECONDS)
    except Exception:  # e.g. Redis down: the page is served all the same
        logger.exception("Could not keep the last good copy of %s", key)


def _shared_copy(key: str):
    """(version, page) as last rendered anywhere; (None, None) if there is none."""
    try:
        stored = cache.get(f"last-good:{key}")
    except Exception:
        logger.exception("Shared cache unavailable; no shared copy of %s", key)
        return None, None
    if isinstance(stored, tuple):
        return stored
    return None, stored  # kept before copies carried their version


def _variants(page) -> tuple[HttpResponse, HttpResponse | None]:
    """(plain, gzipped) of a shared copy, which holds the gzipped one when there is one."""
    if page.get("Content-Encoding") != "gzip":
        return page, None
    plain = HttpResponse(gzip.decompress(page.content), headers=dict(page.items()))
    del plain["Content-Encoding"]
    if plain.has_header("Content-Length"):
        del plain["Content-Length"]
    plain["ETag"] = page["ETag"].removesuffix('-gzip"') + '"'
    return plain, page


def _previous(response):
    # It may be older than the latest edit: browsers and a CDN must ask again next time.
    patch_cache_control(response, no_cache=True, max_age=0, s_maxage=0)
    return response


def _last_good_copy(request, key: str):
    """The page as last rendered anywhere, for a database outage; None if there is none."""
    _, page = _shared_copy(key)
    if page is None:
        return None
    return _previous(_choose(request, *_variants(page)))


def add_public_caching_headers(response) -> None:
    """Mark a finished public page as cacheable by anyone, with validators for revalidation.

    A view may set `Last-Modified` itself when every part of the page has a modification
    time; otherwise the time of rendering stands in, which is honest because any content
    edit makes the next request render afresh. Pages that set a cookie are never marked.
    """
    if response.cookies:
        return
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PUBLIC_PAGE_MAX_AGE,
        s_maxage=settings.PUBLIC_PAGE_CDN_MAX_AGE,
    )
    if not response.has_header("ETag"):
        response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()}"'
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date()


_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def _gzipped_variant(response) -> HttpResponse | None:
    """The same page with its body gzipped, made once when the page is stored, or None when
    compressing would not make it smaller. It has an ETag of its own.

    Compressing HTML can leak a secret in the page (BREACH); public pages hold none (no CSRF
    token, no session), which is why only they are compressed.
    """
    if response.has_header("Content-Encoding") or len(response.content) < 200:
        return None
    body = gzip.compress(response.content, compresslevel=6, mtime=0)
    if len(body) >= len(response.content):
        return None
    variant = HttpResponse(body, status=response.status_code, headers=dict(response.items()))
    variant["Content-Encoding"] = "gzip"
    variant["ETag"] = response["ETag"].removesuffix('"') + '-gzip"'
    return variant


_CONDITIONAL_HEADERS = frozenset(
    ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")
)


def _conditional(request, response):
    """Answer 304 when the visitor's copy (If-None-Match / If-Modified-Since) is current."""
    if not _CONDITIONAL_HEADERS.intersection(request.META):
        return response  # most requests: nothing to compare, nothing to parse
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        response=response,
    )


def _choose(request, response, gzipped):
    if gzipped is not None and _ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        return gzipped
    return response


# --- Single flight: one render of a page at a time, everyone else keeps serving --------------

# While waiting for another worker's render of a page this process has no copy of.
_WAIT_STEP_SECONDS = 0.01
# When this process first wanted each (page, version) it had to serve a previous copy for.
_stale_since: dict[tuple[str, int], float] = {}


def _stale_seconds() -> int:
    return max(int(settings.PUBLIC_PAGE_STALE_SECONDS), 1)


def _take_render_lock(key: str) -> str | None:
    """A token if this process may render `key` now, None if another one is rendering it.

    Without the shared cache there is nobody to agree with: every process renders.
    """
    token = uuid.uuid4().hex
    try:
        taken = cache.add(f"render-lock:{key}", token, timeout=_stale_seconds())
    except Exception:
        logger.exception("Render lock unavailable for %s; rendering anyway", key)
        return token
    return token if taken else None


def _release_render_lock(key: str, token: str) -> None:
    lock = f"render-lock:{key}"
    try:
        # Only our own: a render that outlived its lock must not release the next one's.
        if cache.get(lock) == token:
            cache.delete(lock)
    except Exception:
        logger.exception("Could not release the render lock of %s; it expires", key)


def _may_serve_previous(key: str, version: int) -> bool:
    """True while this process has wanted `version` of `key` for less than the bound."""
    now = time.monotonic()
    if len(_stale_since) > 1024:
        _stale_since.clear()
    since = _stale_since.setdefault((key, version), now)
    return now - since < _stale_seconds()


def _render(view, request, args, kwargs, key, version):
    """Render the page; store it (here and as the shared copy) when it may be stored.

    Returns (response, gzipped variant or None, final): `final` means the response is to be
    sent as it is (an error, a redirect, the outage copy, already answered conditionally).
    """
    try:
        response = view(request, *args, **kwargs)
        # The ETag is a digest of the body, so the page is rendered here rather than after
        # the view returns; no middleware of this project alters template responses.
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
    except (OperationalError, InterfaceError):
        response = _last_good_copy(request, key) if key else None
        if response is None:
            raise  # the friendly 503 (portal.middleware)
        logger.warning("Database unavailable: served the last good copy of %s", key)
        return _conditional(request, response), None, True
    if response.status_code != 200 or response.streaming:
        return response, None, True
    add_public_caching_headers(response)
    patch_vary_headers(response, ("Accept-Encoding",))
    gzipped = _gzipped_variant(response) if not response.cookies else None
    if key and not response.cookies:
        # Stored with the version it was rendered under: after an edit the entry no longer
        # matches and is replaced by the next render (or by another process's copy).
        caches[PAGE_STORE].set(
            key, (version, response, gzipped), settings.PUBLIC_PAGE_CACHE_SECONDS
        )
        _keep_last_good_copy(key, version, gzipped or response)
    return response, gzipped, False


def _adopted(key: str, version: int):
    """The current version of the page as another process rendered it, stored here too;
    (None, None) if no process has."""
    shared_version, page = _shared_copy(key)
    if page is None or shared_version is None or shared_version < version:
        return None, None
    response, gzipped = _variants(page)
    caches[PAGE_STORE].set(key, (version, response, gzipped), settings.PUBLIC_PAGE_CACHE_SECONDS)
    return response, gzipped


def _refresh(view, request, args, kwargs, key, version, previous):
    """The current page when the stored copy is missing or of an older version: taken from
    another process, rendered here under the lock, or (while another process renders it)
    the previous copy. Returns (response, gzipped, final) as `_render` does."""
    deadline = time.monotonic() + _stale_seconds()
    while True:
        response, gzipped = _adopted(key, version)
        if response is not None:
            return response, gzipped, False
        token = _take_render_lock(key)
        if token is not None:
            try:
                # Another render may have finished between the look and the lock.
                response, gzipped = _adopted(key, version)
                if response is not None:
                    return response, gzipped, False
                return _render(view, request, args, kwargs, key, version)
            finally:
                _release_render_lock(key, token)
        if previous is None:
            _, page = _shared_copy(key)
            previous = _variants(page) if page is not None else None
        if previous is not None:
            if _may_serve_previous(key, version):
                return _conditional(request, _previous(_choose(request, *previous))), None, True
            break  # served long enough: render, whoever else is rendering
        if time.monotonic() >= deadline:
            break  # the other render is taking too long: do not keep a visitor waiting
        time.sleep(_WAIT_STEP_SECONDS)
    return _render(view, request, args, kwargs, key, version)


def cached_public_page(view):
    """Serve a public page from the page cache, storing successful renders.

    The project wraps it around the public views where its URLconf includes them
    (portal/urls.py); the apps' views know nothing of it.

    Successful pages also get `Cache-Control: public` with a short max-age (and s-maxage
    for a CDN), an ETag and a Last-Modified, and a matching conditional GET gets a 304.
    Clients that accept gzip get the body compressed once when it was stored.

    The page must not depend on the query string: it is cached by address alone.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        version = _current_version() if settings.PUBLIC_PAGE_CACHE_SECONDS else None
        key = _page_key(request) if version is not None else None
        if key is None:
            response, gzipped, final = _render(view, request, args, kwargs, None, None)
        else:
            stored_version, response, gzipped = caches[PAGE_STORE].get(key, (None, None, None))
            final = False
            if stored_version != version:
                previous = (response, gzipped) if response is not None else None
                response, gzipped, final = _refresh(
                    view, request, args, kwargs, key, version, previous
                )
        if final:
            return response
        return _conditional(request, _choose(request, response, gzipped))

    return wrapped


__all__ = [
    "add_public_caching_headers",
    "cached_public_page",
    "content_version",
    "invalidate_public_pages",
]
