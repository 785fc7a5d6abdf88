"""The admissions desk at a real college's size: staff pages' server time at 249,300 inquiries.

Five years of inquiries is a quarter of a million rows. This bench makes a PostgreSQL database
of its own (`portal_desk`), migrates it and loads the demo (content, staff, the 300 demo
inquiries with their timelines), measures every staff page in-process at that size, then
multiplies the demo inquiries over five years with set-based SQL (INSERT ... SELECT over
generate_series: the timelines and later submissions copied with them; every inquiry older
than four months closed) to 249,300 inquiries, ANALYZEs, and measures the same pages again.

Each page is requested through the WSGI application as a signed-in manager or representative
(DEBUG off, PostgreSQL, Redis), as `servicetime.py` does for the public pages: the best
batch's wall time per request (for the export, to the last byte of the streamed CSV), the
time spent inside database calls, and the number of SQL statements, which must be the same at
both sizes. A page passes when it answers in under 100 ms at 249,300 inquiries.

    .venv/bin/python bench/desk.py                  # options: --help

`run_desk(database_url)` is what `bench/run.py` calls for the whole table.
"""

import argparse
import contextlib
import json
import math
import os
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import benchlib

DATABASE = "portal_desk"
LARGE_SIZE = 249_300
YEARS = 5
OPEN_MONTHS = 4
TARGET_MS = 100.0
# Copies get ids of their own: the original's id plus the copy's number times this.
ID_STRIDE = 1_000_000

# Runs in a child process with the production-like environment (settings are read once).
PROBE = r"""
import io, json, os, sys, time
sys.path.insert(0, os.environ["BENCH_DIR"])
import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import connection, reset_queries

application = get_wsgi_application()

from django.contrib.auth import get_user_model
from django.test import Client

batches, per_batch = int(os.environ["BATCHES"]), int(os.environ["PER_BATCH"])


def session_cookie(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def call(path, cookie):
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr,
        "REMOTE_ADDR": "127.0.0.1", "HTTP_COOKIE": cookie, "CONTENT_LENGTH": "0",
    }
    status = []
    body = application(environ, lambda s, h, *a: status.append(s))
    size = sum(len(chunk) for chunk in body)  # a streamed export: to its last byte
    body.close()
    return status[0], size


class SqlClock:
    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start


def measure(path, cookie):
    status, size = call(path, cookie)
    if not status.startswith("200"):
        return {"status": status}
    best_wall = best_sql = best_cpu = float("inf")
    for _ in range(batches):
        clock = SqlClock()
        with connection.execute_wrapper(clock):
            wall, cpu = time.perf_counter(), time.process_time()
            for _ in range(per_batch):
                call(path, cookie)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if wall / per_batch < best_wall:
            best_wall, best_sql = wall / per_batch, clock.seconds / per_batch
        best_cpu = min(best_cpu, cpu / per_batch)
    connection.force_debug_cursor = True
    reset_queries()
    call(path, cookie)
    queries = len(connection.queries)
    connection.force_debug_cursor = False
    return {"wall_ms": best_wall * 1e3, "sql_ms": best_sql * 1e3, "cpu_ms": best_cpu * 1e3,
            "queries": queries, "bytes": size}


cookies = {"manager": session_cookie("manager"), "representative": session_cookie("rep")}
results = {}
for name, (who, path) in json.loads(os.environ["DESK_PAGES"]).items():
    results[name] = measure(path, cookies[who])
print("DESK " + json.dumps(results))
"""


# --- The large table ------------------------------------------------------------------------


def _columns(database_url: str, table: str) -> dict[str, str]:
    rows = benchlib.sql_rows(
        database_url,
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = %s ORDER BY ordinal_position",
        (table,),
    )
    return dict(rows)


def _copy_select(columns: dict[str, str], overrides: dict[str, str], alias: str) -> tuple:
    """(column list, select list): every column as it is, timestamps moved back by the copy's
    shift, and the `overrides` given."""
    names, values = [], []
    for name, kind in columns.items():
        names.append(f'"{name}"')
        if name in overrides:
            values.append(overrides[name])
        elif kind.startswith("timestamp"):
            values.append(f"{alias}.{name} - g.shift")
        else:
            values.append(f"{alias}.{name}")
    return ", ".join(names), ", ".join(values)


