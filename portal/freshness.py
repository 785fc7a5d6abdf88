"""Public pages go stale the moment their content changes, whoever changed it.

The project watches every SQL statement Django runs (a database execute wrapper on each
connection) and, when one writes to a table a public page reads (the careers, programs and
visits apps, flat pages, sites; a registration changes the seats left), bumps the
page-cache version once the transaction commits (`pagecache.invalidate_public_pages`).
A model's save or delete signals would miss `QuerySet.update()`, `bulk_create()`, raw SQL
and data migrations; the statements do not. Writes to other tables (inquiries, sessions,
logins) leave the pages alone.
"""

import re
from functools import cache

from django.apps import apps
from django.db import transaction
from django.db.backends.signals import connection_created

from portal.pagecache import invalidate_public_pages

# Apps whose rows public pages show.
CONTENT_APPS = ("roles", "programs", "flatpages", "sites", "visits")

# SQLite adds "OR IGNORE" to the inserts of many-to-many links (MySQL "IGNORE").
_WRITE = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+|IGNORE\s+)?INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)',
    re.IGNORECASE,
)


@cache
def content_tables() -> frozenset[str]:
    """Every table of the content apps, many-to-many link tables included."""
    return frozenset(
        model._meta.db_table
        for label in CONTENT_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    )


def writes_content(sql) -> bool:
    match = _WRITE.match(sql) if isinstance(sql, str) else None
    return bool(match) and match.group(1) in content_tables()


def _pages_go_stale_on_commit(connection) -> None:
    # Once per transaction (and savepoint): a loader writing a thousand rows bumps the
    # version once. A bump registered in another savepoint may yet be rolled back with it.
    savepoints = set(connection.savepoint_ids)
    pending = (
        callback
        for registered_in, callback, _ in connection.run_on_commit
        if registered_in == savepoints
    )
    if invalidate_public_pages not in pending:
        # robust: the write has committed; a cache outage must not turn it into an error.
        transaction.on_commit(invalidate_public_pages, using=connection.alias, robust=True)


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if writes_content(sql):
        _pages_go_stale_on_commit(context["connection"])
    return result


def _watch_connection(sender, connection, **kwargs):
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def watch_content_writes() -> None:
    """Connect the watch to every database connection Django opens from now on."""
    connection_created.connect(_watch_connection, dispatch_uid="portal.freshness")
