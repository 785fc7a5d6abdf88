from django.conf import settings
from django.utils.functional import SimpleLazyObject

from programs.selectors import contact_campus


def site(request):
    """The institution's name, the page's canonical address (no query string) and the campus
    the footer gives for contact, read only when a template shows it."""
    return {
        "institution_name": settings.INSTITUTION_NAME,
        "canonical_url": request.build_absolute_uri(request.path),
        "contact_campus": SimpleLazyObject(contact_campus),
    }