def grow(database_url: str, size: int = LARGE_SIZE) -> dict:
    """Multiply the demo inquiries (with their timelines and later submissions) over five
    years until there are `size` inquiries, in a few set-based statements; ANALYZE."""
    import psycopg

    demo = benchlib.sql_value(database_url, "SELECT count(*) FROM inquiries_inquiry")
    last_demo_id = benchlib.sql_value(database_url, "SELECT max(id) FROM inquiries_inquiry")
    if last_demo_id >= ID_STRIDE:
        raise RuntimeError("the demo inquiries' ids are too large to copy by id stride")
    extra = size - demo
    copies = math.ceil(extra / demo)
    # The demo spans twelve weeks up to now; copy k lies k steps further back.
    span_seconds = (YEARS * 365 - 12 * 7) * 86400
    step_seconds = span_seconds // copies
    shift = f"(g.k * interval '{step_seconds} seconds')"
    # Every statement below is built from this module's constants and the columns the
    # database lists, never from input.
    series = f"(SELECT k, {shift} AS shift FROM generate_series(1, {copies}) AS g(k)) AS g"  # noqa: S608
    stride = f"g.k * {ID_STRIDE}"
    closes = (
        f"i.submitted_at - g.shift < now() - interval '{OPEN_MONTHS} months' "
        "AND i.status IN ('new', 'contacted', 'appointment', 'applied', 'held')"
    )
    inquiry_columns = _columns(database_url, "inquiries_inquiry")
    names, values = _copy_select(
        inquiry_columns,
        {
            "id": f"i.id + {stride}",
            "email": "split_part(i.email, '@', 1) || '.' || g.k || '@' || "
            "split_part(i.email, '@', 2)",
            "phone": "CASE WHEN i.phone = '' THEN '' ELSE substr(i.phone, 1, 5) || "
            "lpad(((i.id * 7919 + g.k * 104729) % 10000000)::text, 7, '0') END",
            "status": f"CASE WHEN {closes} THEN 'closed' ELSE i.status END",
            "closed_reason": f"CASE WHEN {closes} THEN CASE WHEN i.status = 'held' "
            "THEN 'spam' WHEN i.id % 3 = 0 THEN 'not_interested' ELSE 'unreachable' END "
            "ELSE i.closed_reason END",
            "next_follow_up_at": f"CASE WHEN {closes} THEN NULL "
            "ELSE i.next_follow_up_at - g.shift END",
            "possible_duplicate_of_id": f"i.possible_duplicate_of_id + {stride}",
            "merged_into_id": f"i.merged_into_id + {stride}",
        },
        "i",
    )
    statements = [
        f"INSERT INTO inquiries_inquiry ({names}) SELECT {values} FROM "  # noqa: S608
        f"inquiries_inquiry AS i CROSS JOIN {series} WHERE i.id <= {last_demo_id} "
        f"ORDER BY g.k, i.id LIMIT {extra}"
    ]
    # The last, partial copy may point at a copy that was not made.
    for column in ("possible_duplicate_of_id", "merged_into_id"):
        statements.append(
            f"UPDATE inquiries_inquiry AS c SET {column} = NULL WHERE {column} IS NOT NULL "  # noqa: S608
            f"AND NOT EXISTS (SELECT 1 FROM inquiries_inquiry AS p WHERE p.id = c.{column})"
        )
    copied = "JOIN inquiries_inquiry AS c ON c.id = {alias}.inquiry_id + " + stride
    for table, alias, extra_overrides in (
        ("inquiries_activity", "a", {}),
        ("inquiries_repeatsubmission", "s", {"split_into_id": "NULL"}),
    ):
        columns = _columns(database_url, table)
        columns.pop("id")
        overrides = {"inquiry_id": f"{alias}.inquiry_id + {stride}", **extra_overrides}
        if table == "inquiries_repeatsubmission":
            overrides["email"] = (
                "split_part(s.email, '@', 1) || '.' || g.k || '@' || split_part(s.email, '@', 2)"
            )
        names, values = _copy_select(columns, overrides, alias)
        statements.append(
            f"INSERT INTO {table} ({names}) SELECT {values} FROM {table} AS {alias} "  # noqa: S608
            f"CROSS JOIN {series} {copied.format(alias=alias)} "
            f"WHERE {alias}.inquiry_id <= {last_demo_id}"
        )
    statements.append(
        "SELECT setval(pg_get_serial_sequence('inquiries_inquiry', 'id'), "
        "(SELECT max(id) FROM inquiries_inquiry))"
    )
    started = time.monotonic()
    with psycopg.connect(database_url, autocommit=True) as connection:
        # As a superuser (the bench's default role): no per-row foreign-key checks for rows
        # copied from rows that pass them.
        with contextlib.suppress(psycopg.errors.InsufficientPrivilege):
            connection.execute("SET session_replication_role = replica")
        with connection.transaction():
            for statement in statements:
                connection.execute(statement)
        # A college's rows arrive one at a time in time order, which keeps the indexes led by
        # a time (submitted, created) packed; the copies above go in five years back, block
        # by block, and split those indexes' pages half empty (twice their size). Rebuilt,
        # the indexes are as five years of arrivals leave them.
        for table in ("inquiries_inquiry", "inquiries_activity"):
            connection.execute(f"REINDEX TABLE {table}")  # noqa: S608 (the bench's own names)
    _analyze(database_url)
    counts = {
        table: benchlib.sql_value(database_url, f"SELECT count(*) FROM {table}")  # noqa: S608
        for table in ("inquiries_inquiry", "inquiries_activity", "inquiries_repeatsubmission")
    }
    counts["open"] = benchlib.sql_value(
        database_url,
        "SELECT count(*) FROM inquiries_inquiry WHERE status NOT IN ('closed', 'enrolled')",
    )
    counts["seconds"] = round(time.monotonic() - started, 1)
    return counts


