"""The request-info page served from a shell rendered once (portal/formcache.py,
inquiries/formpage.py): the same page as a full render, each visitor's own tokens."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import render
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from inquiries import spam, views
from inquiries.forms import RequestInfoForm
from inquiries.models import Inquiry
from portal import formcache
from programs.models import Program
from tests.factories import CampusFactory, ProgramFactory
from tests.inquiries.test_forms import form_data

pytestmark = pytest.mark.django_db

URL = "/request-info/"
SPANISH_URL = "/es/solicitar-informacion/"
# An outside referrer and campaign values with every character HTML escapes.
REFERER = 'https://elsewhere.example/search?q=nurse&x="<b>"'
QUERY = {"program": "medical-assistant-technician", "utm_source": "news", "utm_campaign": 'a&"b'}


@pytest.fixture
def program():
    program = ProgramFactory(
        name="Medical Assistant Technician Diploma Program",
        name_es="Programa de Diploma de Técnico de Asistente Médico",
        slug="medical-assistant-technician",
    )
    program.campuses.add(CampusFactory(name="Kissimmee"), CampusFactory(name="Pembroke Pines"))
    ProgramFactory(name="Phlebotomy Technician")
    return program


@pytest.fixture(autouse=True)
def _no_shells_from_other_tests():
    formcache._shells.clear()
    formcache._programs = (None, None)
    yield
    formcache._shells.clear()
    formcache._programs = (None, None)


def _tokens(html: str) -> tuple[str, str]:
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    fill = re.search(r'name="fill_token" value="([^"]+)"', html).group(1)
    return csrf, fill


def _without_tokens(html: str) -> str:
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+"', r'\1CSRF"', html)
    return re.sub(r'(name="fill_token" value=")[^"]+"', r'\1FILL"', html)


def _full_render(path: str, query: dict, **headers) -> str:
    """The page as the view rendered it before shells: the form built for this request."""
    request = RequestFactory().get(path, query, **headers)
    request.LANGUAGE_CODE = translation.get_language()
    form = RequestInfoForm(initial=views._initial(request))
    context = {"form": form, "switch_name": views.SWITCH_LANGUAGE}
    return render(request, "inquiries/request_info.html", context).content.decode()


def test_the_page_from_the_shell_is_a_full_render_but_for_the_tokens(client, program):
    client.get(URL, QUERY)  # renders the shell
    served = client.get(URL, QUERY, HTTP_REFERER=REFERER).content.decode()

    expected = _full_render(URL, QUERY, HTTP_REFERER=REFERER)
    assert _without_tokens(served) == _without_tokens(expected)
    assert 'value="https://elsewhere.example/search?q=nurse&amp;x=&quot;&lt;b&gt;&quot;"' in served
    assert re.search(rf'<option value="{program.pk}"[^>]*selected', served)


def test_a_field_left_empty_has_no_value_attribute_as_in_a_full_render(client, program):
    client.get(URL)
    served = client.get(URL).content.decode()

    assert re.search(r'<input type="hidden" name="referrer" id="id_referrer">', served)
    assert _without_tokens(served) == _without_tokens(_full_render(URL, {}))


def test_the_shell_is_rendered_once_then_a_page_costs_no_query(
    client, program, django_assert_num_queries
):
    client.get(URL, QUERY)
    with django_assert_num_queries(0):
        response = client.get(URL, QUERY)
    assert response.status_code == 200


def test_two_visitors_get_their_own_csrf_and_fill_tokens_and_cookie(program):
    first, second = Client(), Client()
    first_page = first.get(URL, QUERY)
    second_page = second.get(URL, QUERY)

    first_tokens = _tokens(first_page.content.decode())
    second_tokens = _tokens(second_page.content.decode())
    assert first_tokens[0] != second_tokens[0]
    # The fill token is a signed time in seconds: issued now, not the shell's time.
    assert spam.fill_time_signal(second_tokens[1]) == "too_fast"
    assert first_page.cookies[settings.CSRF_COOKIE_NAME].value
    assert second_page.cookies[settings.CSRF_COOKIE_NAME].value
    assert "no-store" in second_page["Cache-Control"]


def test_a_post_with_the_served_tokens_is_accepted(program, django_capture_on_commit_callbacks):
    browser = Client(enforce_csrf_checks=True)
    browser.get(URL, QUERY)  # the shell
    csrf, fill = _tokens(browser.get(URL, QUERY).content.decode())

    data = form_data(program, fill_token=fill, csrfmiddlewaretoken=csrf)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(URL, data)

    assert response.status_code == 302
    inquiry = Inquiry.objects.get(email="maria.lopez@example.com")
    assert "missing_token" not in inquiry.spam_signal
    assert "bad_token" not in inquiry.spam_signal


def test_a_forged_csrf_token_is_refused(program):
    browser = Client(enforce_csrf_checks=True)
    browser.get(URL, QUERY)
    csrf, fill = _tokens(browser.get(URL, QUERY).content.decode())
    forged = ("A" if csrf[0] != "A" else "B") + csrf[1:]

    response = browser.post(URL, form_data(program, fill_token=fill, csrfmiddlewaretoken=forged))

    assert response.status_code == 403
    assert not Inquiry.objects.exists()


def test_a_form_sent_back_with_errors_is_rendered_with_what_was_typed(client, program):
    client.get(URL, QUERY)
    response = client.post(URL, form_data(program, email="not an address", first_name="Zoë"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter an email address in the form name@example.com." in html
    assert 'value="Zoë"' in html
    assert 'value="not an address"' in html


@pytest.mark.django_db(transaction=True)  # the content version moves on when writes commit
def test_a_content_edit_renders_the_shell_afresh(client, program):
    assert "Medical Assistant Technician Diploma Program" in client.get(URL).content.decode()

    program.name = "Clinical Medical Assistant Diploma"
    program.save()

    html = client.get(URL).content.decode()
    assert "Clinical Medical Assistant Diploma" in html
    assert "Medical Assistant Technician Diploma Program" not in html


def test_spanish_and_english_pages_have_shells_of_their_own(client, program):
    english = client.get(URL, QUERY).content.decode()
    spanish = client.get(SPANISH_URL, QUERY).content.decode()
    translation.activate(settings.LANGUAGE_CODE)

    assert '<html lang="en">' in english
    assert '<html lang="es">' in spanish
    assert "Programa de Diploma de Técnico de Asistente Médico" in spanish
    assert "Programa de Diploma de Técnico de Asistente Médico" not in english
    assert len(formcache._shells) == 2


def test_without_the_content_version_the_page_is_rendered_in_full(client, program, monkeypatch):
    def unreachable():
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(formcache, "content_version", unreachable)
    response = client.get(URL, QUERY, HTTP_REFERER=REFERER)

    assert response.status_code == 200
    assert not formcache._shells
    assert _without_tokens(response.content.decode()) == _without_tokens(
        _full_render(URL, QUERY, HTTP_REFERER=REFERER)
    )


def test_a_form_sent_back_reads_the_programs_once_per_content_version(
    client, program, django_capture_on_commit_callbacks
):
    def program_reads(email):
        with CaptureQueriesContext(connection) as captured:
            response = client.post(URL, form_data(program, email=email))
        assert response.status_code == 302
        return [q for q in captured if 'FROM "programs_program"' in q["sql"]]

    assert len(program_reads("first@example.com")) == 1
    assert program_reads("second@example.com") == []
    assert Inquiry.objects.filter(program=program).count() == 2


@pytest.mark.django_db(transaction=True)  # the content version moves on when writes commit
def test_a_program_withdrawn_since_is_refused_on_the_next_post(client, program):
    client.post(URL, form_data(program, email="first@example.com"))
    assert Inquiry.objects.count() == 1

    Program.objects.filter(pk=program.pk).update(is_published=False)
    response = client.post(URL, form_data(program, email="second@example.com"))

    assert response.status_code == 200
    assert Inquiry.objects.count() == 1
