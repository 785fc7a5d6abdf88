"""What the load benchmark and the fault scenarios share: a PostgreSQL database of their own,
production-like settings on loopback, gunicorn, and a prospect who fills in the request-info
form the way a browser would (cookie, CSRF token, every hidden field kept).

Everything here talks to 127.0.0.1 only.
"""

import hashlib
import http.cookiejar
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
PYTHON = sys.executable
HOST = "127.0.0.1"
DEMO_PROGRAM = "medical-assistant-technician"
DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/postgres"
# A made-up US number that phonenumbers accepts; the load test varies its last digits.
PHONE = "4072345678"


# --- The database ------------------------------------------------------------------------


def fresh_database(name: str, server_url: str | None = None) -> str:
    """Drop and create database `name` on the server of `server_url` (or DATABASE_URL, or the
    local server as `postgres`), returning its URL. The project's own database is never used:
    the bench writes thousands of inquiries."""
    import psycopg

    project_url = os.environ.get("DATABASE_URL", "")
    if not project_url.startswith("postgres"):
        project_url = ""  # SQLite is the project's default; the bench needs PostgreSQL
    server_url = server_url or project_url or DEFAULT_SERVER_URL
    parts = urllib.parse.urlsplit(server_url)
    maintenance = parts._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        # No TCP access as that role: the local superuser through its socket.
        print(f"({error.__class__.__name__}: trying runuser -u postgres)", file=sys.stderr)
        subprocess.run(
            ["runuser", "-u", "postgres", "--", "dropdb", "--if-exists", "--force", name],
            check=True,
        )
        subprocess.run(["runuser", "-u", "postgres", "--", "createdb", name], check=True)
        parts = urllib.parse.urlsplit(DEFAULT_SERVER_URL)
    return parts._replace(path=f"/{name}").geturl()