def _analyze(database_url: str) -> None:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


# --- The pages -------------------------------------------------------------------------------


def desk_pages(database_url: str) -> dict[str, tuple[str, str]]:
    """Every staff page to measure: name -> (who, path). Chosen from the demo rows, which the
    large table keeps, so that both sizes ask the same questions."""
    one = benchlib.sql_value
    base = "/admin/inquiries/inquiry/"
    rep_id = one(database_url, "SELECT id FROM auth_user WHERE username = 'rep'")
    rep2_id = one(database_url, "SELECT id FROM auth_user WHERE username = 'rep2'")
    program_id = one(database_url, "SELECT min(program_id) FROM inquiries_inquiry")
    campus_id = one(database_url, "SELECT min(campus_id) FROM inquiries_inquiry")
    source = one(
        database_url,
        "SELECT source_page FROM inquiries_inquiry WHERE source_page <> '' "
        "GROUP BY source_page ORDER BY count(*) DESC, source_page LIMIT 1",
    )
    inquiry_id, last_name, email, phone = benchlib.sql_rows(
        database_url,
        "SELECT id, last_name, email, phone FROM inquiries_inquiry WHERE owner_id = %s "
        "AND status IN ('new', 'contacted', 'appointment', 'applied') AND phone <> '' "
        "ORDER BY submitted_at DESC LIMIT 1",
        (rep_id,),
    )[0]
    latest = one(database_url, "SELECT max(submitted_at) FROM inquiries_inquiry")
    year, month, day = latest.year, latest.month, latest.day
    digits = phone.removeprefix("+1")
    typed_phone = f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    from urllib.parse import quote

    filters = {
        "status: open": "status=open",
        "status: new": "status=new",
        "status: closed": "status=closed",
        "status: closed as spam": "status=closed:spam",
        "status: all but spam": "status=not_spam",
        "overdue follow-up": "overdue=follow_up",
        "waiting for first contact": "overdue=speed_to_lead",
        "open, no follow-up": "overdue=no_follow_up",
        "owner: unassigned": "owner=unassigned",
        "owner: one representative": f"owner={rep2_id}",
        "program": f"program={program_id}",
        "no program": "program=none",
        "campus": f"campus={campus_id}",
        "source page": f"source={quote(source)}",
        "submitted today": "submitted=today",
        "submitted past 30 days": "submitted=30d",
        "submitted more than 12 weeks ago": "submitted=older",
        "possible duplicates": "duplicates=possible",
        "merged": "duplicates=merged",
        "dashboard's 12 weeks": "submitted_between=" + quote(_default_range()),
        "reached: applied": "reached=applied",
        "first contact: not attempted": "contact=not_attempted",
        "language: Spanish": "language=es",
        "year": f"submitted_at__year={year}",
        "month": f"submitted_at__year={year}&submitted_at__month={month}",
        "day": f"submitted_at__year={year}&submitted_at__month={month}&submitted_at__day={day}",
        "search: last name": f"q={quote(last_name)}",
        "search: email": f"q={quote(email)}",
        "search: phone": f"q={quote(typed_phone)}",
    }
    pages = {
        "admin home (manager)": ("manager", "/admin/"),
        "My day (manager)": ("manager", f"{base}my-day/"),
        "My day (representative)": ("representative", f"{base}my-day/"),
        "list, default (manager)": ("manager", base),
        "list, default (representative)": ("representative", f"{base}?owner=mine&status=open"),
    }
    for name, query in filters.items():
        pages[f"list, {name} (manager)"] = ("manager", f"{base}?{query}")
    for name in ("status: new", "year", "month", "search: last name", "search: phone"):
        query = f"owner=mine&{filters[name]}"
        pages[f"list, mine + {name} (representative)"] = ("representative", f"{base}?{query}")
    pages.update(
        {
            "inquiry page (manager)": ("manager", f"{base}{inquiry_id}/change/"),
            "inquiry page (representative)": ("representative", f"{base}{inquiry_id}/change/"),
            "dashboard (manager)": ("manager", f"{base}dashboard/"),
            "export, open + past 7 days (manager)": (
                "manager",
                f"{base}export/?status=open&submitted=7d",
            ),
            "export, submitted today (manager)": ("manager", f"{base}export/?submitted=today"),
        }
    )
    return pages


