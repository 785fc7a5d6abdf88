"""Settings are read from the environment; each case runs in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRINT_SETTINGS = (
    "import json, django; from django.conf import settings; "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
    "'name': str(settings.DATABASES['default']['NAME']), "
    "'host': settings.DATABASES['default'].get('HOST'), "
    "'debug': settings.DEBUG, 'hosts': settings.ALLOWED_HOSTS, "
    "'cache': settings.CACHES['default']['BACKEND'], 'email': settings.MAILERS['default']}))"
)


def load_settings(**overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CACHE_URL"}}
    env.update(
        {"DJANGO_SETTINGS_MODULE": "portal.settings", "DEBUG": "false", "SECRET_KEY": "x" * 50}
    )
    env.update(overrides)
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return result


def test_sqlite_file_in_the_project_is_the_default_database():
    result = load_settings()
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(ROOT / "db.sqlite3")


def test_a_postgres_url_selects_postgresql():
    result = load_settings(DATABASE_URL="postgres://portal:secret@db.internal:5433/portal")
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "portal"
    assert values["host"] == "db.internal"


def test_allowed_hosts_and_cache_come_from_the_environment():
    result = load_settings(
        ALLOWED_HOSTS="portal.example.edu,www.portal.example.edu",
        CACHE_URL="redis://127.0.0.1:6379/1",
    )
    values = json.loads(result.stdout)
    assert values["hosts"] == ["portal.example.edu", "www.portal.example.edu"]
    assert values["cache"] == "portal.cache.RedisCache"  # Django's, with clients reused


def test_development_defaults_are_local_memory_cache_and_console_email():
    values = json.loads(load_settings(DEBUG="true").stdout)
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["email"]["BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_production_default_mailer_is_a_local_smtp_server():
    mailer = json.loads(load_settings().stdout)["email"]
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"]["host"] == "localhost"


def test_an_smtp_url_configures_the_default_mailer():
    result = load_settings(EMAIL_URL="smtp+tls://mailer:pw@smtp.example.com:587")
    mailer = json.loads(result.stdout)["email"]
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"]["host"] == "smtp.example.com"
    assert mailer["OPTIONS"]["port"] == 587
    assert mailer["OPTIONS"]["username"] == "mailer"
    assert mailer["OPTIONS"]["use_tls"] is True


def test_missing_secret_key_stops_startup_when_debug_is_off():
    result = load_settings(SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_missing_secret_key_is_allowed_in_debug():
    result = load_settings(SECRET_KEY="", DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["debug"] is True
