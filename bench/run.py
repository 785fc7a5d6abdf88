"""Load benchmark: PostgreSQL-backed gunicorn on loopback, measured with wrk.

Run with `make bench` (see bench/README.md). Everything runs on 127.0.0.1 only, each wrk run
is bounded in time, and the script stops the servers it started.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
HOST = "127.0.0.1"


@dataclass
class Result:
    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    note: str = ""


def run_env(database_url: str, *, page_cache_seconds: int, cache_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            # Plain http on loopback: no redirect to https, cookies allowed over http.
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "EMAIL_URL": "locmemmail://",
            "CACHE_URL": cache_url,
            "PUBLIC_PAGE_CACHE_SECONDS": str(page_cache_seconds),
            "GUNICORN_ACCESS_LOG": "",
            "LOG_LEVEL": "WARNING",
            # The benchmark's many form posts come from one address.
            "INQUIRY_RATE_LIMIT": "1000000/60",
            "INQUIRY_MIN_FILL_SECONDS": "0",
        }
    )
    return env


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


def wait_until_up(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/ping", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer on port {port}")


class Gunicorn:
    def __init__(self, env: dict, port: int, workers: int):
        self.env = dict(env, GUNICORN_BIND=f"{HOST}:{port}", WEB_CONCURRENCY=str(workers))
        self.port = port
        self.process = None

    def __enter__(self):
        gunicorn = str(Path(PYTHON).with_name("gunicorn"))
        self.process = subprocess.Popen(
            [gunicorn, "-c", "gunicorn.conf.py", "portal.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        wait_until_up(self.port)
        return self

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)


def wrk(
    name: str, url: str, *, seconds: int, connections: int, script: str = "wrk_report.lua", note=""
) -> Result:
    command = [
        "wrk",
        f"--threads={min(2, connections)}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=5s",
        f"--script={BENCH / script}",
        url,
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    match = re.search(r"BENCH_RESULT (.*)", output)
    if not match:
        raise RuntimeError(f"wrk printed no result for {name}:\n{output}")
    values = dict(pair.split("=") for pair in match.group(1).split())
    requests = int(values["requests"])
    seconds_measured = int(values["duration_us"]) / 1e6
    accepted = re.search(r"BENCH_ACCEPTED (\d+)", output)
    if accepted:
        note = f"{note}accepted={accepted.group(1)}"
    return Result(
        name=name,
        requests_per_second=requests / seconds_measured,
        p50_ms=int(values["p50_us"]) / 1000,
        p99_ms=int(values["p99_us"]) / 1000,
        requests=requests,
        errors=int(values["socket_errors"]) + int(values["non2xx"]),
        note=note,
    )


def fetch(url: str) -> tuple[int, str, str]:
    """GET without following redirects: status, final location, body."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, url, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", ""), ""


def canonical(base: str, path: str) -> str:
    status, location, _ = fetch(base + path)
    if status in (301, 302):
        return location if location.startswith("/") else location.removeprefix(base)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return path


def first_program_path(base: str) -> str:
    _, _, body = fetch(base + "/programs/")
    match = re.search(r'href="(/programs/[a-z0-9-]+/)"', body)
    if not match:
        raise RuntimeError("no program link on /programs/")
    return match.group(1)


def print_table(results: list[Result], floor: Result) -> None:
    header = (
        f"{'scenario':44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs floor':>9} {'errors':>7}"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        ratio = result.requests_per_second / floor.requests_per_second
        print(
            f"{result.name:44} {result.requests_per_second:8.0f} {result.p50_ms:8.1f} "
            f"{result.p99_ms:8.1f} {ratio:8.0%} {result.errors:7d}  {result.note}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument(
        "--cache-url", default=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/7")
    )
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8901)
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url or BENCH_DATABASE_URL is required (PostgreSQL)")
    if not shutil.which("wrk"):
        parser.error("wrk is not installed (apt-get install wrk)")

    base = f"http://{HOST}:{args.port}"
    env = run_env(args.database_url, page_cache_seconds=600, cache_url=args.cache_url)
    print("Preparing: migrate, demo content, collectstatic ...", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo_content")
    manage(env, "collectstatic", "--noinput", "--clear")
    subprocess.run(
        [PYTHON, "-c", f"import redis; redis.Redis.from_url({args.cache_url!r}).flushdb()"],
        check=True,
    )

    results: list[Result] = []
    common = {"seconds": args.seconds, "connections": args.connections}
    with Gunicorn(env, args.port, args.workers):
        pages = {
            "home": "/",
            "curated comparison": canonical(base, "/compare/medical-assistant-vs-phlebotomist/"),
            "computed trio comparison": canonical(
                base, "/compare/medical-assistant-vs-laboratory-technician-vs-phlebotomist/"
            ),
            "program": first_program_path(base),
        }
        floor = wrk("floor: trivial view (/ping)", base + "/ping", **common)
        results.append(floor)
        for name, path in pages.items():
            fetch(base + path)  # warm the page cache
            results.append(wrk(f"{name}, warm ({path})", base + path, **common))

    cold_env = dict(env, PUBLIC_PAGE_CACHE_SECONDS="0")
    with Gunicorn(cold_env, args.port, args.workers):
        for name, path in pages.items():
            results.append(wrk(f"{name}, cold", base + path, **common))

    print()
    print(
        f"wrk {args.connections} connections, {args.seconds}s each, gunicorn {args.workers} "
        f"sync workers, PostgreSQL, Redis cache, {os.cpu_count()} CPUs"
    )
    print_table(results, floor)
    return 0


if __name__ == "__main__":
    sys.exit(main())