def _default_range() -> str:
    import datetime

    today = datetime.date.today()
    monday = today - datetime.timedelta(days=today.weekday(), weeks=11)
    return f"{monday.isoformat()}..{today.isoformat()}"


def measure(env: dict, pages: dict, *, batches: int, per_batch: int) -> dict:
    completed = subprocess.run(
        [benchlib.PYTHON, "-c", PROBE],
        cwd=benchlib.ROOT,
        env=dict(
            env,
            BENCH_DIR=str(benchlib.BENCH),
            DESK_PAGES=json.dumps(pages),
            BATCHES=str(batches),
            PER_BATCH=str(per_batch),
            PYTHONPATH=str(benchlib.ROOT),
            DJANGO_SETTINGS_MODULE="portal.settings",
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    line = next((x for x in completed.stdout.splitlines() if x.startswith("DESK ")), None)
    if completed.returncode != 0 or line is None:
        raise RuntimeError(
            f"the desk probe failed:\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}"
        )
    return json.loads(line.removeprefix("DESK "))


def table(small: dict, large: dict, sizes: tuple[int, int], growth: dict) -> tuple[str, bool]:
    header = (
        f"{'staff page':58} {'demo ms':>8} {'large ms':>9} {'in SQL':>7} {'CPU':>6} "
        f"{'queries':>9}  verdict"
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        f"staff pages, in-process server time (wall ms per request, best batch; export: to "
        f"the last byte), at {sizes[0]:,} and at {sizes[1]:,} inquiries "
        f"({growth.get('inquiries_activity', 0):,} timeline entries, "
        f"{growth.get('inquiries_repeatsubmission', 0):,} later submissions, "
        f"{growth.get('open', 0):,} not closed); in SQL: wall ms inside database calls; CPU: "
        f"the Django process's own; pass: under {TARGET_MS:.0f} ms at the large size and the "
        "same queries at both",
        f"(load average when printed: {load}; on a shared machine the wall times grow with it)",
        "",
        header,
        "-" * len(header),
    ]
    passed = True
    for name, before in small.items():
        after = large.get(name, {})
        if "status" in before or "status" in after:
            status = before.get("status") or after.get("status")
            if status.startswith("302") and "language" in name:
                lines.append(f"{name:58} {'(no such filter yet: ' + status + ')':>36}")
                continue
            lines.append(f"{name:58} {'answered ' + status:>36}  FAIL")
            passed = False
            continue
        same = before["queries"] == after["queries"]
        ok = after["wall_ms"] < TARGET_MS and same
        passed &= ok
        lines.append(
            f"{name:58} {before['wall_ms']:8.1f} {after['wall_ms']:9.1f} "
            f"{after['sql_ms']:7.1f} {after['cpu_ms']:6.1f} "
            f"{before['queries']:4d}/{after['queries']:<4d}  "
            f"{'pass' if ok else 'FAIL'}"
        )
    lines.append("")
    lines.append(f"desk at {sizes[1]:,} inquiries: {'PASS' if passed else 'FAIL'}")
    return "\n".join(lines), passed


def run_desk(
    database_url: str | None = None,
    *,
    cache_url: str = "redis://127.0.0.1:6379/5",
    size: int = LARGE_SIZE,
    batches: int = 3,
    per_batch: int = 3,
) -> tuple[str, bool]:
    """Build the desk database, measure the staff pages at demo size and at `size`
    inquiries: (the table as text, whether every page passed)."""
    database_url = database_url or benchlib.fresh_database(DATABASE)
    env = benchlib.load_env(database_url, cache_url=cache_url)
    print("desk: migrate, demo content, demo inquiries ...", flush=True)
    benchlib.prepare_database(env)
    benchlib.flush_redis(cache_url)
    _analyze(database_url)
    pages = desk_pages(database_url)
    demo_size = benchlib.sql_value(database_url, "SELECT count(*) FROM inquiries_inquiry")
    print(f"desk: measuring {len(pages)} staff pages at {demo_size} inquiries ...", flush=True)
    small = measure(env, pages, batches=batches, per_batch=per_batch)
    print(f"desk: growing to {size:,} inquiries ...", flush=True)
    growth = grow(database_url, size)
    print(f"desk: grown in {growth['seconds']} s; measuring again ...", flush=True)
    benchlib.flush_redis(cache_url)
    large = measure(env, pages, batches=batches, per_batch=per_batch)
    return table(small, large, (demo_size, growth["inquiries_inquiry"]), growth)


def remeasure(args) -> int:
    """While working on a page: migrate the grown database and measure it alone."""
    database_url = args.database_url or (
        urllib.parse.urlsplit(benchlib.DEFAULT_SERVER_URL)._replace(path=f"/{DATABASE}").geturl()
    )
    env = benchlib.load_env(database_url, cache_url=args.cache_url)
    benchlib.manage(env, "migrate", "--noinput")
    benchlib.flush_redis(args.cache_url)
    pages = desk_pages(database_url)
    if args.pages:
        pages = {
            name: page
            for name, page in pages.items()
            if any(word.lower() in name.lower() for word in args.pages)
        }
    large = measure(env, pages, batches=args.batches, per_batch=args.per_batch)
    size = benchlib.sql_value(database_url, "SELECT count(*) FROM inquiries_inquiry")
    text, passed = table(large, large, (size, size), {})
    print(text)
    return 0 if passed else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DESK_DATABASE_URL"))
    parser.add_argument(
        "--cache-url", default=os.environ.get("DESK_CACHE_URL", "redis://127.0.0.1:6379/5")
    )
    parser.add_argument("--size", type=int, default=LARGE_SIZE, help="inquiries at the end")
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--per-batch", type=int, default=3, help="requests per batch")
    parser.add_argument(
        "--again",
        action="store_true",
        help="measure an already grown database again (after migrating it), large size only",
    )
    parser.add_argument(
        "--pages",
        nargs="+",
        metavar="WORDS",
        help="with --again: only the pages whose name contains one of these words",
    )
    args = parser.parse_args()
    if args.again:
        return remeasure(args)
    database_url = args.database_url or benchlib.fresh_database(DATABASE)
    text, passed = run_desk(
        database_url,
        cache_url=args.cache_url,
        size=args.size,
        batches=args.batches,
        per_batch=args.per_batch,
    )
    print(text)
    out = Path(benchlib.RESULTS) / "desk-latest.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
