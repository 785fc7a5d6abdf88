"""Two app servers behind a real load balancer (issue 20, point 5).

    .venv/bin/python bench/cluster.py          # about two minutes; or run.py --only cluster

Starts everything it needs privately, on loopback, in a temporary directory: a PostgreSQL
cluster of its own (`initdb` as the `postgres` OS user, `pg_ctl` on a free port), a Redis
server of its own (`redis-server --save ''`), two gunicorn servers (2 sync workers each, the
same release and environment, the same SECRET_KEY), HAProxy in front of them (health checks
on `/healthz`, GETs retried on the other server) and one task worker (`manage.py db_worker`).
The machine's shared PostgreSQL and Redis are never touched. Then it shows:

1. an edit saved through the admin on server A is served by server B within a second;
2. the request-info rate limit counts across both servers: limit + 1 submissions from one
   address, alternating A and B, and the last one is refused;
3. server A is killed (SIGKILL to its master and workers) in the middle of a form POST load
   and a GET load through HAProxy: every accepted submission is a row, GETs are retried on B
   (5xx counted);
4. Redis is stopped and started again under the same loads, then PostgreSQL is restarted
   (`pg_ctl restart`, a real restart): the 5xx during each run, zero lost accepted
   inquiries, and how long after the service is back the site works again, with the same
   app servers (never restarted).
"""

import contextlib
import glob
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import benchlib
from benchlib import (
    HOST,
    PYTHON,
    RESULTS,
    ROOT,
    Browser,
    FormParser,
    Gunicorn,
    count_inquiries,
    lost_inquiries_report,
    plan_form_post,
    wrk,
)

RATE_LIMIT = 5
WORKERS_PER_SERVER = 2
DATABASE = "portal_cluster"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# --- Private services ------------------------------------------------------------------------


class PrivateRedis:
    def __init__(self, directory: Path):
        self.port = free_port()
        self.url = f"redis://{HOST}:{self.port}/0"
        self.log = directory / "redis.log"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", HOST, "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--logfile", str(self.log)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        import redis

        while time.monotonic() < deadline:
            with contextlib.suppress(redis.ConnectionError):
                if redis.Redis.from_url(self.url).ping():
                    return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on {self.port}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


