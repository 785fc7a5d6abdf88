import pytest

from inquiries.models import Inquiry
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import assert_no_axe_violations, assert_no_horizontal_scroll
from tests.factories import CampusFactory, ProgramFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def programs():
    several = ProgramFactory(
        name="Medical Assistant Technician Diploma Program", slug="medical-assistant-technician"
    )
    several.campuses.add(CampusFactory(name="Kissimmee"), CampusFactory(name="Orlando"))
    single = ProgramFactory(name="Phlebotomy Certificate", slug="phlebotomy")
    single.campuses.add(CampusFactory(name="Pembroke Pines"))
    return several, single


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_form_is_accessible_and_fits_the_screen(page, live_server, programs, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/request-info/?program=medical-assistant-technician")
    assert page.locator("h1").count() == 1
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)


def test_errors_are_summarised_focused_and_accessible(page, live_server, programs, screenshot):
    page.goto(live_server.url + "/request-info/")
    page.get_by_label("First name").fill("Maria")
    page.get_by_role("button", name="Send my request").click()
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.get_by_label("First name").input_value() == "Maria"
    screenshot(page, "request-info-errors")
    assert_no_axe_violations(page)
    summary.get_by_role("link", name="Email").click()
    assert page.evaluate("document.activeElement.id") == "id_email"


def test_the_campus_list_follows_the_chosen_program(page, live_server, programs):
    several, single = programs
    page.goto(live_server.url + "/request-info/")
    campus = page.locator("#campus-field")
    assert not campus.is_visible()
    page.get_by_label("Program of interest").select_option(str(several.pk))
    campus.wait_for(state="visible")
    options = page.locator("#id_campus option").all_inner_texts()
    assert options == ["No preference", "Kissimmee", "Orlando"]
    page.get_by_label("Program of interest").select_option(str(single.pk))
    campus.wait_for(state="hidden")


def test_without_javascript_a_prospect_chooses_program_and_campus_together(
    browser, live_server, programs, settings, screenshot
):
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(live_server.url + "/request-info/")
        page.get_by_label("First name").fill("Ana")
        page.get_by_label("Last name").fill("Reyes")
        page.get_by_role("textbox", name="Email").fill("ana.reyes@example.com")
        page.get_by_label("ZIP code").fill("34741")
        page.get_by_label("Program of interest").select_option(label="Phlebotomy Certificate")
        # Every program's campuses are listed, grouped by program; this one is not taught
        # at Orlando, so the choice comes back with a message beside it.
        page.get_by_label("Campus").select_option(label="Orlando")
        page.get_by_role("button", name="Send my request").click()
        campus_error = page.locator("#campus-field .invalid-feedback")
        campus_error.wait_for()
        assert "taught at Pembroke Pines only" in campus_error.inner_text()
        assert page.get_by_label("First name").input_value() == "Ana"
        screenshot(page, "request-info-campus-without-javascript")
        page.get_by_label("Program of interest").select_option(label=programs[0].name)
        page.get_by_label("Campus").select_option(label="Orlando")
        page.get_by_role("button", name="Send my request").click()
        page.wait_for_url("**/request-info/thanks/")
    finally:
        context.close()
    inquiry = Inquiry.objects.get()
    assert (inquiry.program, inquiry.campus.name) == (programs[0], "Orlando")


def test_a_prospect_sends_the_form_and_reads_what_happens_next(
    page, live_server, programs, settings, screenshot
):
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    page.goto(live_server.url + "/request-info/?program=medical-assistant-technician")
    page.get_by_label("First name").fill("Maria")
    page.get_by_label("Last name").fill("Lopez")
    page.get_by_role("textbox", name="Email").fill("maria.lopez@example.com")
    page.get_by_label("Phone number", exact=True).fill("(407) 555-0123")
    page.get_by_label("ZIP code").fill("34741")
    page.get_by_label("Campus").select_option(label="Orlando")
    page.get_by_label("Text message", exact=True).check()
    page.get_by_label("Yes, ").check()
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_url("**/request-info/thanks/")
    assert "Thank you, Maria" in page.locator("h1").inner_text()
    assert "within one business day" in page.content()
    screenshot(page, "request-info-thanks")
    assert_no_axe_violations(page)
    inquiry = Inquiry.objects.get()
    assert inquiry.phone == "+14075550123"
    assert inquiry.campus.name == "Orlando"
    assert inquiry.consent_given


