import datetime

import pytest
from django.contrib.flatpages.models import FlatPage

from programs.demo import cycle_dates, load_institution_pages, load_programs
from programs.models import Campus, Course, Program, StartDate
from tests.factories import CertificationFactory, RoleFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 4)


def snapshot():
    return {
        "programs": list(Program.objects.values()),
        "courses": list(Course.objects.values()),
        "starts": list(StartDate.objects.values()),
        "campuses": list(Campus.objects.values()),
        "pages": list(FlatPage.objects.values()),
    }


def test_demo_program_is_the_medical_assistant_technician_diploma():
    load_programs(today=TODAY)
    program = Program.objects.get(slug="medical-assistant-technician")
    assert program.name == "Medical Assistant Technician Diploma Program"
    assert program.credential == "diploma"
    assert program.full_time_months == 9
    assert program.part_time_months
    assert program.is_published
    assert "GED" in program.admission_requirements.get().text
    assert "capstone" in program.clinical_experience
    titles = " ".join(program.courses.values_list("title", flat=True))
    assert "EKG" in titles and "Phlebotomy" in titles
    assert [campus.slug for campus in program.campuses.all()] == ["kissimmee"]


def test_demo_program_links_the_medical_assistant_career_and_ncma_when_loaded():
    career = RoleFactory(slug="medical-assistant")
    ncma = CertificationFactory(abbreviation="NCMA")
    load_programs(today=TODAY)
    program = Program.objects.get(slug="medical-assistant-technician")
    assert list(program.careers.all()) == [career]
    assert list(program.certifications.all()) == [ncma]


def test_demo_program_loads_without_careers_and_certifications():
    load_programs(today=TODAY)
    program = Program.objects.get(slug="medical-assistant-technician")
    assert not program.careers.exists()
    assert not program.certifications.exists()


def test_demo_start_dates_are_all_in_the_future_from_the_day_of_loading():
    load_programs(today=TODAY)
    dates = list(StartDate.objects.values_list("starts_on", flat=True))
    assert len(dates) >= 3
    assert all(date > TODAY for date in dates)


def test_loading_the_demo_twice_changes_nothing():
    load_programs(today=TODAY)
    load_institution_pages()
    before = snapshot()
    load_programs(today=TODAY)
    load_institution_pages()
    after = snapshot()
    before["programs"][0].pop("updated_at")
    after["programs"][0].pop("updated_at")
    assert after == before


def test_loading_later_keeps_the_same_calendar_and_adds_only_new_starts():
    load_programs(today=TODAY)
    first = set(StartDate.objects.values_list("starts_on", "pace"))
    load_programs(today=TODAY + datetime.timedelta(days=50))
    second = set(StartDate.objects.values_list("starts_on", "pace"))
    assert first < second


def test_cycle_dates_continue_the_cycle_strictly_after_the_given_day():
    anchor = datetime.date(2025, 1, 6)
    dates = cycle_dates(anchor=anchor, every_weeks=6, count=2, after=datetime.date(2025, 2, 17))
    assert dates == [datetime.date(2025, 3, 31), datetime.date(2025, 5, 12)]


def test_demo_institution_pages_cover_about_accreditation_privacy_and_outcomes():
    load_institution_pages()
    pages = {page.url: page for page in FlatPage.objects.filter(sites=1)}
    assert set(pages) == {"/about/", "/accreditation/", "/privacy/", "/outcomes-disclaimer/"}
    accreditation = pages["/accreditation/"].content
    for fact in ("MSCHE", "NUC-IBC", "NUC-FTC", "The DAVE School", "2019", "CHEA"):
        assert fact in accreditation
    privacy = pages["/privacy/"].content
    for fact in ("ZIP code", "campaign", "24 months", "admissions staff"):
        assert fact in privacy
    assert "cannot promise any graduate a particular job" in pages["/outcomes-disclaimer/"].content
