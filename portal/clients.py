from django.conf import settings


def client_ip(request) -> str | None:
    """The visitor's address: REMOTE_ADDR, or behind our own proxy the hop it appended.

    Shared by the request-info rate limit and django-axes' login lockout, so that behind a
    load balancer neither mistakes every visitor for the balancer itself.
    """
    if settings.BEHIND_TLS_PROXY:
        hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
        hops = [hop for hop in hops if hop]
        if hops:
            # The proxy appends the address it saw; anything before it the client could forge.
            return hops[-1]
    # None, not a placeholder: axes stores the address in an inet column on PostgreSQL.
    return request.META.get("REMOTE_ADDR") or None
