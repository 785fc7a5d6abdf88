"""The sitemap: every published public page and nothing else, with lastmod where known."""

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from programs.models import Program
from roles.models import Comparison, Role


class PortalSitemap(Sitemap):
    """Lists addresses on the host the sitemap was asked on, as the canonical links do.

    Search engines accept only addresses on the sitemap's own host, and the host is already
    checked against ALLOWED_HOSTS, so it is safer than a Site row that may lag behind.
    """

    def __init__(self, site=None):
        self.site = site

    def get_domain(self, site=None):
        return super().get_domain(self.site or site)


class IndexPageSitemap(PortalSitemap):
    """The home page and the section index pages; they change with their content."""

    def items(self):
        return ["home", "roles:career-list", "roles:comparison-index", "programs:program-list"]

    def location(self, url_name):
        return reverse(url_name)


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
        return comparison.updated_at


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
