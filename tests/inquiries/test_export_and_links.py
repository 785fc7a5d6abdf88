"""The CSV export opens correctly in Excel and carries referrer and consent; links in staff
email use the admin's configured public address."""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from inquiries import emails
from inquiries.admin.export import CSV_COLUMNS
from inquiries.models import Notification, NotificationKind
from tests.factories import InquiryFactory
from tests.inquiries.staff import manager, representative

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def export(client):
    response = client.get(reverse("admin:inquiries_inquiry_export"))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_csv_starts_with_a_byte_order_mark_and_names_survive(client):
    InquiryFactory(first_name="José", last_name="Peña")
    InquiryFactory(first_name="Thị", last_name="Nguyễn")
    client.force_login(manager())

    content = export(client)

    assert content.startswith(b"\xef\xbb\xbf")
    assert content.count(b"\xef\xbb\xbf") == 1
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert {(row["first name"], row["last name"]) for row in rows} == {
        ("José", "Peña"),
        ("Thị", "Nguyễn"),
    }
    assert "Peña".encode() in content and "Nguyễn".encode() in content


def test_the_csv_carries_the_referrer_and_consent_per_channel(client):
    InquiryFactory(
        referrer="https://www.google.com/search?q=medical+assistant",
        may_email=True,
        may_call=False,
        may_text=True,
    )
    client.force_login(manager())

    [row] = list(csv.DictReader(io.StringIO(export(client).decode("utf-8-sig"))))

    assert row["referrer"] == "https://www.google.com/search?q=medical+assistant"
    assert (row["may email"], row["may call"], row["may text"]) == ("yes", "no", "yes")


def test_a_referrer_that_looks_like_a_formula_is_neutralised(client):
    InquiryFactory(referrer='=HYPERLINK("http://evil.example")')
    client.force_login(manager())

    [row] = list(csv.DictReader(io.StringIO(export(client).decode("utf-8-sig"))))

    assert row["referrer"].startswith("'=")


def test_representatives_cannot_export(client):
    client.force_login(representative())

    response = client.get(reverse("admin:inquiries_inquiry_export"))

    assert response.status_code == 403


def test_export_columns_name_referrer_once():
    assert [name for name, _ in CSV_COLUMNS].count("referrer") == 1


# --- Links in staff email ----------------------------------------------------------------------


def test_staff_email_links_use_the_admin_base_url_with_its_port(settings):
    settings.ADMIN_BASE_URL = "http://127.0.0.1:8000"
    inquiry = InquiryFactory()
    inquiry.pk = 5

    assert emails._admin_url(inquiry) == "http://127.0.0.1:8000/admin/inquiries/inquiry/5/change/"


def test_a_trailing_slash_in_the_setting_makes_no_double_slash(settings):
    settings.ADMIN_BASE_URL = "https://admissions.example.edu/"

    assert emails.admin_link("/admin/") == "https://admissions.example.edu/admin/"


def test_the_admissions_alert_links_to_the_inquiry_at_the_configured_address(settings):
    settings.ADMIN_BASE_URL = "http://127.0.0.1:8060"
    inquiry = InquiryFactory()
    notification = Notification.objects.create(
        inquiry=inquiry, kind=NotificationKind.ADMISSIONS_ALERT, recipient="desk@ftc.example"
    )

    message = emails.build_message(notification)

    assert f"http://127.0.0.1:8060/admin/inquiries/inquiry/{inquiry.pk}/change/" in message.body


def _project_setting(name: str, **environment) -> str:
    """A setting as portal/settings.py reads it from these environment variables."""
    env = {key: value for key, value in os.environ.items() if key != "ADMIN_BASE_URL"}
    env.update(DEBUG="true", DJANGO_SETTINGS_MODULE="portal.settings", **environment)
    code = f"from django.conf import settings; print(settings.{name})"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_admin_base_url_is_read_from_the_environment_and_defaults_to_site_url():
    assert _project_setting("ADMIN_BASE_URL", SITE_URL="https://portal.example.edu") == (
        "https://portal.example.edu"
    )
    assert (
        _project_setting(
            "ADMIN_BASE_URL",
            SITE_URL="https://portal.example.edu",
            ADMIN_BASE_URL="https://desk.example.edu:8443",
        )
        == "https://desk.example.edu:8443"
    )
