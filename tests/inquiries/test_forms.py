import time
from unittest import mock

import pytest
from django.test import RequestFactory

from inquiries.attribution import Attribution
from inquiries.cleaning import attribution_initial, local_path_or_empty
from inquiries.forms import RequestInfoForm, consent_text, consent_version
from inquiries.services.capture import Submission
from inquiries.spam import fill_time_signal, issue_fill_token
from tests.factories import CampusFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def aged_fill_token(seconds: float = 60) -> str:
    """A fill token as if the form had been shown `seconds` ago."""
    with mock.patch("django.core.signing.time.time", return_value=time.time() - seconds):
        return issue_fill_token()


def form_data(program, /, **overrides) -> dict:
    """What a person who filled in the form properly would send."""
    data = {
        "first_name": "Maria",
        "last_name": "Lopez",
        "email": "maria.lopez@example.com",
        "phone": "",
        "postal_code": "34741",
        "program": str(program.pk),
        "campus": "",
        "start_timeframe": "3_months",
        "contact_method": "email",
        "message": "",
        "leave_blank": "",
        "fill_token": aged_fill_token(),
        "source_page": "",
        "referrer": "",
        "utm_source": "",
        "utm_medium": "",
        "utm_campaign": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def program():
    return ProgramFactory(slug="medical-assistant-technician")


def test_a_complete_form_is_valid(program):
    form = RequestInfoForm(data=form_data(program))
    assert form.is_valid(), form.errors
    assert form.spam.signals == ()


def test_the_phone_number_is_stored_in_e164(program):
    form = RequestInfoForm(data=form_data(program, phone="(407) 555-0123"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "+14075550123"


def test_an_invalid_phone_number_gets_a_message_next_to_the_field(program):
    form = RequestInfoForm(data=form_data(program, phone="555-01"))
    assert not form.is_valid()
    assert "area code" in form.errors["phone"][0]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("first_name", "Enter your first name."),
        ("last_name", "Enter your last name."),
        ("email", "Enter your email address."),
        ("postal_code", "Enter your ZIP code."),
        ("program", "Choose the program you would like to hear about."),
        ("contact_method", "Choose how you would like us to contact you."),
    ],
)
def test_each_required_field_says_what_is_missing(program, name, message):
    form = RequestInfoForm(data=form_data(program, **{name: ""}))
    assert not form.is_valid()
    assert form.errors[name] == [message]


@pytest.mark.parametrize("email", ["maria", "maria@", "maria@@example.com", "a b@example.com"])
def test_a_malformed_email_address_is_refused(program, email):
    form = RequestInfoForm(data=form_data(program, email=email))
    assert not form.is_valid()
    assert form.errors["email"] == ["Enter an email address in the form name@example.com."]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("34741", "34741"), ("34741-1234", "34741-1234"), ("347411234", "34741-1234")],
)
def test_five_digit_and_zip_plus_four_codes_are_accepted(program, typed, stored):
    form = RequestInfoForm(data=form_data(program, postal_code=typed))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["postal_code"] == stored


@pytest.mark.parametrize("typed", ["3474", "ABCDE", "34741-12", "347412"])
def test_other_zip_codes_are_refused(program, typed):
    form = RequestInfoForm(data=form_data(program, postal_code=typed))
    assert not form.is_valid()
    assert "5-digit ZIP code" in form.errors["postal_code"][0]


@pytest.mark.parametrize(
    ("name", "limit"),
    [("first_name", 100), ("last_name", 100), ("email", 254), ("phone", 30), ("message", 2000)],
)
def test_every_text_field_has_a_length_limit(program, name, limit):
    value = "a" * (limit + 1)
    if name == "email":
        value = "a" * (limit - 11) + "@example.com"
    form = RequestInfoForm(data=form_data(program, **{name: value}))
    assert not form.is_valid()
    assert f"{limit} characters or fewer" in form.errors[name][0]


@pytest.mark.parametrize("name", ["first_name", "last_name", "message", "postal_code"])
@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f"])
def test_control_characters_are_refused_with_one_clear_message(program, name, character):
    value = {"postal_code": "347" + character + "41"}.get(name, f"Ma{character}ria")
    form = RequestInfoForm(data=form_data(program, **{name: value}))
    assert not form.is_valid()
    assert len(form.errors[name]) == 1
    assert "special characters" in form.errors[name][0] or "ZIP" in form.errors[name][0]


