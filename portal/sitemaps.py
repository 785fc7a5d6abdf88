"""The sitemap: every published public page and nothing else, with lastmod where known."""

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from programs.models import Program
from roles.models import Comparison, Role


def _latest(*moments):
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


class PortalSitemap(Sitemap):
    """Lists addresses on the host the sitemap was asked on, as the canonical links do.

    Search engines accept only addresses on the sitemap's own host, and the host is already
    checked against ALLOWED_HOSTS, so it is safer than a Site row that may lag behind.
    """

    def __init__(self, site=None):
        self.site = site

    def get_domain(self, site=None):
        return super().get_domain(self.site or site)


def _newest(queryset):
    return queryset.aggregate(newest=Max("updated_at"))["newest"]


class IndexPageSitemap(PortalSitemap):
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


class CareerSitemap(PortalSitemap):
    def items(self):
        return Role.objects.published()

    def lastmod(self, career):
        return career.updated_at


class ComparisonSitemap(PortalSitemap):
    """Curated comparisons only: any other pair is a computed page, reachable but unlisted."""

    def items(self):
        return Comparison.objects.published().select_related("left", "right")

    def lastmod(self, comparison):
        # The page shows both careers' data too: an edit to either changes it.
        return _latest(
            comparison.updated_at, comparison.left.updated_at, comparison.right.updated_at
        )


class ProgramSitemap(PortalSitemap):
    def items(self):
        return Program.objects.published()

    def lastmod(self, program):
        return program.updated_at


class InstitutionPageSitemap(PortalSitemap):
    def items(self):
        return FlatPage.objects.filter(sites=settings.SITE_ID, registration_required=False)


SITEMAPS = {
    "pages": IndexPageSitemap,
    "careers": CareerSitemap,
    "comparisons": ComparisonSitemap,
    "programs": ProgramSitemap,
    "institution": InstitutionPageSitemap,
}