class PrivatePostgres:
    """A PostgreSQL cluster of its own, run as the `postgres` OS user (initdb refuses root)."""

    def __init__(self, directory: Path):
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not binaries:
            raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql")
        self.bin = Path(binaries[-1]).parent
        self.directory = directory / "pg"
        self.data = self.directory / "data"
        self.port = free_port()
        self.server_url = f"postgres://postgres@{HOST}:{self.port}/postgres"

    def _as_postgres(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run(
            [*prefix, *command], capture_output=True, text=True, check=check, timeout=120
        )

    def init(self) -> None:
        self.directory.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self._as_postgres(
            str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
            "--no-sync",
        )  # fmt: skip
        self.start()

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses={HOST}"
        self._as_postgres(
            str(self.bin / "pg_ctl"), action, "-D", str(self.data), "-w", "-t", "60",
            "-l", str(self.directory / "server.log"), "-o", options, *extra,
        )  # fmt: skip

    def start(self) -> None:
        self._pg_ctl("start")

    def restart(self) -> None:
        self._pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        if self.data.exists():
            self._as_postgres(
                str(self.bin / "pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate",
                check=False,
            )  # fmt: skip


HAPROXY_CONFIG = """\
global
    maxconn 4096
    log stdout format raw local0 info

defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    option forwardfor
    # A server that refuses or drops the connection: the request goes to the other one.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response junk-response response-timeout 502 503 504

frontend portal
    bind {host}:{port}
    default_backend apps

backend apps
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host {host}
    http-check expect status 200
    # A check waits behind the requests a busy sync worker has queued: give it time.
    timeout check 3s
    # Only GET and HEAD are ever sent twice; a POST is retried only when it never reached
    # a server (the connection failed), so no submission can be recorded twice.
    http-request disable-l7-retry if !METH_GET
    # Requests wait here rather than in gunicorn's backlog: sync workers take one at a time.
    timeout queue 10s
    default-server inter 1s fall 2 rise 2 maxconn {maxconn}
    # A connection refused during traffic takes the server out at once, not after checks:
    # otherwise retries keep finding the dead server while the live one is at its maxconn.
    server a {host}:{a} check observe layer4 error-limit 1 on-error mark-down
    server b {host}:{b} check observe layer4 error-limit 1 on-error mark-down
    # When every server fails its check (the database is down for all of them), send the
    # traffic to them anyway: they still serve the pages they have cached, and the friendly
    # 503 page for the rest, instead of the load balancer's bare 503 for everything.
    option allbackups
    server a-last-resort {host}:{a} backup
    server b-last-resort {host}:{b} backup
"""


class HAProxy:
    def __init__(self, directory: Path, a: int, b: int):
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.config = directory / "haproxy.cfg"
        self.log = RESULTS / "cluster-haproxy.log"
        self.mark = 0
        self.config.write_text(
            HAPROXY_CONFIG.format(
                host=HOST, port=self.port, a=a, b=b, maxconn=2 * WORKERS_PER_SERVER
            )
        )
        self.process = None

    def __enter__(self):
        check = subprocess.run(["haproxy", "-c", "-f", str(self.config)], capture_output=True)
        if check.returncode != 0:
            raise RuntimeError(f"haproxy refused its config: {check.stderr.decode()}")
        self.process = subprocess.Popen(
            ["haproxy", "-db", "-f", str(self.config)],
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        listening = wait_until(
            lambda: socket.create_connection((HOST, self.port), timeout=1).close() or True, 10
        )
        if listening is None:
            self.__exit__()  # __exit__ is not called when __enter__ raises
            raise RuntimeError(f"haproxy did not listen on {self.port}")
        return self

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


_HTTPLOG = re.compile(r" (\S+)/(\S+) \S+ (\d{3}) \S+ \S+ \S+ (\S{4}) ")


def server_errors_seen(proxy: HAProxy) -> str:
    """The 5xx HAProxy logged since the last call, by status, server and termination state
    (e.g. `SC--`: the server refused the connection; `sH--`: no response in time)."""
    with proxy.log.open() as log:
        log.seek(proxy.mark)
        text = log.read()
        proxy.mark = log.tell()
    counts = Counter(
        f"{status} {server} {state}"
        for _, server, status, state in _HTTPLOG.findall(text)
        if status.startswith("5")
    )
    return ", ".join(f"{n} x {what}" for what, n in counts.most_common(6)) or "none"


class Supervised:
    """The task worker, started again whenever it exits, as systemd's Restart=always does."""

    def __init__(self, env: dict):
        self.env = env
        self.exits = []
        self.process = None
        self._stop = threading.Event()
        self.log = (RESULTS / "cluster-db_worker.log").open("w")

    def _start(self):
        self.process = subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--interval", "0.5"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def _watch(self):
        while not self._stop.is_set():
            code = self.process.poll()
            if code is not None:
                self.exits.append(code)
                time.sleep(1)  # RestartSec=1
                self._start()
            time.sleep(0.2)

    def __enter__(self):
        self._start()
        threading.Thread(target=self._watch, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        time.sleep(0.3)
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(10)


def kill_server(server: Gunicorn) -> None:
    """SIGKILL to gunicorn's master and every worker (its own process group)."""
    os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait()


# --- The checks ------------------------------------------------------------------------------


class Report:
    def __init__(self):
        self.lines: list[str] = []
        self.checks: dict[str, bool] = {}

    def line(self, text: str) -> None:
        print(f"  {text}", flush=True)
        self.lines.append(f"  {text}")

    def check(self, name: str, ok: bool, detail: str) -> None:
        self.checks[name] = self.checks.get(name, True) and ok
        self.line(f"{'PASS' if ok else 'FAIL'} {name}: {detail}")


def admin_login(base: str, username: str, password: str) -> Browser:
    browser = Browser(base)
    page = browser.get("/admin/login/")
    parser = FormParser()
    parser.feed(page.body)
    token = parser.fields["csrfmiddlewaretoken"]["value"]
    answer = browser.post(
        "/admin/login/",
        {
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": password,
            "next": "/admin/",
        },
    )
    if answer.status != 302:
        raise RuntimeError(f"admin login as {username} answered {answer.status}")
    return browser


def form_as_is(html: str, form_id: str) -> dict[str, list[str]]:
    """An admin change form's fields as the browser would send them unchanged (the page's
    first POST form is the header's log-out button, so the form is found by its id)."""
    parser = FormParser()
    parser.feed(html[html.index(f'id="{form_id}"') - 200 :])
    data: dict[str, list[str]] = {}
    for name, field in parser.fields.items():
        kind = field["type"]
        if kind in ("checkbox", "radio"):
            data[name] = [value for value, checked in field["options"] if checked]
        elif kind == "select":
            data[name] = [value for value, selected, _ in field["options"] if selected]
        else:
            data[name] = [field["value"]]
    return data


def edit_seen_on_the_other_server(report: Report, a: Gunicorn, b: Gunicorn, db_url: str):
    page_id, url = benchlib.sql_rows(
        db_url, "SELECT id, url FROM django_flatpage ORDER BY id LIMIT 1"
    )[0]
    before = Browser(b.base).get(url)  # B has the page cached before the edit
    editor = admin_login(a.base, "editor", "portal-demo")
    change = f"/admin/flatpages/flatpage/{page_id}/change/"
    data = form_as_is(editor.get(change).body, "flatpage_form")
    marker = f"Edited on server A {secrets.token_hex(3)}"
    content_field = "content_en" if "content_en" in data else "content"
    data[content_field] = [data[content_field][0] + f"\n<p>{marker}</p>"]
    saved = editor.post(change, data)
    saved_at = time.monotonic()
    seen_ms = None
    while time.monotonic() - saved_at < 5:
        if marker in Browser(b.base).get(url).body:
            seen_ms = (time.monotonic() - saved_at) * 1000
            break
        time.sleep(0.01)
    report.check(
        "an edit through A is served by B within a second",
        saved.status == 302 and before.status == 200 and seen_ms is not None and seen_ms < 1000,
        f"the content editor saved {url} in the admin on A (answered {saved.status}); B, "
        f"which had the page cached, served the new text after "
        + (f"{seen_ms:.0f} ms" if seen_ms is not None else "more than 5 s"),
    )


def rate_limit_across_servers(report: Report, a: Gunicorn, b: Gunicorn, run_id: str) -> None:
    statuses = []
    for number in range(RATE_LIMIT + 1):
        server = (a, b)[number % 2]
        posted, _, _ = benchlib.submit_inquiry(server.base, f"rate-{run_id}-{number}@example.com")
        statuses.append(f"{'AB'[number % 2]}:{posted.status}")
    accepted = [s.endswith(("302", "303")) for s in statuses]
    report.check(
        "the request-info rate limit counts across both servers",
        accepted == [True] * RATE_LIMIT + [False] and statuses[-1].endswith("429"),
        f"limit {RATE_LIMIT} per address; {RATE_LIMIT + 1} submissions from one address "
        f"alternating A and B answered {', '.join(statuses)}",
    )


class Load:
    """A form POST load and a GET load on the public pages through HAProxy, at once."""

    def __init__(self, base: str, database_url: str, seconds: int, paths: list[str]):
        self.base = base
        self.database_url = database_url
        self.seconds = seconds
        self.paths = paths
        self.run_id = secrets.token_hex(4)
        self.results = {}

    def __enter__(self):
        self.plan, why = plan_form_post(self.base, self.run_id)
        if self.plan is None:
            raise RuntimeError(f"cannot post the form through HAProxy: {why}")
        self.started = time.monotonic()
        self.threads = [
            threading.Thread(target=self._post, daemon=True),
            threading.Thread(target=self._get, daemon=True),
        ]
        for thread in self.threads:
            thread.start()
        return self

    def _post(self):
        self.results["post"] = wrk(
            "cluster POST",
            self.base + self.plan.path,
            seconds=self.seconds,
            connections=2,
            threads=1,
            script="wrk_form_post.lua",
            script_args=(self.plan.body_template, self.plan.cookie, self.plan.path, self.run_id),
        )

    def _get(self):
        self.results["get"] = wrk(
            "cluster GET",
            self.base + self.paths[0],
            seconds=self.seconds,
            connections=8,
            threads=1,
            script="wrk_pages.lua",
            script_args=tuple(self.paths),
        )

    def at(self, second: float) -> None:
        time.sleep(max(self.started + second - time.monotonic(), 0))

    def __exit__(self, *exc):
        for thread in self.threads:
            thread.join(self.seconds + 90)
        time.sleep(2)  # requests in flight at wrk's cut-off finish

    def summary(self, report: Report, name: str) -> tuple[str, str]:
        post, get = self.results["post"], self.results["get"]
        rows, spam = count_inquiries(self.database_url, self.run_id)
        trial = 1  # plan_form_post's own accepted trial submission
        _, lost_text = lost_inquiries_report(post, rows - trial, spam)
        extra = post.extra or {}
        accepted = extra.get("accepted", 0)
        post_5xx = extra.get("servererrors", 0)
        unanswered = max(extra.get("sent", 0) - accepted - extra.get("rejected", 0), 0)
        created = rows - trial
        # A submission saved just before its server died is answered 502 by the load
        # balancer: a row nobody was told about, never a lost one.
        ok = accepted <= created <= accepted + unanswered + post_5xx and spam == 0
        report.check(
            f"{name}: zero lost accepted inquiries",
            ok,
            f"{accepted} accepted (302), {created} rows, {post_5xx} POSTs answered 5xx, "
            f"{unanswered} in flight at the cut-off; lost {max(accepted - created, 0)}",
        )
        get_extra = get.extra or {}
        return (
            f"GET {get.requests} requests ({get.requests_per_second:.0f}/s), "
            f"{get_extra.get('servererrors', 0)} answered 5xx, "
            f"{get_extra.get('socket_errors', 0)} socket errors; POST {post.requests} "
            f"({post.requests_per_second:.0f}/s), {post_5xx} answered 5xx"
        ), lost_text


def wait_until(predicate, timeout: float = 30.0) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        with contextlib.suppress(Exception):
            if predicate():
                return time.monotonic() - started
        time.sleep(0.05)
    return None


def run_cluster(seconds: int = 12) -> tuple[str, dict[str, bool]]:
    report = Report()
    directory = Path(tempfile.mkdtemp(prefix="portal-cluster-"))
    # The postgres OS user must reach its data directory inside (mkdtemp makes it 0700).
    os.chmod(directory, 0o755)  # noqa: S103
    redis_server = PrivateRedis(directory)
    postgres = PrivatePostgres(directory)
    worker = None
    try:
        postgres.init()
        redis_server.start()
        database_url = benchlib.fresh_database(DATABASE, postgres.server_url)
        env = benchlib.production_env(
            database_url,
            cache_url=redis_server.url,
            INQUIRY_MIN_FILL_SECONDS=0,
            INQUIRY_RATE_LIMIT=RATE_LIMIT,
            CONN_MAX_AGE=60,
        )
        print("cluster: migrate, demo content and inquiries ...", flush=True)
        benchlib.prepare_database(
            env, collectstatic=not (RESULTS / "staticfiles" / "staticfiles.json").exists()
        )
        ports = free_port(), free_port()
        a = Gunicorn(env, ports[0], WORKERS_PER_SERVER)
        b = Gunicorn(env, ports[1], WORKERS_PER_SERVER)
        with HAProxy(directory, *ports) as proxy:
            report.line(
                f"HAProxy {proxy.base} -> A :{ports[0]} and B :{ports[1]} (gunicorn, "
                f"{WORKERS_PER_SERVER} sync workers each); PostgreSQL :{postgres.port} and "
                f"Redis :{redis_server.port} of their own; one db_worker"
            )
            worker = Supervised(env).__enter__()
            with a, b:
                edit_seen_on_the_other_server(report, a, b, database_url)
                rate_limit_across_servers(report, a, b, secrets.token_hex(3))
            # The load generator posts from one address: the same servers, without the limit.
            load_env = dict(env, INQUIRY_RATE_LIMIT="1000000000")
            a = Gunicorn(load_env, ports[0], WORKERS_PER_SERVER)
            b = Gunicorn(load_env, ports[1], WORKERS_PER_SERVER)
            with a, b:
                wait_until(lambda: Browser(proxy.base).get("/healthz").status == 200)
                time.sleep(1.5)  # both back in HAProxy's rotation (rise 2, every 500 ms)
                paths = [
                    "/",
                    "/compare/medical-assistant-vs-phlebotomist/",
                    f"/programs/{benchlib.DEMO_PROGRAM}/",
                ]
                for path in paths:
                    Browser(proxy.base).get(path)
                server_killed(report, proxy, a, database_url, seconds, paths)
                a.__enter__()  # A again, for the outages
                time.sleep(1.5)
                redis_outage(report, proxy, redis_server, database_url, seconds, paths)
                postgres_restart(report, proxy, postgres, database_url, seconds, paths, (a, b))
            pending = benchlib.sql_value(
                database_url,
                "SELECT count(*) FROM inquiries_notification WHERE status = 'pending'",
            )
            sent = benchlib.sql_value(
                database_url, "SELECT count(*) FROM inquiries_notification WHERE status = 'sent'"
            )
            report.line(
                f"task worker: exited {len(worker.exits)} time(s) and was started again by "
                "its supervisor (bench/results/cluster-db_worker.log); notifications sent "
                f"{sent}, pending {pending} (the load queued far more than one worker sends "
                "in the run)"
            )
    finally:
        if worker is not None:
            worker.__exit__()
        redis_server.stop()
        postgres.stop()
        shutil.rmtree(directory, ignore_errors=True)
    header = "two app servers behind HAProxy (bench/cluster.py):"
    return "\n".join([header, *report.lines]), report.checks


def server_killed(report, proxy, a, database_url, seconds, paths) -> None:
    with Load(proxy.base, database_url, seconds, paths) as load:
        load.at(seconds / 3)
        kill_server(a)
        killed_at = time.monotonic() - load.started
    text, _ = load.summary(report, "server A killed")
    text += f"; HAProxy's 5xx: {server_errors_seen(proxy)}"
    get_5xx = (load.results["get"].extra or {}).get("servererrors", 0)
    report.check(
        "server A killed: GETs retried on B",
        get_5xx == 0,
        f"SIGKILL to A's master and workers {killed_at:.1f} s into a {seconds} s load: {text}",
    )


def redis_outage(report, proxy, redis_server, database_url, seconds, paths) -> None:
    import redis

    with Load(proxy.base, database_url, seconds, paths) as load:
        load.at(seconds / 4)
        redis_server.stop()
        load.at(seconds / 2)
        redis_server.start()
        back = time.monotonic()
        recovered = wait_until(
            lambda: redis.Redis.from_url(redis_server.url).exists(":1:public-pages:version"),
            timeout=seconds,
        )
        recovered_at = time.monotonic() - back if recovered is not None else None
    text, _ = load.summary(report, "Redis stopped and started")
    text += f"; HAProxy's 5xx: {server_errors_seen(proxy)}"
    get_5xx = (load.results["get"].extra or {}).get("servererrors", 0)
    report.check(
        "Redis stopped and started: recovery without a restart",
        recovered_at is not None,
        f"Redis down for {seconds / 4:.0f} s of a {seconds} s load: {text}; the app servers "
        "use Redis again (the page-cache version is back in it) "
        + (f"{recovered_at:.1f} s after it returned" if recovered_at is not None else "never"),
    )
    report.line(f"  (5xx on GETs during the Redis run: {get_5xx})")


def postgres_restart(report, proxy, postgres, database_url, seconds, paths, servers) -> None:
    pids = [server.process.pid for server in servers]
    with Load(proxy.base, database_url, seconds, paths) as load:
        load.at(seconds / 4)
        restart_started = time.monotonic()
        postgres.restart()
        back = time.monotonic()
        recovered = wait_until(
            lambda: Browser(proxy.base).get(benchlib.form_path()).status == 200, timeout=30
        )
    text, _ = load.summary(report, "PostgreSQL restarted")
    text += f"; HAProxy's 5xx: {server_errors_seen(proxy)}"
    same = [server.process.pid for server in servers] == pids and all(
        server.process.poll() is None for server in servers
    )
    report.check(
        "PostgreSQL restarted: recovery without a restart",
        recovered is not None and same,
        f"`pg_ctl restart -m fast` took {back - restart_started:.1f} s, {seconds / 4:.0f} s "
        f"into a {seconds} s load: {text}; the form (which needs the database) answered 200 "
        + (f"{recovered:.1f} s after PostgreSQL was back" if recovered is not None else "never")
        + f", from the same gunicorn processes ({'yes' if same else 'NO'})",
    )


def main() -> int:
    text, checks = run_cluster()
    print()
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "cluster.txt").write_text(text + "\n")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
