import json
import re

from django.template import Context, Template
from django.test import RequestFactory


def render(source, **context):
    request = RequestFactory().get("/careers/x/")
    return Template("{% load portal_tags %}" + source).render(
        Context({"request": request, **context})
    )


def json_ld_blocks(html):
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def test_json_ld_escapes_markup_so_the_script_cannot_be_closed_early():
    html = render("{{ data|json_ld }}", data={"name": "</script><b>x</b> & y"})
    assert "</script><b>" not in html
    assert json_ld_blocks(html) == [{"name": "</script><b>x</b> & y", "inLanguage": "en"}]


def test_breadcrumbs_render_links_and_a_breadcrumb_list():
    html = render('{% breadcrumbs "Careers" "/careers/" "Phlebotomist" %}')
    assert '<a href="/careers/">Careers</a>' in html
    assert 'aria-current="page">Phlebotomist<' in html
    (data,) = json_ld_blocks(html)
    assert data["@type"] == "BreadcrumbList"
    assert [item["name"] for item in data["itemListElement"]] == ["Home", "Careers", "Phlebotomist"]
    assert data["itemListElement"][1]["item"] == "http://testserver/careers/"
