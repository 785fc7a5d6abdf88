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
    owner = next_representative(program_id=inquiry.program_id, language=inquiry.language)
    if owner is not None:
        workflow.assign_owner(inquiry=inquiry, owner=owner, by=None)
    return owner


def next_representative(*, program_id: int | None, language: str):
    """The representative whose turn it is for a new inquiry about the program in
    `language` (see `route_new_inquiry`), their turn taken; None when nobody covers it.

    For an inquiry not written yet, so that it can be written with its owner at once. Must
    run inside the transaction that records the inquiry.
    """
    if program_id is None:
        return None
    # Lock every coverage row of the program, not just the chosen one: two inquiries routed
    # at once then queue up and see each other's last_assigned_at. The profiles (languages)
    # come in the same statement and are not locked.
    coverages = list(
        Coverage.objects.select_for_update(of=("self",))
        .filter(
            program_id=program_id,
            representative__is_active=True,
            representative__is_staff=True,
        )
        .select_related("representative", "representative__admissions_profile")
    )
    if not coverages:
        return None
    speakers = [coverage for coverage in coverages if _speaks(coverage, language)]
    coverage = min(
        speakers or coverages,
        key=lambda c: (0, c.pk) if c.last_assigned_at is None else (1, c.last_assigned_at, c.pk),
    )
    coverage.last_assigned_at = timezone.now()
    coverage.save(update_fields=["last_assigned_at"])
    return coverage.representative
