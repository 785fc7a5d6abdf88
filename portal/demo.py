"""Demo content: each app contributes a loader; `load_demo_content` runs them in order."""

from django.conf import settings
from django.contrib.sites.models import Site


def load_site() -> str:
    Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": settings.ALLOWED_HOSTS[0], "name": settings.INSTITUTION_NAME},
    )
    return f"site: {settings.INSTITUTION_NAME}"


LOADERS = [load_site]


def load_demo_content() -> list[str]:
    """Run every loader; each is idempotent, so running this twice changes nothing."""
    return [loader() for loader in LOADERS]
