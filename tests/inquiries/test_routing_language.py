"""Routing by language: a new inquiry goes to a representative who covers its program and
speaks the language of the form it came from, taking turns among those; when nobody covering
it speaks it, the usual round-robin among all. Managers record the languages on the team page.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inquiries.models import Coverage, StaffProfile
from inquiries.services import routing
from tests.factories import InquiryFactory, ProgramFactory
from tests.inquiries.staff import manager, representative
from tests.inquiries.test_team import change_url, new_rep_form, rep_change_form

pytestmark = pytest.mark.django_db

TEAM = reverse("admin:inquiries_representative_changelist")
ADD = reverse("admin:inquiries_representative_add")


@pytest.fixture
def program():
    return ProgramFactory()


def covering(program, *, languages: str | None):
    rep = representative()
    if languages is not None:
        StaffProfile.objects.create(user=rep, languages=languages)
    Coverage.objects.create(representative=rep, program=program)
    return rep


def route(program, language):
    return routing.route_new_inquiry(inquiry=InquiryFactory(program=program, language=language))


def test_a_spanish_inquiry_goes_to_the_representative_who_speaks_spanish(program):
    english_only = covering(program, languages="en")
    bilingual = covering(program, languages="en,es")
    assert [route(program, "es") for _ in range(3)] == [bilingual] * 3
    # English inquiries still take turns among everybody who speaks English.
    assert [route(program, "en") for _ in range(2)] == [english_only, bilingual]


def test_spanish_speakers_take_turns_among_themselves(program):
    covering(program, languages="en")
    first = covering(program, languages="es")
    second = covering(program, languages="en,es")
    assert [route(program, "es") for _ in range(4)] == [first, second, first, second]


def test_without_a_spanish_speaker_it_is_the_usual_round_robin(program):
    first = covering(program, languages="en")
    second = covering(program, languages=None)  # no profile: the site's language
    assert [route(program, "es") for _ in range(4)] == [first, second, first, second]


def test_a_spanish_speaker_who_does_not_cover_the_program_gets_nothing(program):
    english_only = covering(program, languages="en")
    covering(ProgramFactory(), languages="es")
    assert route(program, "es") == english_only


def test_an_inactive_spanish_speaker_is_skipped(program):
    english_only = covering(program, languages="en")
    gone = covering(program, languages="es")
    gone.is_active = False
    gone.save()
    assert route(program, "es") == english_only


def test_routing_by_language_costs_no_extra_statement(program):
    def statements(language):
        with CaptureQueriesContext(connection) as queries:
            route(program, language)
        return len([q for q in queries.captured_queries if "inquiries_coverage" in q["sql"]])

    covering(program, languages=None)
    covering(program, languages="es")
    # One locking read of the coverage (profiles joined in) and one update of the chosen row.
    assert statements("es") == statements("en") == 2


# --- The team page -------------------------------------------------------------------------------


@pytest.fixture
def manager_client(client):
    client.force_login(manager())
    return client


def test_a_manager_records_the_languages_a_new_representative_speaks(manager_client):
    response = manager_client.post(ADD, new_rep_form(languages=["en", "es"]))
    assert response.status_code == 302
    assert StaffProfile.objects.get(user__username="dana").languages == "en,es"


def test_the_languages_are_ticked_boxes_and_a_column_on_the_team_list(manager_client, program):
    rep = covering(program, languages="es")
    html = manager_client.get(change_url(rep)).content.decode()
    assert 'type="checkbox" name="languages" value="es"' in html
    assert 'value="es" id="id_languages_1" checked' in html
    assert 'value="en" id="id_languages_0" checked' not in html
    assert "Spanish</label>" in html  # staff read the languages' English names
    listing = manager_client.get(TEAM).content.decode()
    assert "Spanish" in listing


def test_a_manager_changes_the_languages_and_unknown_codes_are_refused(manager_client, program):
    rep = covering(program, languages="en")
    manager_client.post(change_url(rep), rep_change_form(rep, languages=["en", "es"]))
    assert StaffProfile.objects.get(user=rep).languages == "en,es"
    response = manager_client.post(change_url(rep), rep_change_form(rep, languages=["fr"]))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert StaffProfile.objects.get(user=rep).languages == "en,es"


def test_a_representative_cannot_open_the_team_page(client, program):
    rep = covering(program, languages="en")
    client.force_login(rep)
    assert client.get(change_url(rep)).status_code == 403
