"""Giving a new inquiry to the next representative covering its program."""

from django.utils import timezone

from inquiries.models import Coverage, Inquiry
from inquiries.services import workflow


def route_new_inquiry(*, inquiry: Inquiry):
    """Assign a new inquiry round-robin among the active representatives covering its program.

    Returns the owner, or None when nobody covers the program (the inquiry stays unassigned
    for a manager to pick up). Must run inside the transaction that records the inquiry.
    """
    if inquiry.program_id is None:
        return None
    # Lock every coverage row of the program, not just the chosen one: two inquiries routed
    # at once then queue up and see each other's last_assigned_at.
    coverages = list(
        Coverage.objects.select_for_update(of=("self",))
        .filter(
            program_id=inquiry.program_id,
            representative__is_active=True,
            representative__is_staff=True,
        )
        .select_related("representative")
    )
    if not coverages:
        return None
    coverage = min(
        coverages,
        key=lambda c: (0, c.pk) if c.last_assigned_at is None else (1, c.last_assigned_at, c.pk),
    )
    coverage.last_assigned_at = timezone.now()
    coverage.save(update_fields=["last_assigned_at"])
    workflow.assign_owner(inquiry=inquiry, owner=coverage.representative, by=None)
    return coverage.representative
