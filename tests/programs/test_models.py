import datetime

import pytest
from django.utils import timezone

from programs.models import Program, StartDate
from tests.factories import CampusFactory, ProgramFactory, StartDateFactory

pytestmark = pytest.mark.django_db


def test_upcoming_start_dates_include_today_and_leave_out_the_past():
    today = timezone.localdate()
    past = StartDateFactory(starts_on=today - datetime.timedelta(days=1))
    starting_today = StartDateFactory(starts_on=today)
    assert list(StartDate.objects.upcoming()) == [starting_today]
    assert past not in StartDate.objects.upcoming()


def test_published_programs_leave_out_drafts():
    shown = ProgramFactory()
    ProgramFactory(is_published=False)
    assert list(Program.objects.published()) == [shown]


def test_program_address_is_under_programs():
    assert ProgramFactory(slug="x-ray").get_absolute_url() == "/programs/x-ray/"


@pytest.mark.parametrize(
    ("phone", "uri"),
    [
        ("(407) 555-0142", "tel:+14075550142"),
        ("+1 407 555 0142", "tel:+14075550142"),
        ("", ""),
    ],
)
def test_campus_phone_becomes_a_dialable_link(phone, uri):
    assert CampusFactory.build(phone=phone).phone_uri == uri
