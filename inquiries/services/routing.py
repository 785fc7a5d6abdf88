"""Giving a new inquiry to the next representative covering its program, preferring one who
speaks the prospect's language."""

from django.utils import timezone

from inquiries.models import Coverage, Inquiry
from inquiries.services import workflow
from inquiries.services.team import spoken_languages


def _speaks(coverage: Coverage, language: str) -> bool:
    profile = getattr(coverage.representative, "admissions_profile", None)
    return language in spoken_languages(profile.languages if profile else None)


def route_new_inquiry(*, inquiry: Inquiry):
    """Assign a new inquiry round-robin among the active representatives covering its program
    who speak the language of the form it was sent from; when none of them does, round-robin
    among all of them.

    Returns the owner, or None when nobody covers the program (the inquiry stays unassigned
    for a manager to pick up). Must run inside the transaction that records the inquiry.
    """
    if inquiry.program_id is None:
        return None
    # Lock every coverage row of the program, not just the chosen one: two inquiries routed
    # at once then queue up and see each other's last_assigned_at. The profiles (languages)
    # come in the same statement and are not locked.
    coverages = list(
        Coverage.objects.select_for_update(of=("self",))
        .filter(
            program_id=inquiry.program_id,
            representative__is_active=True,
            representative__is_staff=True,
        )
        .select_related("representative", "representative__admissions_profile")
    )
    if not coverages:
        return None
    speakers = [coverage for coverage in coverages if _speaks(coverage, inquiry.language)]
    coverage = min(
        speakers or coverages,
        key=lambda c: (0, c.pk) if c.last_assigned_at is None else (1, c.last_assigned_at, c.pk),
    )
    coverage.last_assigned_at = timezone.now()
    coverage.save(update_fields=["last_assigned_at"])
    workflow.assign_owner(inquiry=inquiry, owner=coverage.representative, by=None)
    return coverage.representative
