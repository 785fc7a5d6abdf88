"""Every public page type costs a fixed number of SQL queries: the same with the demo content
and with ten times as much, and the same in Spanish as in English (model translation adds
columns, not queries). The pages and the tenfold growth are bench/querybudget.py's, so the
bench and these tests measure the same thing."""

import pytest
from django.urls import translate_url

from bench.querybudget import PAGES, grow_content
from portal.demo import load_demo_content

pytestmark = pytest.mark.django_db

# Queries per page, in either language, at either size. Most pages add one for the campus the
# footer gives for contact; a career and a comparison one more for their next visits.
BUDGETS = {
    "home": 3,
    "careers": 1,
    "career": 8,
    "comparisons": 2,
    "curated comparison": 9,
    "computed pair": 7,
    "computed trio": 6,
    "picker": 2,
    "programs": 2,
    "program": 13,
    "institution page": 1,
    "request-info form": 0,  # the unsent form is served from its rendered shell
    "thank-you": 2,
    "visits": 1,
    "sitemap": 7,
}


@pytest.fixture
def demo(db, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    load_demo_content()


def final_path(client, path: str) -> str:
    """The page's address after the one redirect a slug in the other language answers, and
    the page requested once, as a running server has its per-process caches filled."""
    response = client.get(path)
    if response.status_code == 301:
        path = response["Location"]
        response = client.get(path)
    assert response.status_code == 200, path
    return path


def both_languages() -> list[tuple[str, str]]:
    return [(name, path) for name, path in PAGES] + [
        (f"{name} (es)", translate_url(path, "es")) for name, path in PAGES
    ]


def test_every_page_costs_its_budget_in_both_languages_at_1x_and_10x_content(
    client, demo, django_assert_num_queries
):
    pages = {name: final_path(client, path) for name, path in both_languages()}
    spanish = {name: path for name, path in pages.items() if name.endswith("(es)")}
    assert all(path.startswith("/es/") or path == "/sitemap.xml" for path in spanish.values())
    for size in ("1x", "10x"):
        if size == "10x":
            grow_content(10)
            pages = {name: final_path(client, path) for name, path in pages.items()}
        for name, path in pages.items():
            budget = BUDGETS[name.removesuffix(" (es)")]
            with django_assert_num_queries(budget):
                assert client.get(path).status_code == 200, (size, name, path)
