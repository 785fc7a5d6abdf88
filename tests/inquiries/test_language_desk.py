"""The desk by language: the inquiry list filters by the form's language, the inquiry's page
and the CSV export show it, and the dashboard counts inquiries per language in its dates."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from inquiries import reports
from inquiries.models import Status
from tests.factories import InquiryFactory
from tests.inquiries.staff import content_editor, manager, representative

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:inquiries_inquiry_changelist")
DASHBOARD = reverse("admin:inquiries_inquiry_dashboard")


@pytest.fixture
def manager_client(client):
    client.force_login(manager())
    return client


def test_the_list_filters_by_form_language(manager_client):
    spanish = InquiryFactory(language="es", owner=None)
    english = InquiryFactory(language="en", owner=None)

    response = manager_client.get(CHANGELIST, {"language": "es"})
    assert list(response.context["cl"].result_list) == [spanish]
    response = manager_client.get(CHANGELIST, {"language": "en"})
    assert list(response.context["cl"].result_list) == [english]
    html = manager_client.get(CHANGELIST).content.decode()
    assert "By form language" in html
    assert "?language=es" in html and ">Spanish</a>" in html


def test_an_unknown_language_in_the_address_lists_nothing_and_never_fails(manager_client):
    InquiryFactory(language="es")
    for value in ("fr", "ES", "x" * 200):
        response = manager_client.get(CHANGELIST, {"language": value})
        assert response.status_code == 200
        assert response.context["cl"].result_count == 0


def test_the_inquiry_page_shows_the_form_language(manager_client):
    inquiry = InquiryFactory(language="es")
    html = manager_client.get(reverse("admin:inquiries_inquiry_change", args=[inquiry.pk]))
    text = html.content.decode()
    assert "Form language" in text
    assert "Spanish" in text


def test_the_export_has_the_form_language(manager_client):
    InquiryFactory(language="es", first_name="Ana")
    response = manager_client.get(reverse("admin:inquiries_inquiry_export"))
    rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    header = rows[0].split(",")
    assert "form language" in header
    column = header.index("form language")
    assert rows[1].split(",")[column] == "Spanish"


def test_the_dashboard_counts_by_language_in_its_dates(manager_client):
    InquiryFactory.create_batch(3, language="es")
    contacted = InquiryFactory(language="es", status=Status.CONTACTED)
    contacted.first_contacted_at = timezone.now()
    contacted.save()
    InquiryFactory(language="en")
    InquiryFactory(language="es", status=Status.HELD)  # spam held: not a prospect

    response = manager_client.get(DASHBOARD)
    rows = {row["label"]: row for row in response.context["languages"]}
    assert rows["Spanish"]["inquiries"] == 4
    assert rows["Spanish"]["contacted"] == 1
    assert rows["English"]["inquiries"] == 1
    html = response.content.decode()
    assert "By form language" in html
    # Each count leads to exactly those inquiries.
    listed = manager_client.get(f"{CHANGELIST}?{rows['Spanish']['queries']['inquiries']}")
    assert listed.context["cl"].result_count == 4


def test_the_dashboard_leaves_out_inquiries_outside_its_dates():
    old = InquiryFactory(language="es")
    old.submitted_at = timezone.now() - datetime.timedelta(days=400)
    type(old).objects.filter(pk=old.pk).update(submitted_at=old.submitted_at)
    InquiryFactory(language="en")
    figures = reports.dashboard()
    assert [(row["label"], row["inquiries"]) for row in figures["languages"]] == [("English", 1)]


@pytest.mark.parametrize("make_user", [representative, content_editor])
def test_only_those_with_dashboard_rights_see_the_figures(client, make_user):
    client.force_login(make_user())
    assert client.get(DASHBOARD).status_code == 403
