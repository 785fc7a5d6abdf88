from django.conf import settings


def site(request):
    """The institution's name and the page's canonical address (no query string)."""
    return {
        "institution_name": settings.INSTITUTION_NAME,
        "canonical_url": request.build_absolute_uri(request.path),
    }
