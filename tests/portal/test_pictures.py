"""The logo and the pictures of careers and areas of work."""

import pytest
from django.contrib.staticfiles import finders
from django.template import Context, Template

from portal.templatetags.portal_tags import AREA_ICONS, CAREER_ICONS, area_icon, career_icon
from tests.factories import RoleFactory

pytestmark = pytest.mark.django_db


def test_every_named_picture_exists_with_a_neutral_one_beside_them():
    names = [f"img/careers/{slug}.svg" for slug in [*CAREER_ICONS, "career"]]
    names += [f"img/areas/{area}.svg" for area in [*AREA_ICONS, "area"]]
    names += ["img/logo.svg", "img/logo-on-teal.svg"]
    for name in names:
        assert finders.find(name), name


def test_pictures_carry_no_inline_style_or_script():
    # A 'self'-only Content Security Policy refuses inline style, in SVG files too.
    for name in ["img/logo.svg", "img/logo-on-teal.svg"] + [
        f"img/careers/{slug}.svg" for slug in [*CAREER_ICONS, "career"]
    ]:
        with open(finders.find(name)) as svg:
            text = svg.read()
        assert "style" not in text and "<script" not in text, name


def test_a_career_gets_its_own_picture():
    html = career_icon(RoleFactory.build(slug="phlebotomist"))
    assert 'src="/static/img/careers/phlebotomist.svg"' in html
    assert 'alt=""' in html
    assert 'width="48" height="48"' in html


def test_a_career_without_a_picture_gets_the_neutral_one():
    assert "img/careers/career.svg" in career_icon(RoleFactory.build(slug="pharmacy-technician"))


def test_each_area_of_work_has_a_picture_and_an_unknown_one_the_neutral_one():
    for area in ("administrative", "clinical", "laboratory"):
        assert f"img/areas/{area}.svg" in area_icon(area)
    assert "img/areas/area.svg" in area_icon("surgical")


def test_the_header_shows_the_logo_and_it_is_the_favicon(client):
    html = client.get("/").content.decode()
    assert '<img class="brand-mark" src="/static/img/logo-on-teal.svg" alt=""' in html
    assert '<link rel="icon" href="/static/img/logo.svg" type="image/svg+xml">' in html


def test_career_cards_and_pages_show_the_career_picture(client):
    RoleFactory(slug="phlebotomist", name="Phlebotomist")
    assert "img/careers/phlebotomist.svg" in client.get("/careers/").content.decode()
    assert "img/careers/phlebotomist.svg" in client.get("/careers/phlebotomist/").content.decode()


def test_career_page_duty_areas_show_their_picture(client):
    from tests.factories import RoleDutyFactory

    role = RoleFactory(slug="phlebotomist")
    RoleDutyFactory(role=role, duty__area="clinical")
    html = client.get(role.get_absolute_url()).content.decode()
    assert "img/areas/clinical.svg" in html


def test_the_menu_works_without_javascript(client):
    html = client.get("/").content.decode()
    assert '<details class="site-menu" id="site-nav">' in html
    assert "data-bs-toggle" not in html
    assert "bootstrap.bundle" not in html


def test_icon_tags_render_in_templates():
    html = Template("{% load portal_tags %}{% area_icon 'laboratory' 24 %}").render(Context())
    assert 'width="24" height="24"' in html
