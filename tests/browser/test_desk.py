"""The admissions desk at 1280 px: My day, the list and the inquiry page built for a call, as a
representative and as a manager."""

import datetime
import re

import pytest
from django.utils import timezone

from inquiries.models import Coverage, Inquiry, Status
from programs.models import Program
from tests.browser.helpers import assert_no_horizontal_scroll, assert_tables_fit, log_in_to_admin
from tests.factories import InquiryFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

MY_DAY = "/admin/inquiries/inquiry/my-day/"
LIST = "/admin/inquiries/inquiry/"


def staff_member(group, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(group)
    return user


def inquiry(hours_ago, **kwargs):
    made = InquiryFactory(**kwargs)
    earlier = timezone.now() - datetime.timedelta(hours=hours_ago)
    Inquiry.objects.filter(pk=made.pk).update(submitted_at=earlier)
    return made


def assert_list_does_not_scroll(page):
    """Neither the page nor the list's own box scrolls sideways: every column is on screen."""
    assert_no_horizontal_scroll(page)
    assert_tables_fit(page)
    hidden = page.locator("#changelist .results").evaluate(
        "box => box.scrollWidth - box.clientWidth"
    )
    assert hidden <= 0, f"the list scrolls sideways inside its box by {hidden}px"


def assert_in_viewport(page, locator, what):
    box = locator.bounding_box()
    viewport = page.viewport_size
    assert box is not None, f"{what} is not rendered"
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], f"{what}: {box}"
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], (
        f"{what} is below the fold: {box}"
    )


@pytest.fixture
def desk(demo_content, staff_groups):
    program = Program.objects.get(slug="medical-assistant-technician")
    rep = staff_member(
        staff_groups["Admissions representative"],
        username="rosa",
        first_name="Rosa",
        last_name="Alvarez",
    )
    colleague = staff_member(
        staff_groups["Admissions representative"],
        username="marcus",
        first_name="Marcus",
        last_name="Bell",
    )
    manager = staff_member(
        staff_groups["Admissions manager"], username="dana", first_name="Dana", last_name="Ng"
    )
    Coverage.objects.create(representative=rep, program=program)
    Coverage.objects.create(representative=colleague, program=program)
    maria = inquiry(
        2,
        first_name="Maria",
        last_name="Lopez",
        phone="+14075550123",
        email="maria.lopez@example.com",
        owner=rep,
        program=program,
        may_call=True,
        may_text=True,
    )
    # A crowded list: long names and addresses, every column filled.
    now = timezone.now()
    for number in range(12):
        inquiry(
            5 + number,
            first_name=f"Guadalupe-Esperanza{number}",
            last_name="Villanueva-Castellanos",
            email=f"guadalupe.esperanza.villanueva.castellanos{number}@example-long-domain.com",
            phone=f"+1407555{number:04d}",
            owner=rep if number % 2 else None,
            program=program,
            status=Status.CONTACTED if number % 3 else Status.NEW,
            first_attempted_at=now if number % 3 else None,
            next_follow_up_at=now + datetime.timedelta(hours=number - 6),
            source_page="/compare/medical-assistant-vs-laboratory-technician/",
        )
    theirs = inquiry(1, first_name="Kevin", last_name="Ng", owner=colleague, program=program)
    return rep, manager, maria, theirs


def test_representative_works_a_new_lead_from_my_day_without_scrolling(
    page, live_server, desk, screenshot
):
    rep, manager, maria, theirs = desk
    log_in_to_admin(page, live_server.url, rep.username)
    assert page.locator("#site-name").inner_text().strip().endswith("admissions")
    page.get_by_role("link", name="My day").click()
    new_leads = page.get_by_role("region", name=re.compile("^New leads"))
    assert new_leads.get_by_role("link", name="Maria Lopez").is_visible()
    assert_no_horizontal_scroll(page)
    screenshot(page, "desk-rep-my-day")

    page.goto(live_server.url + LIST + "?status=open")
    page.locator("#result_list").wait_for()
    assert_list_does_not_scroll(page)
    assert page.get_by_role("link", name="(407) 555-0123").get_attribute("href") == (
        "tel:+14075550123"
    )
    screenshot(page, "desk-rep-list")

    page.get_by_role("link", name="Maria Lopez").click()
    page.get_by_role("heading", name=f"Maria Lopez, inquiry {maria.pk}").wait_for()
    assert_no_horizontal_scroll(page)
    phone = page.get_by_role("link", name="(407) 555-0123")
    for what, locator in [
        ("the phone", phone),
        ("the email", page.get_by_role("link", name="maria.lopez@example.com")),
        ("consent", page.locator(".field-consent_now")),
        ("the entry type", page.get_by_label("Entry type")),
        ("the outcome", page.get_by_label("Outcome")),
        ("what happened", page.get_by_label("What happened")),
        ("the status", page.get_by_label(re.compile(r"^Status:?$"))),
        ("the follow-up", page.locator(".field-next_follow_up_at")),
        ("save", page.get_by_role("button", name="Save and continue editing")),
    ]:
        assert_in_viewport(page, locator, what)
    assert phone.get_attribute("href") == "tel:+14075550123"
    screenshot(page, "desk-rep-inquiry-page")

    page.get_by_label("Entry type").select_option(label="Call")
    page.get_by_label("Outcome").select_option(value="connected")
    page.get_by_label("What happened").fill("Spoke with Maria: evening schedule, tour Thursday.")
    page.get_by_role("button", name="Save and continue editing").click()
    page.get_by_text("was changed successfully").wait_for()
    maria.refresh_from_db()
    assert maria.status == Status.CONTACTED

    page.goto(live_server.url + MY_DAY)
    new_leads = page.get_by_role("region", name=re.compile("^New leads"))
    new_leads.wait_for()
    assert new_leads.get_by_role("link", name="Maria Lopez").count() == 0


def test_representative_reads_a_covered_colleague_s_inquiry_read_only(
    page, live_server, desk, screenshot
):
    rep, manager, maria, theirs = desk
    log_in_to_admin(page, live_server.url, rep.username)
    page.goto(f"{live_server.url}{LIST}{theirs.pk}/change/")
    note = page.get_by_role("note")
    assert "Read-only: owned by Marcus Bell" in note.inner_text()
    assert page.get_by_role("button", name=re.compile("^Save")).count() == 0
    assert page.get_by_label("What happened").count() == 0
    screenshot(page, "desk-rep-covered-read-only")


def test_manager_sees_everyone_s_day_and_the_list_fits(page, live_server, desk, screenshot):
    rep, manager, maria, theirs = desk
    log_in_to_admin(page, live_server.url, manager.username)
    page.goto(live_server.url + MY_DAY)
    assert page.get_by_label("Whose day").is_visible()
    new_leads = page.get_by_role("region", name=re.compile("^New leads"))
    assert new_leads.get_by_role("link", name="Kevin Ng").is_visible()
    assert_no_horizontal_scroll(page)
    screenshot(page, "desk-manager-my-day")
    page.get_by_label("Whose day").select_option(label="Rosa Alvarez")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"person="))
    assert page.get_by_role("link", name="Kevin Ng").count() == 0

    page.goto(live_server.url + LIST)
    page.locator("#result_list").wait_for()
    assert_list_does_not_scroll(page)
    screenshot(page, "desk-manager-list")

    page.goto(f"{live_server.url}{LIST}{maria.pk}/change/")
    assert_in_viewport(page, page.get_by_role("button", name="Save and continue editing"), "save")
    screenshot(page, "desk-manager-inquiry-page")
