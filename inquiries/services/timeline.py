"""The activity timeline of an inquiry: one entry per thing that happened to it."""

import datetime

from inquiries.models import Activity, ActivityKind, Inquiry

# What staff write by hand on a timeline; everything else is written by the services.
STAFF_ENTRY_KINDS = (ActivityKind.NOTE, ActivityKind.CALL, ActivityKind.EMAIL, ActivityKind.TEXT)
CONTACT_KINDS = (ActivityKind.CALL, ActivityKind.EMAIL, ActivityKind.TEXT)
# Entries whose text is generated from staff names and statuses, never from what a prospect
# said: anonymisation keeps them (status changes lose their free-text note).
GENERATED_ENTRY_KINDS = (ActivityKind.ASSIGNMENT, ActivityKind.STATUS_CHANGE)


def add_activity(
    *,
    inquiry: Inquiry,
    kind: str,
    body: str = "",
    author=None,
    outcome: str = "",
    at: datetime.datetime | None = None,
) -> Activity:
    """Write one timeline entry. Entries are history: nothing edits or deletes them.

    `outcome` is what came of a call, email or text. `at` backdates the entry (demo data,
    imports); it defaults to now.
    """
    activity = Activity.objects.create(
        inquiry=inquiry, kind=kind, body=body, author=author, outcome=outcome
    )
    if at is not None:
        # created_at is auto_now_add: a past time can only be written after the insert.
        Activity.objects.filter(pk=activity.pk).update(created_at=at)
        activity.created_at = at
    return activity


def add_activities(entries: list[Activity]) -> list[Activity]:
    """Write several timeline entries (unsaved `Activity` objects, in the order they
    happened) in one statement; for a service that records several things at once."""
    return Activity.objects.bulk_create(entries)
