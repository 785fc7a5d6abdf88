import re
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client

from inquiries.models import ActivityKind, Inquiry, NotificationStatus, Status
from tests.factories import CampusFactory, InquiryFactory, ProgramFactory
from tests.inquiries.test_forms import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]

URL = "/request-info/"
THANKS = "/request-info/thanks/"


class FailingEmailBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPConnectError(421, "Service not available")


@pytest.fixture
def program():
    return ProgramFactory(
        name="Medical Assistant Technician Diploma Program", slug="medical-assistant-technician"
    )


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    """POST the form as a browser would, running what is queued after commit."""

    def post(data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, data, **extra)

    return post


def test_the_form_page_is_never_cached_and_carries_a_csrf_token(client, program):
    response = client.get(URL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_the_form_page_has_one_h1_labels_and_autocomplete_hints(client, program):
    html = client.get(URL).content.decode()
    assert html.count("<h1") == 1
    for token in ("given-name", "family-name", "email", "tel", "postal-code"):
        assert f'autocomplete="{token}"' in html
    for field_id in ("id_first_name", "id_last_name", "id_email", "id_phone", "id_postal_code"):
        assert f'for="{field_id}"' in html


def test_the_form_has_no_inline_script_or_style(client, program):
    html = client.get(URL).content.decode()
    assert "style=" not in html
    assert "<style" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None


def test_program_is_preselected_from_the_query_string(client, program):
    ProgramFactory(name="Other Program")
    html = client.get(URL, {"program": "medical-assistant-technician"}).content.decode()
    assert re.search(rf'<option value="{program.pk}"[^>]*selected', html)


@pytest.mark.parametrize("slug", ["no-such-program", "bad slug!", "x" * 300])
def test_an_unknown_program_slug_is_ignored(client, program, slug):
    response = client.get(URL, {"program": slug})
    assert response.status_code == 200
    assert re.search(r'<option value="" selected>Choose a program', response.content.decode())


def test_a_nul_in_the_query_string_is_the_site_s_400(client, program):
    response = client.get(URL, {"program": "a\x00b"})
    assert response.status_code == 400  # portal.middleware.RequestSanityMiddleware


def test_an_unpublished_program_cannot_be_preselected(client):
    ProgramFactory(slug="draft", is_published=False)
    html = client.get(URL, {"program": "draft"}).content.decode()
    assert "draft" not in html.split('name="program"', 1)[1].split("</select>")[0].lower()


def test_without_javascript_the_preselected_programs_campuses_are_listed(client, program):
    program.campuses.add(CampusFactory(name="Kissimmee"), CampusFactory(name="Orlando"))
    ProgramFactory().campuses.add(CampusFactory(name="Far Away"))
    html = client.get(URL, {"program": program.slug}).content.decode()
    campus_select = html.split('name="campus"', 1)[1].split("</select>")[0]
    assert "Kissimmee" in campus_select and "Orlando" in campus_select
    assert "Far Away" not in campus_select
    assert re.search(r'id="campus-field"\s*>', html)  # shown: no hidden attribute


def test_without_javascript_a_visitor_chooses_program_and_campus_in_one_go(client, program, send):
    kissimmee, orlando = CampusFactory(name="Kissimmee"), CampusFactory(name="Orlando")
    program.campuses.add(kissimmee, orlando)
    html = client.get(URL).content.decode()  # from the menu: no program chosen yet
    campus_select = html.split('name="campus"', 1)[1].split("</select>")[0]
    assert f'<optgroup label="{program.name}">' in campus_select
    assert "Kissimmee" in campus_select and "Orlando" in campus_select
    assert re.search(r'id="campus-field"\s*>', html)

    response = send(form_data(program, campus=str(orlando.pk)))

    assert response.status_code == 302
    assert Inquiry.objects.get().campus == orlando


def test_the_campus_field_is_hidden_for_a_single_campus_program(client, program):
    program.campuses.add(CampusFactory(name="Kissimmee"))
    html = client.get(URL, {"program": program.slug}).content.decode()
    assert re.search(r'id="campus-field"\s*hidden', html)


def test_attribution_is_carried_through_hidden_fields_into_the_inquiry(client, program, send):
    html = client.get(
        URL,
        {"from": "/careers/phlebotomist/", "utm_source": "news", "utm_campaign": "fall"},
        HTTP_REFERER="https://partner.example/list",
    ).content.decode()
    assert 'name="source_page" value="/careers/phlebotomist/"' in html
    assert 'name="utm_source" value="news"' in html
    assert 'name="referrer" value="https://partner.example/list"' in html
    send(
        form_data(
            program,
            source_page="/careers/phlebotomist/",
            referrer="https://partner.example/list",
            utm_source="news",
            utm_campaign="fall",
        )
    )
    inquiry = Inquiry.objects.get()
    assert inquiry.source_page == "/careers/phlebotomist/"
    assert inquiry.referrer == "https://partner.example/list"
    assert (inquiry.utm_source, inquiry.utm_campaign) == ("news", "fall")


def test_a_valid_submission_redirects_to_the_thank_you_page(client, program, send):
    response = send(form_data(program))
    assert response.status_code == 302
    assert response["Location"] == THANKS
    inquiry = Inquiry.objects.get()
    assert inquiry.email == "maria.lopez@example.com"
    assert inquiry.activities.filter(kind=ActivityKind.SUBMITTED).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["admissions@ftc.example", "maria.lopez@example.com"]
    )


