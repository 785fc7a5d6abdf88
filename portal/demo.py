"""Demo content: each app contributes a loader; `load_demo_content` runs them in order."""

from django.conf import settings
from django.contrib.sites.models import Site
from django.utils import translation

from programs.demo import load_demo_translations as load_program_translations
from programs.demo import load_institution_pages, load_programs
from roles.demo import load_demo_roles
from roles.demo import load_demo_translations as load_role_translations


def load_site() -> str:
    Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": settings.ALLOWED_HOSTS[0], "name": settings.INSTITUTION_NAME},
    )
    return f"site: {settings.INSTITUTION_NAME}"


LOADERS = [load_site, load_demo_roles]
# Programs link to careers and certifications, so they load after the roles loader.
LOADERS += [load_programs, load_institution_pages]
# The Spanish edition of the same rows, found by their English keys.
LOADERS += [load_role_translations, load_program_translations]


def load_demo_content() -> list[str]:
    """Run every loader; each is idempotent, so running this twice changes nothing.

    In English whatever language is active: the loaders find rows by their English keys.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return [loader() for loader in LOADERS]
