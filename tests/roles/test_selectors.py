import datetime

import pytest

from roles import overlap, selectors
from roles.models import Area, Emphasis, RoleDuty
from tests.factories import (
    ComparisonFactory,
    DimensionFactory,
    DutyFactory,
    ProgramFactory,
    RoleDutyFactory,
    RoleFactFactory,
    RoleFactory,
)

pytestmark = pytest.mark.django_db


def _link(role, duty, **kwargs):
    return RoleDutyFactory(role=role, duty=duty, **kwargs)


@pytest.fixture
def trio():
    return RoleFactory(order=1), RoleFactory(order=2), RoleFactory(order=3)


def _compare(roles):
    links = RoleDuty.objects.filter(role__in=roles).select_related("duty")
    return {area.area: area for area in overlap.compare_duties(links, roles)}


def test_a_duty_both_careers_perform_is_shared_and_the_rest_are_only_theirs():
    first, second = RoleFactory(), RoleFactory()
    blood = DutyFactory(name="Drawing blood", area=Area.LABORATORY)
    tests = DutyFactory(name="Running tests", area=Area.LABORATORY)
    phones = DutyFactory(name="Answering phones", area=Area.ADMINISTRATIVE)
    _link(first, blood)
    _link(second, blood)
    _link(second, tests)
    _link(first, phones)

    areas = _compare([first, second])

    lab = areas["laboratory"]
    assert [line.duty for line in lab.shared] == [blood]
    assert [(role, [line.duty for line in lines]) for role, lines in lab.only] == [
        (first, []),
        (second, [tests]),
    ]
    admin = areas["administrative"]
    assert admin.shared == []
    assert [line.duty for line in dict(admin.only)[first]] == [phones]
    assert "clinical" not in areas


def test_the_overlap_bars_count_shared_and_alone_duties_per_career():
    first, second = RoleFactory(), RoleFactory()
    shared = DutyFactory(area=Area.CLINICAL)
    _link(first, shared)
    _link(second, shared)
    for _ in range(3):
        _link(first, DutyFactory(area=Area.CLINICAL))

    bars = {bar.role: bar for bar in _compare([first, second])["clinical"].bars}

    assert (bars[first].shared_all, bars[first].alone) == (1, 3)
    assert (bars[second].shared_all, bars[second].alone) == (1, 0)
    assert bars[first].segments == [
        {"kind": "shared-all", "x": 0, "width": 25.0},
        {"kind": "alone", "x": 25.0, "width": 75.0},
    ]
    assert bars[second].segments == [{"kind": "shared-all", "x": 0, "width": 25.0}]


def test_every_bar_uses_one_scale_so_lengths_compare_across_areas():
    role, other = RoleFactory(), RoleFactory()
    for _ in range(4):
        _link(role, DutyFactory(area=Area.CLINICAL))
    _link(role, DutyFactory(area=Area.ADMINISTRATIVE))

    areas = _compare([role, other])

    assert areas["administrative"].bars[0].segments[0]["width"] == 25.0
    assert areas["clinical"].bars[0].segments[0]["width"] == 100.0


def test_three_careers_split_shared_duties_into_all_three_and_pairs(trio):
    first, second, third = trio
    everyone = DutyFactory(area=Area.LABORATORY)
    pair = DutyFactory(area=Area.LABORATORY)
    for role in trio:
        _link(role, everyone)
    _link(first, pair)
    _link(third, pair)

    lab = _compare(list(trio))["laboratory"]

    assert [line.duty for line in lab.shared] == [everyone]
    partly = {tuple(roles): [line.duty for line in lines] for roles, lines in lab.partly_shared}
    assert partly == {(first, second): [], (first, third): [pair], (second, third): []}
    bars = {bar.role: bar for bar in lab.bars}
    assert (bars[first].shared_all, bars[first].shared_some, bars[first].alone) == (1, 1, 0)
    assert (bars[second].shared_all, bars[second].shared_some) == (1, 0)


def test_duty_remarks_name_the_careers_with_an_emphasis_or_a_note():
    first, second = RoleFactory(), RoleFactory()
    duty = DutyFactory()
    _link(first, duty, emphasis=Emphasis.CORE)
    _link(second, duty)
    _link(first, DutyFactory(), note="Where the state allows it.")

    areas = _compare([first, second])
    lines = {line.duty: line for line in areas["clinical"].shared}

    assert [(role, link.emphasis) for role, link in lines[duty].remarks] == [(first, "core")]


