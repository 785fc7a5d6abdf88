"""Read helpers for the career and comparison pages.

Each page reads a fixed number of queries whatever the amount of content: the rows of one
kind are fetched in one query, and grouping (by area, by career, by shared duty) happens
here in Python.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Model, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from roles.models import (
    COMPARISON_SEPARATOR,
    Area,
    Comparison,
    ComparisonAdvice,
    ComparisonSection,
    Emphasis,
    Role,
    RoleCertification,
    RoleDuty,
    RoleFact,
    comparison_url,
    in_comparison_order,
)
from roles.overlap import AreaComparison, compare_duties
from roles.slugs import any_language_slug, matching

MAX_COMPARED = 3


def request_info_url(*, program: Model | None, from_path: str) -> str:
    """The request-info form, preselecting `program` (by its slug) and recording the page
    that sent the visitor."""
    params = {"program": program.slug} if program else {}
    params["from"] = from_path
    return f"{reverse('inquiries:request-info')}?{urlencode(params)}"


def parse_comparison_slugs(slugs: str) -> list[str]:
    """Split a comparison address into career slugs as written: duplicates, order and empty
    parts kept (`a-vs-` is a malformed address, not a comparison of one career)."""
    return slugs.split(COMPARISON_SEPARATOR)


def published_roles(slugs: Iterable[str]) -> list[Role | None]:
    """The published career each slug names (in any language; None for none), once each.

    Unordered: callers put careers in comparison order themselves.
    """
    wanted = set(slugs)
    rows = list(Role.objects.published().filter(any_language_slug(wanted)).order_by())
    found = [matching(rows, slug) for slug in wanted]
    return list({id(role): role for role in found}.values())


# Cards and lists ------------------------------------------------------------------------


def career_cards():
    return Role.objects.published()


def featured_comparisons(published_roles: Sequence[Role]) -> list[Comparison]:
    """Featured comparisons, their careers taken from `published_roles` (every published
    career, already loaded): a featured comparison is published, so both its careers are
    there, and the query need not select them again."""
    by_pk = {role.pk: role for role in published_roles}
    comparisons = []
    for comparison in Comparison.objects.featured():
        # A career published between the two queries is left out rather than fetched.
        if comparison.left_id in by_pk and comparison.right_id in by_pk:
            comparison.left = by_pk[comparison.left_id]
            comparison.right = by_pk[comparison.right_id]
            comparisons.append(comparison)
    return comparisons


def curated_comparisons():
    return Comparison.objects.published().select_related("left", "right")


# Facts ----------------------------------------------------------------------------------

# The at-a-glance row whose `amount` is a median annual wage in dollars (schema.org's
# estimatedSalary is built from it).
PAY_DIMENSION = "median-pay"


@dataclass(frozen=True)
class FactCell:
    role: Role
    fact: RoleFact | None
    note: int | None = None


@dataclass(frozen=True)
class FactRow:
    dimension: object
    cells: list[FactCell]


def _fact_rows(facts: Sequence[RoleFact], roles: Sequence[Role]) -> tuple[list, list]:
    """Rows of the at-a-glance table, one cell per career, and the numbered source notes."""
    by_dimension: dict[int, dict[int, RoleFact]] = {}
    dimensions = {}
    for fact in facts:
        dimensions.setdefault(fact.dimension_id, fact.dimension)
        by_dimension.setdefault(fact.dimension_id, {})[fact.role_id] = fact
    notes: list[RoleFact] = []
    rows = []
    for dimension_id, by_role in by_dimension.items():
        cells = []
        for role in roles:
            fact = by_role.get(role.pk)
            note = None
            if fact is not None:
                fact.role = role  # already loaded: spares the facts query a join
                if fact.source_name:
                    notes.append(fact)
                    note = len(notes)
            cells.append(FactCell(role=role, fact=fact, note=note))
        rows.append(FactRow(dimension=dimensions[dimension_id], cells=cells))
    return rows, notes


def _facts_of(roles: Sequence[Role]):
    return (
        RoleFact.objects.filter(role__in=roles)
        .select_related("dimension")
        .order_by("dimension__order", "dimension__name", "dimension_id")
    )


def _duties_of(roles: Sequence[Role]):
    # Unordered: the callers group and sort the duties themselves.
    return RoleDuty.objects.filter(role__in=roles).select_related("duty").order_by()


def _credentials_of(roles: Sequence[Role]):
    return (
        RoleCertification.objects.filter(role__in=roles)
        .select_related("certification")
        .order_by("certification__abbreviation")
    )


# Career page ----------------------------------------------------------------------------


@dataclass
class CareerPage:
    role: Role
    duty_areas: list[tuple[str, list[RoleDuty]]]
    fact_rows: list[FactRow]
    notes: list[RoleFact]
    credentials: list[RoleCertification]
    programs: list  # of programs.Program, reached through the careers' reverse relation
    comparisons: list[Comparison]
    other_roles: list[Role]
    # Programs that prepare for another career sharing this one's core duties: they teach
    # part of this work without preparing for it.
    related_programs: list = field(default_factory=list)

    @property
    def soc_roles(self) -> list[Role]:
        return [self.role] if self.role.soc_code else []

    @property
    def has_emphasis(self) -> bool:
        return any(
            link.emphasis != Emphasis.REGULAR for _, links in self.duty_areas for link in links
        )

    @property
    def pay_fact(self) -> RoleFact | None:
        return next(
            (
                cell.fact
                for row in self.fact_rows
                for cell in row.cells
                if cell.fact and row.dimension.slug == PAY_DIMENSION and cell.fact.amount
            ),
            None,
        )

    @property
    def compare_links(self) -> list[tuple[str, str]]:
        """(label, address): curated comparisons first, then one per other career."""
        links = [
            (comparison.title, comparison.get_absolute_url()) for comparison in self.comparisons
        ]
        curated = {comparison.left_id for comparison in self.comparisons} | {
            comparison.right_id for comparison in self.comparisons
        }
        # Named in the order the comparison page itself lists the two careers.
        for other in self.other_roles:
            if other.pk not in curated:
                first, second = in_comparison_order([self.role, other])
                label = gettext("%(first)s vs %(second)s") % {
                    "first": first.name,
                    "second": second.name,
                }
                links.append((label, comparison_url([self.role, other])))
        return links


def career_page(role: Role) -> CareerPage:
    links = sorted(_duties_of([role]), key=lambda link: (link.duty.order, link.duty.name))
    by_area = defaultdict(list)
    for link in links:
        by_area[link.duty.area].append(link)
    fact_rows, notes = _fact_rows(list(_facts_of([role])), [role])
    programs, related = _programs_for(
        role, core_duty_ids={link.duty_id for link in links if link.emphasis == Emphasis.CORE}
    )
    return CareerPage(
        role=role,
        duty_areas=[(area.label, by_area[area.value]) for area in Area if by_area[area.value]],
        fact_rows=fact_rows,
        notes=notes,
        credentials=list(_credentials_of([role])),
        programs=programs,
        comparisons=list(curated_comparisons().including(role)),
        other_roles=list(Role.objects.published().exclude(pk=role.pk)),
        related_programs=related,
    )


def _programs_for(role: Role, *, core_duty_ids: set[int]) -> tuple[list, list]:
    """(programs preparing for `role`, programs preparing for a career that shares one of
    its core duties), in one query over the program-career links (reached through the
    reverse relation: this app does not import the programs app built on it)."""
    links = (
        Role.programs.through.objects.filter(program__is_published=True)
        .filter(Q(role=role) | Q(role__role_duties__duty_id__in=core_duty_ids))
        .select_related("program")
        .order_by("program__order", "program__name", "program_id")
        .distinct()
    )
    preparing: dict[int, Model] = {}
    related: dict[int, Model] = {}
    for link in links:
        if link.role_id == role.pk:
            preparing.setdefault(link.program_id, link.program)
        else:
            related.setdefault(link.program_id, link.program)
    return list(preparing.values()), [
        program for pk, program in related.items() if pk not in preparing
    ]


# Comparison page ------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgramFit:
    """A program beside the compared careers: which it prepares for, which it does not."""

    program: Model  # programs.Program
    prepares_for: list[Role]
    not_for: list[Role]
    # Careers among `not_for` whose every core duty a career in `prepares_for` also does:
    # the program teaches that part of their work without preparing for the career.
    teaches_part_of: list[Role] = field(default_factory=list)

    @property
    def unrelated(self) -> list[Role]:
        return [role for role in self.not_for if role not in self.teaches_part_of]


def program_fits(roles: Sequence[Role], duty_links: Sequence[RoleDuty] = ()) -> list[ProgramFit]:
    """Published programs preparing for any of the careers, each with its honest scope.

    One query: the program-career links of these careers, with their programs (reached
    through the reverse relation: this app does not import the programs app built on it).
    """
    links = (
        Role.programs.through.objects.filter(role__in=roles, program__is_published=True)
        .select_related("program")
        .order_by("program__order", "program__name", "program_id")
    )
    programs: dict[int, Model] = {}
    careers: dict[int, set[int]] = defaultdict(set)
    for link in links:
        programs.setdefault(link.program_id, link.program)
        careers[link.program_id].add(link.role_id)
    duties: dict[int, set[int]] = defaultdict(set)
    core: dict[int, set[int]] = defaultdict(set)
    for link in duty_links:
        duties[link.role_id].add(link.duty_id)
        if link.emphasis == Emphasis.CORE:
            core[link.role_id].add(link.duty_id)
    fits = []
    for program in programs.values():
        prepares_for = [role for role in roles if role.pk in careers[program.pk]]
        taught = set().union(*(duties[role.pk] for role in prepares_for))
        not_for = [role for role in roles if role.pk not in careers[program.pk]]
        fits.append(
            ProgramFit(
                program=program,
                prepares_for=prepares_for,
                not_for=not_for,
                teaches_part_of=[
                    role for role in not_for if core[role.pk] and core[role.pk] <= taught
                ],
            )
        )
    return fits


@dataclass
class ComparisonPage:
    roles: list[Role]
    fact_rows: list[FactRow]
    notes: list[RoleFact]
    areas: list[AreaComparison]
    credentials: list[tuple[Role, list[RoleCertification]]]
    program_fits: list[ProgramFit]
    curated: Comparison | None
    sections: list[ComparisonSection]
    advice: list[tuple[Role, list[ComparisonAdvice]]]

    @property
    def programs(self) -> list:
        return [fit.program for fit in self.program_fits]

    @property
    def soc_roles(self) -> list[Role]:
        return [role for role in self.roles if role.soc_code]

    @property
    def is_trio(self) -> bool:
        return len(self.roles) > 2

    @property
    def names(self) -> str:
        names = [role.name for role in self.roles]
        if len(names) < 3:
            return gettext("%(first)s and %(second)s") % {"first": names[0], "second": names[-1]}
        return gettext("%(list)s and %(last)s") % {"list": ", ".join(names[:-1]), "last": names[-1]}

    @property
    def shared_count(self) -> int:
        return sum(len(area.shared) for area in self.areas)

    @property
    def has_overlap(self) -> bool:
        return any(area.has_overlap for area in self.areas)

    @property
    def has_difference(self) -> bool:
        return any(area.has_difference for area in self.areas)


def comparison_page(roles: Sequence[Role]) -> ComparisonPage:
    roles = in_comparison_order(roles)
    fact_rows, notes = _fact_rows(list(_facts_of(roles)), roles)
    credentials: dict[int, list[RoleCertification]] = defaultdict(list)
    for link in _credentials_of(roles):
        credentials[link.role_id].append(link)
    curated = None
    sections: list[ComparisonSection] = []
    advice: list[tuple[Role, list[ComparisonAdvice]]] = []
    if len(roles) == 2:
        curated = Comparison.objects.published().of_pair(*roles).first()
    if curated is not None:
        # Ordered within this one comparison, which spares the joins of the default ordering.
        sections = list(curated.sections.order_by("order", "id"))
        by_role = defaultdict(list)
        for point in curated.advice.order_by("order", "id"):
            by_role[point.role_id].append(point)
        advice = [(role, by_role[role.pk]) for role in roles if by_role[role.pk]]
    duty_links = list(_duties_of(roles))
    return ComparisonPage(
        roles=roles,
        fact_rows=fact_rows,
        notes=notes,
        areas=compare_duties(duty_links, roles),
        credentials=[(role, credentials[role.pk]) for role in roles],
        program_fits=program_fits(roles, duty_links),
        curated=curated,
        sections=sections,
        advice=advice,
    )
