"""The booking pages: choose a time and book it, book as a known inquiry from a signed link,
and see, move or cancel a booking from the signed link in its emails.

Every page here holds a form or a person's booking, so none is cached.
"""

import logging

from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from appointments import links, selectors, services
from appointments.forms import BookingForm, RescheduleForm, initial_from_inquiry
from appointments.models import BookingStatus
from inquiries.phones import national_format
from programs.models import Program
from visits import limits

logger = logging.getLogger(__name__)


def _link_problem(request, *, expired: bool):
    """A tampered, mangled or expired link: say so plainly, and offer the way forward."""
    if expired:
        message = _(
            "This link has expired: the appointment has already started, or the link is too old."
        )
    else:
        message = _("This link is not valid. Please use the link exactly as it is in your email.")
    return render(
        request,
        "appointments/link_problem.html",
        {"message": message},
        status=410 if expired else 400,
    )


def _program(request, inquiry=None):
    slug = request.GET.get("program", "")
    if slug:
        return Program.objects.published().filter(slug=slug).first()
    return inquiry.program if inquiry is not None else None


def _booking_page(request, *, inquiry=None):
    program = _program(request, inquiry)
    slots = selectors.open_slots(program=program)
    limited = False
    if request.method == "POST":
        form = BookingForm(data=request.POST, slots=slots)
        # Each booking emails the address typed: the public forms' limit per client address.
        limited = form.is_valid() and limits.over_limit(request, form)
        if not limited and form.is_valid():
            try:
                booking = services.book(
                    **form.booking_details(),
                    program=program,
                    inquiry=inquiry,
                    language=translation.get_language(),
                )
            except ValidationError as refused:
                form.add_service_errors(refused)
                form.open_slots = selectors.open_slots(program=program)  # as they are now
            else:
                if booking is None:  # held as possible spam: nothing booked yet
                    return render(request, "appointments/requested.html", {})
                logger.info("Appointment booking %s on slot %s", booking.pk, booking.slot_id)
                return HttpResponseRedirect(links.manage_path(booking) + "?booked=1")
    else:
        initial = initial_from_inquiry(inquiry) if inquiry is not None else {}
        initial["slot"] = request.GET.get("slot", "")
        form = BookingForm(initial=initial, slots=slots)
    response = render(
        request,
        "appointments/book.html",
        {
            "form": form,
            "program": program,
            "days": selectors.by_day(form.open_slots),
            "known_person": inquiry is not None,
            "rate_limited": limited,
        },
    )
    return limits.too_many(response) if limited else response


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def book(request):
    """The open times (for `?program=<slug>` and any program) and the booking form."""
    return _booking_page(request)


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def book_as(request, token: str):
    """The booking page from a signed link: prefilled, and the booking joins that inquiry."""
    try:
        inquiry = links.read_book_token(token)
    except links.LinkExpired:
        return _link_problem(request, expired=True)
    except signing.BadSignature:
        return _link_problem(request, expired=False)
    return _booking_page(request, inquiry=inquiry)


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token: str):
    """One booking from the signed link in its emails: its details, another time, cancel."""
    try:
        booking = links.read_manage_token(token)
    except links.LinkExpired:
        return _link_problem(request, expired=True)
    except signing.BadSignature:
        return _link_problem(request, expired=False)
    slots = selectors.open_slots(excluding=booking.slot) if booking.is_live else []
    form = RescheduleForm()
    cancelled_now = False
    if request.method == "POST" and booking.is_live:
        if "cancel" in request.POST:
            services.cancel(booking=booking)
            return HttpResponseRedirect(request.path + "?cancelled=1")
        form = RescheduleForm(data=request.POST)
        if form.is_valid():
            try:
                moved = services.reschedule(booking=booking, slot=form.cleaned_data["slot"])
            except ValidationError as refused:
                form.add_service_errors(refused)
                slots = selectors.open_slots(excluding=booking.slot)
            else:
                return HttpResponseRedirect(links.manage_path(moved) + "?moved=1")
    elif request.GET.get("cancelled"):
        cancelled_now = booking.status == BookingStatus.CANCELLED
    moved_to = booking.rescheduled_to
    return render(
        request,
        "appointments/manage.html",
        {
            "booking": booking,
            "slot": booking.slot,
            "form": form,
            "days": selectors.by_day(slots),
            "just_booked": bool(request.GET.get("booked")) and booking.is_live,
            "just_moved": bool(request.GET.get("moved")) and booking.is_live,
            "cancelled_now": cancelled_now,
            "moved_to_url": links.manage_path(moved_to) if moved_to else "",
            "phone": national_format(booking.phone) if booking.phone else "",
            "book_again_url": links.booking_path(booking.inquiry) if booking.inquiry else "",
        },
    )