def test_the_thank_you_page_says_what_happens_next_and_when(client, program, send):
    send(form_data(program, contact_method="text", phone="4075550123", consent="on"))
    response = client.get(THANKS)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Thank you, Maria" in html
    assert "Medical Assistant Technician Diploma Program" in html
    assert "within one business day" in html
    assert "by text message" in html
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_a_submission_keeps_nothing_of_the_prospect_in_a_server_session(client, program, send):
    from django.contrib.sessions.models import Session

    response = send(form_data(program))
    assert Session.objects.count() == 0
    cookie = response.cookies["inquiry_thanks"]
    assert cookie["httponly"]
    assert cookie["path"] == THANKS
    assert cookie["samesite"] == "Lax"
    assert "Maria" not in cookie.value  # signed and compressed, not plain text


def test_a_forged_thank_you_cookie_is_ignored(client):
    client.cookies["inquiry_thanks"] = '{"first_name": "Mallory"}'
    html = client.get(THANKS).content.decode()
    assert "Mallory" not in html
    assert "within one business day" in html


def test_refreshing_the_thank_you_page_creates_nothing(client, program, send):
    send(form_data(program))
    for _ in range(3):
        assert client.get(THANKS).status_code == 200
    assert Inquiry.objects.count() == 1
    assert len(mail.outbox) == 2


def test_the_thank_you_page_works_without_a_submission(client):
    response = client.get(THANKS)
    assert response.status_code == 200
    assert "within one business day" in response.content.decode()


def test_the_thank_you_page_does_not_accept_posts(client):
    assert client.post(THANKS).status_code == 405


def test_an_invalid_submission_keeps_what_was_typed_and_lists_the_errors(client, program):
    data = form_data(program, email="maria@", phone="12", postal_code="ABC", message="Hello")
    response = client.post(URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Inquiry.objects.exists()
    assert 'value="Maria"' in html and 'value="maria@"' in html and "Hello</textarea>" in html
    assert re.search(r'<div[^>]*id="error-summary"[^>]*role="alert"', html)
    summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    for anchor in ("#id_email", "#id_phone", "#id_postal_code"):
        assert f'href="{anchor}"' in summary
    assert 'aria-invalid="true"' in html
    assert "Please check your answers" in html.split("</title>")[0]


def test_errors_are_shown_next_to_their_fields(client, program):
    html = client.post(URL, form_data(program, contact_method="phone")).content.decode()
    assert re.search(r'id="id_phone_error"[^>]*>.*Enter your phone number', html, re.S)
    assert re.search(r'id="id_consent_error"[^>]*>.*Check this box', html, re.S)


def test_csrf_protection_stays_on(program):
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, form_data(program))
    assert response.status_code == 403
    assert not Inquiry.objects.exists()


def test_a_bot_filling_the_honeypot_sees_the_thank_you_page_and_is_held_for_review(program, send):
    response = send(form_data(program, leave_blank="https://buy.example"))
    assert response.status_code == 302
    assert response["Location"] == THANKS
    inquiry = Inquiry.objects.get()
    assert inquiry.status == Status.HELD
    assert inquiry.spam_signal == "honeypot"
    assert mail.outbox == []


def test_a_submission_as_fast_as_autofill_is_a_normal_new_inquiry(client, program, send):
    html = client.get(URL).content.decode()
    token = re.search(r'name="fill_token" value="([^"]+)"', html).group(1)
    response = send(form_data(program, fill_token=token))
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.status == Status.NEW
    assert inquiry.spam_signal == "too_fast"
    assert [m.to for m in mail.outbox if m.to == [inquiry.email]]


def test_weak_signals_together_hold_the_submission(client, program, send):
    html = client.get(URL).content.decode()
    token = re.search(r'name="fill_token" value="([^"]+)"', html).group(1)
    message = "Cheap http://a.example http://b.example"
    send(form_data(program, fill_token=token, email="x@mailinator.com", message=message))
    inquiry = Inquiry.objects.get()
    assert inquiry.status == Status.HELD
    assert inquiry.spam_score == 3
    assert mail.outbox == []


