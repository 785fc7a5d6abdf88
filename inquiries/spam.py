"""How much a request-info submission looks like a bot's: signals that add to a score.

No single weak sign decides. Browser autofill fills a whole form in a second, people paste a
link, some use a throwaway address: each is one point, and only a score of
INQUIRY_SPAM_HOLD_SCORE (3) or a certain sign (the honeypot, a field no person sees) holds an
inquiry for a manager's review. A held inquiry is kept, never dropped: "Not spam" releases it
as if it had just arrived.
"""

import dataclasses
import re

from disposable_email_domains import blocklist as DISPOSABLE_DOMAINS
from django.conf import settings
from django.core import signing

FILL_STAMP_SALT = "inquiries.request-info.fill-token"
FILL_STAMP_VALUE = "request-info"

# Points per signal; the honeypot is certain and holds on its own.
CERTAIN = "honeypot"
WEIGHTS = {
    "bad_token": 2,  # a fill token that was not ours: forged or mangled
    "link_in_name": 2,
    "many_links": 2,  # four or more links in the message
    "missing_token": 1,
    "too_fast": 1,
    "links": 1,  # two or three links in the message
    "disposable_email": 1,
}
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


@dataclasses.dataclass(frozen=True)
class SpamCheck:
    """The signals a submission showed and what they add up to."""

    signals: tuple[str, ...] = ()

    @property
    def score(self) -> int:
        if CERTAIN in self.signals:
            return max(settings.INQUIRY_SPAM_HOLD_SCORE, 1)
        return sum(WEIGHTS.get(signal, 0) for signal in self.signals)

    @property
    def held(self) -> bool:
        return bool(self.signals) and self.score >= settings.INQUIRY_SPAM_HOLD_SCORE

    def __str__(self):
        return ", ".join(self.signals)


NO_SIGNALS = SpamCheck()


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=FILL_STAMP_SALT)


def issue_fill_token() -> str:
    """A signed timestamp for the form, so that the submission can tell how long it took."""
    return _signer().sign(FILL_STAMP_VALUE)


def fill_time_signal(token: str) -> str:
    """Judge the signed timestamp: '' when nothing is odd, else the signal's name.

    A person needs a few seconds (INQUIRY_MIN_FILL_SECONDS) to read and fill the form, unless
    the browser fills it for them; a script needs none. A token younger than that still
    unsigns within `max_age`, which is how a quick submission shows itself; an expired token
    means the form was open a while, which is what people do (even for days).
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


def check_submission(
    *, honeypot: str, fill_token: str, email: str, names: tuple[str, ...], message: str
) -> SpamCheck:
    """Every signal the submission shows, in a fixed order."""
    signals = []
    if honeypot:
        signals.append(CERTAIN)
    if fill_signal := fill_time_signal(fill_token):
        signals.append(fill_signal)
    if any(_LINK.search(name) for name in names):
        signals.append("link_in_name")
    links = len(_LINK.findall(message))
    if links >= 4:
        signals.append("many_links")
    elif links >= 2:
        signals.append("links")
    if email.rpartition("@")[2].lower() in DISPOSABLE_DOMAINS:
        signals.append("disposable_email")
    return SpamCheck(signals=tuple(signals))
