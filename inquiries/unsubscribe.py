"""The unsubscribe page every email to a prospect links to (and names in its
List-Unsubscribe header): showing it changes nothing, since mail scanners open links; a POST
withdraws the consent, from the page's button or from a mail program's one-click request
(RFC 8058), which carries no CSRF token: the signed token in the address is the authority."""

from django.core import signing
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from inquiries.models import Channel, Inquiry
from inquiries.services import consent

# What the page says is stopped, for each channel a link can carry.
STOPS = {
    Channel.EMAIL: _("emails"),
    Channel.PHONE: _("phone calls"),
    Channel.TEXT: _("text messages"),
}


def masked_address(address: str) -> str:
    """Enough of an address for its owner to recognise it, not enough to read it out."""
    local, at, domain = address.rpartition("@")
    if not at or not local:
        return ""
    return f"{local[0]}•••@{domain}"


def _refused(request, *, reason: str, status: int):
    return render(request, "inquiries/unsubscribe.html", {"state": reason}, status=status)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    try:
        inquiry_id, channel = consent.read_unsubscribe_token(token)
    except signing.SignatureExpired:
        return _refused(request, reason="expired", status=400)
    except signing.BadSignature:
        return _refused(request, reason="invalid", status=400)
    inquiry = Inquiry.objects.filter(pk=inquiry_id).first()
    if inquiry is None:  # erased on request since the email was sent
        return _refused(request, reason="gone", status=404)
    if request.method == "POST":
        consent.unsubscribe(inquiry=inquiry, channel=channel)
        state = "done"
    else:
        state = "confirm" if consent.has_consent(inquiry, channel) else "already"
    context = {
        "state": state,
        "stops": STOPS[channel],
        "address": masked_address(inquiry.email) if channel == Channel.EMAIL else "",
    }
    return render(request, "inquiries/unsubscribe.html", context)
