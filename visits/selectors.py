"""Reads the public pages share about visits, each in one query."""

from django.db.models import F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from visits.models import Event, Registration, RegistrationStatus

NEXT_EVENTS = 3


def _seats_taken() -> Subquery:
    """Seats the confirmed registrations hold, per event, as a subquery: unlike a join it
    stays right when the events are also joined to their programs."""
    per_event = (
        Registration.objects.filter(event=OuterRef("pk"), status=RegistrationStatus.CONFIRMED)
        .order_by()
        .values("event")
        .annotate(seats=Sum(F("guests") + 1))
        .values("seats")
    )
    return Coalesce(Subquery(per_event, output_field=IntegerField()), 0)


def next_events(*, programs=None, roles=None, limit: int = NEXT_EVENTS) -> list[Event]:
    """The next upcoming events for these programs (or the programs that prepare for these
    careers), sessions about the college as a whole included, with their seats left. One
    query, however many events, programs or registrations there are."""
    events = Event.objects.upcoming().select_related("campus")
    if programs is not None or roles is not None:
        about = Q(programs__isnull=True)
        if programs is not None:
            about |= Q(programs__in=programs)
        if roles is not None:
            about |= Q(programs__careers__in=roles)
        ids = Event.objects.filter(about).values("pk")
        events = events.filter(pk__in=ids)
    return list(events.annotate(seats_taken=_seats_taken()).order_by("starts_at", "id")[:limit])
