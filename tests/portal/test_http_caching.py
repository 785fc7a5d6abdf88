import gzip

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.utils.cache import get_max_age
from django.utils.http import http_date, parse_http_date

from portal.pagecache import cached_public_page, invalidate_public_pages
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def program_url():
    return ProgramFactory().get_absolute_url()


def test_public_pages_may_be_kept_briefly_by_browsers_and_a_cdn(client, program_url):
    response = client.get(program_url)
    cache_control = response["Cache-Control"]
    assert "public" in cache_control
    assert get_max_age(response) == 300
    assert "s-maxage=600" in cache_control


def test_public_pages_carry_a_strong_etag_and_a_last_modified_date(client, program_url):
    response = client.get(program_url)
    assert response["ETag"].startswith('"') and not response["ETag"].startswith("W/")
    assert parse_http_date(response["Last-Modified"])


def test_a_matching_etag_gets_304_without_the_page(client, program_url):
    etag = client.get(program_url)["ETag"]
    response = client.get(program_url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert "public" in response["Cache-Control"]


def test_a_copy_no_older_than_last_modified_gets_304(client, program_url):
    last_modified = client.get(program_url)["Last-Modified"]
    response = client.get(program_url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 304


def test_an_outdated_copy_gets_the_whole_page(client, program_url):
    response = client.get(program_url, HTTP_IF_NONE_MATCH='"an-old-version"')
    assert response.status_code == 200
    assert response.content


def test_after_an_edit_the_old_etag_no_longer_matches(client):
    program = ProgramFactory(summary="Before the edit.")
    etag = client.get(program.get_absolute_url())["ETag"]
    program.summary = "After the edit."
    program.save()
    invalidate_public_pages()
    response = client.get(program.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "After the edit." in response.content.decode()


def test_a_conditional_get_answered_from_the_page_cache_needs_no_query(
    client, program_url, django_assert_num_queries
):
    etag = client.get(program_url)["ETag"]
    with django_assert_num_queries(0):
        response = client.get(program_url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


def test_head_requests_get_the_same_validators_as_get(client, program_url):
    assert client.head(program_url)["ETag"] == client.get(program_url)["ETag"]


@override_settings(PUBLIC_PAGE_CACHE_SECONDS=0)
def test_validators_work_with_the_server_cache_turned_off(client, program_url):
    etag = client.get(program_url)["ETag"]
    assert client.get(program_url, HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.parametrize(
    "path", ["/programs/", "/about/", "/sitemap.xml", "/robots.txt", "/"], ids=str
)
def test_every_public_page_sends_cache_headers_and_no_cookie(client, path):
    from django.contrib.flatpages.models import FlatPage

    FlatPage.objects.create(url="/about/", title="About").sites.add(1)
    response = client.get(path)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "ETag" in response
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_a_missing_page_is_not_marked_cacheable(client):
    response = client.get("/programs/no-such-program/")
    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")


def test_a_view_may_give_its_own_last_modified_date(rf):
    stamp = http_date(1_700_000_000)

    @cached_public_page
    def view(request):
        response = HttpResponse("page")
        response["Last-Modified"] = stamp
        return response

    assert view(rf.get("/x/"))["Last-Modified"] == stamp
    assert view(rf.get("/x/", HTTP_IF_MODIFIED_SINCE=stamp)).status_code == 304


def test_a_page_that_sets_a_cookie_is_neither_stored_nor_marked_public(rf):
    calls = []

    @cached_public_page
    def view(request):
        calls.append(1)
        response = HttpResponse("page")
        response.set_cookie("visitor", "1")
        return response

    first = view(rf.get("/y/"))
    view(rf.get("/y/"))
    assert len(calls) == 2
    assert "public" not in first.get("Cache-Control", "")


def test_a_public_page_is_sent_gzipped_to_clients_that_accept_it(client):
    plain = client.get("/")
    packed = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content)
    assert "Accept-Encoding" in plain["Vary"] and "Accept-Encoding" in packed["Vary"]
    assert not plain.has_header("Content-Encoding")


def test_each_representation_has_its_own_etag_and_revalidates(client):
    plain_etag = client.get("/")["ETag"]
    packed_etag = client.get("/", HTTP_ACCEPT_ENCODING="gzip")["ETag"]
    assert plain_etag != packed_etag
    again = client.get("/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed_etag)
    assert again.status_code == 304


def test_the_request_info_form_is_never_compressed(client):
    # It carries a CSRF token: compressing it could leak the token (BREACH).
    response = client.get("/request-info/", HTTP_ACCEPT_ENCODING="gzip")
    assert not response.has_header("Content-Encoding")
