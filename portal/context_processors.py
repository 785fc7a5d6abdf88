from django.conf import settings
from django.db import DatabaseError
from django.utils.functional import SimpleLazyObject

from portal import pagecache
from programs.selectors import first_active_campus

# The footer's campus, read once per content version in each process: every page shows it,
# and any content change (portal/freshness.py) moves the version on. (version, campus).
_contact_campus: list = [None, None]


def contact_campus():
    """The campus the footer gives for contact; None when there is none, or when the
    database cannot be reached (the footer of an error page must still render)."""
    try:
        version = pagecache.content_version()
    except Exception:  # e.g. Redis down: read it, as pages are then rendered afresh
        version = None
    if version is not None and _contact_campus[0] == version:
        return _contact_campus[1]
    try:
        campus = first_active_campus()
    except DatabaseError:
        return None
    if version is not None:
        _contact_campus[:] = [version, campus]
    return campus


def site(request):
    """The institution's name, the page's canonical address (no query string) and the campus
    the footer gives for contact, read only when a template shows it."""
    return {
        "institution_name": settings.INSTITUTION_NAME,
        "canonical_url": request.build_absolute_uri(request.path),
        "contact_campus": SimpleLazyObject(contact_campus),
    }
