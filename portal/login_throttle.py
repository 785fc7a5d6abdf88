"""Password spraying from one address is slowed down, whatever usernames it tries.

django-axes locks out one username from one address after a few failures; someone trying a
common password against many usernames never reaches that count. This counts the admin's
failed logins per client address in the shared cache (so every app server sees them) and,
past ADMIN_LOGIN_FAILURES_PER_ADDRESS in ADMIN_LOGIN_THROTTLE_SECONDS, refuses further
attempts from that address until the window ends. An office behind one address gets room for
its people's typos; a script does not.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

from inquiries.clients import client_ip

logger = logging.getLogger(__name__)


def _key(request) -> str:
    digest = hashlib.sha256((client_ip(request) or "unknown").encode()).hexdigest()[:32]
    return f"admin-login-failures:{digest}"


def is_throttled(request) -> bool:
    try:
        failures = cache.get(_key(request), 0)
    except Exception:  # the cache down: axes' own lockout still applies
        logger.exception("Login throttle unavailable")
        return False
    return failures >= settings.ADMIN_LOGIN_FAILURES_PER_ADDRESS


def count_failure(request) -> None:
    key = _key(request)
    try:
        cache.add(key, 0, timeout=settings.ADMIN_LOGIN_THROTTLE_SECONDS)
        cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, timeout=settings.ADMIN_LOGIN_THROTTLE_SECONDS)
    except Exception:
        logger.exception("Login throttle unavailable")
