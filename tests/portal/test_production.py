"""Production serving: what a deployment with DEBUG off sends and serves.

The settings are read once per interpreter, so the production cases run in a fresh Python
with production environment variables, as gunicorn would start.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError

from inquiries.models import Inquiry, Notification
from tests.factories import ProgramFactory
from tests.inquiries.test_forms import form_data

ROOT = Path(__file__).resolve().parents[2]
YEAR = 365 * 24 * 60 * 60

# Serves requests through the whole middleware stack under production settings (the test
# client, no database needed for these paths), after collectstatic into a temporary root.
PRODUCTION_PROBE = r"""
import json, sys
import django
from django.conf import settings
from django.core.management import call_command

django.setup()
call_command("collectstatic", interactive=False, verbosity=0)
from django.templatetags.static import static
from django.test import Client

client = Client()
out = {"settings": {
    name: getattr(settings, name)
    for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
                 "SECURE_SSL_REDIRECT", "DEBUG")
    if hasattr(settings, name)
}}
out["settings"]["conn_max_age"] = settings.DATABASES["default"]["CONN_MAX_AGE"]
out["settings"]["conn_health_checks"] = settings.DATABASES["default"]["CONN_HEALTH_CHECKS"]
out["settings"]["cache"] = settings.CACHES["default"]["BACKEND"]

https = client.get("/ping", secure=True)
out["https"] = {"status": https.status_code, "headers": dict(https.headers)}
http = client.get("/ping")
out["http"] = {"status": http.status_code, "location": http.get("Location", "")}

css = static("css/portal.css")
out["css_url"] = css
asset = client.get(css, secure=True, headers={"accept-encoding": "gzip, br"})
out["asset"] = {"status": asset.status_code, "headers": dict(asset.headers)}
plain = client.get("/static/css/portal.css", secure=True)
out["unhashed"] = {"status": plain.status_code, "headers": dict(plain.headers)}
print("PROBE " + json.dumps(out))
"""


def production_env(**overrides) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CACHE_URL", "REDIS_URL", "DEBUG", "SECURE_SSL_REDIRECT"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DEBUG": "false",
            "SECRET_KEY": "production-test-" + "k" * 50,
            "ALLOWED_HOSTS": "portal.example.edu,testserver",
            "CSRF_TRUSTED_ORIGINS": "https://portal.example.edu",
            "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
        }
    )
    env.update(overrides)
    return env


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    static_root = tmp_path_factory.mktemp("staticfiles")
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=production_env(STATIC_ROOT=str(static_root)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("PROBE "))
    return json.loads(line.removeprefix("PROBE "))


# --- Security headers and settings -------------------------------------------------------


def test_production_sends_hsts_for_a_year_with_subdomains_and_preload(production):
    hsts = production["https"]["headers"]["Strict-Transport-Security"]
    assert f"max-age={YEAR}" in hsts
    assert "includeSubDomains" in hsts
    assert "preload" in hsts


def test_production_sends_a_self_only_content_security_policy_without_unsafe_inline(production):
    policy = production["https"]["headers"]["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "nonce-" not in policy


def test_production_sends_nosniff_referrer_policy_opener_policy_and_frame_denial(production):
    headers = production["https"]["headers"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_production_redirects_plain_http_to_https(production):
    assert production["http"]["status"] == 301
    assert production["http"]["location"].startswith("https://")


def test_production_cookies_are_secure_and_the_session_cookie_is_http_only(production):
    values = production["settings"]
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["DEBUG"] is False


def test_production_keeps_database_connections_open_and_checks_them_first(production):
    assert production["settings"]["conn_max_age"] > 0
    assert production["settings"]["conn_health_checks"] is True


def test_a_redis_url_selects_the_redis_cache():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; django.setup(); "
            "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'])",
        ],
        cwd=ROOT,
        env=production_env(REDIS_URL="redis://cache.internal:6379/2"),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    backend, location = result.stdout.split()
    assert backend == "portal.cache.RedisCache"  # Django's, with its clients reused
    assert location == "redis://cache.internal:6379/2"


def test_check_deploy_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# --- Static files --------------------------------------------------------------------------


def test_static_urls_are_fingerprinted_with_a_content_hash(production):
    name = production["css_url"].rsplit("/", 1)[-1]
    stem, digest, extension = name.split(".")
    assert (stem, extension) == ("portal", "css")
    assert len(digest) == 12
    assert production["asset"]["status"] == 200


def test_fingerprinted_static_files_are_cached_for_ever_and_served_compressed(production):
    headers = production["asset"]["headers"]
    assert f"max-age={10 * YEAR}" in headers["Cache-Control"]
    assert "immutable" in headers["Cache-Control"]
    assert headers["Content-Encoding"] in {"gzip", "br"}  # br when brotli is installed
    assert "Accept-Encoding" in headers["Vary"]


def test_unfingerprinted_static_names_are_only_briefly_cacheable(production):
    headers = production["unhashed"]["headers"]
    assert production["unhashed"]["status"] == 200
    assert "immutable" not in headers.get("Cache-Control", "")


# --- The database-down path ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_form_post_while_the_database_fails_gets_the_503_page_and_saves_nothing(
    client, settings, monkeypatch
):
    from inquiries.services import notifications

    settings.INQUIRY_MIN_FILL_SECONDS = 0
    program = ProgramFactory()

    def connection_lost(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    # The inquiry and its first timeline entries are written before the notifications.
    monkeypatch.setattr(notifications, "queue_notification", connection_lost)
    monkeypatch.setattr(notifications, "queue_notifications", connection_lost)
    response = client.post("/request-info/", form_data(program))

    html = response.content.decode()
    assert response.status_code == 503
    assert "nothing you sent was saved" in html
    assert "Traceback" not in html
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert not Inquiry.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_the_503_page_is_a_full_page_with_one_heading(client, monkeypatch):
    from portal import pagecache, views

    def unreachable(request):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(views, "render", lambda *args, **kwargs: unreachable(None))
    pagecache.invalidate_public_pages()
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 503
    assert html.count("<h1") == 1
    assert "<title>Temporarily unavailable" in html
    assert "try again in a minute" in html


def test_gunicorn_preloads_the_project_and_its_recycled_workers_serve_at_once(tmp_path):
    """Workers are forks of a master that imported Django, so a recycled worker does not
    spend a second importing the project again; forks recycled after every two requests keep
    answering (nothing opened at import time is shared between them)."""
    import runpy
    import socket
    import time
    import urllib.request

    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["preload_app"] is True

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = production_env(
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        GUNICORN_ACCESS_LOG="",
        GUNICORN_CMD_ARGS="--max-requests 2 --max-requests-jitter 0",
    )
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "-c",
                "gunicorn.conf.py",
                "portal.wsgi",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        statuses = []
        deadline = time.monotonic() + 30
        while len(statuses) < 8 and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=5) as reply:
                    statuses.append(reply.status)
            except OSError:
                time.sleep(0.05)
    finally:
        server.terminate()
        server.wait(timeout=30)
    output = log.read_text()
    assert statuses == [200] * 8, output
    assert "Autorestarting worker" in output  # three recycles happened on the way
    assert output.count("Booting worker") >= 4
