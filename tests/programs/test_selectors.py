import datetime

import pytest
from django.contrib.flatpages.models import FlatPage
from django.http import Http404
from django.utils import timezone

from programs import selectors
from tests.factories import CampusFactory, ProgramFactory, StartDateFactory

pytestmark = pytest.mark.django_db


def test_program_detail_gives_each_campus_its_next_few_starts_in_date_order():
    program = ProgramFactory()
    campus = CampusFactory()
    program.campuses.add(campus)
    today = timezone.localdate()
    for weeks in (9, 3, 6, 12, 15, 18):
        StartDateFactory(
            program=program, campus=campus, starts_on=today + datetime.timedelta(weeks=weeks)
        )
    loaded = selectors.program_detail(program.slug)
    starts = [start.starts_on for start in loaded.campuses[0].upcoming_starts]
    assert len(starts) == selectors.STARTS_PER_CAMPUS
    assert starts == sorted(starts)
    assert starts[0] == today + datetime.timedelta(weeks=3)


def test_program_detail_ignores_start_dates_at_campuses_not_offering_it():
    program = ProgramFactory()
    listed = CampusFactory()
    program.campuses.add(listed)
    StartDateFactory(program=program, campus=CampusFactory())
    loaded = selectors.program_detail(program.slug)
    assert [campus.upcoming_starts for campus in loaded.campuses] == [[]]


def test_program_detail_of_a_draft_is_not_found():
    program = ProgramFactory(is_published=False)
    with pytest.raises(Http404):
        selectors.program_detail(program.slug)


def test_institution_notes_are_absent_until_written():
    assert selectors.institution_notes() == {}


def test_institution_notes_skip_pages_that_need_a_login():
    page = FlatPage.objects.create(
        url=selectors.ACCREDITATION_URL, title="Accreditation", registration_required=True
    )
    page.sites.add(1)
    assert "accreditation" not in selectors.institution_notes()
