"""Read helpers for the program pages: each returns everything a page shows in a fixed
number of queries, however many courses, careers or start dates there are."""

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from programs.models import Campus, Program, StartDate
from roles.models import Role

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


def program_detail(slug: str) -> Program:
    """A published program with all it shows, or 404.

    Each active campus gets `upcoming_starts`: its next future start dates for the program.
    """
    program = get_object_or_404(
        Program.objects.published().prefetch_related(
            "schedules",
            "admission_requirements",
            "courses",
            "certifications",
            Prefetch("careers", queryset=Role.objects.published()),
            Prefetch("campuses", queryset=Campus.objects.filter(is_active=True)),
            Prefetch(
                "start_dates",
                queryset=StartDate.objects.upcoming().order_by("starts_on", "pace"),
                to_attr="upcoming_start_dates",
            ),
        ),
        slug=slug,
    )
    for campus in program.campuses.all():
        campus.upcoming_starts = [
            start for start in program.upcoming_start_dates if start.campus_id == campus.pk
        ][:STARTS_PER_CAMPUS]
    return program


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
