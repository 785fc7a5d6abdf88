"""Read helpers for the program pages: each returns everything a page shows in a fixed
number of queries, however many courses, careers or start dates there are."""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.db import DatabaseError
from django.db.models import Prefetch
from django.http import Http404

from programs.models import (
    AdmissionRequirement,
    Campus,
    CostItem,
    Course,
    CredentialRoute,
    Outcome,
    Program,
    Schedule,
    StartDate,
    total_cost,
)
from roles.models import Certification, Role
from roles.slugs import by_any_slug

# Institution-wide notes shown on every program page, kept as editable institution pages.
OUTCOMES_DISCLAIMER_URL = "/outcomes-disclaimer/"
ACCREDITATION_URL = "/accreditation/"
# How many upcoming starts a program page lists per campus.
STARTS_PER_CAMPUS = 4


def program_list():
    """Published programs for the programs index, with the campuses that offer them."""
    return Program.objects.published().prefetch_related(
        Prefetch("campuses", queryset=Campus.objects.filter(is_active=True))
    )


@dataclass
class ProgramPage:
    """A published program and everything its page lists, each in display order."""

    program: Program
    schedules: list[Schedule]
    admission_requirements: list[AdmissionRequirement]
    courses: list[Course]
    careers: list[Role]
    certifications: list[Certification]
    campuses: list[Campus]
    cost_items: list[CostItem]
    credential_routes: list[CredentialRoute]
    outcomes: list[Outcome]

    @property
    def total_cost(self):
        return total_cost(self.cost_items)

    @property
    def cost_has_sample(self) -> bool:
        return any(item.is_sample for item in self.cost_items)

    @property
    def next_start(self) -> StartDate | None:
        starts = [start for campus in self.campuses for start in campus.upcoming_starts]
        return min(starts, key=lambda start: start.starts_on, default=None)

    @property
    def has_sample(self) -> bool:
        """Whether any value the page shows is a placeholder (the page then explains)."""
        program = self.program
        return (
            program.part_time_is_sample
            or program.clock_hours_are_sample
            or program.curriculum_is_sample
            or program.financial_aid_is_sample
            or self.cost_has_sample
            or any(outcome.is_sample for outcome in self.outcomes)
            or any(schedule.class_times_are_sample for schedule in self.schedules)
            or any(campus.contact_is_sample for campus in self.campuses)
        )


def program_detail(slug: str) -> ProgramPage:
    """A published program with all it shows, or 404; `slug` may be in any language (the
    view redirects to the active language's address).

    Each active campus gets `upcoming_starts`: its next future start dates for the program.
    The rows of one program are read directly, ordered within it, rather than prefetched:
    the same queries without the prefetch machinery or the joins of the default orderings.
    """
    program = by_any_slug(Program.objects.published(), slug)
    if program is None:
        raise Http404("No such program.")
    campuses = list(Campus.objects.filter(programs=program, is_active=True))
    upcoming = StartDate.objects.upcoming().filter(program=program).order_by("starts_on", "pace")
    starts_by_campus = defaultdict(list)
    for start in upcoming:
        starts_by_campus[start.campus_id].append(start)
    for campus in campuses:
        campus.upcoming_starts = starts_by_campus[campus.pk][:STARTS_PER_CAMPUS]
    return ProgramPage(
        program=program,
        schedules=list(Schedule.objects.filter(program=program).order_by("order", "id")),
        admission_requirements=list(
            AdmissionRequirement.objects.filter(program=program).order_by("order", "id")
        ),
        courses=list(Course.objects.filter(program=program).order_by("order", "code")),
        careers=list(Role.objects.published().filter(programs=program)),
        certifications=list(Certification.objects.filter(programs=program)),
        campuses=campuses,
        cost_items=list(CostItem.objects.filter(program=program).order_by("order", "id")),
        credential_routes=list(
            CredentialRoute.objects.filter(program=program)
            .select_related("certification")
            .order_by("order", "id")
        ),
        outcomes=list(Outcome.objects.filter(program=program).order_by("order", "id")),
    )


def first_active_campus() -> Campus | None:
    """The campus whose address and phone the site's footer and About page give: the first
    active one, or None when there is none."""
    return Campus.objects.filter(is_active=True).order_by("order", "name").first()


def contact_campus() -> Campus | None:
    """`first_active_campus()`, or None when the database cannot be reached (the footer of
    an error page must still render)."""
    try:
        return first_active_campus()
    except DatabaseError:
        return None


def institution_notes() -> dict[str, FlatPage]:
    """The outcomes disclaimer and accreditation pages, by purpose; missing ones are absent.
    Found by their English address, which stays the same whatever the page's language."""
    pages = FlatPage.objects.filter(
        sites=settings.SITE_ID,
        registration_required=False,
        url_en__in=[OUTCOMES_DISCLAIMER_URL, ACCREDITATION_URL],
    )
    by_url = {page.url_en: page for page in pages}
    notes = {}
    if OUTCOMES_DISCLAIMER_URL in by_url:
        notes["outcomes_disclaimer"] = by_url[OUTCOMES_DISCLAIMER_URL]
    if ACCREDITATION_URL in by_url:
        notes["accreditation"] = by_url[ACCREDITATION_URL]
    return notes
