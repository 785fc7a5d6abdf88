"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Skipped, with a clear reason, when Chromium is not installed; in CI (CI=true) a missing
browser is a failure instead, so the journeys are always proven there.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Let browser tests call the ORM while Playwright's event loop runs in this thread.

    Playwright's sync API keeps an event loop in the main thread; the ORM calls these tests
    make are still plain synchronous calls. The switch is on only while a browser test runs:
    set for the whole session it would leak into other tests' subprocesses (where
    `check --deploy` rightly refuses it).
    """
    if "tests/browser/" not in str(item.path):
        yield
        return
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "tests/browser/" in str(item.path)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if Path(CHROMIUM).exists() or not browser_items:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(
            f"Chromium was not found at {CHROMIUM}: CI must run the browser tests "
            "(apt-get install chromium)."
        )
    skip = pytest.mark.skip(reason=f"Chromium not installed ({CHROMIUM}); apt-get install chromium")
    for item in browser_items:
        item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say it loudly at the end of the run when no browser test could run."""
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if "tests/browser/" in report.nodeid and "Chromium not installed" in str(report.longrepr)
    ]
    if skipped:
        terminalreporter.write_sep(
            "!",
            f"{len(skipped)} browser tests SKIPPED: Chromium not found at {CHROMIUM} "
            "(apt-get install chromium); the journeys, accessibility and layout were not checked",
            yellow=True,
            bold=True,
        )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESKTOP}


@pytest.fixture
def screenshot():
    """Save a full-page screenshot into test-artifacts/screenshots/ (kept by CI)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def demo_content(db):
    """The shipped demo careers, comparisons, program, campus and institution pages.

    Browser tests are transactional, so the database is emptied after each one; loading
    the demo takes well under a second, which is cheaper than any way of sharing it.
    """
    from portal.demo import load_demo_content

    load_demo_content()


@pytest.fixture
def staff_groups(db):
    """The staff groups with the permissions their data migration gives them.

    A transactional test's flush empties every table, and the groups come from a data
    migration, not from post_migrate; so they are made again here by that migration's own
    code, run on the models as they were when it was written.
    """
    import importlib

    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    migration = importlib.import_module("inquiries.migrations.0004_staff_groups")
    names = [migration.REPRESENTATIVE, migration.MANAGER, migration.CONTENT_EDITOR]
    if Group.objects.filter(name__in=names).count() < len(names):
        state = MigrationLoader(connection).project_state(
            ("inquiries", "0004_staff_groups"), at_end=False
        )
        migration.create_groups(state.apps, None)
    return {group.name: group for group in Group.objects.filter(name__in=names)}


@pytest.fixture
def page(page):
    # Every step here answers in well under a second; a broken one should fail fast.
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def another_page(browser, page):
    """A page in a browser context of its own (another person), closed after the test."""
    contexts = []

    def open_page():
        context = browser.new_context(viewport=page.viewport_size)
        contexts.append(context)
        context.set_default_timeout(15_000)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
