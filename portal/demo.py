"""Demo content: each app contributes a loader; `load_demo_content` runs them in order."""

from django.conf import settings
from django.contrib.sites.models import Site

from programs.demo import load_institution_pages, load_programs
from roles.demo import load_demo_roles


def load_site() -> str:
    Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": settings.ALLOWED_HOSTS[0], "name": settings.INSTITUTION_NAME},
    )
    return f"site: {settings.INSTITUTION_NAME}"


LOADERS = [load_site, load_demo_roles]
# Programs link to careers and certifications, so they load after the roles loader.
LOADERS += [load_programs, load_institution_pages]


def load_demo_content() -> list[str]:
    """Run every loader; each is idempotent, so running this twice changes nothing."""
    return [loader() for loader in LOADERS]
