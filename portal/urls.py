from importlib import import_module

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, include, path, re_path
from django.utils.translation import gettext_lazy as _

from portal import views
from portal.formcache import cached_form_page
from portal.pagecache import cached_public_page


def with_page_cache(urlconf: str, *, cached: set[str]):
    """`include(urlconf)`, with the public page cache wrapped around the views named in
    `cached` (Django's per-view caching in the URLconf, over a whole app's patterns).

    Only views whose page is the same for every visitor and every query string may be
    named here; the others (forms, the comparison picker) are included as they are.
    """
    module = import_module(urlconf)
    patterns = [
        URLPattern(pattern.pattern, cached_public_page(pattern.callback), name=pattern.name)
        if pattern.name in cached
        else pattern
        for pattern in module.urlpatterns
    ]
    unknown = cached - {pattern.name for pattern in patterns}
    if unknown:
        raise ValueError(f"{urlconf} has no views named {sorted(unknown)}")
    return include((patterns, module.app_name))


def with_form_page_cache(urlconf: str, *, name: str):
    """`include(urlconf)`, its form view `name` serving the unsent form from a rendered
    shell (portal/formcache.py); the other views as they are."""
    module = import_module(urlconf)
    patterns = [
        URLPattern(pattern.pattern, cached_form_page(pattern.callback), name=pattern.name)
        if pattern.name == name
        else pattern
        for pattern in module.urlpatterns
    ]
    if name not in {pattern.name for pattern in patterns}:
        raise ValueError(f"{urlconf} has no view named {name!r}")
    return include((patterns, module.app_name))


# Addresses that are the same in every language: monitors, crawlers, staff, cards.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("og/<str:token>.png", views.og_image, name="og-image"),
    path("admin/", admin.site.urls),
    path("sitemap.xml", cached_public_page(views.sitemap_xml), name="sitemap"),
    path("robots.txt", cached_public_page(views.robots_txt), name="robots"),
]

# The public pages, in English at their usual addresses and in Spanish under /es/ with the
# address words translated (locale/es/LC_MESSAGES/django.po: "careers/" -> "carreras/").
urlpatterns += i18n_patterns(
    path("", cached_public_page(views.home), name="home"),
    path(
        "",
        with_page_cache(
            "roles.urls",
            cached={"career-list", "career-detail", "comparison-index", "comparison-detail"},
        ),
    ),
    path(
        _("programs/"),
        with_page_cache("programs.urls", cached={"program-list", "program-detail"}),
    ),
    path(_("request-info/"), with_form_page_cache("inquiries.urls", name="request-info")),
    path(_("visit/"), with_page_cache("visits.urls", cached={"event-list"})),
    path(_("appointments/"), include("appointments.urls")),
    # Institution pages (About, Accreditation, Privacy...) edited in the admin as flat pages.
    # Keep this catch-all last: any other address ending in "/" must match first.
    re_path(r"^(?P<url>.+/)$", cached_public_page(views.institution_page), name="institution-page"),
    prefix_default_language=False,
)

handler400 = "portal.views.bad_request"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
