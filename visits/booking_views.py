"""A booking's own pages, reached from the signed link in every visit email: see it, change
the guests or the date, cancel it.

The link is the authority (no login): a tampered one, or one whose event is over, gets a
page that says so, never an error. Showing a page changes nothing (mail scanners open
links); only a POST from its button changes or cancels, with the CSRF check.
"""

from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from visits import links, rebooking, services
from visits.booking_forms import BookingChangeForm
from visits.models import RegistrationStatus


def _refused(request, *, state: str):
    status = 410 if state == "expired" else 400
    return render(request, "visits/booking_invalid.html", {"state": state}, status=status)


def _registration_or_refusal(request, token: str):
    try:
        return links.read_booking_token(token), None
    except links.BookingLinkExpired:
        return None, _refused(request, state="expired")
    except signing.BadSignature:
        return None, _refused(request, state="invalid")


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def booking(request, token: str):
    registration, refusal = _registration_or_refusal(request, token)
    if refusal:
        return refusal
    cancelled = registration.status == RegistrationStatus.CANCELLED
    form = BookingChangeForm(
        data=request.POST if request.method == "POST" and not cancelled else None,
        registration=registration,
    )
    if form.is_bound and form.is_valid():
        try:
            rebooking.change_registration(
                registration=registration,
                guests=form.cleaned_data["guests"],
                event=form.cleaned_data["event"],
            )
        except ValidationError as refused:
            form.add_service_errors(refused)
        else:
            return redirect(reverse("visits:booking", kwargs={"token": token}) + "?changed=1")
    return render(
        request,
        "visits/booking.html",
        {
            "registration": registration,
            "event": registration.event,
            "form": form,
            "cancelled": cancelled,
            "changed": request.GET.get("changed") == "1" and not form.is_bound,
            "token": token,
        },
    )


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def booking_cancel(request, token: str):
    registration, refusal = _registration_or_refusal(request, token)
    if refusal:
        return refusal
    already = registration.status == RegistrationStatus.CANCELLED
    if request.method == "POST" and not already:
        services.cancel(registration=registration)
        registration.refresh_from_db()
        state = "done"
    else:
        state = "already" if already else "confirm"
    return render(
        request,
        "visits/booking_cancel.html",
        {"registration": registration, "event": registration.event, "state": state, "token": token},
    )