def test_a_message_may_have_several_lines(program):
    form = RequestInfoForm(data=form_data(program, message="Line one\r\nLine two\tend"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["message"] == "Line one\nLine two\tend"


def test_a_full_length_message_with_line_breaks_fits_as_the_browser_counted_it(program):
    # The browser's maxlength counts a line break as one character; the form it sends
    # has CR LF for each.
    message = ("x" * 9 + "\r\n") * 199 + "x" * 10
    form = RequestInfoForm(data=form_data(program, message=message))
    assert form.is_valid(), form.errors
    assert len(form.cleaned_data["message"]) == 2000


@pytest.mark.parametrize(
    "typed", ["\uff13\uff14\uff17\uff14\uff11", "\u0663\u0664\u0667\u0664\u0661"]
)
def test_zip_codes_in_other_scripts_digits_are_refused(program, typed):
    # Python's \d matches any script's digits; a US ZIP code is ASCII.
    form = RequestInfoForm(data=form_data(program, postal_code=typed))
    assert not form.is_valid()
    assert "5-digit ZIP code" in form.errors["postal_code"][0]


@pytest.mark.parametrize("name", ["first_name", "last_name"])
@pytest.mark.parametrize("character", ["\u202e", "\u200b", "\u2066", "\ufeff"])
def test_invisible_formatting_characters_are_refused_in_names(program, name, character):
    form = RequestInfoForm(data=form_data(program, **{name: f"Ma{character}ria"}))
    assert not form.is_valid()
    assert "special characters" in form.errors[name][0]


def test_joiners_that_some_scripts_spell_names_with_are_kept(program):
    # Persian and several Indic scripts write names with zero-width (non-)joiners.
    form = RequestInfoForm(data=form_data(program, first_name="\u0645\u0647\u200c\u0633\u0627"))
    assert form.is_valid(), form.errors


def test_only_published_programs_are_offered():
    ProgramFactory(name="Open Program")
    hidden = ProgramFactory(name="Draft Program", is_published=False)
    form = RequestInfoForm()
    labels = [label for _, label in form.fields["program"].choices]
    assert "Open Program" in labels
    assert "Draft Program" not in labels
    bound = RequestInfoForm(data=form_data(hidden))
    assert not bound.is_valid()
    assert bound.errors["program"] == ["Choose one of the programs in the list."]


@pytest.mark.parametrize("method", ["phone", "text"])
def test_a_call_or_a_text_needs_a_phone_number_and_consent(program, method):
    form = RequestInfoForm(data=form_data(program, contact_method=method))
    assert not form.is_valid()
    assert "Enter your phone number" in form.errors["phone"][0]
    assert "Check this box" in form.errors["consent"][0]


def test_a_call_with_a_phone_number_and_consent_is_valid(program):
    data = form_data(program, contact_method="phone", phone="407-555-0123", consent="on")
    form = RequestInfoForm(data=data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["consent"] is True


def test_a_valid_form_gives_the_submission_the_capture_service_records(program):
    campus = CampusFactory()
    program.campuses.add(campus)
    data = form_data(
        program,
        contact_method="text",
        phone="407-555-0123",
        consent="on",
        message="Evenings?\r\nThanks",
        source_page="/careers/phlebotomist/",
        utm_source="newsletter",
    )
    form = RequestInfoForm(data=data)
    assert form.is_valid(), form.errors

    submission = form.submission()

    assert submission == Submission(
        first_name="Maria",
        last_name="Lopez",
        email="maria.lopez@example.com",
        phone="+14075550123",
        postal_code="34741",
        program=program,
        campus=campus,
        start_timeframe="3_months",
        contact_method="text",
        message="Evenings?\nThanks",
        consent=True,
        attribution=Attribution(source_page="/careers/phlebotomist/", utm_source="newsletter"),
    )


def test_the_consent_box_is_unticked_by_default(program):
    html = str(RequestInfoForm()["consent"])
    assert "checked" not in html


def test_the_consent_wording_names_the_college_and_is_not_a_condition(settings):
    settings.INSTITUTION_NAME = "Example Career Institute"
    text = consent_text()
    assert "Example Career Institute" in text
    assert "not a condition of enrollment" in text
    assert RequestInfoForm().fields["consent"].label == text


def test_the_consent_version_changes_with_the_wording(settings):
    before = consent_version()
    settings.INSTITUTION_NAME = "Another College"
    assert consent_version() != before
    assert len(consent_version()) <= 20


def test_the_campus_list_shows_only_the_chosen_programs_campuses():
    north, south, elsewhere = (
        CampusFactory(name="North"),
        CampusFactory(name="South"),
        CampusFactory(name="Elsewhere"),
    )
    program = ProgramFactory()
    program.campuses.add(north, south)
    ProgramFactory().campuses.add(elsewhere)
    form = RequestInfoForm(initial={"program": program})
    assert form.show_campus
    labels = [label for _, label in form.fields["campus"].widget.choices]
    assert labels == ["No preference", "North", "South"]


def test_the_campus_field_is_hidden_when_the_program_has_one_campus():
    program = ProgramFactory()
    program.campuses.add(CampusFactory())
    form = RequestInfoForm(initial={"program": program})
    assert not form.show_campus


def test_a_single_campus_program_records_its_campus(program):
    campus = CampusFactory()
    program.campuses.add(campus)
    form = RequestInfoForm(data=form_data(program))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["campus"] == campus


def test_a_campus_of_another_program_is_refused(program):
    program.campuses.add(CampusFactory(name="North"), CampusFactory(name="South"))
    other = CampusFactory()
    ProgramFactory().campuses.add(other)
    form = RequestInfoForm(data=form_data(program, campus=str(other.pk)))
    assert not form.is_valid()
    assert form.errors["campus"] == [
        "This program is taught at North and South: choose one of those, or No preference."
    ]


def test_a_campus_of_the_program_is_accepted(program):
    first, second = CampusFactory(), CampusFactory()
    program.campuses.add(first, second)
    form = RequestInfoForm(data=form_data(program, campus=str(second.pk)))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["campus"] == second


def test_with_no_program_chosen_every_programs_campuses_are_offered_by_program():
    # Visitors without JavaScript choose the program and the campus in one go.
    nursing, welding = ProgramFactory(name="Nursing"), ProgramFactory(name="Welding")
    nursing.campuses.add(CampusFactory(name="North"), CampusFactory(name="South"))
    welding.campuses.add(CampusFactory(name="East"), CampusFactory(name="West"))
    ProgramFactory(name="One Campus").campuses.add(CampusFactory(name="Only"))

    form = RequestInfoForm()

    assert form.show_campus
    groups = {group: [label for _, label in options] for group, options in _grouped(form)}
    assert groups == {
        "Nursing": ["North", "South"],
        "Welding": ["East", "West"],
        "One Campus": ["Only"],
    }


def test_with_no_program_chosen_and_no_choice_anywhere_the_campus_field_is_hidden():
    ProgramFactory().campuses.add(CampusFactory())
    assert not RequestInfoForm().show_campus


def test_a_campus_that_does_not_teach_a_single_campus_program_is_refused_beside_the_list(
    program,
):
    only = CampusFactory(name="Kissimmee")
    program.campuses.add(only)
    elsewhere = CampusFactory(name="Elsewhere")
    ProgramFactory().campuses.add(elsewhere, CampusFactory())

    form = RequestInfoForm(data=form_data(program, campus=str(elsewhere.pk)))

    assert not form.is_valid()
    assert form.errors["campus"] == [
        "This program is taught at Kissimmee only: choose it, or No preference."
    ]
    # Shown again beside the error with every program's campuses, so that either the
    # program or the campus can be changed without JavaScript.
    assert form.show_campus
    groups = dict(_grouped(form))
    assert groups[program.name] == [(str(only.pk), "Kissimmee")]
    assert (str(elsewhere.pk), "Elsewhere") in groups[elsewhere.programs.get().name]


def _grouped(form):
    return [
        (group, options)
        for group, options in form.fields["campus"].widget.choices
        if isinstance(options, list)
    ]


def test_program_options_carry_their_campuses_for_the_script(program):
    program.campuses.add(CampusFactory(name="North"), CampusFactory(name="South"))
    html = str(RequestInfoForm()["program"])
    assert "data-campuses=" in html
    assert "North" in html


def test_a_filled_honeypot_marks_the_submission_as_spam(program):
    form = RequestInfoForm(data=form_data(program, leave_blank="http://spam.example"))
    assert form.is_valid()
    assert form.spam.signals == ("honeypot",)
    assert form.spam.held


def test_a_form_sent_as_fast_as_autofill_is_one_point_not_held(program):
    form = RequestInfoForm(data=form_data(program, fill_token=issue_fill_token()))
    assert form.is_valid()
    assert form.spam.signals == ("too_fast",)
    assert not form.spam.held


@pytest.mark.parametrize("token", ["", "request-info:abc:forged", "garbage"])
def test_a_missing_or_forged_fill_token_alone_is_not_held(program, token):
    form = RequestInfoForm(data=form_data(program, fill_token=token))
    assert form.is_valid()
    assert form.spam.signals in (("missing_token",), ("bad_token",))
    assert not form.spam.held


def test_a_form_left_open_for_days_is_not_spam():
    assert fill_time_signal(aged_fill_token(seconds=5 * 24 * 3600)) == ""


def test_the_minimum_fill_time_can_be_turned_off(settings):
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    assert fill_time_signal(issue_fill_token()) == ""
    assert fill_time_signal("forged") == "bad_token"


def test_hidden_attribution_values_are_trimmed_and_cleaned(program):
    data = form_data(
        program,
        source_page="/programs/x/\x00" + "a" * 600,
        referrer="https://elsewhere.example/" + "b" * 2000,
        utm_source="news\x07letter",
        utm_campaign="c" * 300,
    )
    form = RequestInfoForm(data=data)
    assert form.is_valid(), form.errors
    attribution = form.attribution
    assert attribution["source_page"].startswith("/programs/x/a")
    assert len(attribution["source_page"]) == 500
    assert len(attribution["referrer"]) == 1000
    assert attribution["utm_source"] == "newsletter"
    assert len(attribution["utm_campaign"]) == 200


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("/programs/medical-assistant-technician/", "/programs/medical-assistant-technician/"),
        ("//evil.example/", ""),
        ("/\\evil.example/", ""),
        ("https://evil.example/", ""),
        ("programs/", ""),
        ("javascript:alert(1)", ""),
    ],
)
def test_only_a_local_path_is_kept_as_the_source_page(value, kept):
    assert local_path_or_empty(value) == kept


def test_attribution_comes_from_the_from_parameter_and_utm_tags():
    request = RequestFactory().get(
        "/request-info/",
        {
            "from": "/careers/phlebotomist/",
            "utm_source": "google",
            "utm_medium": "cpc",
            "utm_campaign": "spring",
        },
        HTTP_REFERER="https://www.google.com/",
    )
    initial = attribution_initial(request)
    assert initial == {
        "source_page": "/careers/phlebotomist/",
        "referrer": "https://www.google.com/",
        "utm_source": "google",
        "utm_medium": "cpc",
        "utm_campaign": "spring",
    }


def test_a_same_site_referrer_gives_the_source_page_and_its_campaign():
    request = RequestFactory().get(
        "/request-info/",
        HTTP_REFERER="http://testserver/programs/x/?utm_source=mail&utm_campaign=fall",
    )
    initial = attribution_initial(request)
    assert initial["source_page"] == "/programs/x/?utm_source=mail&utm_campaign=fall"
    assert initial["referrer"] == ""
    assert initial["utm_source"] == "mail"
    assert initial["utm_campaign"] == "fall"


def test_campaign_tags_on_the_form_page_win_over_the_referrers():
    request = RequestFactory().get(
        "/request-info/",
        {"utm_campaign": "direct"},
        HTTP_REFERER="http://testserver/programs/x/?utm_source=mail&utm_campaign=fall",
    )
    initial = attribution_initial(request)
    assert (initial["utm_source"], initial["utm_campaign"]) == ("", "direct")


def test_the_from_parameter_wins_over_a_same_site_referrer():
    request = RequestFactory().get(
        "/request-info/", {"from": "/compare/"}, HTTP_REFERER="http://testserver/careers/"
    )
    assert attribution_initial(request)["source_page"] == "/compare/"


def test_an_unsafe_from_parameter_is_dropped():
    request = RequestFactory().get("/request-info/", {"from": "//evil.example/x"})
    assert attribution_initial(request)["source_page"] == ""


def test_the_error_summary_links_each_error_to_its_field(program):
    form = RequestInfoForm(data=form_data(program, first_name="", contact_method="text"))
    assert not form.is_valid()
    anchors = [anchor for anchor, _, _ in form.error_summary]
    assert anchors == ["id_first_name", "id_phone", "id_consent"]


def test_the_error_summary_links_a_radio_group_to_its_first_option(program):
    form = RequestInfoForm(data=form_data(program, contact_method="fax"))
    assert not form.is_valid()
    assert form.error_summary[0][0] == "id_contact_method_0"
