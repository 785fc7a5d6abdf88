"""Load benchmark: PostgreSQL-backed gunicorn on loopback with Redis, measured with wrk.

Run with `make bench` (see bench/README.md). In one run it prepares a database of its own
(migrate, demo content, collectstatic), measures the floor (/ping), the public pages with the
page cache on (warm) and off (cold), the request-info form (GET, and POST with its CSRF token
from many concurrent clients), checks that every accepted submission is an inquiry row,
measures the public pages while an editor saves once a second (editors.py), runs two app
servers behind HAProxy through a killed server and Redis and PostgreSQL restarts
(cluster.py), times the staff pages at 249,300 inquiries (desk.py), and prints the SQL query
budgets at demo size and at ten times the content: one table, then each scenario's section
and a list of checks. `--only` runs some of the parts. Everything runs on 127.0.0.1 only,
each wrk run is bounded in time, and the script stops the servers it started.
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.parse
from datetime import datetime

import benchlib
from benchlib import (
    BENCH,
    HOST,
    PYTHON,
    RESULTS,
    ROOT,
    Browser,
    Gunicorn,
    Result,
    count_inquiries,
    lost_inquiries_report,
    plan_form_post,
    wrk,
)

# Targets from the issue (20): share of the floor's throughput, and tail latency where the
# issue asks for it (warm pages, the form page, editors saving).
WARM_TARGET = 0.80
# Cold renders twice as fast as on 2026-12-01 (home 11%, comparisons 3%, program 5% of the
# floor then): the ratios, home 22%, comparisons 6%, program 10%.
COLD_TARGETS = {
    "home": 0.22,
    "curated comparison": 0.06,
    "computed trio comparison": 0.06,
    "program": 0.10,
}
FORM_GET_TARGET = 0.50
FORM_POST_TARGET = 0.10
EDITORS_TARGET = 0.50
P99_TARGET_MS = 100.0
VISIBLE_TARGET_MS = 1000.0

PARTS = ("pages", "form", "editors", "cold", "cluster", "desk", "queries")

PAGES = {
    "home": "/",
    "curated comparison": "/compare/medical-assistant-vs-phlebotomist/",
    "computed trio comparison": (
        "/compare/medical-assistant-vs-laboratory-technician-vs-phlebotomist/"
    ),
    "program": f"/programs/{benchlib.DEMO_PROGRAM}/",
}


def not_measured(name: str, why: str, target: float | None = None) -> Result:
    return Result(name=name, target=target, note=why, measured=False)


def best_of(runs: list[Result]) -> Result:
    """The round with the most requests per second, the rule the floor has always had (the
    machine's noise only ever slows a run down); errors of every round count."""
    best = max(runs, key=lambda result: result.requests_per_second)
    best.errors = sum(result.errors for result in runs)
    if len(runs) > 1:
        rates = ", ".join(f"{result.requests_per_second:.0f}" for result in runs)
        best.note = f"best of {rates} req/s"
    return best


def measure_rounds(floor_label, kind, targets, pages, base, rounds, common, *, p99=None):
    """The floor and each page, `rounds` times in turn, so that a slow spell of the machine
    falls on one round of everything rather than on one scenario. Returns (floor, pages)."""
    runs: dict[str, list[Result]] = {floor_label: []}
    skipped = {}
    for _ in range(rounds):
        runs[floor_label].append(wrk(floor_label, base + "/ping", **common))
        for name, (path, status) in pages.items():
            label = f"{name}, {kind}"
            target = targets.get(name) if isinstance(targets, dict) else targets
            if status != 200:
                skipped[label] = not_measured(label, f"{path} answered {status}", target)
                continue
            runs.setdefault(label, []).append(wrk(label, base + path, target=target, **common))
    floor = best_of(runs.pop(floor_label))
    measured = {label: best_of(label_runs) for label, label_runs in runs.items()}
    for result in measured.values():
        result.max_p99_ms = p99
    return floor, [
        measured.get(label) or skipped[label] for label in (f"{name}, {kind}" for name in pages)
    ]


def resolve_pages(base: str) -> dict[str, tuple[str, int]]:
    """Each page's canonical path (one redirect followed) and its status."""
    return {name: benchlib.canonical(base, path) for name, path in PAGES.items()}


# --- Output ------------------------------------------------------------------------------


def verdict(result: Result, floor: Result | None) -> tuple[str, bool]:
    if not result.measured:
        return "n/a", True
    ok = True
    reasons = []
    floor_rps = floor.requests_per_second if floor else None
    if (
        result.target is not None
        and floor_rps
        and result.requests_per_second < (result.target * floor_rps)
    ):
        ok = False
        reasons.append(f"< {result.target:.0%}")
    if result.max_p99_ms is not None and result.p99_ms >= result.max_p99_ms:
        ok = False
        reasons.append(f"p99 >= {result.max_p99_ms:.0f}ms")
    if result.errors:
        ok = False
        reasons.append("errors")
    return ("PASS" if ok else "FAIL " + ", ".join(reasons)), ok


def table(results: list[Result], floor: Result | None) -> str:
    header = (
        f"{'scenario':34} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'x floor':>8} "
        f"{'target':>7} {'errors':>6}  result"
    )
    lines = [header, "-" * (len(header) + 10)]
    for result in results:
        target = f">={result.target:.0%}" if result.target is not None else "-"
        if not result.measured:
            lines.append(
                f"{result.name:34} {'':>7} {'':>7} {'':>7} {'':>8} {target:>7} "
                f"{'':>6}  n/a: {result.note}"
            )
            continue
        ratio = result.requests_per_second / floor.requests_per_second if floor else 0
        text, _ = verdict(result, floor)
        lines.append(
            f"{result.name:34} {result.requests_per_second:7.0f} {result.p50_ms:7.1f} "
            f"{result.p99_ms:7.1f} {ratio:8.0%} {target:>7} {result.errors:6d}  {text}"
            + (f"  ({result.note})" if result.note else "")
        )
    return "\n".join(lines)


def query_budgets() -> tuple[str, bool]:
    completed = subprocess.run(
        [PYTHON, str(BENCH / "querybudget.py"), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        data = json.loads(completed.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return f"query budgets could not be measured:\n{completed.stderr[-2000:]}", False
    import querybudget

    measured = [row for row in data["rows"] if row[2] is not None and row[3] is not None]
    ok = bool(measured) and all(row[2] == row[3] for row in measured)
    return querybudget.table(data["rows"], data["sizes"]), ok


# --- The run -------------------------------------------------------------------------------


class Run:
    """What the parts of one run share: options, the bench database, and what they found."""

    def __init__(self, args):
        self.args = args
        self.run_id = secrets.token_hex(4)
        self.base = f"http://{HOST}:{args.port}"
        self.common = {
            "seconds": args.seconds,
            "connections": args.connections,
            "threads": args.threads,
        }
        self.results: list[Result] = []
        self.floors: list[Result] = []
        self.notes: list[str] = []
        self.sections: list[str] = []
        self.checks: dict[str, bool] = {}
        self.database_url = None
        self.env = None
        self.pages = None

    def prepare(self) -> None:
        args = self.args
        self.database_url = args.database_url or benchlib.fresh_database("portal_bench")
        self.env = benchlib.load_env(
            self.database_url, cache_url=args.cache_url, PUBLIC_PAGE_CACHE_SECONDS=600
        )
        print(
            f"Preparing {urllib.parse.urlsplit(self.database_url).path[1:]}: migrate, demo "
            "content, collectstatic ...",
            flush=True,
        )
        benchlib.prepare_database(self.env)
        benchlib.flush_redis(args.cache_url)

    def floor_once(self, label: str) -> None:
        if not self.floors:
            self.floors.append(wrk(label, self.base + "/ping", **self.common))
            self.results.append(self.floors[-1])

    @property
    def floor(self) -> Result | None:
        return max(self.floors, key=lambda r: r.requests_per_second) if self.floors else None


def warm_pages(run: Run) -> None:
    print("Measuring the floor and warm pages ...", flush=True)
    for path, status in run.pages.values():
        if status == 200:
            Browser(run.base).get(path)  # the first visit fills the page cache
    floor, warm = measure_rounds(
        "floor (/ping), first",
        "warm",
        WARM_TARGET,
        run.pages,
        run.base,
        run.args.rounds,
        run.common,
        p99=P99_TARGET_MS,
    )
    run.floors.append(floor)
    run.results += [floor, *warm]


def form(run: Run) -> None:
    print("Measuring the form ...", flush=True)
    run.floor_once("floor (/ping)")
    base = run.base
    form_status = Browser(base).get(benchlib.form_path()).status
    if form_status == 200:
        get = wrk("form GET", base + benchlib.form_path(), target=FORM_GET_TARGET, **run.common)
        get.max_p99_ms = P99_TARGET_MS
        run.results.append(get)
    else:
        run.results.append(not_measured("form GET", f"answered {form_status}", FORM_GET_TARGET))
    plan, why = plan_form_post(base, run.run_id) if form_status == 200 else (None, "no form")
    if not plan:
        run.results.append(not_measured("form POST", why, FORM_POST_TARGET))
        run.notes.append(f"Lost inquiries: not measured ({why}).")
        run.checks["zero lost inquiries"] = False
        return
    post = wrk(
        "form POST",
        base + plan.path,
        target=FORM_POST_TARGET,
        script="wrk_form_post.lua",
        script_args=(plan.body_template, plan.cookie, plan.path, run.run_id),
        **run.common,
    )
    # Any answer but the redirect to the thank-you page is a failed submission, including a
    # 200 that shows the form again with errors.
    post.errors = post.extra["socket_errors"] + post.extra.get("rejected", 0)
    time.sleep(2)  # let requests in flight at wrk's cut-off finish
    lost_ok, lost_text = lost_inquiries_report(post, *count_inquiries(run.database_url, run.run_id))
    run.notes.append(lost_text)
    run.checks["zero lost inquiries"] = lost_ok
    run.results.append(post)


def editors_saving(run: Run) -> None:
    import editors

    print("Measuring the public pages while an editor saves once a second ...", flush=True)
    run.floor_once("floor (/ping)")
    paths = [path for path, status in run.pages.values() if status == 200]
    watched = run.pages["program"][0]
    outcome = editors.run_editors(
        run.base,
        run.env,
        run.args.cache_url,
        paths,
        watched,
        seconds=max(run.args.seconds, 10),
        connections=run.args.connections,
        threads=run.args.threads,
        target=EDITORS_TARGET,
    )
    outcome.result.max_p99_ms = P99_TARGET_MS
    slowest = outcome.slowest_visible_ms
    visible_ok = slowest is not None and slowest < VISIBLE_TARGET_MS
    outcome.result.note = (
        f"{outcome.saves} saves; change served within {slowest:.0f} ms at worst"
        if slowest is not None
        else "a save was not served within 5 s"
    )
    run.results.append(outcome.result)
    run.checks[f"editors: every save served in < {VISIBLE_TARGET_MS:.0f} ms"] = visible_ok
    per_page = outcome.activity.renders / max(outcome.saves, 1) / outcome.pages
    # One render per page per save (a few more when a render straddles the next save).
    run.checks["editors: about one render per page per save"] = per_page <= 1.5
    run.sections.append("\n".join(editors.describe(outcome)))


def cold_pages(run: Run) -> None:
    print("Measuring cold pages (page cache off) ...", flush=True)
    env = dict(run.env, PUBLIC_PAGE_CACHE_SECONDS="0")
    with Gunicorn(env, run.args.port, run.args.workers):
        floor, cold = measure_rounds(
            "floor (/ping), again",
            "cold",
            COLD_TARGETS,
            run.pages,
            run.base,
            run.args.rounds,
            run.common,
        )
    run.floors.append(floor)
    run.results += [floor, *cold]


def cluster(run: Run) -> None:
    import cluster as cluster_scenario

    print("Two app servers behind HAProxy (private PostgreSQL and Redis) ...", flush=True)
    text, checks = cluster_scenario.run_cluster(seconds=max(run.args.seconds, 12))
    run.sections.append(text)
    run.checks.update({f"cluster: {name}": ok for name, ok in checks.items()})


def desk(run: Run) -> None:
    print("The desk at 249,300 inquiries ...", flush=True)
    try:
        import desk as desk_bench
    except ImportError:  # bench/desk.py is another part of the issue; not here yet
        run.sections.append("desk: not measured (bench/desk.py is missing)")
        run.checks["desk under 100 ms at 249,300 inquiries"] = False
        return
    text, ok = desk_bench.run_desk()
    run.sections.append(text)
    run.checks["desk under 100 ms at 249,300 inquiries"] = ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="an existing PostgreSQL database to use (default: create portal_bench afresh on "
        "DATABASE_URL's server, or on the local server as postgres)",
    )
    parser.add_argument(
        "--cache-url", default=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/3")
    )
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="runs of the floor and of each page, warm and cold (each reports its best)",
    )
    parser.add_argument("--port", type=int, default=8901)
    parser.add_argument(
        "--only",
        default=",".join(PARTS),
        help=f"comma-separated parts to run, of: {', '.join(PARTS)} (default: all)",
    )
    parser.add_argument("--skip-queries", action="store_true", help="no query-budget check")
    args = parser.parse_args()
    parts = [part.strip() for part in args.only.split(",") if part.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s) {', '.join(sorted(unknown))}; choose from {PARTS}")
    if args.skip_queries and "queries" in parts:
        parts.remove("queries")
    if not shutil.which("wrk"):
        parser.error("wrk is not installed (apt-get install wrk)")

    started = time.monotonic()
    load_before = os.getloadavg()[0]
    run = Run(args)
    served = [part for part in ("pages", "form", "editors") if part in parts]
    if served or "cold" in parts:
        run.prepare()
    if served:
        with Gunicorn(run.env, args.port, args.workers):
            run.pages = resolve_pages(run.base)
            for part in served:
                {"pages": warm_pages, "form": form, "editors": editors_saving}[part](run)
    if "cold" in parts:
        if run.pages is None:
            with Gunicorn(run.env, args.port, args.workers):
                run.pages = resolve_pages(run.base)
        cold_pages(run)
    for part, measure in (("cluster", cluster), ("desk", desk)):
        if part in parts:
            try:
                measure(run)
            except Exception as error:  # one broken scenario must not lose the others' figures
                run.sections.append(f"{part}: stopped by {type(error).__name__}: {error}")
                run.checks[f"{part}: ran to the end"] = False
    budgets = "(query budgets not counted)"
    if "queries" in parts:
        print("Counting queries at demo size and ten times the content ...", flush=True)
        budgets, run.checks["query budgets equal at 1x and 10x"] = query_budgets()

    floor = run.floor
    all_ok = all(verdict(r, floor)[1] for r in run.results) and all(run.checks.values())
    all_measured = all(r.measured for r in run.results)
    summary = [
        f"bench run {datetime.now():%Y-%m-%d %H:%M} ({run.run_id}), parts: {', '.join(parts)}; "
        f"wrk {args.threads} threads, {args.connections} connections, {args.seconds}s per "
        f"scenario; gunicorn {args.workers} sync workers; PostgreSQL, Redis cache; "
        f"{os.cpu_count()} CPUs shared with wrk; load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after (other work on the machine makes the numbers noisy)",
    ]
    if run.results:
        summary += [
            f"each floor and page row is the best of {args.rounds} rounds, run in turn; the "
            f"floor is the best floor run ({floor.requests_per_second:.0f} req/s); targets: "
            f"warm >= {WARM_TARGET:.0%}, form GET >= {FORM_GET_TARGET:.0%}, form POST >= "
            f"{FORM_POST_TARGET:.0%}, cold home >= {COLD_TARGETS['home']:.0%}, comparisons >= "
            f"{COLD_TARGETS['curated comparison']:.0%}, program >= {COLD_TARGETS['program']:.0%}, "
            f"editors saving >= {EDITORS_TARGET:.0%}; p99 < {P99_TARGET_MS:.0f} ms for warm "
            "pages, the form GET and editors saving",
            "",
            table(run.results, floor),
            "",
        ]
    if run.pages:
        summary.append(
            "pages: " + "; ".join(f"{name} {path}" for name, (path, _) in run.pages.items())
        )
    if "form" in parts:
        summary.append(
            f"form: GET {benchlib.form_path()}; POST with the CSRF cookie and token, every "
            "request a new prospect (own email and phone); accepted = 302/303 to the "
            "thank-you page"
        )
    summary += ["", *run.notes]
    for section in run.sections:
        summary += ["", section]
    summary += ["", budgets, ""]
    if run.checks:
        summary.append("checks:")
        summary += [f"  {'PASS' if ok else 'FAIL'}  {name}" for name, ok in run.checks.items()]
        summary.append("")
    summary.append(
        f"overall: {'PASS' if all_ok else 'FAIL'}"
        + ("" if all_measured else " (some scenarios could not be measured)")
        + f"; took {time.monotonic() - started:.0f}s"
    )
    text = "\n".join(summary)
    print()
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"bench-{datetime.now():%Y%m%d-%H%M%S}.txt"
    out.write_text(text + "\n")
    (RESULTS / "latest.txt").write_text(text + "\n")
    print(f"\n(written to {out.relative_to(ROOT)})")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
