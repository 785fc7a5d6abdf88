import pytest
from django.db import OperationalError, connection
from django.test import override_settings

from portal import views

pytestmark = pytest.mark.django_db


def test_health_check_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_check_reports_503_when_the_database_is_unreachable(client, monkeypatch):
    def unreachable():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_home_page_renders_with_the_base_layout(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert 'name="viewport"' in html
    assert 'href="#main"' in html  # skip link
    for label in ("Careers", "Compare", "Programs", "Request info"):
        assert label in html
    assert "Florida Technical College" in html


def test_pages_load_bootstrap_from_this_site_not_a_cdn(client):
    html = client.get("/").content.decode()
    assert 'href="/static/bootstrap/css/bootstrap.min.css' in html
    assert "//cdn" not in html


def test_bootstrap_css_is_served_by_the_portal(client):
    response = client.get("/static/bootstrap/css/bootstrap.min.css")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert b"Bootstrap" in body[:200]


@override_settings(DEBUG=False)
def test_unknown_page_gets_the_custom_404_in_the_site_look(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "couldn" in html and "find that page" in html
    assert 'href="#main"' in html


def test_server_error_page_uses_the_site_look(rf):
    response = views.server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "Florida Technical College" in html


def test_pages_send_a_self_only_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_pages_carry_a_canonical_link_without_the_query_string(client):
    html = client.get("/?utm_source=newsletter").content.decode()
    assert '<link rel="canonical" href="http://testserver/">' in html
