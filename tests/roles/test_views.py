import itertools
import json
import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache

from roles.models import Role
from tests.factories import (
    CertificationFactory,
    ComparisonFactory,
    RoleCertificationFactory,
    RoleFactFactory,
    RoleFactory,
)
from tests.roles.conftest import DEMO_SLUGS

pytestmark = pytest.mark.django_db

DEMO_PAIRS = [list(pair) for pair in itertools.combinations(DEMO_SLUGS, 2)]
DEMO_COMPARISONS = [*DEMO_PAIRS, DEMO_SLUGS]


def compare_path(slugs):
    return "/compare/" + "-vs-".join(slugs) + "/"


class _Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings = []
        self.styled = []
        self.scripts = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if "style" in attrs or tag == "style":
            self.styled.append(tag)
        if tag == "script":
            self.scripts.append(attrs.get("type") or "javascript" if "src" not in attrs else "src")


def assert_sound_page(html):
    """One h1, headings in order without skipped levels, no inline style or script."""
    outline = _Outline()
    outline.feed(html)
    assert outline.headings.count(1) == 1
    assert outline.headings[0] == 1
    for before, after in itertools.pairwise(outline.headings):
        assert after <= before + 1, f"heading jumps from h{before} to h{after}"
    assert outline.styled == []
    assert set(outline.scripts) <= {"application/ld+json", "src"}
    assert '<link rel="canonical"' in html
    assert re.search(r'<meta name="description" content="[^"]{40,}">', html)


def json_ld_blocks(html):
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


# Careers ---------------------------------------------------------------------------------


