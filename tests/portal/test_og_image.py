"""Open Graph cards: every public page names a server-drawn PNG of its title, drawn once."""

import io
import re

import pytest
from django.template import engines
from PIL import Image

from portal import ogimage

pytestmark = pytest.mark.django_db

PAGE_TYPES = {
    "home": "/",
    "careers": "/careers/",
    "career": "/careers/medical-assistant/",
    "comparison-index": "/compare/",
    "curated-comparison": "/compare/medical-assistant-vs-phlebotomist/",
    "computed-trio": "/compare/medical-assistant-vs-laboratory-technician-vs-phlebotomist/",
    "programs": "/programs/",
    "program": "/programs/medical-assistant-technician/",
    "request-info": "/request-info/",
    "institution-page": "/about/",
}


@pytest.fixture
def demo_content(db):
    from portal.demo import load_demo_content

    load_demo_content()


def meta(html: str, attribute: str, name: str) -> str | None:
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    return found.group(1) if found else None


def test_a_card_is_a_png_of_the_open_graph_size(client):
    response = client.get(ogimage.card_path("Programs"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    assert image.size == (1200, 630)


def test_a_card_may_be_kept_by_browsers_and_cdns_and_revalidated(client):
    path = ogimage.card_path("Programs")
    response = client.get(path)
    assert "public" in response["Cache-Control"]
    assert "max-age=604800" in response["Cache-Control"]
    again = client.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_card_is_drawn_once_then_served_from_the_cache(client, monkeypatch):
    drawn = []
    draw = ogimage.draw_card
    monkeypatch.setattr(ogimage, "draw_card", lambda *args: drawn.append(args) or draw(*args))
    path = ogimage.card_path("Medical Assistant")
    first = client.get(path).content
    second = client.get(path).content
    assert first == second
    assert drawn == [("Medical Assistant", "Florida Technical College")]


def test_a_card_needs_no_database(client, django_assert_num_queries):
    path = ogimage.card_path("Programs")
    with django_assert_num_queries(0):
        assert client.get(path).status_code == 200


def test_a_card_for_a_title_the_site_did_not_sign_is_not_found(client):
    token = ogimage.card_token("Programs")
    forged = token.replace(token.split(":")[0], "SGFja2Vk")
    assert client.get(f"/og/{forged}.png").status_code == 404
    assert client.get("/og/anything-at-all.png").status_code == 404


def test_the_same_title_always_has_the_same_card_address():
    assert ogimage.card_path("Programs") == ogimage.card_path("Programs")
    assert ogimage.card_path("Programs") != ogimage.card_path("Careers")


def test_a_card_shows_the_title_without_markup_or_the_college_suffix():
    title = "Request information &amp; more | Florida Technical College"
    assert ogimage.card_title(title) == "Request information & more"
    assert ogimage.card_title("Florida Technical College") == "Florida Technical College"
    assert len(ogimage.card_title("word " * 100)) == ogimage.MAX_TITLE_CHARS


def test_a_very_long_title_still_fits_on_the_card():
    png = ogimage.draw_card("Medical assistant " * 20, "Florida Technical College")
    assert Image.open(io.BytesIO(png)).size == (1200, 630)


@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_every_public_page_type_names_its_card_for_social_networks(client, demo_content, path):
    response = client.get(path, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    image = meta(html, "property", "og:image")
    assert image and image.startswith("http://testserver/og/") and image.endswith(".png")
    assert meta(html, "property", "og:image:width") == "1200"
    assert meta(html, "property", "og:image:height") == "630"
    assert meta(html, "property", "og:image:alt")
    assert meta(html, "property", "og:image:type") == "image/png"
    assert meta(html, "name", "twitter:card") == "summary_large_image"
    card = client.get(image.removeprefix("http://testserver"))
    assert card.status_code == 200
    assert card["Content-Type"] == "image/png"


def test_a_career_page_card_carries_the_career_name(client, demo_content):
    html = client.get("/careers/phlebotomist/").content.decode()
    image = meta(html, "property", "og:image")
    token = image.rsplit("/", 1)[1].removesuffix(".png")
    assert ogimage.title_from_token(token) == "Phlebotomist"
    assert meta(html, "property", "og:image:alt") == "Phlebotomist, Florida Technical College"


def test_capture_keeps_a_block_overridable_by_child_templates():
    django_engine = engines["django"].engine
    parent = django_engine.from_string(
        "{% load portal_tags %}{% capture as title %}{% block title %}Parent{% endblock %}"
        "{% endcapture %}[{{ title }}]"
    )
    child = django_engine.from_string(
        "{% extends parent %}{% block title %}A &amp; B{% endblock %}"
    )
    from django.template import Context

    assert child.render(Context({"parent": parent})) == "[A &amp; B]"
    assert parent.render(Context({})) == "[Parent]"


def test_a_title_keeps_one_card_address_from_one_second_to_the_next(monkeypatch):
    """Otherwise a page's body, and so its ETag, would change between two renders."""
    import time

    from portal import ogimage

    first = ogimage.card_path("Medical Assistant")
    later = time.time() + 5
    monkeypatch.setattr(time, "time", lambda: later)
    assert ogimage.card_path("Medical Assistant") == first