# --- Issue 7: a prospect who only uses the keyboard, from a comparison to the thank-you page.

COMPARISON = "/compare/medical-assistant-vs-phlebotomist/"
DEMO_PROGRAM_SLUG = "medical-assistant-technician"
TAB_LIMIT = 150


def focused(page):
    """What has the keyboard focus: its id, tag, type and accessible-ish text."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          return {
            id: el.id,
            tag: el.tagName.toLowerCase(),
            type: el.type || "",
            text: (el.innerText || el.value || "").trim(),
            href: el.getAttribute("href") || "",
            inMain: !!el.closest("main"),
          };
        }"""
    )


def tab(page, expected_id, key="Tab"):
    """One press of Tab (or Shift+Tab): the focus must land on `expected_id`."""
    page.keyboard.press(key)
    now = focused(page)
    assert now["id"] == expected_id, f"{key} moved the focus to {now}, not #{expected_id}"


def tab_until(page, matches, what):
    """Press Tab until the focused element `matches`; fail if the page runs out first."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        now = focused(page)
        if matches(now):
            return now
    raise AssertionError(f"{TAB_LIMIT} presses of Tab never reached {what}")


def type_into(page, expected_id, text):
    """Tab to the next field, which must be `expected_id`, and type into it."""
    tab(page, expected_id)
    page.keyboard.type(text)


def field_error(page, field_id):
    """The error shown for a field through its aria-describedby, and whether it sits beside it.

    Beside means: inside the same form group (crispy's div_id_<name>, or the .form-check of a
    checkbox) as the input itself.
    """
    return page.evaluate(
        """(fieldId) => {
          const input = document.getElementById(fieldId);
          const ids = (input.getAttribute("aria-describedby") || "").split(/\\s+/);
          const errors = ids
            .map((id) => document.getElementById(id))
            .filter((el) => el && el.classList.contains("invalid-feedback"));
          const group = input.closest("[id^=div_id_]");
          return {
            invalid: input.getAttribute("aria-invalid"),
            messages: errors.map((el) => el.innerText.trim()),
            visible: errors.map((el) => el.getClientRects().length > 0),
            beside: errors.map((el) => !!group && group.contains(el)),
          };
        }""",
        field_id,
    )


def test_a_keyboard_only_prospect_fixes_two_mistakes_and_sends_the_form(
    page, live_server, demo_content, settings, screenshot
):
    settings.INQUIRY_MIN_FILL_SECONDS = 0

    # 1. From the curated comparison, the call to action, reached and followed by keyboard.
    page.goto(live_server.url + COMPARISON)
    cta = tab_until(
        page,
        lambda el: el["tag"] == "a" and el["inMain"] and el["text"] == "Request information",
        "the comparison's Request information link",
    )
    assert f"program={DEMO_PROGRAM_SLUG}" in cta["href"]
    page.keyboard.press("Enter")
    page.wait_for_url("**/request-info/?**")
    assert "from=%2Fcompare%2Fmedical-assistant-vs-phlebotomist%2F" in page.url
    program = page.locator("#id_program")
    chosen_program = program.input_value()
    assert chosen_program, "the call to action did not preselect a program"
    assert page.locator("#id_source_page").input_value() == COMPARISON

    # 2. The form, by keyboard alone, with a bad email and a text message without a phone.
    tab_until(page, lambda el: el["id"] == "id_first_name", "the First name field")
    page.keyboard.type("Maria")
    type_into(page, "id_last_name", "Lopez")
    type_into(page, "id_email", "maria.lopez@")
    tab(page, "id_phone")  # left empty: the second mistake
    type_into(page, "id_postal_code", "34741")
    tab(page, "id_program")  # already chosen by the call to action
    tab_until(page, lambda el: el["tag"] == "input" and el["type"] == "radio", "the contact radios")
    assert focused(page)["id"] == "id_contact_method_0"  # Email, the default
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert focused(page)["id"] == "id_contact_method_2"
    assert page.get_by_role("radio", name="Text message").is_checked()
    tab(page, "id_message")
    tab(page, "id_consent")  # not ticked yet
    tab(page, "submit-id-send")
    page.keyboard.press("Enter")

    # 3. The error summary at the top, its links aimed at the fields, each message beside
    # its own field, and nothing typed lost.
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert focused(page)["id"] == "error-summary"
    summary_box = summary.bounding_box()
    form_box = page.locator("#request-info-form").bounding_box()
    assert summary_box["y"] + summary_box["height"] <= form_box["y"]
    links = {
        link.get_attribute("href"): link.inner_text().strip()
        for link in summary.get_by_role("link").all()
    }
    assert set(links) == {"#id_email", "#id_phone", "#id_consent"}, links
    for href, text in links.items():
        field_id = href.removeprefix("#")
        assert page.locator(href).count() == 1, f"{href} targets nothing"
        error = field_error(page, field_id)
        assert error["invalid"] == "true", field_id
        assert len(error["messages"]) == 1, (field_id, error)
        assert error["visible"] == [True], (field_id, error)
        assert error["beside"] == [True], f"the message for #{field_id} is not beside it"
        assert text.endswith(error["messages"][0]), (text, error["messages"])
    assert "name@example.com" in links["#id_email"]
    assert "phone number" in links["#id_phone"]
    assert page.locator("#id_first_name").input_value() == "Maria"
    assert page.locator("#id_last_name").input_value() == "Lopez"
    assert page.locator("#id_email").input_value() == "maria.lopez@"
    assert page.locator("#id_postal_code").input_value() == "34741"
    assert program.input_value() == chosen_program
    assert page.get_by_role("radio", name="Text message").is_checked()
    assert page.locator("#id_source_page").input_value() == COMPARISON
    screenshot(page, "request-info-keyboard-errors")

    # 4. Fix both mistakes by keyboard: the summary's Email link takes the focus to the field.
    tab_until(page, lambda el: el["href"] == "#id_email", "the summary's Email link")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "id_email"
    page.keyboard.press("End")
    page.keyboard.type("example.com")
    type_into(page, "id_phone", "(407) 555-0123")
    tab(page, "id_postal_code")
    tab(page, "id_program")
    tab_until(page, lambda el: el["tag"] == "input" and el["type"] == "radio", "the contact radios")
    assert focused(page)["id"] == "id_contact_method_2"  # the radio group keeps Text message
    tab(page, "id_message")
    tab(page, "id_consent")
    page.keyboard.press("Space")
    assert page.locator("#id_consent").is_checked()
    tab(page, "submit-id-send")
    page.keyboard.press("Space")

    page.wait_for_url("**/request-info/thanks/")
    assert "Thank you, Maria" in page.get_by_role("heading", level=1).inner_text()
    screenshot(page, "request-info-keyboard-thanks")

    inquiry = Inquiry.objects.get()
    assert inquiry.source_page == COMPARISON
    assert inquiry.email == "maria.lopez@example.com"
    assert inquiry.phone == "+14075550123"
    assert inquiry.program.slug == DEMO_PROGRAM_SLUG
    assert str(inquiry.program.pk) == chosen_program
    assert (inquiry.first_name, inquiry.last_name, inquiry.postal_code) == (
        "Maria",
        "Lopez",
        "34741",
    )
    assert inquiry.contact_method == "text"
    assert inquiry.consent_given
    assert inquiry.spam_signal == ""


def test_a_form_filled_by_autofill_in_under_a_second_is_a_normal_new_inquiry(
    page, live_server, programs, settings, screenshot
):
    """Browser autofill fills every field at once and the person sends straight away: that
    speed alone is one weak signal, never enough to hold a real person for review."""
    from django.core import mail

    from inquiries.models import Status

    settings.INQUIRY_MIN_FILL_SECONDS = 3
    page.goto(live_server.url + "/request-info/?program=medical-assistant-technician")
    started = page.evaluate("performance.now()")
    page.evaluate(
        """() => {
          const values = {
            id_first_name: "Maria", id_last_name: "Lopez", id_email: "maria.lopez@example.com",
            id_phone: "(407) 555-0123", id_postal_code: "34741",
          };
          for (const [id, value] of Object.entries(values)) {
            const input = document.getElementById(id);
            input.value = value;
            input.dispatchEvent(new Event("input", {bubbles: true}));
            input.dispatchEvent(new Event("change", {bubbles: true}));
          }
        }"""
    )
    page.get_by_label("Campus").select_option(label="Orlando")
    assert page.evaluate("performance.now()") - started < 1000  # filled within a second
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_url("**/request-info/thanks/")
    screenshot(page, "request-info-autofill-thanks")

    inquiry = Inquiry.objects.get()
    assert inquiry.status == Status.NEW
    assert inquiry.spam_signal == "too_fast"  # the server saw it sent faster than a person types
    assert [m for m in mail.outbox if m.to == ["maria.lopez@example.com"]]
