"""The request-info form's limit per client address on the visit registration and booking
forms: each valid submission emails the address typed, so without it either form would mail
anyone without end. The count is the request-info form's own (`inquiries.clients
.over_rate_limit`, one counter per client address in the shared cache), so the three public
forms share one allowance."""

from django.conf import settings
from django.utils.translation import ngettext

from inquiries.clients import over_rate_limit


def over_limit(request, form) -> bool:
    """Count a valid submission against its client address. Over the limit, the form carries
    the message (everything typed kept) and True is returned: answer with `too_many`."""
    if not over_rate_limit(request):
        return False
    minutes = max(settings.INQUIRY_RATE_WINDOW_SECONDS // 60, 1)
    message = ngettext(
        "We have received several forms from your connection in a short time. Please wait "
        "%(minutes)s minute and send it again: everything you typed is still here.",
        "We have received several forms from your connection in a short time. Please wait "
        "%(minutes)s minutes and send it again: everything you typed is still here.",
        minutes,
    ) % {"minutes": minutes}
    form.add_error(None, message)
    return True


def too_many(response):
    """The page of a form over the limit, as HTTP 429 with when to try again."""
    response.status_code = 429
    response["Retry-After"] = str(settings.INQUIRY_RATE_WINDOW_SECONDS)
    return response
