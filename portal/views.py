import hashlib
import html
from types import SimpleNamespace
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sitemaps import views as sitemaps_views
from django.contrib.sites.requests import RequestSite
from django.core import signing
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from inquiries import expired
from portal import ogimage
from portal.i18n import address_in_right_words
from portal.sitemaps import SITEMAPS, institution_page_url
from programs.models import Program
from roles import selectors as role_selectors
from roles.slugs import by_any_slug

# A card's address changes with its title, so a week is safe; a redesign shows within it.
OG_IMAGE_MAX_AGE = 7 * 24 * 60 * 60


@require_safe
def home(request):
    roles = list(role_selectors.career_cards())
    context = {
        "roles": roles,
        "comparisons": role_selectors.featured_comparisons(roles),
        "programs": Program.objects.published(),
    }
    return render(request, "portal/home.html", context)


@never_cache
@require_safe
def healthz(request):
    """Liveness and readiness for monitors: a real round trip to the database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
@require_safe
def ping(request):
    """Liveness without the database: the app server itself answers."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def sitemap_xml(request):
    """Every published public page for search engines (see portal/sitemaps.py)."""
    host = RequestSite(request)
    return sitemaps_views.sitemap(
        request, sitemaps={name: sitemap(host) for name, sitemap in SITEMAPS.items()}
    )


@require_safe
def robots_txt(request):
    """Crawlers may read every public page; staff and thank-you pages stay out."""
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        *(f"Disallow: {_in_language(code, 'inquiries:thanks')}" for code, _ in settings.LANGUAGES),
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def _in_language(language: str, name: str) -> str:
    with translation.override(language):
        return reverse(name)


@require_safe
def institution_page(request, url):
    """An institution page (About, Accreditation, Privacy...) edited as a flat page.

    Unlike django.contrib.flatpages' own view it is cached like every public page, never
    touches the session or CSRF token, and treats pages that need a login as not found.
    """
    pages = FlatPage.objects.filter(sites=settings.SITE_ID, registration_required=False)
    page = by_any_slug(pages, f"/{url}", field="url")
    if page is None:
        # Not a page: perhaps another page's address in the other language's words.
        target = address_in_right_words(request.path_info)
        if target:
            return redirect(target, permanent=True)
        raise Http404("No such page.")
    if page.url != f"/{url}":
        return redirect(institution_page_url(page), permanent=True)
    description = Truncator(html.unescape(strip_tags(page.content))).words(30)
    # The content is HTML written by content staff in the admin. (Not written back onto the
    # page: in Spanish that would fill its Spanish column with the English fallback.)
    content = mark_safe(page.content)  # noqa: S308
    templates = [name for name in (page.template_name, "flatpages/default.html") if name]
    context = {
        "flatpage": page,
        "content": content,
        "description": description,
        "i18n_object": SimpleNamespace(get_absolute_url=lambda: institution_page_url(page)),
    }
    return render(request, templates, context)


def bad_request(request, exception):
    if isinstance(exception, DisallowedHost):
        # The pages build absolute links (canonical, other languages) from the Host header,
        # which here is not one of ours: this one names the site by its own address.
        site = urlsplit(settings.SITE_URL)
        request.get_host = lambda: site.netloc
        request.META["wsgi.url_scheme"] = site.scheme
    return render(request, "400.html", status=400)


def page_not_found(request, exception):
    """The site's 404; or, for an address written in the other language's words
    (`/es/careers/...`), a redirect to the same page in the address's language."""
    if request.method in ("GET", "HEAD"):
        target = address_in_right_words(request.path_info)
        if target:
            return redirect(target, permanent=True)
    return render(request, "404.html", {"is_error_page": True}, status=404)


def csrf_failure(request, reason=""):
    """A form sent without a valid security token (CSRF_FAILURE_VIEW): the request-info form
    comes back with everything typed, to send again; any other, the site's 403 page."""
    try:
        view_name = resolve(request.path_info).view_name
    except Resolver404:
        view_name = ""
    if request.method == "POST" and view_name == "inquiries:request-info":
        return expired.resend_page(request)
    return render(request, "403_csrf.html", {"is_error_page": True}, status=403)


def server_error(request):
    return render(request, "500.html", {"is_error_page": True}, status=500)


@require_safe
def og_image(request, token):
    """A page's Open Graph card (portal/ogimage.py): drawn once, then served from the cache.

    The address is a signed token of the title, so it never changes for a given title and
    browsers, CDNs and social networks may keep the picture; an unsigned token is not found.
    """
    try:
        title = ogimage.title_from_token(token)
    except signing.BadSignature:
        raise Http404("No such card") from None
    png = ogimage.card_png(title)
    response = HttpResponse(png, content_type="image/png")
    patch_cache_control(response, public=True, max_age=OG_IMAGE_MAX_AGE)
    response["ETag"] = f'"{hashlib.sha256(png).hexdigest()[:32]}"'
    return get_conditional_response(request, etag=response["ETag"], response=response)
