import os

import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Browser tests run last, after every other test.

    Playwright's sync API leaves its event loop running in the main thread until the
    session ends, and Django refuses ORM calls beside a running loop. pytest-django's order
    (database tests, then transactional ones) can be shuffled by pytest's own grouping of
    tests that share module-scoped fixtures, which once put ordinary database tests after
    the browser tests, where every one failed at setup.
    """
    browser = [item for item in items if "tests/browser/" in str(item.path)]
    if browser:
        others = [item for item in items if "tests/browser/" not in str(item.path)]
        items[:] = others + browser


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture(autouse=True)
def _english_to_begin_with():
    """Each test starts in the site's default language: a Spanish request in an earlier test
    leaves Spanish active in this thread, and model translation would then read and write
    the Spanish columns."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached pages and rate-limit counters must not leak from one test into another."""
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()
    yield
    for alias in caches:
        caches[alias].clear()


@pytest.fixture(scope="module")
def sync_orm_beside_playwright():
    """pytest-django runs transactional tests last, beside the browser tests, whose Playwright
    event loop still runs in this thread; the ORM calls of such a module (and the flush after
    each test) are plain synchronous code."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
