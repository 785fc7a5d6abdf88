"""The public visit pages: upcoming events, an event with its registration form, thank you.

The list is the same for every visitor (the project may cache it whole: seats left then lag
by the cache's lifetime, the registration itself never). The event page carries the form and
its CSRF token, so it is never cached.
"""

import itertools
import logging

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from visits import limits, services
from visits.forms import RegistrationForm
from visits.models import Event, RegistrationStatus

logger = logging.getLogger(__name__)

THANKS_COOKIE = "visit_thanks"
THANKS_SALT = "visits.thanks"
THANKS_MAX_AGE = 60 * 60


def _events():
    return (
        Event.objects.with_seats_taken()
        .select_related("campus")
        .prefetch_related("programs")
        .order_by("campus__order", "campus__name", "starts_at", "id")
    )


@require_safe
def event_list(request):
    """Upcoming events, grouped by campus (online sessions last)."""
    events = list(_events().upcoming())
    events.sort(key=lambda event: event.is_online)  # stable: campus order kept
    groups = [
        (campus, list(group))
        for campus, group in itertools.groupby(events, key=lambda event: event.campus)
    ]
    return render(request, "visits/event_list.html", {"groups": groups})


def _structured_data(request, event: Event) -> dict:
    """schema.org Event, for search engines' event listings."""
    if event.is_online:
        location = {"@type": "VirtualLocation", "url": event.online_url}
        mode = "https://schema.org/OnlineEventAttendanceMode"
    else:
        campus = event.campus
        location = {
            "@type": "Place",
            "name": campus.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": campus.street_address,
                "addressLocality": campus.city,
                "addressRegion": campus.region,
                "postalCode": campus.postal_code,
                "addressCountry": "US",
            },
        }
        mode = "https://schema.org/OfflineEventAttendanceMode"
    status = (
        "https://schema.org/EventCancelled"
        if event.is_cancelled
        else "https://schema.org/EventScheduled"
    )
    url = request.build_absolute_uri(event.get_absolute_url())
    return {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.description,
        "startDate": event.local_starts_at.isoformat(),
        "endDate": event.local_ends_at.isoformat(),
        "eventStatus": status,
        "eventAttendanceMode": mode,
        "location": location,
        "isAccessibleForFree": True,
        "url": url,
        "organizer": {"@type": "CollegeOrUniversity", "name": settings.INSTITUTION_NAME},
        "offers": {
            "@type": "Offer",
            "price": "0",
            "priceCurrency": "USD",
            "url": url,
            "availability": (
                "https://schema.org/InStock" if event.seats_left else "https://schema.org/SoldOut"
            ),
        },
    }


def _closed_reason(event: Event) -> str:
    try:
        services.check_open(event)
    except ValidationError as refused:
        return refused.message_dict["event"][0]
    return ""


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def event_detail(request, pk: int, slug: str):
    event = get_object_or_404(_events().filter(is_published=True), pk=pk)
    if slug != event.slug:
        return redirect(event, permanent=True)
    form = RegistrationForm(data=request.POST if request.method == "POST" else None)
    # Only a valid registration counts; one over the limit keeps everything typed.
    limited = request.method == "POST" and form.is_valid() and limits.over_limit(request, form)
    if request.method == "POST" and not limited and form.is_valid():
        try:
            registration = services.register(
                event=event, language=request.LANGUAGE_CODE, **form.registration_details()
            )
        except ValidationError as refused:
            form.add_service_errors(refused)
            event = _events().get(pk=event.pk)  # seats as they are now
        else:
            logger.info("Visit registration %s for event %s", registration.pk, event.pk)
            details = {
                "first_name": registration.first_name,
                "status": registration.status,
                "seats": registration.seats,
                "event": event.pk,
            }
            response = redirect("visits:thanks")
            response.set_cookie(
                THANKS_COOKIE,
                signing.dumps(details, salt=THANKS_SALT, compress=True),
                max_age=THANKS_MAX_AGE,
                path=reverse("visits:thanks"),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
            return response
    response = render(
        request,
        "visits/event_detail.html",
        {
            "event": event,
            "form": form,
            "closed_reason": _closed_reason(event),
            "structured": _structured_data(request, event),
            "rate_limited": limited,
        },
    )
    return limits.too_many(response) if limited else response


@never_cache
@require_safe
def thanks(request):
    """Confirmed or waitlisted, and what happens next. Showing it again records nothing."""
    try:
        details = signing.loads(
            request.COOKIES.get(THANKS_COOKIE, ""), salt=THANKS_SALT, max_age=THANKS_MAX_AGE
        )
    except signing.BadSignature:
        details = {}
    if not isinstance(details, dict):
        details = {}
    event = (
        Event.objects.select_related("campus").filter(pk=details.get("event")).first()
        if isinstance(details.get("event"), int)
        else None
    )
    return render(
        request,
        "visits/thanks.html",
        {
            "details": details,
            "event": event,
            "confirmed": details.get("status") == RegistrationStatus.CONFIRMED,
            "waitlisted": details.get("status") == RegistrationStatus.WAITLISTED,
        },
    )
