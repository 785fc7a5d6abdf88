"""My day: new leads first, then today's follow-ups, then the overdue ones, for each group."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inquiries import my_day
from inquiries.models import Inquiry, Status
from tests.factories import InquiryFactory
from tests.inquiries.staff import content_editor, inquiry_submitted, manager, representative

pytestmark = pytest.mark.django_db

MY_DAY = reverse("admin:inquiries_inquiry_my_day")
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def rep():
    return representative(first_name="Rosa", last_name="Alvarez")


def names(response, part):
    parts = {p["key"]: p for p in response.context["parts"]}
    return [str(inquiry) for inquiry in parts[part]["rows"]]


def later_today(now=None):
    """A moment later today (local time), however late the tests run."""
    now = timezone.localtime(now or timezone.now())
    end = now.replace(hour=23, minute=59, second=0, microsecond=0)
    return now + (end - now) / 2


def test_new_leads_come_first_longest_waiting_at_the_top(client, rep):
    inquiry_submitted(10 * datetime.timedelta(minutes=1), first_name="Recent", owner=rep)
    inquiry_submitted(3 * HOUR, first_name="Oldest", owner=rep)
    inquiry_submitted(HOUR, first_name="Middle", owner=None)
    client.force_login(rep)

    response = client.get(MY_DAY)

    assert response.status_code == 200
    assert [name.split()[0] for name in names(response, "new")] == ["Oldest", "Middle", "Recent"]
    assert response.context["parts"][0]["key"] == "new"


def test_a_new_lead_tried_once_leaves_the_new_part(rep):
    tried = InquiryFactory(owner=rep, first_attempted_at=timezone.now())
    untried = InquiryFactory(owner=rep)

    rows = my_day.parts(my_day.representative_scope(rep))

    assert rows["new"] == [untried]
    assert tried not in rows["due_today"] + rows["overdue"]


def test_follow_ups_due_later_today_and_overdue_ones_are_apart(rep):
    now = timezone.now()
    due = InquiryFactory(owner=rep, status=Status.CONTACTED, next_follow_up_at=later_today(now))
    overdue = InquiryFactory(owner=rep, status=Status.CONTACTED, next_follow_up_at=now - HOUR)
    older = InquiryFactory(owner=rep, status=Status.APPOINTMENT, next_follow_up_at=now - 30 * HOUR)
    InquiryFactory(owner=rep, status=Status.CONTACTED, next_follow_up_at=now + 48 * HOUR)
    InquiryFactory(
        owner=rep, status=Status.CLOSED, closed_reason="unreachable", next_follow_up_at=now - HOUR
    )

    rows = my_day.parts(my_day.representative_scope(rep), now=now)
    counts = my_day.counts(my_day.representative_scope(rep), now=now)

    assert rows["due_today"] == [due]
    assert rows["overdue"] == [older, overdue]
    assert counts == {"new": 0, "due_today": 1, "overdue": 2}


def test_a_representative_s_day_leaves_out_colleagues_and_held_inquiries(client, rep):
    InquiryFactory(first_name="Mine", owner=rep)
    InquiryFactory(first_name="Theirs", owner=representative())
    InquiryFactory(first_name="Held", status=Status.HELD)
    client.force_login(rep)

    response = client.get(MY_DAY)

    assert [name.split()[0] for name in names(response, "new")] == ["Mine"]
    assert response.context["person_choices"] == []


def test_a_manager_sees_everyone_by_default_and_can_pick_a_person_or_unassigned(client, rep):
    boss = manager()
    InquiryFactory(first_name="Rosas", owner=rep)
    InquiryFactory(first_name="Nobodys", owner=None)
    InquiryFactory(first_name="Held", status=Status.HELD)
    client.force_login(boss)

    everyone = client.get(MY_DAY)
    rosa = client.get(MY_DAY, {"person": rep.pk})
    unassigned = client.get(MY_DAY, {"person": "unassigned"})
    nonsense = client.get(MY_DAY, {"person": "99999999999999999999999"})

    assert sorted(n.split()[0] for n in names(everyone, "new")) == ["Nobodys", "Rosas"]
    assert [n.split()[0] for n in names(rosa, "new")] == ["Rosas"]
    assert [n.split()[0] for n in names(unassigned, "new")] == ["Nobodys"]
    assert nonsense.context["person"] == "everyone"
    assert "Rosa Alvarez" in everyone.content.decode()


def test_each_row_links_to_its_inquiry_and_dials_its_phone(client, rep):
    inquiry = InquiryFactory(owner=rep, phone="+14075550123")
    client.force_login(rep)

    html = client.get(MY_DAY).content.decode()

    assert reverse("admin:inquiries_inquiry_change", args=[inquiry.pk]) in html
    assert 'href="tel:+14075550123">(407) 555-0123</a>' in html


def test_my_day_makes_the_same_number_of_queries_for_3_or_30_inquiries(client, rep):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(MY_DAY).status_code == 200
        return len(queries)

    client.force_login(manager())
    InquiryFactory.create_batch(3, owner=rep)
    small = count_queries()
    InquiryFactory.create_batch(
        27, owner=rep, status=Status.CONTACTED, next_follow_up_at=timezone.now() - HOUR
    )

    assert count_queries() == small


def test_a_content_editor_may_not_open_my_day(client):
    client.force_login(content_editor())

    assert client.get(MY_DAY).status_code == 403


def test_the_admin_home_counts_a_representative_s_day_and_links_to_it(client, rep):
    InquiryFactory(owner=rep)
    InquiryFactory(owner=rep, status=Status.CONTACTED, next_follow_up_at=timezone.now() - HOUR)
    client.force_login(rep)

    html = client.get(reverse("admin:index")).content.decode()

    assert MY_DAY in html
    assert "1 new lead," in html
    assert "1 overdue" in html


def test_a_content_editor_s_admin_home_has_no_my_day(client):
    client.force_login(content_editor())

    assert MY_DAY not in client.get(reverse("admin:index")).content.decode()


def test_the_admin_carries_the_institution_s_name(client, settings, rep):
    settings.INSTITUTION_NAME = "Florida Technical College"
    client.force_login(rep)

    html = client.get(reverse("admin:index")).content.decode()

    assert "Florida Technical College admissions" in html
    assert "Django administration" not in html
    assert Inquiry.objects.count() == 0
