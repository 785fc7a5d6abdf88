"""The sitemap: every published public page and nothing else, with lastmod where known.

Each app with public pages owns its sitemap class (`roles/sitemaps.py`,
`programs/sitemaps.py`); the project lists its own pages and assembles them all here.
"""

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from programs.models import Program
from programs.sitemaps import ProgramSitemap
from roles.models import Comparison, Role
from roles.sitemaps import CareerSitemap, ComparisonSitemap


def _latest(*moments):
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


class OnRequestHost:
    """Lists addresses on the host the sitemap was asked on, as the canonical links do.

    Search engines accept only addresses on the sitemap's own host, and the host is already
    checked against ALLOWED_HOSTS, so it is safer than a Site row that may lag behind.
    """

    def __init__(self, site=None):
        super().__init__()
        self.site = site

    def get_domain(self, site=None):
        return super().get_domain(self.site or site)


def on_request_host(sitemap_class):
    """`sitemap_class`, built with the request's host (see `OnRequestHost`)."""
    return type(sitemap_class.__name__, (OnRequestHost, sitemap_class), {})


class EveryLanguage:
    """Each page once per language, with `hreflang` alternates (and x-default: English)."""

    i18n = True
    alternates = True
    x_default = True


def _newest(queryset):
    return queryset.aggregate(newest=Max("updated_at"))["newest"]


class IndexPageSitemap(EveryLanguage, Sitemap):
    """The home page and the section index pages; they change with their content."""

    def items(self):
        careers = _newest(Role.objects.published())
        comparisons = _newest(Comparison.objects.published())
        programs = _newest(Program.objects.published())
        self._lastmod = {
            "home": _latest(careers, comparisons, programs),
            "roles:career-list": careers,
            "roles:comparison-index": _latest(careers, comparisons),
            "programs:program-list": programs,
        }
        return list(self._lastmod)

    def location(self, url_name):
        return reverse(url_name)

    def lastmod(self, url_name):
        return self._lastmod[url_name]


def institution_page_url(page: FlatPage) -> str:
    """A flat page's address in the active language (its own `get_absolute_url` knows no
    language prefix)."""
    return reverse("institution-page", args=[page.url.lstrip("/")])


class InstitutionPageSitemap(EveryLanguage, Sitemap):
    def items(self):
        return FlatPage.objects.filter(sites=settings.SITE_ID, registration_required=False)

    def location(self, page):
        return institution_page_url(page)


def in_every_language(sitemap_class):
    return type(sitemap_class.__name__, (EveryLanguage, sitemap_class), {})


SITEMAPS = {
    "pages": on_request_host(IndexPageSitemap),
    "careers": on_request_host(in_every_language(CareerSitemap)),
    "comparisons": on_request_host(in_every_language(ComparisonSitemap)),
    "programs": on_request_host(in_every_language(ProgramSitemap)),
    "institution": on_request_host(InstitutionPageSitemap),
}