def test_fact_rows_have_one_cell_per_career_and_number_the_sources():
    first, second = RoleFactory(order=1), RoleFactory(order=2)
    scope = DimensionFactory(order=1)
    pay = DimensionFactory(order=2)
    RoleFactFactory(role=first, dimension=scope, value="Broad")
    RoleFactFactory(
        role=first,
        dimension=pay,
        value="See the source",
        source_name="BLS",
        source_url="https://www.bls.gov/",
        as_of=datetime.date(2025, 5, 1),
    )
    RoleFactFactory(role=second, dimension=pay, value="Also", source_name="BLS")

    page = selectors.comparison_page([second, first])

    assert [row.dimension for row in page.fact_rows] == [scope, pay]
    scope_row, pay_row = page.fact_rows
    assert scope_row.cells[0].fact.value == "Broad"
    assert scope_row.cells[1].fact is None
    assert [cell.note for cell in pay_row.cells] == [1, 2]
    assert [fact.role for fact in page.notes] == [first, second]


def test_a_comparison_page_lists_careers_in_canonical_order(trio):
    first, second, third = trio
    page = selectors.comparison_page([third, first, second])
    assert page.roles == [first, second, third]
    assert page.names == f"{first.name}, {second.name} and {third.name}"


def test_the_comparison_page_finds_the_curated_comparison_of_a_reversed_pair():
    first, second = RoleFactory(order=1), RoleFactory(order=2)
    comparison = ComparisonFactory(left=second, right=first)
    assert selectors.comparison_page([first, second]).curated == comparison


def test_unpublished_curated_comparisons_are_not_shown():
    comparison = ComparisonFactory(is_published=False)
    assert selectors.comparison_page([comparison.left, comparison.right]).curated is None


def test_only_published_programs_that_prepare_for_a_career_are_offered():
    role = RoleFactory()
    ready = ProgramFactory()
    ready.careers.add(role)
    ProgramFactory(is_published=False).careers.add(role)
    ProgramFactory()
    assert selectors.career_page(role).programs == [ready]


def test_request_info_url_carries_the_program_and_the_page():
    program = ProgramFactory(slug="medical-assistant-technician")
    url = selectors.request_info_url(program=program, from_path="/compare/a-vs-b/")
    assert url == (
        "/request-info/?program=medical-assistant-technician&from=%2Fcompare%2Fa-vs-b%2F"
    )
    assert (
        selectors.request_info_url(program=None, from_path="/x/") == "/request-info/?from=%2Fx%2F"
    )


def test_comparison_slugs_are_split_on_the_separator_only():
    assert selectors.parse_comparison_slugs("medical-assistant-vs-lab-tech") == [
        "medical-assistant",
        "lab-tech",
    ]


def test_an_empty_part_of_a_comparison_address_is_kept_to_be_refused():
    assert selectors.parse_comparison_slugs("medical-assistant-vs-") == ["medical-assistant", ""]


def test_career_page_offers_comparisons_without_repeating_a_curated_pair():
    role = RoleFactory(order=1)
    curated_other = RoleFactory(order=2)
    plain_other = RoleFactory(order=3)
    comparison = ComparisonFactory(left=role, right=curated_other, title="Curated")

    links = selectors.career_page(role).compare_links

    assert links == [
        ("Curated", comparison.get_absolute_url()),
        (
            f"{role.name} vs {plain_other.name}",
            f"/compare/{role.slug}-vs-{plain_other.slug}/",
        ),
    ]


def test_a_career_page_names_each_comparison_as_the_comparison_page_orders_it():
    first, later = RoleFactory(order=1, name="Alpha"), RoleFactory(order=2, name="Beta")

    [(label, url)] = selectors.career_page(later).compare_links

    assert (label, url) == ("Alpha vs Beta", f"/compare/{first.slug}-vs-{later.slug}/")


def test_featured_comparisons_take_their_careers_from_the_list_already_loaded(
    django_assert_num_queries,
):
    shown = ComparisonFactory(is_featured=True)
    ComparisonFactory(is_featured=False)
    careers = list(selectors.career_cards())
    with django_assert_num_queries(1):
        featured = selectors.featured_comparisons(careers)
        names = [(c.left.name, c.right.name) for c in featured]
    assert names == [(shown.left.name, shown.right.name)]


def test_a_career_published_after_the_list_was_loaded_leaves_its_comparison_out():
    ComparisonFactory(is_featured=True)
    careers = list(selectors.career_cards())[:1]  # as if the other was published since
    assert selectors.featured_comparisons(careers) == []
