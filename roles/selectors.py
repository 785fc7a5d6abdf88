"""Read helpers for the career and comparison pages.

Each page reads a fixed number of queries whatever the amount of content: the rows of one
kind are fetched in one query, and grouping (by area, by career, by shared duty) happens
here in Python.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations

from django.urls import reverse
from django.utils.http import urlencode

from programs.models import Program
from roles.models import (
    COMPARISON_SEPARATOR,
    Area,
    Comparison,
    ComparisonAdvice,
    ComparisonSection,
    Duty,
    Role,
    RoleCertification,
    RoleDuty,
    RoleFact,
    comparison_url,
    in_comparison_order,
)

MAX_COMPARED = 3


def request_info_url(*, program: Program | None, from_path: str) -> str:
    """The request-info form, preselecting `program` and recording the page that sent them."""
    params = {"program": program.slug} if program else {}
    params["from"] = from_path
    return f"{reverse('inquiries:request-info')}?{urlencode(params)}"


def parse_comparison_slugs(slugs: str) -> list[str]:
    """Split a comparison address into career slugs as written: duplicates, order and empty
    parts kept (`a-vs-` is a malformed address, not a comparison of one career)."""
    return slugs.split(COMPARISON_SEPARATOR)


def published_roles(slugs: Iterable[str]) -> list[Role]:
    # Unordered: callers put careers in comparison order themselves.
    return list(Role.objects.published().filter(slug__in=set(slugs)).order_by())


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


# Duties ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DutyLine:
    """A duty and, per compared career (in page order), its link or None."""

    duty: Duty
    links: list[RoleDuty | None]
    roles: Sequence[Role]

    @cached_property
    def remarks(self) -> list[tuple[Role, RoleDuty]]:
        """The careers whose link says more than "regular": an emphasis or a note.

        Computed on first read, once compare_duties has filled in every link; the page
        reads it twice (whether there are any, then which).
        """
        return [
            (role, link)
            for role, link in zip(self.roles, self.links, strict=True)
            if link and (link.note or link.emphasis != "regular")
        ]


@dataclass(frozen=True)
class OverlapBar:
    """One career's duties in one area: shared with every other career, some, or none."""

    role: Role
    shared_all: int
    shared_some: int
    alone: int
    scale: int

    @property
    def total(self) -> int:
        return self.shared_all + self.shared_some + self.alone

    def _width(self, count: int) -> float:
        return round(100 * count / self.scale, 2) if self.scale else 0

    @property
    def segments(self) -> list[dict]:
        """x and width, in percent of the widest bar, for the SVG rectangles."""
        result, x = [], 0.0
        for kind, count in (
            ("shared-all", self.shared_all),
            ("shared-some", self.shared_some),
            ("alone", self.alone),
        ):
            width = self._width(count)
            if width:
                result.append({"kind": kind, "x": round(x, 2), "width": width})
            x += width
        return result


@dataclass
class AreaComparison:
    area: str
    label: str
    shared: list[DutyLine] = field(default_factory=list)
    # Only for three careers: duties two of them do, per pair.
    partly_shared: list[tuple[list[Role], list[DutyLine]]] = field(default_factory=list)
    only: list[tuple[Role, list[DutyLine]]] = field(default_factory=list)
    bars: list[OverlapBar] = field(default_factory=list)

    @property
    def has_overlap(self) -> bool:
        return bool(self.shared or any(lines for _, lines in self.partly_shared))

    @property
    def has_difference(self) -> bool:
        return any(lines for _, lines in self.only)


