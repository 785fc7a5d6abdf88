"""The demo shows every part of My day for the representative `rep`."""

import pytest
from django.contrib.auth import get_user_model

from inquiries import my_day
from inquiries.management.commands.load_demo_inquiries import load_demo_inquiries
from tests.factories import CampusFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_the_demo_gives_rep_new_leads_follow_ups_due_today_and_overdue_ones():
    program = ProgramFactory(slug="medical-assistant-technician")
    program.campuses.add(CampusFactory())
    load_demo_inquiries(count=40)
    rep = get_user_model().objects.get(username="rep")

    counts = my_day.counts(my_day.representative_scope(rep))
    new = my_day.parts(my_day.representative_scope(rep))["new"]

    assert counts["new"] >= 3
    assert counts["due_today"] >= 2
    assert counts["overdue"] >= 2
    assert "Yesenia Marrero" in [str(inquiry) for inquiry in new]
