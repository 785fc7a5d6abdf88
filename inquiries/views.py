import logging
import re
import time

from django.conf import settings
from django.core import signing
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from inquiries import formpage
from inquiries.cleaning import attribution_initial
from inquiries.clients import over_rate_limit
from inquiries.emails import RESPONSE_TIME, contact_promise
from inquiries.forms import RequestInfoForm, consent_text, consent_version
from inquiries.services import capture
from programs.models import Program

logger = logging.getLogger(__name__)

# What the thank-you page repeats back (first name, program, how we will reach them) travels
# in a signed cookie of the prospect's own rather than a session: a submission then writes no
# session row, and nothing of a prospect's is left to expire on the server.
THANKS_COOKIE = "inquiry_thanks"
THANKS_SALT = "inquiries.thanks"
THANKS_MAX_AGE = 60 * 60
_SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]{1,100}$")
# The name of the form's other button: show the form in another language, keeping its values.
SWITCH_LANGUAGE = "switch_language"


def _typed_values(request) -> dict:
    """What was typed into the form, as the initial values of an unsent form."""
    return {name: request.POST.get(name, "") for name in RequestInfoForm.base_fields}


def _program_slug(request) -> str:
    slug = request.GET.get("program", "")
    return slug if _SLUG_RE.match(slug) else ""


def _requested_program(request) -> dict:
    """The program `?program=<slug>` preselects, as initial data. An unknown or unpublished
    slug is ignored: the visitor simply chooses."""
    if slug := _program_slug(request):
        return {"program": Program.objects.published().filter(slug=slug).first()}
    return {}


def _initial(request) -> dict:
    return {**attribution_initial(request), **_requested_program(request)}


def form_shell_key(request) -> tuple:
    """What the shell of the unsent form page depends on (inquiries/formpage.py), besides
    the content: the language, the program asked for, the address the page names itself by
    (its canonical and language links are absolute) and the footer's year."""
    return (
        request.LANGUAGE_CODE,
        _program_slug(request),
        request.scheme,
        request.get_host(),
        time.localtime().tm_year,  # Django sets the process's zone to TIME_ZONE
    )


def render_form_shell(request) -> formpage.FormPageShell | None:
    """The unsent form page with placeholders for the visitor's own values."""
    slots = formpage.placeholders()
    initial = {name: slots[name] for name in formpage.SLOTS if name != formpage.CSRF_SLOT}
    form = RequestInfoForm(initial={**initial, **_requested_program(request)})
    context = {
        "form": form,
        "switch_name": SWITCH_LANGUAGE,
        "csrf_token": slots[formpage.CSRF_SLOT],
    }
    return formpage.cut(render(request, "inquiries/request_info.html", context))


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def request_info(request, programs=None):
    """`programs`: the form's `offered_programs()` if the project keeps them per content
    version (portal/formcache.py); the form reads them otherwise."""
    if request.method == "POST" and SWITCH_LANGUAGE in request.POST:
        # The page in another language, everything typed kept, nothing sent or judged yet:
        # the form posts here (the other language's address) instead of sending.
        form = RequestInfoForm(initial=_typed_values(request), programs=programs)
    elif request.method == "POST":
        form = RequestInfoForm(data=request.POST, programs=programs)
        # Only submissions that would be recorded count: a person correcting typos is never
        # turned away, and an invalid post writes nothing.
        if form.is_valid() and over_rate_limit(request):
            # The form again, as typed, so that nothing the person wrote is lost.
            response = render(
                request,
                "inquiries/request_info.html",
                {
                    "form": form,
                    "switch_name": SWITCH_LANGUAGE,
                    "retry_minutes": max(settings.INQUIRY_RATE_WINDOW_SECONDS // 60, 1),
                },
                status=429,
            )
            response["Retry-After"] = str(settings.INQUIRY_RATE_WINDOW_SECONDS)
            return response
        if form.is_valid():
            submission = form.submission(language=request.LANGUAGE_CODE)
            inquiry = capture.record_inquiry(
                submission=submission,
                spam=form.spam,
                consent_text=consent_text(),
                consent_version=consent_version(),
            )
            details = {
                "first_name": submission.first_name,
                "program": submission.program.name if submission.program else "",
                "contact_method": submission.contact_method,
            }
            logger.info("Request-info submission recorded on inquiry %s", inquiry.pk)
            response = redirect("inquiries:thanks")
            response.set_cookie(
                THANKS_COOKIE,
                signing.dumps(details, salt=THANKS_SALT, compress=True),
                max_age=THANKS_MAX_AGE,
                path=reverse("inquiries:thanks"),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
            return response
    else:
        shell = render_form_shell(request)
        if shell is not None:
            return formpage.fill_in(shell, request)
        form = RequestInfoForm(initial=_initial(request), programs=programs)
    return render(
        request, "inquiries/request_info.html", {"form": form, "switch_name": SWITCH_LANGUAGE}
    )


@never_cache
@require_safe
def thanks(request):
    """What happens next. Showing it again (refresh, back) records nothing."""
    try:
        details = signing.loads(
            request.COOKIES.get(THANKS_COOKIE, ""), salt=THANKS_SALT, max_age=THANKS_MAX_AGE
        )
    except signing.BadSignature:  # none, expired or tampered with: the general wording
        details = {}
    if not isinstance(details, dict):
        details = {}
    if details.get("contact_method"):  # in the words of the page's language
        details["contact_promise"] = contact_promise(details["contact_method"])
    return render(
        request,
        "inquiries/thanks.html",
        {"details": details, "response_time": RESPONSE_TIME},
    )
