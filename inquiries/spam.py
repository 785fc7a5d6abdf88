"""The fill-time check that keeps bots out of the queue: the request-info form carries a
signed timestamp, and a submission sent sooner than a person could type is a bot's.

(The form's other quiet check, the honeypot field, lives on the form itself.)
"""

from django.conf import settings
from django.core import signing

FILL_STAMP_SALT = "inquiries.request-info.fill-token"
FILL_STAMP_VALUE = "request-info"


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=FILL_STAMP_SALT)


def issue_fill_token() -> str:
    """A signed timestamp for the form, so that the submission can tell how long it took."""
    return _signer().sign(FILL_STAMP_VALUE)


def fill_time_spam_signal(token: str) -> str:
    """Judge the signed timestamp: '' for a person, else why it looks like a bot.

    A person needs a few seconds (INQUIRY_MIN_FILL_SECONDS) to read and fill the form; a
    script does not. A token younger than that still unsigns within `max_age`, which is how
    a too-fast submission shows itself; an expired token means the form was open a while,
    which is what people do (even for days), so it passes. A forged token is a bot's.
    """
    if not token:
        return "missing_token"
    min_fill_seconds = settings.INQUIRY_MIN_FILL_SECONDS
    try:
        value = _signer().unsign(token, max_age=min_fill_seconds if min_fill_seconds > 0 else None)
    except signing.SignatureExpired:
        return ""
    except signing.BadSignature:
        return "bad_token"
    if value != FILL_STAMP_VALUE:
        return "bad_token"
    return "too_fast" if min_fill_seconds > 0 else ""
