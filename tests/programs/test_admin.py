import pytest
from django.contrib.flatpages.models import FlatPage

from portal.pagecache import content_version
from tests.factories import CampusFactory, CourseFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_superuser=True))
    return client


def test_program_change_page_edits_courses_and_start_dates_inline(staff_client):
    program = ProgramFactory()
    CourseFactory(program=program, title="Phlebotomy and Laboratory Procedures")
    response = staff_client.get(f"/admin/programs/program/{program.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Phlebotomy and Laboratory Procedures" in html
    assert "start_dates-TOTAL_FORMS" in html
    assert "courses-TOTAL_FORMS" in html


@pytest.mark.parametrize(
    "url",
    [
        "/admin/programs/program/",
        "/admin/programs/campus/",
        "/admin/programs/startdate/",
        "/admin/flatpages/flatpage/",
        "/admin/flatpages/flatpage/add/",
    ],
)
def test_program_admin_pages_open(staff_client, url):
    ProgramFactory()
    CampusFactory()
    assert staff_client.get(url).status_code == 200


def test_editing_an_institution_page_in_the_admin_makes_cached_pages_stale(
    staff_client, django_capture_on_commit_callbacks
):
    page = FlatPage.objects.create(url="/about/", title="About", content="<p>Old</p>")
    page.sites.add(1)
    version = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/admin/flatpages/flatpage/{page.pk}/change/",
            {
                "url_en": "/about/",
                "url_es": "/sobre-nosotros/",
                "title_en": "About",
                "title_es": "Sobre nosotros",
                "content_en": "<p>New</p>",
                "content_es": "<p>Nuevo</p>",
                "sites": [1],
            },
        )
    assert response.status_code == 302
    assert content_version() > version


def test_an_impossible_date_in_the_start_date_hierarchy_is_a_wrong_filter_not_a_500(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True))
    response = client.get("/admin/programs/startdate/?starts_on__year=99999999999999999999")
    assert response.status_code == 302
    assert "e=1" in response["Location"]