def test_careers_page_lists_published_careers_only(client, demo_roles):
    RoleFactory(name="Hidden Career", is_published=False)
    response = client.get("/careers/")
    html = response.content.decode()
    assert response.status_code == 200
    for role in demo_roles.values():
        assert role.get_absolute_url() in html
    assert "Hidden Career" not in html
    assert_sound_page(html)


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_every_demo_career_page_renders_soundly(client, demo_roles, slug):
    response = client.get(f"/careers/{slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<title>{demo_roles[slug].name}:" in html
    assert_sound_page(html)


def test_career_page_groups_duties_by_area(client, demo_roles):
    html = client.get("/careers/medical-assistant/").content.decode()
    html = html[html.index("<main") :]  # the JSON-LD in <head> lists the duties too
    administrative = html.index("Administrative duties")
    clinical = html.index("Clinical duties")
    laboratory = html.index("Laboratory duties")
    assert administrative < html.index("Booking patient appointments") < clinical
    assert clinical < html.index("Taking vital signs") < laboratory
    assert laboratory < html.index("Drawing blood (phlebotomy)")


def test_career_page_describes_the_occupation_for_search_engines(client, demo_roles):
    html = client.get("/careers/phlebotomist/").content.decode()
    blocks = json_ld_blocks(html)
    occupation = next(block for block in blocks if block["@type"] == "Occupation")
    assert occupation["name"] == "Phlebotomist"
    assert occupation["occupationalCategory"]["codeValue"] == "31-9097"
    assert "Drawing blood (phlebotomy)" in occupation["responsibilities"]
    breadcrumbs = next(block for block in blocks if block["@type"] == "BreadcrumbList")
    assert [item["name"] for item in breadcrumbs["itemListElement"]] == [
        "Home",
        "Careers",
        "Phlebotomist",
    ]


def test_lab_technician_credentials_say_a_diploma_does_not_qualify(client, demo_roles):
    html = client.get("/careers/laboratory-technician/").content.decode()
    mlt = html[html.index("MLT(ASCP): Medical Laboratory Technician") :]
    mlt = mlt[: mlt.index("</article>")]
    assert "Route 1: an associate degree, or 60 semester hours of college credit" in mlt
    assert "medical assistant diploma, does not make anyone eligible" in mlt
    assert "Routes checked against" in mlt and "December 1, 2026" in mlt
    amt = html[html.index("MLT(AMT): Medical Laboratory Technician") :]
    amt = amt[: amt.index("</article>")]
    assert "American Medical Technologists" in amt
    assert "60 semester hours" in amt
    assert "CLT" not in html


def test_medical_assistant_credentials_do_not_claim_a_degree(client, demo_roles):
    html = client.get("/careers/medical-assistant/").content.decode()
    for abbreviation in ("NCMA", "CMA", "RMA"):
        assert f"{abbreviation}: " in html
    assert "does not make anyone eligible" not in html


def test_career_page_lists_programs_and_asks_about_the_program(client, demo_roles):
    html = client.get("/careers/medical-assistant/").content.decode()
    assert "/programs/medical-assistant-technician/" in html
    assert (
        'href="/request-info/?program=medical-assistant-technician'
        '&amp;from=%2Fcareers%2Fmedical-assistant%2F"' in html
    )


def test_a_career_no_program_prepares_for_says_so_and_points_to_the_related_program(
    client, demo_roles
):
    html = client.get("/careers/laboratory-technician/").content.decode()
    cta = html[html.index('id="cta-heading"') :]
    assert "We do not offer a laboratory technician program" in cta
    assert 'href="/programs/medical-assistant-technician/"' in cta
    assert (
        'href="/request-info/?program=medical-assistant-technician'
        '&amp;from=%2Fcareers%2Flaboratory-technician%2F"' in html
    )


def test_a_career_no_program_touches_asks_for_information_plainly(client):
    role = RoleFactory(slug="lonely", name="Lonely")
    html = client.get(role.get_absolute_url()).content.decode()
    assert 'href="/request-info/?from=%2Fcareers%2Flonely%2F"' in html
    assert "program=" not in html
    assert "We do not offer a program for this career" in html


def test_career_page_links_to_its_comparisons(client, demo_roles):
    html = client.get("/careers/phlebotomist/").content.decode()
    assert 'href="/compare/medical-assistant-vs-phlebotomist/">Medical assistant or phleb' in html
    assert 'href="/compare/laboratory-technician-vs-phlebotomist/"' in html


def test_a_sourced_fact_has_a_footnote_with_its_source_and_date(client):
    role = RoleFactory(slug="nurse")
    RoleFactFactory(
        role=role,
        value="A figure",
        source_name="Bureau of Labor Statistics",
        source_url="https://www.bls.gov/ooh/",
        as_of="2025-05-01",
    )
    html = client.get("/careers/nurse/").content.decode()
    assert 'href="#source-1"' in html
    assert 'id="source-1"' in html
    assert '<a href="https://www.bls.gov/ooh/">Bureau of Labor Statistics</a>' in html
    assert "as of May 1, 2025" in html


def test_unpublished_or_unknown_careers_are_not_found(client):
    RoleFactory(slug="hidden", is_published=False)
    assert client.get("/careers/hidden/").status_code == 404
    assert client.get("/careers/nobody/").status_code == 404


# Comparisons -----------------------------------------------------------------------------


def test_compare_page_lists_curated_comparisons_and_a_get_picker(client, demo_roles):
    html = client.get("/compare/").content.decode()
    assert 'href="/compare/medical-assistant-vs-laboratory-technician/"' in html
    assert 'href="/compare/medical-assistant-vs-phlebotomist/"' in html
    assert '<form method="get" action="/compare/choose/"' in html
    for slug in DEMO_SLUGS:
        assert f'value="{slug}"' in html
    assert "csrfmiddlewaretoken" not in html
    assert_sound_page(html)


def test_picker_sends_the_visitor_to_the_canonical_comparison(client, demo_roles):
    response = client.get(
        "/compare/choose/", {"careers": ["phlebotomist", "laboratory-technician"]}
    )
    assert response.status_code == 302
    assert response["Location"] == "/compare/laboratory-technician-vs-phlebotomist/"


@pytest.mark.parametrize("chosen", [[], ["phlebotomist"], ["phlebotomist", "phlebotomist"]])
def test_picker_asks_for_two_or_three_careers(client, demo_roles, chosen):
    response = client.get("/compare/choose/", {"careers": chosen})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose two or three careers to compare" in html
    assert 'role="alert"' in html
    assert "no-cache" in response["Cache-Control"]
    assert_sound_page(html)


def test_picker_refuses_four_careers_with_a_message(client, demo_roles):
    RoleFactory(slug="nurse")
    response = client.get("/compare/choose/", {"careers": [*DEMO_SLUGS, "nurse"]})
    assert response.status_code == 200
    assert "you chose 4" in response.content.decode()


def test_picker_keeps_the_choice_and_rejects_unknown_careers(client, demo_roles):
    response = client.get("/compare/choose/", {"careers": ["phlebotomist", "astronaut"]})
    html = response.content.decode()
    assert response.status_code == 200
    assert "not available" in html
    assert re.search(r'value="phlebotomist" id="[^"]+" checked', html)


@pytest.mark.parametrize("slugs", DEMO_COMPARISONS, ids="-vs-".join)
def test_every_demo_comparison_renders_soundly(client, demo_roles, slugs):
    response = client.get(compare_path(slugs))
    html = response.content.decode()
    assert response.status_code == 200
    assert_sound_page(html)
    for slug in slugs:
        assert demo_roles[slug].name in html
    for section in ("At a glance", "Where they overlap", "Where they differ", "Credentials"):
        assert section in html
    assert '<svg class="overlap-bar"' in html
    breadcrumbs = next(b for b in json_ld_blocks(html) if b["@type"] == "BreadcrumbList")
    assert breadcrumbs["itemListElement"][1]["name"] == "Compare careers"


@pytest.mark.parametrize("slugs", DEMO_COMPARISONS, ids="-vs-".join)
def test_every_other_order_redirects_permanently_to_the_canonical_one(client, demo_roles, slugs):
    canonical = compare_path(slugs)
    for order in itertools.permutations(slugs):
        if list(order) == slugs:
            continue
        response = client.get(compare_path(order))
        assert response.status_code == 301
        assert response["Location"] == canonical


def test_each_comparison_has_its_own_title_and_description(client, demo_roles):
    titles, descriptions = set(), set()
    for slugs in DEMO_COMPARISONS:
        html = client.get(compare_path(slugs)).content.decode()
        titles.add(re.search(r"<title>(.*?)</title>", html).group(1))
        descriptions.add(re.search(r'<meta name="description" content="([^"]*)"', html).group(1))
    assert len(titles) == len(descriptions) == len(DEMO_COMPARISONS)


def test_curated_comparison_shows_its_sections_advice_and_caveat(client, demo_roles):
    html = client.get("/compare/medical-assistant-vs-phlebotomist/").content.decode()
    assert "<h1>Medical assistant or phlebotomist?</h1>" in html
    assert "Specialist or generalist" in html
    assert "Choose phlebotomist if" in html
    assert "Choose medical assistant if" in html
    assert "tendencies rather than rules" in html


def test_the_curated_comparison_asks_about_the_program_that_prepares_for_it(client, demo_roles):
    html = client.get("/compare/medical-assistant-vs-phlebotomist/").content.decode()
    assert (
        'href="/request-info/?program=medical-assistant-technician'
        '&amp;from=%2Fcompare%2Fmedical-assistant-vs-phlebotomist%2F"' in html
    )


def test_uncurated_pair_is_complete_from_data(client, demo_roles):
    html = client.get("/compare/laboratory-technician-vs-phlebotomist/").content.decode()
    overlap = html[html.index("Where they overlap") : html.index("Where they differ")]
    assert "Drawing blood (phlebotomy)" in overlap
    assert "Labeling, handling and preparing specimens" in overlap
    differ = html[html.index("Where they differ") : html.index("Credentials and what")]
    assert "Only the laboratory technician" in differ
    assert "Recording and interpreting test results" in differ
    assert "Choose " not in html  # no editorial advice for an uncurated pair
    assert "tendencies rather than rules" in html
    assert (
        'href="/request-info/?from=%2Fcompare%2Flaboratory-technician-vs-phlebotomist%2F"' in html
    )


def test_overlap_picture_has_a_table_for_screen_readers(client, demo_roles):
    html = client.get("/compare/medical-assistant-vs-phlebotomist/").content.decode()
    chart = html[html.index('<figure class="overlap-figure"') : html.index("</figure>")]
    assert 'class="overlap-chart" aria-hidden="true"' in chart
    table = chart[chart.index("<table>") :]
    assert "<caption>" in table
    assert '<th scope="col">Shared by both</th>' in table
    rows = re.findall(
        r"<tr>\s*<th scope=\"row\">(\w+)</th>\s*<td>([^<]+)</td>\s*"
        r"<td>(\d+)</td>\s*<td>(\d+)</td>",
        table,
    )
    assert ("Laboratory", "Phlebotomist", "2", "0") in rows
    assert ("Laboratory", "Medical Assistant", "2", "2") in rows
    assert ("Clinical", "Medical Assistant", "0", "12") in rows


def test_trio_overlap_separates_duties_shared_by_two(client, demo_roles):
    html = client.get(compare_path(DEMO_SLUGS)).content.decode()
    assert "Shared with one other" in html
    assert "Medical Assistant and Laboratory Technician only:" in html


@pytest.mark.parametrize(
    "path",
    [
        "/compare/medical-assistant-vs-astronaut/",
        "/compare/medical-assistant-vs-phlebotomist-vs-laboratory-technician-vs-nurse/",
        "/compare/-vs-/",
        "/compare/medical-assistant-vs-/",
        "/compare/-vs-medical-assistant/",
        "/compare/medical-assistant-vs--vs-phlebotomist/",
    ],
)
def test_unknown_careers_or_too_many_are_not_found(client, demo_roles, path):
    RoleFactory(slug="nurse")
    assert client.get(path).status_code == 404


def test_a_comparison_with_an_unpublished_career_is_not_found(client, demo_roles):
    Role.objects.filter(slug="phlebotomist").update(is_published=False)
    assert client.get("/compare/medical-assistant-vs-phlebotomist/").status_code == 404


@pytest.mark.parametrize(
    "path", ["/compare/phlebotomist/", "/compare/phlebotomist-vs-phlebotomist/"]
)
def test_a_comparison_of_one_career_redirects_to_that_career(client, demo_roles, path):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == "/careers/phlebotomist/"


def test_a_repeated_career_is_dropped_from_the_address(client, demo_roles):
    response = client.get("/compare/phlebotomist-vs-medical-assistant-vs-phlebotomist/")
    assert response.status_code == 301
    assert response["Location"] == "/compare/medical-assistant-vs-phlebotomist/"


def test_comparison_credentials_show_what_each_needs(client, demo_roles):
    html = client.get("/compare/medical-assistant-vs-laboratory-technician/").content.decode()
    credentials = html[html.index("Credentials and what they need") :]
    assert "MLT(ASCP): Medical Laboratory Technician" in credentials
    assert "NCMA: National Certified Medical Assistant" in credentials
    assert "does not make anyone eligible for the MLT(ASCP)" in credentials


def test_requirement_of_a_credential_is_shown_per_career(client):
    role = RoleFactory(slug="tech", name="Tech")
    credential = CertificationFactory(abbreviation="XYZ")
    RoleCertificationFactory(role=role, certification=credential, requirement="some_states")
    html = client.get("/careers/tech/").content.decode()
    assert "<strong>required in some states</strong>" in html


# Caching and query counts ----------------------------------------------------------------


def test_public_pages_hold_no_visitor_state_and_are_served_from_the_cache(
    client, demo_roles, django_assert_num_queries
):
    path = "/compare/medical-assistant-vs-phlebotomist/"
    first = client.get(path)
    assert not first.cookies
    assert "csrfmiddlewaretoken" not in first.content.decode()
    with django_assert_num_queries(0):
        again = client.get(path)
    assert again.content == first.content
    cache.clear()


# Each page's own queries plus one for the campus the footer gives for contact; a career
# and a comparison one more for their next visits (visits/_next_events.html).
PAGE_QUERIES = [
    ("/careers/", 2),
    ("/careers/career-a/", 9),
    ("/compare/", 3),
    ("/compare/career-a-vs-career-b/", 10),  # curated: + its sections and advice
    ("/compare/career-a-vs-career-c/", 8),
    ("/compare/career-a-vs-career-b-vs-career-c/", 7),
    ("/compare/choose/?careers=career-a", 3),
]


@pytest.mark.parametrize("catalog", ["small_catalog", "large_catalog"])
@pytest.mark.parametrize(("path", "queries"), PAGE_QUERIES, ids=[p for p, _ in PAGE_QUERIES])
def test_pages_make_a_fixed_number_of_queries_however_much_content(
    client, request, no_page_cache, django_assert_num_queries, catalog, path, queries
):
    request.getfixturevalue(catalog)
    with django_assert_num_queries(queries):
        response = client.get(path)
    assert response.status_code == 200


def test_the_large_catalog_really_is_large(client, large_catalog):
    html = client.get("/compare/career-a-vs-career-b-vs-career-c/").content.decode()
    assert html.count("<tr>") >= 30 + 1  # a row per dimension, plus the header
    assert html.count('class="duty-note"') > 100


def test_comparisons_of_the_same_pair_cannot_be_curated_twice_from_admin_data(client):
    first, second = RoleFactory(order=1), RoleFactory(order=2)
    ComparisonFactory(left=second, right=first, title="Only one")
    html = client.get(f"/compare/{first.slug}-vs-{second.slug}/").content.decode()
    assert "<h1>Only one</h1>" in html


def test_a_comparison_says_which_careers_its_program_does_and_does_not_prepare_for(client):
    from portal.demo import load_demo_content

    load_demo_content()
    html = client.get("/compare/medical-assistant-vs-laboratory-technician/").content.decode()
    cta = html[html.index('id="cta-heading"') :]
    assert "prepares you to work as a medical assistant." in cta
    assert (
        "It does not prepare you to work as a laboratory technician: that career's page, "
        "linked below, says what training it needs." in cta
    )
    assert 'href="/careers/laboratory-technician/"' in cta
    assert "prepares you for this work" not in cta
    trio = client.get(
        "/compare/medical-assistant-vs-laboratory-technician-vs-phlebotomist/"
    ).content.decode()
    assert "Its training includes the core work of a phlebotomist" in trio
    assert (
        "It does not prepare you to work as a laboratory technician: that career's page, "
        "linked below" in trio
    )


def test_the_phlebotomist_comparison_does_not_deny_the_program_teaches_blood_draws(client):
    from portal.demo import load_demo_content

    load_demo_content()
    html = client.get("/compare/medical-assistant-vs-phlebotomist/").content.decode()
    cta = html[html.index('id="cta-heading"') :]
    assert "does not train you as a phlebotomist" not in cta
    assert "does not prepare you to work as a phlebotomist" not in cta
    assert "Its training includes the core work of a phlebotomist" in cta
    assert html.count("about nine months") <= 1
    assert "practised" not in html and "enrol " not in html


def test_career_pages_without_our_program_point_to_a_real_next_step(client):
    from portal.demo import load_demo_content

    load_demo_content()
    html = client.get("/careers/phlebotomist/").content.decode()
    assert "We do not offer a phlebotomy-only program" in html
    assert 'href="/request-info/?program=medical-assistant-technician' in html
    assert 'href="/programs/medical-assistant-technician/"' in html


def test_occupation_json_ld_carries_the_dated_median_wage(client):
    from portal.demo import load_demo_content

    load_demo_content()
    html = client.get("/careers/medical-assistant/").content.decode()
    occupation = next(b for b in json_ld_blocks(html) if b["@type"] == "Occupation")
    salary = occupation["estimatedSalary"]
    assert salary["median"] == 44200 and salary["currency"] == "USD"
    assert salary["name"] == "Median annual wage, May 2024"
    assert salary["validFrom"] == "2024-05-01"


def test_career_pages_put_a_call_to_action_in_the_header_and_after_the_table(client):
    from portal.demo import load_demo_content

    load_demo_content()
    html = client.get("/careers/medical-assistant/").content.decode()
    header = html[html.index('class="page-header"') : html.index("</div>\n</div>")]
    assert "Request information" in header
    glance = html[html.index('id="facts-heading"') : html.index('id="credentials-heading"')]
    assert 'class="cta-inline' in glance
    assert "Occupation codes in federal statistics" in glance
    assert "Occupation code (SOC)" not in html


def test_program_fits_list_only_published_programs_with_their_scope():
    from roles.selectors import program_fits
    from tests.factories import ProgramFactory, RoleFactory

    assistant, technician = RoleFactory(), RoleFactory()
    diploma = ProgramFactory()
    diploma.careers.add(assistant)
    ProgramFactory(is_published=False).careers.add(technician)

    [fit] = program_fits([assistant, technician])

    assert fit.program == diploma
    assert fit.prepares_for == [assistant]
    assert fit.not_for == [technician]


def test_canonical_order_redirects_are_kept_an_hour_not_forever(client):
    from portal.demo import load_demo_content

    load_demo_content()
    response = client.get("/compare/phlebotomist-vs-medical-assistant/")
    assert response.status_code == 301
    assert "max-age=3600" in response["Cache-Control"]
