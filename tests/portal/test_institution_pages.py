import json
import re

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site

pytestmark = pytest.mark.django_db


def institution_page(url="/accreditation/", **fields):
    fields = {"title": "Accreditation", "content": "<p>Accredited by MSCHE.</p>", **fields}
    page = FlatPage.objects.create(url=url, **fields)
    page.sites.add(1)
    return page


def test_institution_page_renders_in_the_site_look(client):
    institution_page()
    response = client.get("/accreditation/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Accreditation</h1>" in html
    assert "<p>Accredited by MSCHE.</p>" in html
    assert 'href="#main"' in html  # the base layout's skip link
    assert "<title>Accreditation | Florida Technical College</title>" in html


def test_institution_page_describes_itself_from_its_text(client):
    institution_page(content="<p>Florida Technical College &amp; NUC University.</p>")
    html = client.get("/accreditation/").content.decode()
    assert (
        '<meta name="description" content="Florida Technical College &amp; NUC University.">'
        in html
    )


def test_institution_page_has_breadcrumbs_as_json_ld(client):
    institution_page()
    html = client.get("/accreditation/").content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    names = [item["name"] for item in json.loads(blocks[0])["itemListElement"]]
    assert names == ["Home", "Accreditation"]


def test_institution_page_is_served_from_the_page_cache(client, django_assert_num_queries):
    institution_page()
    client.get("/accreditation/")
    with django_assert_num_queries(0):
        assert client.get("/accreditation/").status_code == 200


def test_institution_page_renders_in_two_queries(client, django_assert_num_queries):
    institution_page()
    with django_assert_num_queries(2):  # the page, and the campus the footer gives
        client.get("/accreditation/")


def test_pages_that_need_a_login_are_not_public(client):
    institution_page(registration_required=True)
    assert client.get("/accreditation/").status_code == 404


def test_pages_of_another_site_are_not_shown(client):
    other = Site.objects.create(domain="other.example", name="Other")
    page = FlatPage.objects.create(url="/other/", title="Other")
    page.sites.add(other)
    assert client.get("/other/").status_code == 404


def test_unknown_addresses_still_get_the_404_page(client):
    assert client.get("/no-such-page/").status_code == 404


def test_addresses_without_the_trailing_slash_still_redirect(client):
    response = client.get("/careers")
    assert response.status_code == 301
    assert response["Location"] == "/careers/"


def test_footer_links_the_institution_pages(client):
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    for path, label in [
        ("/about/", "About"),
        ("/accreditation/", "Accreditation"),
        ("/privacy/", "Privacy"),
    ]:
        assert f'<a href="{path}">{label}</a>' in footer
