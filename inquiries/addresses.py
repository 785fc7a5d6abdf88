"""Which email addresses can be a prospect's: the form refuses the others, and the outbox
never sends a prospect's email to one, so the college's mail server cannot be pointed at an
address that no person reads (or at a machine, by its IP address)."""

import ipaddress

from django.utils.translation import gettext_lazy as _

# Top-level domains reserved so that they never reach the public internet (RFC 2606, RFC
# 6761, RFC 6762, RFC 7686, RFC 8375 and ICANN's .internal): mail there reaches nobody, or
# somebody's own network.
RESERVED_TLDS = frozenset(
    {"test", "example", "invalid", "localhost", "local", "onion", "internal", "arpa"}
)

NOT_A_PROSPECT_ADDRESS = _(
    "Enter the email address you read your mail at, such as name@gmail.com: we can only "
    "reply to an address with an ordinary domain name."
)


def _is_ip_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def is_prospect_address(address: str) -> bool:
    """True when the address could be a person's mailbox on the internet.

    Refused: an address literal (`x@[127.0.0.1]`), a bare IP address as the domain, a domain
    without a dot (`x@localhost`, `x@intranet`), and the reserved top-level domains.
    """
    local, at, domain = (address or "").strip().rpartition("@")
    if not at or not local:
        return False
    domain = domain.lower().removesuffix(".")
    if domain.startswith("[") or _is_ip_address(domain):
        return False
    labels = domain.split(".")
    if len(labels) < 2 or not all(labels):
        return False
    return labels[-1] not in RESERVED_TLDS
