import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from inquiries.models import Inquiry
from tests.factories import CampusFactory, ProgramFactory
from tests.visits.factories import EventFactory, RegistrationFactory
from visits.models import Registration, RegistrationStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]

LIST_URL = reverse("visits:event-list")
THANKS_URL = reverse("visits:thanks")


@pytest.fixture(autouse=True)
def _no_fill_time(settings):
    settings.INQUIRY_MIN_FILL_SECONDS = 0


def form_data(**overrides):
    data = {
        "first_name": "Maria",
        "last_name": "Lopez",
        "email": "maria.lopez@gmail.com",
        "phone": "(407) 555-0123",
        "postal_code": "34741",
        "guests": "1",
    }
    return {**data, **overrides}


def json_ld_blocks(html):
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in found]


def test_the_list_shows_upcoming_published_events_by_campus_with_seats_left(client):
    campus = CampusFactory(name="Kissimmee", order=1)
    other = CampusFactory(name="Orlando", order=2)
    later = EventFactory(campus=other, title="Orlando tour", capacity=10)
    soon = EventFactory(campus=campus, title="Kissimmee session", capacity=4)
    RegistrationFactory(event=soon, guests=2)
    RegistrationFactory(event=soon, status=RegistrationStatus.WAITLISTED)
    EventFactory(campus=campus, title="Hidden draft", is_published=False)
    EventFactory(campus=campus, title="Called off", cancelled_at=timezone.now())
    EventFactory(
        campus=campus,
        title="Long gone",
        starts_at=timezone.now() - datetime.timedelta(days=2),
        ends_at=timezone.now() - datetime.timedelta(days=2, hours=-1),
    )
    online = EventFactory(campus=None, online_url="https://meet.example.com/x", title="Online")

    html = client.get(LIST_URL).content.decode()

    assert "Hidden draft" not in html and "Called off" not in html and "Long gone" not in html
    assert html.index(soon.title) < html.index(later.title) < html.index(online.title)
    assert "1 seat left" in html and "10 seats left" in html


def test_a_full_event_is_listed_as_full_with_its_waitlist(client):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    html = client.get(LIST_URL).content.decode()
    assert "join the waitlist" in html


def test_the_list_costs_the_same_queries_however_many_events(client, django_assert_num_queries):
    for _ in range(3):
        EventFactory(programs=[ProgramFactory()])
    # The events, their programs, and the footer's contact campus (every page).
    with django_assert_num_queries(3):
        client.get(LIST_URL)


def test_the_event_page_describes_the_event_as_json_ld_and_offers_the_form(client):
    program = ProgramFactory()
    event = EventFactory(programs=[program], capacity=8)
    response = client.get(event.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    [block] = [b for b in json_ld_blocks(html) if b["@type"] == "Event"]
    assert block["name"] == event.title
    assert block["location"]["address"]["postalCode"] == event.campus.postal_code
    assert block["eventStatus"] == "https://schema.org/EventScheduled"
    assert 'id="registration-form"' in html and "8 seats left" in html
    assert program.name in html
    assert "<style" not in html and "<script>" not in html


def test_the_event_page_at_an_old_slug_redirects_to_the_current_one(client):
    event = EventFactory(title="Campus tour")
    response = client.get(reverse("visits:event-detail", args=[event.pk, "old-name"]))
    assert response.status_code == 301
    assert response["Location"] == event.get_absolute_url()


def test_an_unpublished_event_is_not_found(client):
    event = EventFactory(is_published=False)
    assert client.get(event.get_absolute_url()).status_code == 404


def test_registering_confirms_and_the_thank_you_page_says_so(client):
    event = EventFactory(capacity=5)
    response = client.post(event.get_absolute_url(), form_data())
    assert response.status_code == 302 and response["Location"] == THANKS_URL
    registration = Registration.objects.get()
    assert (registration.status, registration.guests) == (RegistrationStatus.CONFIRMED, 1)
    assert registration.phone == "+14075550123"
    assert Inquiry.objects.get().email == "maria.lopez@gmail.com"
    html = client.get(THANKS_URL).content.decode()
    assert "You are registered, Maria" in html and "2 seats are confirmed" in html


def test_registering_for_a_full_event_puts_them_on_the_waitlist_and_says_so(client):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    client.post(event.get_absolute_url(), form_data(guests="0"))
    html = client.get(THANKS_URL).content.decode()
    assert "You are on the waitlist, Maria" in html


def test_too_many_guests_is_refused_beside_the_field_keeping_what_was_typed(client):
    event = EventFactory(capacity=3)
    response = client.post(event.get_absolute_url(), form_data(guests="5"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "at most 2 guests" in html
    assert 'value="Maria"' in html and 'value="maria.lopez@gmail.com"' in html
    assert not Registration.objects.exists() and not Inquiry.objects.exists()


def test_a_registration_after_the_event_closed_is_refused_on_the_page(client):
    event = EventFactory()
    url = event.get_absolute_url()
    event.registration_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    event.save()
    response = client.post(url, form_data())
    html = response.content.decode()
    assert "Registration for this event has closed." in html
    assert 'value="Maria"' in html
    assert not Registration.objects.exists()


def test_a_cancelled_event_page_says_so_and_offers_no_form(client):
    event = EventFactory(cancelled_at=timezone.now())
    html = client.get(event.get_absolute_url()).content.decode()
    assert "This event has been cancelled" in html
    assert 'id="registration-form"' not in html
    [block] = [b for b in json_ld_blocks(html) if b["@type"] == "Event"]
    assert block["eventStatus"] == "https://schema.org/EventCancelled"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "maria@localhost", "ordinary domain name"),
        ("phone", "12", "area code"),
        ("first_name", "Ma\u202eria", "invisible or special characters"),
        ("guests", "-1", "Enter 0 if nobody"),
    ],
)
def test_bad_input_gets_a_message_beside_its_field(client, field, value, message):
    event = EventFactory()
    response = client.post(event.get_absolute_url(), form_data(**{field: value}))
    html = response.content.decode()
    assert message in html
    assert f'id="error_1_id_{field}"' in html or f"id_{field}" in html
    assert not Registration.objects.exists()


