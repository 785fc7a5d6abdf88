import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def client_ip(request) -> str | None:
    """The visitor's address: REMOTE_ADDR, or behind our own proxy the hop it appended.

    Shared by the request-info rate limit and django-axes' login lockout, so that behind a
    load balancer neither mistakes every visitor for the balancer itself.
    """
    if settings.BEHIND_TLS_PROXY:
        hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
        hops = [hop for hop in hops if hop]
        if hops:
            # Each proxy of ours appends the address it saw; anything before the first of
            # them the client could forge. With a CDN in front of the load balancer that is
            # two hops from the end (TRUSTED_PROXY_HOPS=2).
            return hops[-min(settings.TRUSTED_PROXY_HOPS, len(hops))]
    # None, not a placeholder: axes stores the address in an inet column on PostgreSQL.
    return request.META.get("REMOTE_ADDR") or None


def over_rate_limit(request) -> bool:
    """Count this submission against its address; True once the address is over the limit.

    The counter lives in the shared cache (Redis in production), so every app server sees
    the same count. If the cache is down, people are let through rather than turned away.
    """
    digest = hashlib.sha256((client_ip(request) or "unknown").encode()).hexdigest()[:32]
    key = f"inquiries:rate:{digest}"
    window = settings.INQUIRY_RATE_WINDOW_SECONDS
    try:
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # the window ended between add() and incr()
            cache.set(key, 1, timeout=window)
            count = 1
    except Exception:
        logger.exception("Rate-limit cache unavailable; letting the submission through")
        return False
    return count > settings.INQUIRY_RATE_LIMIT
