"""The consent wording the request-info form shows beside its checkbox, stored verbatim
with each inquiry, and its version."""

import hashlib

from django.conf import settings

# Bump when the wording below changes; the stored version also carries a digest of the
# exact text, so two wordings can never share a version.
CONSENT_VERSION = "1"


def consent_text() -> str:
    """The consent wording shown beside the checkbox, stored verbatim with each inquiry."""
    return (
        f"Yes, {settings.INSTITUTION_NAME} may call me or send me text messages about its "
        "programs at the phone number I gave, including by automated means. Consent is not "
        "a condition of enrollment or of buying anything, I can withdraw it at any time, "
        "and message and data rates may apply."
    )


def consent_version() -> str:
    digest = hashlib.sha256(consent_text().encode()).hexdigest()[:8]
    return f"v{CONSENT_VERSION}-{digest}"
