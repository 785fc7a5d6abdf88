"""The consent wording the request-info form shows beside its checkbox, in the page's
language, stored verbatim with each inquiry, and its version."""

import hashlib

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

# Bump a language's number when its wording below changes; the stored version also carries
# a digest of the exact text, so two wordings can never share a version.
CONSENT_VERSIONS = {"en": "1", "es": "1"}


def consent_text() -> str:
    """The consent wording shown beside the checkbox, in the active language."""
    return gettext(
        "Yes, %(institution)s may call me or send me text messages about its programs at the "
        "phone number I gave, including by automated means. Consent is not a condition of "
        "enrollment or of buying anything, I can withdraw it at any time, and message and "
        "data rates may apply."
    ) % {"institution": settings.INSTITUTION_NAME}


def consent_version() -> str:
    """The wording's version in the active language: `v1-<digest>` for English (as before
    the site had other languages), `v1-es-<digest>` for Spanish."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language not in CONSENT_VERSIONS:
        language = settings.LANGUAGE_CODE
    digest = hashlib.sha256(consent_text().encode()).hexdigest()[:8]
    number = CONSENT_VERSIONS[language]
    if language == settings.LANGUAGE_CODE:
        return f"v{number}-{digest}"
    return f"v{number}-{language}-{digest}"
