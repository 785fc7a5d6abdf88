"""What a security review of the production settings found, each closed (issue 20, point 7)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache, caches
from django.test import Client

from inquiries.models import Inquiry
from portal import pagecache
from tests.factories import InquiryFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def _stored_pages():
    return len(caches["pages"]._cache)


def _last_good_copies():
    return sum(1 for key in cache._cache if "last-good:" in key)


def test_made_up_host_ports_are_served_but_never_fill_the_caches(client, settings):
    settings.ALLOWED_HOSTS = ["portal.example.edu"]
    url = ProgramFactory().get_absolute_url()
    client.get(url, HTTP_HOST="portal.example.edu")
    stored, kept = _stored_pages(), _last_good_copies()
    for port in ["1", "01", "001", "8080", "65535"]:
        response = client.get(url, HTTP_HOST=f"portal.example.edu:{port}")
        assert response.status_code == 200
    assert (_stored_pages(), _last_good_copies()) == (stored, kept)


@pytest.mark.parametrize("path", ["/", "/es/", "/request-info/", "/admin/", "/no-such-page/"])
def test_a_host_that_is_not_ours_gets_a_400_not_a_500(settings, path):
    settings.ALLOWED_HOSTS = ["portal.example.edu"]
    client = Client(raise_request_exception=False)

    response = client.get(path, HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert b"evil.example" not in response.content


def test_a_wildcard_host_is_served_but_not_stored(client, settings):
    settings.ALLOWED_HOSTS = [".example.edu"]
    url = ProgramFactory().get_absolute_url()
    for name in ("a", "b", "c"):
        assert client.get(url, HTTP_HOST=f"{name}.example.edu").status_code == 200
    assert _stored_pages() == 0


def test_the_site_s_own_host_is_stored_once(client):
    url = ProgramFactory().get_absolute_url()
    client.get(url)
    client.get(url + "?utm_source=x")
    assert _stored_pages() == 1


def test_an_oversized_page_is_not_kept_as_a_last_good_copy(client, monkeypatch):
    monkeypatch.setattr(pagecache, "LAST_GOOD_MAX_BYTES", 100)
    client.get(ProgramFactory().get_absolute_url())
    assert _last_good_copies() == 0


@pytest.mark.parametrize(
    "path", ["/x%00/", "/careers/x%00/", "/programs/%00/", "/compare/a%00-vs-b/"]
)
def test_a_nul_in_the_path_is_the_site_s_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "find that page" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/inquiries/inquiry/?status=%00",
        "/admin/inquiries/inquiry/?q=%00",
        "/admin/autocomplete/?term=%00&app_label=programs&model_name=startdate&field_name=campus",
    ],
)
def test_a_nul_in_the_query_string_is_a_400_not_a_500(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 400


@pytest.mark.parametrize("charset", ["latin-1", "nonsense", "utf-16"])
def test_a_form_post_in_another_charset_is_a_400_with_the_site_s_page(client, charset):
    response = client.generic(
        "POST",
        "/request-info/",
        data=b"first_name=Ana",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code == 400
    assert "couldn't read that request" in response.content.decode()
    assert not Inquiry.objects.exists()


def test_a_form_post_in_utf_8_is_read(client):
    response = client.post(
        "/request-info/",
        data=b"first_name=Ana",
        content_type="application/x-www-form-urlencoded; charset=UTF-8",
    )
    assert response.status_code == 200  # the form again, with its errors


def test_every_response_carries_the_cross_origin_policies(client):
    for url in ["/", "/ping", "/static/css/portal.css"]:
        response = client.get(url)
        assert response["Cross-Origin-Resource-Policy"] == "same-origin", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url


@pytest.mark.parametrize(
    "path", ["/static/staticfiles.json", "/static/bootstrap/css/bootstrap.min.css.map"]
)
def test_the_static_manifest_and_source_maps_are_not_served(client, path):
    assert client.get(path).status_code == 404


def test_view_on_site_reveals_nothing_about_which_inquiries_exist(client):
    staff = UserFactory(is_superuser=True)
    client.force_login(staff)
    inquiry = InquiryFactory()
    content_type = ContentType.objects.get_for_model(Inquiry)
    existing = client.get(f"/admin/r/{content_type.pk}/{inquiry.pk}/")
    missing = client.get(f"/admin/r/{content_type.pk}/{inquiry.pk + 1000}/")
    assert existing.status_code == missing.status_code == 404


def test_view_on_site_still_works_for_public_content(client):
    client.force_login(UserFactory(is_superuser=True))
    program = ProgramFactory()
    content_type = ContentType.objects.get_for_model(type(program))
    response = client.get(f"/admin/r/{content_type.pk}/{program.pk}/")
    assert response.status_code == 302


def test_a_login_with_an_off_site_next_lands_on_the_admin(client, django_user_model):
    django_user_model.objects.create_superuser("boss", "boss@ftc.example", "a-long-password-1")
    response = client.post(
        "/admin/login/?next=https://evil.example/",
        {"username": "boss", "password": "a-long-password-1", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_password_spraying_from_one_address_is_throttled(settings, django_user_model):
    settings.ADMIN_LOGIN_FAILURES_PER_ADDRESS = 3
    settings.AXES_FAILURE_LIMIT = 100  # the per-username lockout is not what stops this
    django_user_model.objects.create_superuser("boss", "boss@ftc.example", "a-long-password-1")
    client = Client(REMOTE_ADDR="203.0.113.9")
    for name in ("ana", "ben", "cy"):
        response = client.post("/admin/login/", {"username": name, "password": "Summer2026!"})
        assert response.status_code == 200
    refused = client.post("/admin/login/", {"username": "boss", "password": "a-long-password-1"})
    assert refused.status_code == 429
    assert "Retry-After" in refused
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert (
        other.post(
            "/admin/login/", {"username": "boss", "password": "a-long-password-1"}
        ).status_code
        == 302
    )
