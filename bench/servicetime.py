"""Service time per request, in-process: where the load benchmark's throughput goes.

wrk's requests per second on this machine move by a quarter from one minute to the next (the
VM's CPU is shared). This script takes the network, gunicorn and wrk out: it calls the WSGI
application directly, one request at a time, with the same production-like settings as the
load benchmark (DEBUG off, PostgreSQL, Redis), and reports for each page the wall time and
the CPU time of the Django process per request (the CPU time leaves out PostgreSQL's and
Redis's own work, and is the steadier of the two). Each figure is the best of several
batches. Run it before and after a change to see what the change did:

    .venv/bin/python bench/servicetime.py            # options: --help

It makes a database of its own, `portal_servicetime`, as the load benchmark does.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import benchlib
from run import PAGES

# Runs in a child process with the production-like environment (settings are read once).
PROBE = r"""
import io, json, os, sys, time, urllib.parse
sys.path.insert(0, os.environ["BENCH_DIR"])
import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import connection, reset_queries

import benchlib

application = get_wsgi_application()
batches, per_batch = int(os.environ["BATCHES"]), int(os.environ["PER_BATCH"])


def call(path, method="GET", body=b"", headers=None):
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr,
        "REMOTE_ADDR": "127.0.0.1", "HTTP_ACCEPT_ENCODING": "gzip, deflate, br",
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/x-www-form-urlencoded", **(headers or {}),
    }
    status, response_headers = [], []
    body = application(environ, lambda s, h, *a: (status.append(s), response_headers.extend(h)))
    content = b"".join(body)
    body.close()
    return status[0], response_headers, content


class SqlClock:
    # Wall time spent inside the database calls: the round trips and PostgreSQL's work, not
    # the ORM building the SQL or turning rows into objects.
    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start


def measure(request):
    # One request first (a cold cache fills, lazy imports happen), then the best batch.
    request(0)
    best_wall = best_cpu = best_sql = float("inf")
    sequence = 1
    for _ in range(batches):
        clock = SqlClock()
        with connection.execute_wrapper(clock):
            wall, cpu = time.perf_counter(), time.process_time()
            for _ in range(per_batch):
                request(sequence)
                sequence += 1
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if wall / per_batch < best_wall:
            best_wall, best_sql = wall / per_batch, clock.seconds / per_batch
        best_cpu = min(best_cpu, cpu / per_batch)
    connection.force_debug_cursor = True
    reset_queries()
    request(sequence)
    queries = len(connection.queries)
    connection.force_debug_cursor = False
    return {
        "wall_ms": best_wall * 1e3,
        "cpu_ms": best_cpu * 1e3,
        "sql_ms": best_sql * 1e3,
        "queries": queries,
    }


def get(path):
    def request(_):
        status, _, _ = call(path)
        assert status.startswith("200"), (path, status)
    return request


def form_post():
    status, headers, content = call(benchlib.form_path())
    cookie = "; ".join(v.split(";")[0] for k, v in headers if k == "Set-Cookie")
    _, data = benchlib.fill_form(content.decode())
    stamp = time.time_ns()

    def request(sequence):
        fields = dict(data)
        email = f"servicetime-{stamp}-{sequence}@example.com"
        for name in benchlib.email_fields(fields):
            fields[name] = [email]
        for name in benchlib.phone_fields(fields):
            fields[name] = [benchlib.phone_for(email)]
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        status, _, content = call(benchlib.form_path(), "POST", body, {"HTTP_COOKIE": cookie})
        assert status.startswith("302"), (status, content[:500])
    return request


def canonical(path):
    # As the load benchmark does: one redirect to the canonical address is followed.
    status, headers, _ = call(path)
    return dict(headers)["Location"] if status.startswith("301") else path


pages = {name: canonical(path) for name, path in json.loads(os.environ["PAGES"]).items()}
results = {}
for name, path in pages.items():
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    results[f"{name}, warm"] = measure(get(path))
for name, path in pages.items():
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    results[f"{name}, cold"] = measure(get(path))
results["floor (/ping)"] = measure(get("/ping"))
results["form GET"] = measure(get(benchlib.form_path()))
results["form POST"] = measure(form_post())
print("SERVICETIME " + json.dumps(results))

if os.environ.get("PROFILE"):
    import cProfile, pstats
    requests = {f"{name}, cold": get(path) for name, path in pages.items()}
    requests.update({"form GET": get(benchlib.form_path()), "form POST": form_post()})
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    request = requests[os.environ["PROFILE"]]
    request(10_000)
    profiler = cProfile.Profile()
    profiler.enable()
    for sequence in range(10_001, 10_001 + per_batch):
        request(sequence)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stderr).sort_stats(os.environ["PROFILE_SORT"])
    stats.print_stats(int(os.environ["PROFILE_LINES"]))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument(
        "--cache-url", default=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/3")
    )
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--per-batch", type=int, default=40, help="requests per batch")
    parser.add_argument(
        "--profile",
        metavar="REQUEST",
        help='also cProfile one batch of a request ("form POST", "form GET", "program, cold" ...) '
        "and print its top functions",
    )
    parser.add_argument("--profile-sort", default="cumulative", help="pstats sort key")
    parser.add_argument("--profile-lines", type=int, default=60)
    args = parser.parse_args()

    database_url = args.database_url or benchlib.fresh_database("portal_servicetime")
    env = benchlib.load_env(database_url, cache_url=args.cache_url)
    print("Preparing the database (migrate, demo content, collectstatic) ...", flush=True)
    benchlib.prepare_database(env)
    benchlib.flush_redis(args.cache_url)
    completed = subprocess.run(
        [benchlib.PYTHON, "-c", PROBE],
        cwd=benchlib.ROOT,
        env=dict(
            env,
            BENCH_DIR=str(benchlib.BENCH),
            PAGES=json.dumps(PAGES),
            BATCHES=str(args.batches),
            PER_BATCH=str(args.per_batch),
            PROFILE=args.profile or "",
            PROFILE_SORT=args.profile_sort,
            PROFILE_LINES=str(args.profile_lines),
            PYTHONPATH=str(benchlib.ROOT),
            DJANGO_SETTINGS_MODULE="portal.settings",
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    line = next((x for x in completed.stdout.splitlines() if x.startswith("SERVICETIME ")), None)
    if completed.returncode != 0 or line is None:
        print(completed.stdout[-3000:], completed.stderr[-3000:], file=sys.stderr)
        return 1
    results = json.loads(line.removeprefix("SERVICETIME "))
    header = f"{'request':34} {'wall ms':>8} {'CPU ms':>8} {'in SQL':>8} {'queries':>8}"
    lines = [
        f"service time per request, in-process, best of {args.batches} batches of "
        f"{args.per_batch} (CPU: the Django process only; in SQL: wall ms inside the "
        "database calls, round trips and PostgreSQL's work, of the best batch)",
        "",
        header,
        "-" * len(header),
    ]
    for name, values in results.items():
        lines.append(
            f"{name:34} {values['wall_ms']:8.2f} {values['cpu_ms']:8.2f} "
            f"{values['sql_ms']:8.2f} {values['queries']:8d}"
        )
    text = "\n".join(lines)
    print(text)
    out = Path(benchlib.RESULTS) / "servicetime-latest.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n")
    if args.profile:
        print(f"\ncProfile of {args.per_batch} x {args.profile}:\n{completed.stderr}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
