"""Steady while editors save (issue 20, point 3): load on the public pages while content is
saved once a second.

wrk requests the bench's public pages in turn (`wrk_pages.lua`) while `editor.py` saves a
career's tagline through the ORM once a second and, after each save, polls the program page
(which shows that tagline) until the new text is served. Redis's MONITOR counts what the page
cache does in the shared cache meanwhile: every render of a cached page writes that page's
shared copy once (`SET ...last-good:...`), so those writes are the renders; the attempts to
take a render lock and the version bumps are counted too.

`run_editors(...)` is what `run.py` calls; it needs a running app server on `base`.
"""

import contextlib
import json
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

import redis
from benchlib import BENCH, PYTHON, ROOT, Browser, Result, wrk

EDITED_ROLE = "medical-assistant"


@dataclass
class CacheActivity:
    """What Redis saw the app servers do to one database, counted from MONITOR."""

    renders: int = 0
    render_locks: int = 0
    version_bumps: int = 0
    adopted_lookups: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)


def watch_cache(cache_url: str) -> tuple[CacheActivity, callable]:
    """Count the page cache's commands on `cache_url`'s database until the returned
    function is called."""
    parts = urllib.parse.urlsplit(cache_url)
    database = int(parts.path.strip("/") or 0)
    # Values are pickles: decoded leniently, since only the commands' keys are read.
    client = redis.Redis.from_url(cache_url, encoding_errors="replace", socket_timeout=None)
    activity = CacheActivity()
    monitor = client.monitor()
    monitor.__enter__()

    end = f"bench-monitor-end-{id(activity)}"

    def count():
        while True:
            try:
                event = monitor.next_command()
            except redis.TimeoutError:
                continue  # a quiet moment, not the end
            except (redis.ConnectionError, OSError, ValueError, AttributeError):
                return
            command = event.get("command", "")
            if end in command:
                return  # every command before the end marker has been counted
            if event.get("db") != database:
                continue
            verb = command.split(" ", 1)[0].upper()
            if verb == "SET" and "last-good:" in command:
                activity.renders += 1
            elif verb == "SET" and "render-lock:" in command:
                activity.render_locks += 1
            elif verb in ("INCRBY", "INCR") and "public-pages:version" in command:
                activity.version_bumps += 1
            elif verb == "GET" and "last-good:" in command:
                activity.adopted_lookups += 1

    thread = threading.Thread(target=count, daemon=True)
    thread.start()

    def stop():
        # MONITOR's stream may lag behind on a busy machine: read it up to a marker sent now.
        with contextlib.suppress(redis.RedisError):
            redis.Redis.from_url(cache_url).echo(end)
        thread.join(30)
        activity._stop.set()
        # The client is referenced until here: collected, it would close the monitor's pool.
        client.close()
        with contextlib.suppress(redis.RedisError, OSError):
            monitor.connection.disconnect()

    return activity, stop


@dataclass
class EditorsOutcome:
    result: Result
    saves: int
    visible_ms: list[float | None]
    activity: CacheActivity
    pages: int

    @property
    def slowest_visible_ms(self) -> float | None:
        seen = [ms for ms in self.visible_ms if ms is not None]
        if not seen or len(seen) < len(self.visible_ms):
            return None
        return max(seen)


def run_editors(
    base: str,
    env: dict,
    cache_url: str,
    paths: list[str],
    watched_path: str,
    *,
    seconds: int,
    connections: int,
    threads: int,
    target: float,
) -> EditorsOutcome:
    for path in paths:
        Browser(base).get(path)  # every page cached before the load starts
    activity, stop_watching = watch_cache(cache_url)
    editor = subprocess.Popen(
        [PYTHON, str(BENCH / "editor.py"), base, watched_path, EDITED_ROLE, str(seconds)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(0.2)
        result = wrk(
            "editors saving, pages",
            base + paths[0],
            seconds=seconds,
            connections=connections,
            threads=threads,
            target=target,
            script="wrk_pages.lua",
            script_args=tuple(paths),
        )
        output, errors = editor.communicate(timeout=30)
    finally:
        if editor.poll() is None:
            editor.kill()
        stop_watching()
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    visible = [line["visible_ms"] for line in lines if "save" in line]
    if not visible:
        raise RuntimeError(f"the editor saved nothing:\n{output[-2000:]}\n{errors[-3000:]}")
    return EditorsOutcome(
        result=result, saves=len(visible), visible_ms=visible, activity=activity, pages=len(paths)
    )


def describe(outcome: EditorsOutcome, servers: int = 1) -> list[str]:
    activity = outcome.activity
    per_save = activity.renders / max(outcome.saves, 1)
    seen = sorted(ms for ms in outcome.visible_ms if ms is not None)
    missed = len(outcome.visible_ms) - len(seen)
    return [
        f"editors saving: {outcome.saves} saves of a career's tagline, one a second, through "
        f"the ORM; {activity.version_bumps} version bumps seen by Redis",
        f"  renders (shared copies written): {activity.renders} for {outcome.pages} pages = "
        f"{per_save:.2f} per save per server ({per_save / outcome.pages:.2f} per page per "
        f"save; {servers} server); render-lock attempts: {activity.render_locks}",
        "  save -> new text served on the program page: "
        + (f"median {seen[len(seen) // 2]:.0f} ms, slowest {seen[-1]:.0f} ms" if seen else "never")
        + (f"; {missed} save(s) not served within 5 s" if missed else ""),
        f"  5xx during the run: {(outcome.result.extra or {}).get('servererrors', 0)}",
    ]
