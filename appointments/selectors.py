"""The reads the booking pages share: the open slots, grouped by day, in a fixed number of
queries however many there are."""

import datetime
import itertools

from django.utils import timezone

from appointments.models import Slot

# How far ahead the booking page offers times.
DAYS_AHEAD = 21
MAX_SLOTS = 60


def open_slots(*, program=None, now=None, excluding: Slot | None = None) -> list[Slot]:
    """Bookable slots for `program` (and those for any program), soonest first (one query)."""
    now = now or timezone.now()
    slots = (
        Slot.objects.bookable(now)
        .for_program(program)
        .filter(starts_at__lt=now + datetime.timedelta(days=DAYS_AHEAD))
        .select_related("campus", "representative")
        .order_by("starts_at", "id")
    )
    if excluding is not None:
        slots = slots.exclude(pk=excluding.pk)
    return list(slots[:MAX_SLOTS])


def by_day(slots: list[Slot]) -> list[tuple[object, list[Slot]]]:
    """(local date, its slots) in order; each slot on the day of its own time zone."""
    return [
        (day, list(group))
        for day, group in itertools.groupby(slots, key=lambda slot: slot.local_start.date())
    ]
