import logging
from urllib.parse import unquote

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.shortcuts import render

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """Answer a friendly 503 instead of a 500 while the database cannot be reached.

    Django reconnects on the next request by itself (CONN_HEALTH_CHECKS), so the site
    recovers without a restart when the database comes back. A failed form submission
    rolls back with its transaction, so nothing is left half-written. Public pages already
    in the page cache go on being served meanwhile: the cache is read before the view
    touches the database. The page itself needs no database: no user, no session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable: %s", exception)
        # Anything but a read may have been a submission: say that nothing of it was kept.
        context = {"was_submission": request.method not in ("GET", "HEAD", "OPTIONS")}
        response = render(request, "503.html", context, status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response


class RequestSanityMiddleware:
    """Refuse, with the site's own error pages, requests no page can answer:

    - a NUL character in the path (404) or the query string (400): PostgreSQL refuses NUL
      in text, so a lookup with one would fail as a 500 deep in a view or an admin filter;
    - a form body declaring a charset other than UTF-8 (400): every form of the site is UTF-8,
      and Django would otherwise decode the body with the declared codec (an unknown one
      fails as a 500, even inside the CSRF check of its 400 view).
    """

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return render(request, "404.html", status=404)
        if "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            return _bad_request(request)
        if request.content_type in self.FORM_TYPES:
            charset = (request.content_params.get("charset") or "utf-8").lower()
            if charset.replace("-", "").replace("_", "") != "utf8":
                return _bad_request(request)
        return self.get_response(request)


def _bad_request(request):
    response = render(request, "400.html", status=400)
    response["Cache-Control"] = "no-store"
    return response


class ResponseHardeningMiddleware:
    """Headers every response carries, and files the static folder must never serve.

    `Cross-Origin-Resource-Policy: same-origin` keeps other sites from embedding our
    responses (Django sets Cross-Origin-Opener-Policy itself). `staticfiles.json` (the
    manifest of every collected file) and source maps are build artefacts, not pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_url = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        path = request.path
        if path.startswith(self.static_url) and (
            path.endswith(".map") or path.rsplit("/", 1)[-1] == "staticfiles.json"
        ):
            response = render(request, "404.html", status=404)
        else:
            response = self.get_response(request)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
