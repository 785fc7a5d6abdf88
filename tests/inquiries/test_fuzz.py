"""Whatever arrives in whichever field, the form answers with a page, never a 500."""

import pytest
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inquiries.spam import issue_fill_token
from programs.models import Program
from tests.factories import CampusFactory, ProgramFactory

pytestmark = pytest.mark.django_db

FIELDS = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "postal_code",
    "program",
    "campus",
    "start_timeframe",
    "contact_method",
    "message",
    "consent",
    "leave_blank",
    "fill_token",
    "source_page",
    "referrer",
    "utm_source",
    "utm_medium",
    "utm_campaign",
]

# Any text HTTP can carry (NUL and other control characters included; surrogates cannot be
# encoded), plus values a real browser would send, so that some examples get far enough to
# be saved.
nasty_text = st.text(
    alphabet=st.characters(codec="utf-8", min_codepoint=0), max_size=300
) | st.sampled_from(["", "\x00", " ", "9" * 40, "-1", "1e9", "../../etc/passwd", "<script>"])


def plausible_values(program_pk, campus_pk):
    return {
        "first_name": st.just("Maria"),
        "last_name": st.just("Lopez"),
        "email": st.just("maria@example.com"),
        "phone": st.sampled_from(["", "4075550123", "+44 20 7946 0958"]),
        "postal_code": st.sampled_from(["34741", "34741-1234"]),
        "program": st.just(str(program_pk)),
        "campus": st.sampled_from(["", str(campus_pk)]),
        "start_timeframe": st.sampled_from(["", "next_start", "exploring"]),
        "contact_method": st.sampled_from(["email", "phone", "text"]),
        "message": st.just(""),
        "consent": st.sampled_from(["", "on"]),
        "leave_blank": st.just(""),
        "fill_token": st.just(issue_fill_token()),
        "source_page": st.just("/programs/"),
        "referrer": st.just(""),
        "utm_source": st.just(""),
        "utm_medium": st.just(""),
        "utm_campaign": st.just(""),
    }


def program_with_campuses():
    program = Program.objects.filter(slug="fuzz-program").first()
    if program is None:
        program = ProgramFactory(slug="fuzz-program")
        program.campuses.add(CampusFactory(), CampusFactory())
    return program, program.campuses.first()


@st.composite
def submissions(draw):
    program, campus = program_with_campuses()
    plausible = plausible_values(program.pk, campus.pk)
    return {name: draw(nasty_text | plausible[name]) for name in FIELDS}


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=submissions())
def test_any_text_in_any_field_never_gives_a_server_error(data):
    client = Client(raise_request_exception=True)
    with override_settings(INQUIRY_RATE_LIMIT=10**9):
        response = client.post("/request-info/", data)
    assert response.status_code in (200, 302)


@settings(max_examples=50, deadline=None)
@given(
    program=nasty_text,
    source=nasty_text,
    utm=nasty_text,
    referer=nasty_text.filter(lambda text: "\n" not in text and "\r" not in text),
)
def test_any_query_string_or_referer_on_the_form_page_never_gives_a_server_error(
    program, source, utm, referer
):
    client = Client(raise_request_exception=True)
    response = client.get(
        "/request-info/",
        {"program": program, "from": source, "utm_source": utm},
        HTTP_REFERER=referer,
    )
    # A NUL in the query string is refused up front (the site's 400 page), never a 500.
    has_nul = "\x00" in program + source + utm
    assert response.status_code == (400 if has_nul else 200)