def test_the_honeypot_holds_the_inquiry_and_takes_no_seat(client):
    event = EventFactory(capacity=5)
    client.post(event.get_absolute_url(), form_data(leave_blank="http://spam.example"))
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.WAITLISTED
    assert registration.inquiry.status == "held"


def test_the_thank_you_page_without_its_cookie_reads_generally(client):
    response = client.get(THANKS_URL)
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()


def test_a_confirmed_online_registration_is_shown_the_joining_link(client):
    event = EventFactory(campus=None, online_url="https://meet.example.com/ftc")
    client.post(event.get_absolute_url(), form_data())
    html = client.get(THANKS_URL).content.decode()
    assert 'href="https://meet.example.com/ftc"' in html


def test_a_waitlisted_online_registration_is_not_shown_the_joining_link(client):
    event = EventFactory(campus=None, online_url="https://meet.example.com/ftc", capacity=1)
    RegistrationFactory(event=event)
    client.post(event.get_absolute_url(), form_data(guests="0"))
    html = client.get(THANKS_URL).content.decode()
    assert "meet.example.com" not in html


def test_the_zip_code_is_stored_and_checked_by_the_request_info_rule(client):
    event = EventFactory()
    response = client.post(event.get_absolute_url(), form_data(postal_code="3474"))
    assert response.status_code == 200
    assert "Enter a 5-digit ZIP code" in response.context["form"].errors["postal_code"][0]
    assert 'value="3474"' in response.content.decode()
    assert not Registration.objects.exists()

    client.post(event.get_absolute_url(), form_data(postal_code="34741 1234"))
    assert Registration.objects.get().postal_code == "34741-1234"
    assert Registration.objects.get().inquiry.postal_code == "34741-1234"


def test_the_registration_stores_the_language_of_its_page(client):
    event = EventFactory()
    with translation.override("es"):
        path = event.get_absolute_url()
    assert path.startswith("/es/visitas/")
    client.post(path, form_data())
    assert Registration.objects.get().language == "es"


def test_the_request_info_rate_limit_applies_and_keeps_what_was_typed(client, settings):
    settings.INQUIRY_RATE_LIMIT = 2
    event = EventFactory(capacity=50)
    for number in range(2):
        response = client.post(event.get_absolute_url(), form_data(email=f"p{number}@gmail.com"))
        assert response.status_code == 302
    response = client.post(event.get_absolute_url(), form_data(email="third@gmail.com"))
    assert response.status_code == 429
    assert "several forms from your connection" in response.content.decode()
    assert response.context["form"]["email"].value() == "third@gmail.com"
    assert Registration.objects.count() == 2
