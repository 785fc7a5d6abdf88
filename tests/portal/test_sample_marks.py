"""A demo value that is not the college's published fact says so where a visitor reads it."""

import re

import pytest

from portal.demo import load_demo_content

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/programs/medical-assistant-technician/",
        "/careers/medical-assistant/",
        "/compare/medical-assistant-vs-phlebotomist/",
    ],
)
def test_the_call_button_s_demo_phone_number_is_marked_sample(client, url):
    load_demo_content()
    html = client.get(url).content.decode()
    calls = [
        block.group(1)
        for block in re.finditer(r'<div class="cta-inline[^"]*">(.*?)</div>', html, re.S)
        if "tel:" in block.group(1)
    ]
    assert calls
    assert all("sample-badge" in call for call in calls)
