from django.conf import settings


def site(request):
    """The institution's name, for the header, footer and page titles."""
    return {"institution_name": settings.INSTITUTION_NAME}
