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
            # Each proxy of ours appends the address it saw; anything before the first of
            # them the client could forge. With a CDN in front of the load balancer that is
            # two hops from the end (TRUSTED_PROXY_HOPS=2).
            return hops[-min(settings.TRUSTED_PROXY_HOPS, len(hops))]
    # None, not a placeholder: axes stores the address in an inet column on PostgreSQL.
    return request.META.get("REMOTE_ADDR") or None
