"""Read helpers for the program pages: each returns everything a page shows in a fixed
number of queries, however many courses, careers or start dates there are."""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from programs.models import AdmissionRequirement, Campus, Course, Program, Schedule, StartDate
from roles.models import Certification, Role

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


def program_detail(slug: str) -> ProgramPage:
    """A published program with all it shows, or 404.

    Each active campus gets `upcoming_starts`: its next future start dates for the program.
    The rows of one program are read directly, ordered within it, rather than prefetched:
    the same queries without the prefetch machinery or the joins of the default orderings.
    """
    program = get_object_or_404(Program.objects.published(), slug=slug)
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
    )


def institution_notes() -> dict[str, FlatPage]:
    """The outcomes disclaimer and accreditation pages, by purpose; missing ones are absent."""
    pages = FlatPage.objects.filter(
        sites=settings.SITE_ID,
        registration_required=False,
        url__in=[OUTCOMES_DISCLAIMER_URL, ACCREDITATION_URL],
    )
    by_url = {page.url: page for page in pages}
    notes = {}
    if OUTCOMES_DISCLAIMER_URL in by_url:
        notes["outcomes_disclaimer"] = by_url[OUTCOMES_DISCLAIMER_URL]
    if ACCREDITATION_URL in by_url:
        notes["accreditation"] = by_url[ACCREDITATION_URL]
    return notes