def compare_duties(role_duties: Iterable[RoleDuty], roles: Sequence[Role]) -> list:
    """Group duties by area into: done by all, by some (trios), by one career only.

    The overlap is computed from the duty links, never typed: two careers share a duty when
    both are linked to the same Duty row.
    """
    position = {role.pk: index for index, role in enumerate(roles)}
    lines: dict[int, DutyLine] = {}
    for link in role_duties:
        line = lines.get(link.duty_id)
        if line is None:
            line = lines[link.duty_id] = DutyLine(
                duty=link.duty, links=[None] * len(roles), roles=roles
            )
        line.links[position[link.role_id]] = link

    ordered = sorted(lines.values(), key=lambda line: (line.duty.order, line.duty.name))
    everyone = set(range(len(roles)))
    by_area = {area: [line for line in ordered if line.duty.area == area.value] for area in Area}
    # One scale for every bar, so a longer bar always means more duties.
    scale = max(
        (
            sum(1 for line in area_lines if line.links[i])
            for area_lines in by_area.values()
            for i in everyone
        ),
        default=0,
    )
    areas = []
    for area, area_lines in by_area.items():
        if not area_lines:
            continue
        doers = [frozenset(i for i, link in enumerate(line.links) if link) for line in area_lines]
        lines_done_by = defaultdict(list)
        for line, who in zip(area_lines, doers, strict=True):
            lines_done_by[who].append(line)
        comparison = AreaComparison(area=area.value, label=area.label)
        comparison.shared = lines_done_by[frozenset(everyone)]
        if len(roles) > 2:
            comparison.partly_shared = [
                ([roles[i] for i in pair], lines_done_by[frozenset(pair)])
                for pair in combinations(range(len(roles)), 2)
            ]
        comparison.only = [(role, lines_done_by[frozenset({i})]) for i, role in enumerate(roles)]
        for i, role in enumerate(roles):
            mine = [who for who in doers if i in who]
            comparison.bars.append(
                OverlapBar(
                    role=role,
                    shared_all=sum(1 for who in mine if who == everyone),
                    shared_some=sum(1 for who in mine if 1 < len(who) < len(roles)),
                    alone=sum(1 for who in mine if len(who) == 1),
                    scale=scale,
                )
            )
        areas.append(comparison)
    return areas


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
    programs: list[Program]
    comparisons: list[Comparison]
    other_roles: list[Role]

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
        links += [
            (
                " vs ".join(role.name for role in in_comparison_order([self.role, other])),
                comparison_url([self.role, other]),
            )
            for other in self.other_roles
            if other.pk not in curated
        ]
        return links


def career_page(role: Role) -> CareerPage:
    links = sorted(_duties_of([role]), key=lambda link: (link.duty.order, link.duty.name))
    by_area = defaultdict(list)
    for link in links:
        by_area[link.duty.area].append(link)
    fact_rows, notes = _fact_rows(list(_facts_of([role])), [role])
    return CareerPage(
        role=role,
        duty_areas=[(area.label, by_area[area.value]) for area in Area if by_area[area.value]],
        fact_rows=fact_rows,
        notes=notes,
        credentials=list(_credentials_of([role])),
        programs=list(Program.objects.published().filter(careers=role)),
        comparisons=list(curated_comparisons().including(role)),
        other_roles=list(Role.objects.published().exclude(pk=role.pk)),
    )


# Comparison page ------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgramFit:
    """A program beside the compared careers: which it prepares for, which it does not."""

    program: Program
    prepares_for: list[Role]
    not_for: list[Role]


def program_fits(roles: Sequence[Role]) -> list[ProgramFit]:
    """Published programs preparing for any of the careers, each with its honest scope.

    One query: the program-career links of these careers, with their programs.
    """
    links = (
        Program.careers.through.objects.filter(role__in=roles, program__is_published=True)
        .select_related("program")
        .order_by("program__order", "program__name", "program_id")
    )
    programs: dict[int, Program] = {}
    careers: dict[int, set[int]] = defaultdict(set)
    for link in links:
        programs.setdefault(link.program_id, link.program)
        careers[link.program_id].add(link.role_id)
    return [
        ProgramFit(
            program=program,
            prepares_for=[role for role in roles if role.pk in careers[program.pk]],
            not_for=[role for role in roles if role.pk not in careers[program.pk]],
        )
        for program in programs.values()
    ]


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
    def programs(self) -> list[Program]:
        return [fit.program for fit in self.program_fits]

    @property
    def is_trio(self) -> bool:
        return len(self.roles) > 2

    @property
    def names(self) -> str:
        names = [role.name for role in self.roles]
        return " and ".join(names) if len(names) < 3 else f"{', '.join(names[:-1])} and {names[-1]}"

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
    return ComparisonPage(
        roles=roles,
        fact_rows=fact_rows,
        notes=notes,
        areas=compare_duties(_duties_of(roles), roles),
        credentials=[(role, credentials[role.pk]) for role in roles],
        program_fits=program_fits(roles),
        curated=curated,
        sections=sections,
        advice=advice,
    )
