import datetime
import json
import re

import pytest
from django.contrib.flatpages.models import FlatPage
from django.core.cache import cache
from django.utils import timezone

from programs.models import AdmissionRequirement, Pace, Schedule
from tests.factories import (
    CampusFactory,
    CertificationFactory,
    CourseFactory,
    ProgramFactory,
    RoleFactory,
    StartDateFactory,
)

pytestmark = pytest.mark.django_db


def json_ld_blocks(html):
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def days_from_today(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def page(client, program):
    response = client.get(program.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def institution_page(url, content):
    flatpage = FlatPage.objects.create(url=url, title=url.strip("/"), content=content)
    flatpage.sites.add(1)
    return flatpage


@pytest.fixture
def program():
    return ProgramFactory(
        name="Medical Assistant Technician Diploma Program",
        slug="medical-assistant-technician",
        full_time_months=9,
        part_time_months=14,
        clinical_experience="Supervised clinical practice or a capstone.",
    )


def big_program(size):
    """A program with `size` of everything it shows, for query counts."""
    program = ProgramFactory()
    for index in range(size):
        CourseFactory(program=program)
        Schedule.objects.create(program=program, name=f"Schedule {index}", pace=Pace.FULL_TIME)
        AdmissionRequirement.objects.create(program=program, text=f"Requirement {index}")
        program.careers.add(RoleFactory(soc_code="31-9092"))
        program.certifications.add(CertificationFactory())
        campus = CampusFactory(phone="(407) 555-0100")
        program.campuses.add(campus)
        for days in (-10, 10, 20):
            StartDateFactory(program=program, campus=campus, starts_on=days_from_today(days))
    institution_page("/outcomes-disclaimer/", "<p>No job is guaranteed.</p>")
    institution_page("/accreditation/", "<p>Accredited.</p>")
    return program


# --- Programs index -----------------------------------------------------------------------


def test_program_list_links_every_published_program(client):
    shown = ProgramFactory(name="Shown Program")
    html = client.get("/programs/").content.decode()
    assert f'href="{shown.get_absolute_url()}"' in html
    assert "Shown Program" in html


def test_program_list_leaves_out_unpublished_programs(client):
    ProgramFactory(name="Hidden Program", is_published=False)
    assert "Hidden Program" not in client.get("/programs/").content.decode()


def test_program_list_shows_length_and_campuses(client):
    program = ProgramFactory(full_time_months=9, part_time_months=14)
    program.campuses.add(CampusFactory(name="Kissimmee Campus"))
    html = client.get("/programs/").content.decode()
    assert "about 9 months full time, 14 part time" in html
    assert "Kissimmee Campus" in html


def test_program_list_makes_the_same_queries_however_many_programs(
    client, django_assert_num_queries
):
    for _ in range(25):
        program = ProgramFactory()
        program.campuses.add(CampusFactory(), CampusFactory())
    with django_assert_num_queries(3):  # + the footer's contact campus
        response = client.get("/programs/")
    assert response.content.decode().count('class="card h-100"') == 25


# --- Program page ---------------------------------------------------------------------------


def test_unpublished_program_page_is_not_found(client):
    program = ProgramFactory(is_published=False)
    assert client.get(program.get_absolute_url()).status_code == 404


def test_unknown_program_page_is_not_found(client):
    assert client.get("/programs/no-such-program/").status_code == 404


def test_program_page_gives_the_length_at_a_glance(client, program):
    html = page(client, program)
    assert "<h1>Medical Assistant Technician Diploma Program</h1>" in html
    assert "About 9 months full time; 14 part time" in html
    assert "Diploma" in html


def test_program_page_says_when_part_time_is_not_offered(client):
    html = page(client, ProgramFactory(part_time_months=None))
    assert "part time not offered" in html


def test_program_page_lists_schedules_admission_and_clinical_practice(client, program):
    Schedule.objects.create(program=program, name="Part-time evenings", pace=Pace.PART_TIME)
    AdmissionRequirement.objects.create(program=program, text="A high school diploma or a GED.")
    html = page(client, program)
    assert "Part-time evenings" in html
    assert "A high school diploma or a GED." in html
    assert "Supervised clinical practice or a capstone." in html


def test_curriculum_lists_courses_in_order_with_their_hours(client, program):
    CourseFactory(program=program, code="MAT190", title="Clinical Practice", hours=180, order=2)
    CourseFactory(program=program, code="MAT101", title="Terminology", hours=60, order=1)
    html = page(client, program)
    assert html.index("Terminology") < html.index("Clinical Practice")
    assert re.search(r"Clinical Practice</span>.*?</th>\s*<td[^>]*>180</td>", html, re.S)
    assert "<caption>" in html


def test_program_page_links_the_published_careers_it_leads_to(client, program):
    career = RoleFactory(name="Medical Assistant", slug="medical-assistant")
    program.careers.add(career, RoleFactory(name="Secret Career", is_published=False))
    html = page(client, program)
    assert f'<a href="{career.get_absolute_url()}">Medical Assistant</a>' in html
    assert "Secret Career" not in html


def test_program_page_explains_who_can_take_each_certification(client, program):
    program.certifications.add(
        CertificationFactory(
            abbreviation="NCMA",
            name="National Certified Medical Assistant",
            eligibility="Graduates of a medical assistant program can apply.",
        )
    )
    html = page(client, program)
    assert "National Certified Medical Assistant (NCMA)" in html
    assert "Graduates of a medical assistant program can apply." in html


def test_program_page_gives_each_campus_address_and_phone(client, program):
    program.campuses.add(
        CampusFactory(
            name="Kissimmee Campus",
            street_address="1200 West Vine Street",
            phone="(407) 555-0142",
        )
    )
    html = page(client, program)
    assert "Kissimmee Campus" in html
    assert "1200 West Vine Street" in html
    assert '<a href="tel:+14075550142">(407) 555-0142</a>' in html


def test_program_page_leaves_out_inactive_campuses(client, program):
    program.campuses.add(CampusFactory(name="Closed Campus", is_active=False))
    assert "Closed Campus" not in page(client, program)


def test_program_page_lists_only_future_start_dates(client, program):
    campus = CampusFactory()
    program.campuses.add(campus)
    past = StartDateFactory(program=program, campus=campus, starts_on=days_from_today(-1))
    future = StartDateFactory(program=program, campus=campus, starts_on=days_from_today(20))
    html = page(client, program)
    assert f'datetime="{future.starts_on:%Y-%m-%d}"' in html
    assert f'datetime="{past.starts_on:%Y-%m-%d}"' not in html


def test_start_dates_are_listed_under_their_own_campus(client, program):
    north, south = CampusFactory(name="North Campus"), CampusFactory(name="South Campus")
    program.campuses.add(north, south)
    StartDateFactory(program=program, campus=south, starts_on=days_from_today(5))
    html = page(client, program)
    html = html[html.index("Campus, contact and next starts") :]
    north_part = html[html.index("North Campus") : html.index("South Campus")]
    south_part = html[html.index("South Campus") :]
    assert "datetime=" not in north_part
    assert "Ask admissions about the next start date." in north_part
    assert f'datetime="{days_from_today(5):%Y-%m-%d}"' in south_part


def test_request_information_carries_the_program_and_the_page(client, program):
    html = page(client, program)
    expected = (
        "/request-info/?program=medical-assistant-technician"
        "&amp;from=%2Fprograms%2Fmedical-assistant-technician%2F"
    )
    assert f'href="{expected}"' in html
    assert "Request information" in html


def test_program_page_shows_the_outcomes_disclaimer_and_accreditation(client, program):
    institution_page("/outcomes-disclaimer/", "<p>We cannot guarantee any particular job.</p>")
    institution_page("/accreditation/", "<p>Accredited by MSCHE.</p>")
    html = page(client, program)
    assert "<p>We cannot guarantee any particular job.</p>" in html
    assert "<p>Accredited by MSCHE.</p>" in html
    assert 'href="/accreditation/"' in html


def test_program_page_json_ld_describes_an_educational_occupational_program(client, program):
    campus = CampusFactory(name="Kissimmee Campus", city="Kissimmee")
    program.campuses.add(campus)
    program.careers.add(RoleFactory(soc_code="31-9092"))
    CourseFactory(program=program, code="MAT101", title="Terminology")
    StartDateFactory(program=program, campus=campus, starts_on=days_from_today(12))
    blocks = {block["@type"]: block for block in json_ld_blocks(page(client, program))}
    data = blocks["EducationalOccupationalProgram"]
    assert data["name"] == program.name
    assert data["url"] == "http://testserver/programs/medical-assistant-technician/"
    assert data["timeToComplete"] == "P9M"
    assert data["educationalCredentialAwarded"] == "Diploma"
    assert data["occupationalCategory"] == ["31-9092"]
    assert data["hasCourse"][0]["courseCode"] == "MAT101"
    assert data["provider"]["location"][0]["address"]["addressLocality"] == "Kissimmee"
    assert data["startDate"] == f"{days_from_today(12):%Y-%m-%d}"


def test_program_page_has_breadcrumbs_for_people_and_search_engines(client, program):
    html = page(client, program)
    breadcrumbs = next(
        block for block in json_ld_blocks(html) if block["@type"] == "BreadcrumbList"
    )
    names = [item["name"] for item in breadcrumbs["itemListElement"]]
    assert names == ["Home", "Programs", program.name]
    assert '<a href="/programs/">Programs</a>' in html


def test_program_page_has_its_own_title_description_and_open_graph_tags(client, program):
    html = page(client, program)
    assert f"<title>{program.name} | Florida Technical College</title>" in html
    assert f'<meta name="description" content="{program.summary}">' in html
    assert f'<meta property="og:title" content="{program.name}">' in html
    assert (
        '<link rel="canonical" href="http://testserver/programs/medical-assistant-technician/">'
        in html
    )


def test_program_page_makes_the_same_queries_however_much_it_shows(
    client, django_assert_num_queries
):
    small, large = big_program(1), big_program(12)
    # + cost lines, credential routes, outcomes, the footer's contact campus and the next visits
    with django_assert_num_queries(14):
        client.get(small.get_absolute_url())
    cache.clear()  # the footer's campus may be cached from the first page
    with django_assert_num_queries(14):
        response = client.get(large.get_absolute_url())
    assert response.content.decode().count('<th scope="row" class="fw-normal">') == 12


def test_program_pages_carry_no_per_visitor_state(client, program):
    response = client.get(program.get_absolute_url())
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_demo_program_page_discloses_cost_aid_hours_accreditation_and_outcomes(client):
    from portal.demo import load_demo_content

    load_demo_content()
    html = client.get("/programs/medical-assistant-technician/").content.decode()
    disclosures = html[html.index('id="disclosures"') : html.index('id="schedules"')]
    for text in (
        "$16,150.00",  # tuition, fees, books and supplies, uniform added up
        "Tuition: $14,250.00",
        "Uniform (two sets of scrubs): $150.00",
        "Net price calculator",
        "How to apply:",
        "720",
        "Monday to Thursday, 6 to 10 p.m.",
        "CAAHEP or ABHES",
        "NCMA exam pass rate: 79%",
        "2025 graduates who sat the exam",
        "as of June 30, 2026",
    ):
        assert text in disclosures, text
    assert disclosures.count('class="sample-badge"') >= 8
    glance = html[html.index('id="at-a-glance"') : html.index('id="about-program"')]
    for text in ("Next start", "Kissimmee, FL", "$16,150", "14 part time", 'class="cta-inline'):
        assert text in glance, text
    assert html.index("Total cost") < html.index('id="curriculum"')
    assert "tel:+14075550142" in html and "Map and directions" in html
    assert "placeholders for this demo" in html


def test_demo_program_json_ld_carries_the_disclosures(client):
    from portal.demo import load_demo_content

    load_demo_content()
    html = client.get("/programs/medical-assistant-technician/").content.decode()
    [program] = [b for b in json_ld_blocks(html) if b["@type"] == "EducationalOccupationalProgram"]
    assert program["offers"]["price"] == 16150.0
    parts = program["offers"]["priceSpecification"]["priceComponent"]
    assert [part["name"].split(" (")[0] for part in parts][:2] == [
        "Tuition",
        "Registration and lab fees",
    ]
    names = [item["name"] for item in program["subjectOf"]["variableMeasured"]]
    assert any(name.startswith("NCMA exam pass rate") for name in names)
    assert "Programmatic accreditation" in names
    assert "sample value" in parts[0]["name"]
