"""The roster at the door: the admin pages a representative checks people in on, from a
phone, for one event (wired into the event admin's URLs by `visits.admin`).

Admissions staff only (managers and representatives: the groups that may see
registrations). Every change is a POST to a service in `visits.services.attendance`, then back
to the roster where the person was, the search kept.
"""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST, require_safe

from visits.models import Attendance, Event, RegistrationStatus
from visits.services import attendance


def may_use_roster(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm("visits.view_registration")


def _event(request, event_id: int) -> Event:
    if not may_use_roster(request.user):
        raise PermissionDenied
    return get_object_or_404(Event.objects.select_related("campus"), pk=event_id)


def _back(event: Event, query: str, anchor: str = "") -> HttpResponseRedirect:
    url = reverse("admin:visits_event_roster", args=[event.pk])
    if query:
        url += "?" + urlencode({"q": query})
    return HttpResponseRedirect(url + (f"#{anchor}" if anchor else ""))


@require_safe
def roster_view(request, event_id: int, *, model_admin):
    """The confirmed people, by last name, with their guests and a check-in button each;
    `?q=` narrows it by name or email (three queries)."""
    event = _event(request, event_id)
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED)
    query = request.GET.get("q", "").strip()[:100]
    people = confirmed.select_related("checked_in_by").order_by("last_name", "first_name", "id")
    if query:
        people = people.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
        )
    totals = confirmed.aggregate(
        people=Count("id"),
        seats=Sum("guests"),
        attended=Count("id", filter=Q(attendance=Attendance.ATTENDED)),
        no_shows=Count("id", filter=Q(attendance=Attendance.NO_SHOW)),
    )
    totals["seats"] = (totals["seats"] or 0) + totals["people"]
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Roster: {event.title}",
        "opts": model_admin.opts,
        "event": event,
        "people": list(people),
        "query": query,
        "totals": totals,
        "started": event.starts_at <= timezone.now(),
        "unmarked": totals["people"] - totals["attended"] - totals["no_shows"],
    }
    return TemplateResponse(request, "admin/visits/event/roster.html", context)


@require_POST
def mark_view(request, event_id: int, registration_id: int, action: str):
    """Check one person in ("check-in") or take it back ("undo")."""
    event = _event(request, event_id)
    registration = get_object_or_404(event.registrations, pk=registration_id)
    query = request.POST.get("q", "")
    try:
        if action == "check-in":
            changed = attendance.check_in(registration=registration, by=request.user)
            message = f"Checked in {registration}." if changed else f"{registration} was in."
        elif action == "undo":
            changed = attendance.undo_check_in(registration=registration, by=request.user)
            message = f"Check-in of {registration} undone." if changed else "Nothing to undo."
        else:
            raise PermissionDenied
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, message)
    return _back(event, query, anchor=f"registration-{registration.pk}")


@require_POST
def no_shows_view(request, event_id: int):
    """After the start: everyone not checked in is a no-show, with a follow-up."""
    event = _event(request, event_id)
    try:
        marked = attendance.mark_no_shows(event=event, by=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request,
            f"Marked {marked} no-show{'s' if marked != 1 else ''}; each has a follow-up on "
            "the next working day.",
        )
    return _back(event, "")


def urls(model_admin) -> list:
    """The roster's admin URLs, for `EventAdmin.get_urls`."""
    wrap = model_admin.admin_site.admin_view
    return [
        path(
            "<int:event_id>/roster/",
            wrap(partial(roster_view, model_admin=model_admin)),
            name="visits_event_roster",
        ),
        path(
            "<int:event_id>/roster/no-shows/",
            wrap(no_shows_view),
            name="visits_event_roster_no_shows",
        ),
        path(
            "<int:event_id>/roster/<int:registration_id>/<slug:action>/",
            wrap(mark_view),
            name="visits_event_roster_mark",
        ),
    ]
