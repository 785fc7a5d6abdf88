"""Staff at work in the admin: an admissions representative and a content editor."""

import datetime
import re

import pytest
from django.utils import timezone

from inquiries.models import Inquiry, Status
from programs.models import Program
from roles.models import Role
from tests.browser.helpers import assert_no_horizontal_scroll, log_in_to_admin
from tests.factories import InquiryFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

DASHBOARD = "/admin/inquiries/inquiry/dashboard/"
STATUS_LABEL = re.compile(r"^Status:?$")


def staff_member(group, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(group)
    return user


def submitted_hours_ago(hours, **kwargs):
    inquiry = InquiryFactory(**kwargs)
    earlier = timezone.now() - datetime.timedelta(hours=hours)
    Inquiry.objects.filter(pk=inquiry.pk).update(submitted_at=earlier)
    return inquiry


def funnel_count(page, stage):
    """The "Status now" table's count for one stage (the count is the link to the list)."""
    table = page.get_by_role("table", name=re.compile("by their status now"))
    row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=stage, exact=True))
    return int(row.get_by_role("cell").first.inner_text())


def waiting_list(page):
    return page.get_by_role("table", name=re.compile("past the speed-to-lead target"))


@pytest.fixture
def admissions_desk(demo_content, staff_groups):
    program = Program.objects.get(slug="medical-assistant-technician")
    rep = staff_member(
        staff_groups["Admissions representative"],
        username="rosa",
        first_name="Rosa",
        last_name="Alvarez",
    )
    other_rep = staff_member(staff_groups["Admissions representative"], username="marcus")
    manager = staff_member(staff_groups["Admissions manager"], username="dana")
    mine = submitted_hours_ago(3, first_name="Maria", last_name="Lopez", owner=rep, program=program)
    submitted_hours_ago(2, first_name="Kevin", last_name="Ng", owner=other_rep, program=program)
    return rep, manager, mine


def test_representative_logs_a_call_and_the_dashboard_shows_the_contact(
    page, another_page, live_server, admissions_desk, screenshot
):
    rep, manager, mine = admissions_desk
    manager_page = another_page()
    log_in_to_admin(manager_page, live_server.url, manager.username)
    manager_page.goto(live_server.url + DASHBOARD)
    assert funnel_count(manager_page, "Contacted") == 0
    assert waiting_list(manager_page).get_by_role("link", name="Maria Lopez").is_visible()

    log_in_to_admin(page, live_server.url, rep.username)
    page.get_by_role("rowheader", name="Inquiries", exact=True).get_by_role("link").click()
    results = page.locator("#result_list")
    results.wait_for()
    assert results.get_by_role("link", name="Maria Lopez").is_visible()
    assert results.get_by_text("Kevin Ng").count() == 0

    results.get_by_role("link", name="Maria Lopez").click()
    page.get_by_label("Entry type").select_option(label="Call")
    page.get_by_label("Outcome").select_option(label="Call: connected (spoke with them)")
    note = "Called Maria: she would like the evening schedule and a campus tour."
    page.get_by_label("What happened").fill(note)
    page.get_by_role("button", name="Save and continue editing").click()
    page.get_by_text("was changed successfully").wait_for()

    timeline = page.get_by_role("region", name=re.compile("Timeline"))
    entries = timeline.get_by_role("listitem")
    call = entries.filter(has_text=note)
    assert call.count() == 1
    assert call.inner_text().startswith("Call")
    assert "Rosa Alvarez" in call.inner_text()
    assert entries.filter(has_text="Status change").filter(has_text="Rosa Alvarez").count() == 1
    assert (
        page.get_by_label(STATUS_LABEL).evaluate("select => select.selectedOptions[0].text")
        == "Contacted"
    )
    screenshot(page, "admissions-rep-timeline")

    manager_page.reload()
    assert funnel_count(manager_page, "Contacted") == 1
    assert waiting_list(manager_page).get_by_role("link", name="Maria Lopez").count() == 0
    screenshot(manager_page, "admissions-dashboard-after-contact")
    mine.refresh_from_db()
    assert mine.status == Status.CONTACTED
    assert mine.first_contacted_at is not None


def test_content_editor_changes_a_tagline_that_visitors_see_at_once(
    page, another_page, live_server, demo_content, staff_groups, screenshot
):
    editor = staff_member(staff_groups["Content editor"], username="lee")
    career_url = live_server.url + "/careers/medical-assistant/"
    old_tagline = Role.objects.get(slug="medical-assistant").tagline
    # A visitor's request puts the page in the server's page cache.
    visitor = another_page()
    visitor.goto(career_url)
    assert visitor.get_by_text(old_tagline).first.is_visible()

    log_in_to_admin(page, live_server.url, editor.username)
    assert page.get_by_role("rowheader", name="Inquiries", exact=True).count() == 0
    assert page.goto(live_server.url + "/admin/inquiries/inquiry/").status == 403

    page.goto(live_server.url + "/admin/")
    # The app list's row, not the Translations summary's row of the same name.
    careers = page.locator(".app-roles").get_by_role("rowheader", name="Careers", exact=True)
    careers.get_by_role("link").click()
    page.get_by_role("link", name="Medical Assistant", exact=True).click()
    new_tagline = "Keeps a clinic running, from the front desk to the exam room."
    page.get_by_label(re.compile(r"^Tagline \(English\):?$")).fill(new_tagline)
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("was changed successfully").wait_for()

    page.goto(career_url)
    assert page.get_by_text(new_tagline).first.is_visible()
    assert page.get_by_text(old_tagline).count() == 0
    # The visitor's browser kept its copy for a few minutes; reloading revalidates it.
    visitor.reload()
    assert visitor.get_by_text(new_tagline).first.is_visible()
    screenshot(page, "content-editor-tagline-live")


def test_a_very_long_name_wraps_on_the_inquiry_page(page, live_server, admissions_desk, screenshot):
    rep, manager, mine = admissions_desk
    Inquiry.objects.filter(pk=mine.pk).update(last_name="Q" * 100)
    log_in_to_admin(page, live_server.url, manager.username)
    page.goto(f"{live_server.url}/admin/inquiries/inquiry/{mine.pk}/change/")
    page.get_by_role("heading", name="Timeline (newest first)").wait_for()
    screenshot(page, "admin-inquiry-long-name")
    assert_no_horizontal_scroll(page)
    # The admin clips what overflows a field's row: nothing may be cut off there either.
    clipped = page.evaluate(
        "[...document.querySelectorAll('.form-row')]"
        ".filter(row => row.scrollWidth > row.clientWidth + 1).map(row => row.className)"
    )
    assert clipped == []
