"""The site's languages as staff read them: an inquiry's form language by its English name."""

from django.utils.translation import get_language_info


def language_name(code: str) -> str:
    """A language's English name for staff ("Spanish"); the code itself if it is unknown."""
    try:
        return get_language_info(code)["name"]
    except KeyError:
        return code