def sql_value(database_url: str, query: str, params=()):
    """One value from PostgreSQL, straight to the server (never through a bench proxy)."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        row = connection.execute(query, params).fetchone()
    return row[0] if row else None


def sql_rows(database_url: str, query: str, params=()) -> list[tuple]:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        return connection.execute(query, params).fetchall()


def flush_redis(cache_url: str) -> None:
    """Empty the bench's own Redis database (never the project's: a number of its own)."""
    import redis

    try:
        redis.Redis.from_url(cache_url).flushdb()
    except redis.ConnectionError as error:
        raise SystemExit(f"Redis is not reachable at {cache_url}: {error}") from None


# --- Settings and processes ----------------------------------------------------------------


def production_env(database_url: str, *, cache_url: str, **overrides) -> dict:
    """Production settings (DEBUG off, PostgreSQL, Redis, database task queue), except plain
    http on loopback: no https redirect, no HSTS, cookies allowed over http."""
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "SECURE_HSTS_PRELOAD": "false",
            "CACHE_URL": cache_url,
            "EMAIL_URL": "memorymail://",
            "STATIC_ROOT": str(RESULTS / "staticfiles"),
            "GUNICORN_ACCESS_LOG": "",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("TASKS_BACKEND", None)
    env.update({key: str(value) for key, value in overrides.items()})
    return env


def load_env(database_url: str, *, cache_url: str, **overrides) -> dict:
    """`production_env` for a load generator: its many form posts come from one address in
    no time at all (a real browser is held to the limits, the load generator is not), and
    nothing sends mail: notifications queue up in the database."""
    return production_env(
        database_url,
        cache_url=cache_url,
        INQUIRY_RATE_LIMIT=1_000_000_000,
        INQUIRY_MIN_FILL_SECONDS=0,
        EMAIL_URL="memorymail://",
        **overrides,
    )


def manage(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if check and result.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result


def prepare_database(env: dict, *, collectstatic: bool = True) -> None:
    """Migrate, then load what a live college has: the demo content, and admissions staff
    covering the program with a few hundred earlier inquiries, so that a submission is routed
    to a representative and checked against existing rows as it would be in production. The
    demo loader runs only with DEBUG on (its logins are well known); this database is the
    bench's own, on loopback, and dropped on the next run."""
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo_content")
    manage(dict(env, DEBUG="true"), "load_demo_inquiries")
    if collectstatic:
        manage(env, "collectstatic", "--noinput", "--clear")


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
    """gunicorn with the repository's gunicorn.conf.py, stopped (whole group) on exit."""

    def __init__(self, env: dict, port: int, workers: int = 2):
        self.env = dict(env, GUNICORN_BIND=f"{HOST}:{port}", WEB_CONCURRENCY=str(workers))
        self.port = port
        self.base = f"http://{HOST}:{port}"
        self.process: subprocess.Popen | None = None
        self.log = RESULTS / f"gunicorn-{port}.log"

    def __enter__(self):
        RESULTS.mkdir(parents=True, exist_ok=True)
        gunicorn = str(Path(PYTHON).with_name("gunicorn"))
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [gunicorn, "-c", "gunicorn.conf.py", "portal.wsgi"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_until_up(self.port)
        except RuntimeError:
            self.stop()
            raise RuntimeError(f"gunicorn did not start:\n{self.log.read_text()[-3000:]}") from None
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def __exit__(self, *exc):
        self.stop()


# --- HTTP as a browser would do it ---------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status: int, headers, body: str, url: str):
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url

    @property
    def location(self) -> str:
        return self.headers.get("Location", "") if self.headers else ""


class Browser:
    """A cookie-keeping client that does not follow redirects by itself."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect
        )

    def request(self, path: str, data: dict | None = None, headers: dict | None = None):
        url = path if path.startswith("http") else self.base + path
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return Response(response.status, response.headers, response.read().decode(), url)
        except urllib.error.HTTPError as error:
            return Response(error.code, error.headers, error.read().decode(errors="replace"), url)

    def get(self, path: str) -> Response:
        return self.request(path)

    def post(self, path: str, data: dict) -> Response:
        return self.request(path, data, headers={"Referer": self.base + path})

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.cookies if c.name == name), "")


def relative(base: str, location: str) -> str:
    return location.removeprefix(base) or "/"


def canonical(base: str, path: str) -> tuple[str, int]:
    """Follow one redirect (b-vs-a goes to a-vs-b); the page's own path and its status."""
    response = Browser(base).get(path)
    if response.status in (301, 302, 308):
        path = relative(base, response.location)
        response = Browser(base).get(path)
    return path, response.status


# --- The request-info form ----------------------------------------------------------------


class FormParser(HTMLParser):
    """The fields of the first form that posts (name -> value, as a browser would send)."""

    def __init__(self):
        super().__init__()
        self.action = None
        self.in_form = False
        self.done = False
        self.fields: dict[str, dict] = {}
        self._select = None
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.done:
            return
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.in_form = True
            self.action = attrs.get("action") or ""
            return
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            field = self.fields.setdefault(
                name, {"type": kind, "value": attrs.get("value", ""), "options": []}
            )
            field["required"] = "required" in attrs
            field["attrs"] = attrs
            if kind in ("checkbox", "radio"):
                field["options"].append((attrs.get("value", "on"), "checked" in attrs))
        elif tag == "select" and name:
            self._select = self.fields.setdefault(
                name, {"type": "select", "value": "", "options": [], "attrs": attrs}
            )
            self._select["multiple"] = "multiple" in attrs
            self._select["required"] = "required" in attrs
        elif tag == "option" and self._select is not None:
            self._option = [attrs.get("value"), "selected" in attrs, ""]
            self._select["options"].append(self._option)
        elif tag == "textarea" and name:
            self._textarea = self.fields.setdefault(
                name, {"type": "textarea", "value": "", "options": [], "attrs": attrs}
            )
            self._textarea["required"] = "required" in attrs

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data
        elif self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
            self.done = True
        elif tag == "select":
            self._select = None
        elif tag == "option":
            if self._option is not None and self._option[0] is None:
                self._option[0] = self._option[2].strip()
            self._option = None
        elif tag == "textarea":
            self._textarea = None


# Fields a person would never see: honeypots stay empty, as a person leaves them.
HONEYPOT = re.compile(r"website|homepage|url|company|nickname|honey|hp_|fax|leave", re.I)
TEXT_VALUES = [
    (re.compile(r"first", re.I), "Bench"),
    (re.compile(r"last|surname|family", re.I), "Prospect"),
    (re.compile(r"e-?mail", re.I), "bench@example.com"),
    (re.compile(r"phone|mobile|tel", re.I), PHONE),
    (re.compile(r"zip|postal|postcode", re.I), "34741"),
    (re.compile(r"message|question|comment", re.I), "Measured by the load benchmark."),
    (re.compile(r"name", re.I), "Bench Prospect"),
]


def _text_value(name: str, field: dict) -> str:
    kind = field["type"]
    if kind == "email":
        return "bench@example.com"
    if kind == "tel":
        return PHONE
    for pattern, value in TEXT_VALUES:
        if pattern.search(name):
            return value
    return "Bench" if field.get("required") else ""


def fill_form(html: str) -> tuple[str | None, dict]:
    """Fill in the request-info form as a prospect would: (action, POST data)."""
    parser = FormParser()
    parser.feed(html)
    data: dict[str, list[str]] = {}
    for name, field in parser.fields.items():
        kind = field["type"]
        attrs = field.get("attrs", {})
        if kind == "hidden":
            data[name] = [field["value"]]
        elif kind == "checkbox":
            # Consent and the like: tick them; a person who asks for information agrees.
            data[name] = [value for value, _ in field["options"][:1]]
        elif kind == "radio":
            checked = [value for value, is_checked in field["options"] if is_checked]
            data[name] = checked[:1] or [field["options"][0][0]]
        elif kind == "select":
            options = field["options"]
            chosen = [value for value, selected, _ in options if selected and value]
            if not chosen:
                chosen = [value for value, _, _ in options if value][:1]
            data[name] = chosen
        elif (
            HONEYPOT.search(name)
            or attrs.get("tabindex") == "-1"
            or "hidden" in attrs
            or attrs.get("aria-hidden") == "true"
        ):
            data[name] = [""]
        else:
            data[name] = [field["value"] or _text_value(name, field)]
    return parser.action, data


def email_fields(data: dict) -> list[str]:
    return [name for name, values in data.items() if values == ["bench@example.com"]]


def phone_fields(data: dict) -> list[str]:
    return [name for name, values in data.items() if values == [PHONE]]


def form_path() -> str:
    return f"/request-info/?program={DEMO_PROGRAM}"


def phone_for(email: str) -> str:
    """A valid US number of the prospect's own, so that dedupe by phone keeps them apart."""
    digits = int(hashlib.sha256(email.encode()).hexdigest(), 16)
    return f"407{200 + digits % 800:03d}{digits // 800 % 10000:04d}"


def prospect_form(browser: "Browser", email: str) -> tuple[str, dict]:
    """GET the form as `browser` and fill it in as the prospect `email`: (path, data)."""
    page = browser.get(form_path())
    if page.status != 200:
        raise RuntimeError(f"GET {form_path()} answered {page.status}")
    action, data = fill_form(page.body)
    for name in email_fields(data):
        data[name] = [email]
    for name in phone_fields(data):
        data[name] = [phone_for(email)]
    return urllib.parse.urljoin(form_path(), action or form_path()), data


def submit_inquiry(base: str, email: str) -> tuple[Response, Response | None, Browser]:
    """GET the form, POST it as `email`; the POST's response and the page it redirects to."""
    browser = Browser(base)
    target, data = prospect_form(browser, email)
    posted = browser.post(target, data)
    followed = None
    if posted.status in (302, 303):
        followed = browser.get(relative(base, posted.location))
    return posted, followed, browser


def form_errors(html: str) -> str:
    messages = re.findall(r'class="[^"]*invalid-feedback[^"]*"[^>]*>(.*?)</', html, re.S)
    messages += re.findall(r'class="[^"]*errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    text = " | ".join(re.sub(r"<[^>]+>", " ", m).strip() for m in messages)
    return re.sub(r"\s+", " ", text) or "(no error text found)"


# --- wrk and the form POST load -----------------------------------------------------------


@dataclass
class Result:
    name: str
    requests_per_second: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    requests: int = 0
    errors: int = 0
    target: float | None = None  # minimum share of the floor's requests per second
    note: str = ""
    measured: bool = True
    extra: dict | None = None
    max_p99_ms: float | None = None  # the p99 the issue asks for, where it asks for one


def wrk(
    name: str,
    url: str,
    *,
    seconds: int,
    connections: int,
    threads: int,
    target: float | None = None,
    script: str = "wrk_report.lua",
    script_args: tuple[str, ...] = (),
) -> Result:
    command = [
        "wrk",
        f"--threads={min(threads, connections)}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=5s",
        # As every browser does; public pages then come gzipped (compressed once, when cached).
        "--header=Accept-Encoding: gzip, deflate, br",
        f"--script={BENCH / script}",
        url,
    ]
    if script_args:
        command += ["--", *script_args]
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    output = completed.stdout
    match = re.search(r"BENCH_RESULT (.*)", output)
    if completed.returncode != 0 or not match:
        raise RuntimeError(f"wrk failed for {name}:\n{output}\n{completed.stderr}")
    values = dict(pair.split("=") for pair in match.group(1).split())
    requests = int(values["requests"])
    extra = {key.lower(): int(n) for key, n in re.findall(r"BENCH_([A-Z]+) (\d+)\n", output)}
    extra["socket_errors"] = int(values["socket_errors"])
    return Result(
        name=name,
        requests_per_second=requests / (int(values["duration_us"]) / 1e6),
        p50_ms=int(values["p50_us"]) / 1000,
        p99_ms=int(values["p99_us"]) / 1000,
        requests=requests,
        errors=int(values["socket_errors"]) + int(values["non2xx"]),
        target=target,
        extra=extra,
    )


@dataclass
class FormPlan:
    path: str
    body_template: str
    cookie: str


def plan_form_post(base: str, run_id: str) -> tuple[FormPlan | None, str]:
    """Fetch the form once as a browser would, prove that one submission is accepted, and
    return what the Lua script needs to send many more. Returns (None, why) if it cannot."""
    browser = Browser(base)
    page = browser.get(form_path())
    if page.status != 200:
        return None, f"GET {form_path()} answered {page.status}"
    action, data = fill_form(page.body)
    emails = email_fields(data)
    if not emails:
        return None, "no email field found in the form"
    csrf = browser.cookie("csrftoken")
    path = urllib.parse.urljoin(form_path(), action or form_path())

    trial = dict(data, **{name: [f"bench-{run_id}-trial@example.com"] for name in emails})
    response = browser.post(path, trial)
    if response.status not in (302, 303):
        return None, (f"a trial POST answered {response.status}: {form_errors(response.body)}")
    template = dict(data, **{name: ["EMAIL_PLACEHOLDER"] for name in emails})
    for name in phone_fields(data):
        template[name] = ["PHONE_PLACEHOLDER"]
    body = urllib.parse.urlencode(template, doseq=True)
    return FormPlan(path=path, body_template=body, cookie=f"csrftoken={csrf}"), ""


def count_inquiries(database_url: str, run_id: str) -> tuple[int, int]:
    """Inquiry rows the POST run created, and how many of them were held as spam (which
    would mean the bench measured the spam path, not a prospect's submission)."""
    rows = sql_rows(
        database_url,
        "SELECT count(*), count(*) FILTER (WHERE spam_signal <> '') FROM inquiries_inquiry "
        "WHERE email LIKE %s",
        (f"bench-{run_id}-t%",),
    )
    return rows[0]


def lost_inquiries_report(result: Result, rows: int, spam: int) -> tuple[bool, str]:
    """Every accepted submission must be a row. Requests still in flight when wrk stopped
    may have been saved without wrk reading the answer, so rows may exceed accepted by at
    most that many, never fall short."""
    extra = result.extra or {}
    accepted = extra.get("accepted", 0)
    answered = accepted + extra.get("rejected", 0)
    unanswered = max(extra.get("sent", 0) - answered, 0)
    ok = accepted <= rows <= accepted + unanswered and spam == 0
    text = (
        f"accepted submissions (302/303): {accepted}; other answers: {extra.get('rejected', 0)}; "
        f"inquiry rows created: {rows}; still in flight when wrk stopped: {unanswered}. "
        f"held as spam: {spam}. Lost inquiries: {max(accepted - rows, 0)} -> "
        f"{'PASS' if ok else 'FAIL'}"
    )
    return ok, text
