"""Whole-page cache for public content pages.

Every cached page is stored under a key that includes a content version. Editing anything a
public page shows calls `invalidate_public_pages()`, which bumps the version, so every app
server sees the change at once (the version lives in the shared cache, e.g. Redis) and stale
entries simply expire. Pages hold no per-visitor state, so one copy serves everyone.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_response_headers

VERSION_KEY = "public-pages:version"


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def invalidate_public_pages() -> None:
    """Make every cached public page stale; call after any content change."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def _page_key(request) -> str:
    url = request.build_absolute_uri()
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"public-page:{content_version()}:{request.method}:{digest}"


def cached_public_page(view):
    """Serve a public page from the shared cache, storing successful renders."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        timeout = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not timeout or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        response = cache.get(key)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:

            def store(rendered):
                if not rendered.cookies:
                    cache.set(key, rendered, timeout)

            if hasattr(response, "render") and not response.is_rendered:
                response.add_post_render_callback(store)
            else:
                store(response)
        return response

    return wrapped


__all__ = [
    "cached_public_page",
    "content_version",
    "invalidate_public_pages",
    "patch_response_headers",
]
