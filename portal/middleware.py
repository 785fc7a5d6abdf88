import logging

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