def test_a_failing_mail_server_loses_nothing_and_the_prospect_sees_thank_you(
    client, program, send, settings
):
    settings.MAILERS = {"default": {"BACKEND": "tests.inquiries.test_views.FailingEmailBackend"}}
    response = send(form_data(program))
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    inquiry = Inquiry.objects.get()
    assert inquiry.status == Status.NEW
    notifications = list(inquiry.notifications.all())
    assert len(notifications) == 2
    for notification in notifications:
        assert notification.status == NotificationStatus.PENDING
        assert notification.attempts == 1
        assert "SMTPConnectError" in notification.last_error


def test_a_repeat_submission_sees_thank_you_and_joins_the_open_inquiry(client, program, send):
    first = InquiryFactory(program=program, email="maria.lopez@example.com")
    response = send(form_data(program, email="MARIA.LOPEZ@example.com"))
    assert response.status_code == 302
    assert Inquiry.objects.count() == 1
    assert first.activities.filter(kind=ActivityKind.REPEAT_SUBMISSION).exists()
    assert "maria.lopez@example.com" in {m.to[0].lower() for m in mail.outbox}


def test_the_sixth_submission_in_the_window_gets_a_429_page(client, program, send, settings):
    settings.INQUIRY_RATE_LIMIT = 5
    for n in range(5):
        response = send(form_data(program, email=f"person{n}@example.com"))
        assert response.status_code == 302
    response = send(form_data(program, email="person6@example.com"))
    html = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "Please wait a few minutes" in html
    assert 'href="#main"' in html  # the site's layout
    assert Inquiry.objects.count() == 5


def test_showing_the_form_does_not_count_against_the_limit(client, program, send, settings):
    settings.INQUIRY_RATE_LIMIT = 1
    for _ in range(5):
        assert client.get(URL).status_code == 200
    assert send(form_data(program)).status_code == 302


def test_correcting_mistakes_does_not_count_against_the_limit(program, send, settings):
    settings.INQUIRY_RATE_LIMIT = 1
    for _ in range(5):
        response = send(form_data(program, email="not-an-email"))
        assert response.status_code == 200
    assert send(form_data(program)).status_code == 302
    assert Inquiry.objects.count() == 1


def test_a_person_over_the_limit_keeps_everything_they_typed(program, send, settings):
    settings.INQUIRY_RATE_LIMIT = 1
    send(form_data(program, email="first@example.com"))
    response = send(form_data(program, email="second@example.com", message="Evening classes?"))
    html = response.content.decode()
    assert response.status_code == 429
    assert "Please wait a few minutes" in html
    assert 'value="second@example.com"' in html
    assert "Evening classes?" in html
    assert Inquiry.objects.count() == 1


def test_behind_a_cdn_and_our_balancer_the_client_is_two_hops_back(program, send, settings):
    settings.INQUIRY_RATE_LIMIT = 1
    settings.BEHIND_TLS_PROXY = True
    settings.TRUSTED_PROXY_HOPS = 2
    edge = "198.51.100.1"  # the CDN edge both visitors come through
    assert send(form_data(program), HTTP_X_FORWARDED_FOR=f"1.1.1.1, {edge}").status_code == 302
    assert send(form_data(program), HTTP_X_FORWARDED_FOR=f"2.2.2.2, {edge}").status_code == 302
    assert send(form_data(program), HTTP_X_FORWARDED_FOR=f"1.1.1.1, {edge}").status_code == 429


def test_the_limit_is_per_client_address(program, send, settings):
    settings.INQUIRY_RATE_LIMIT = 1
    assert send(form_data(program), REMOTE_ADDR="10.0.0.1").status_code == 302
    assert send(form_data(program), REMOTE_ADDR="10.0.0.1").status_code == 429
    assert send(form_data(program), REMOTE_ADDR="10.0.0.2").status_code == 302


def test_a_forwarded_address_is_ignored_unless_behind_our_proxy(program, send, settings):
    settings.INQUIRY_RATE_LIMIT = 1
    settings.BEHIND_TLS_PROXY = False
    assert send(form_data(program), HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 302
    assert send(form_data(program), HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429


def test_behind_our_proxy_the_address_it_appended_is_limited(program, send, settings):
    settings.INQUIRY_RATE_LIMIT = 1
    settings.BEHIND_TLS_PROXY = True
    assert send(form_data(program), HTTP_X_FORWARDED_FOR="9.9.9.9, 1.1.1.1").status_code == 302
    assert send(form_data(program), HTTP_X_FORWARDED_FOR="8.8.8.8, 2.2.2.2").status_code == 302
    assert send(form_data(program), HTTP_X_FORWARDED_FOR="7.7.7.7, 1.1.1.1").status_code == 429


def test_a_cache_outage_does_not_turn_people_away(program, send, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "add", broken)
    assert send(form_data(program)).status_code == 302
