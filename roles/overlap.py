"""Where compared careers overlap and where they differ, computed from their duty links.

Two careers share a duty when both are linked to the same Duty row: the overlap is never
typed, so a new duty or career changes every comparison it touches.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations

from roles.models import Area, Duty, Role, RoleDuty


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
