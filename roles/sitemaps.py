"""The careers app's public pages in the sitemap, which portal/sitemaps.py assembles."""

from django.contrib.sitemaps import Sitemap

from roles.models import Comparison, Role


def _latest(*moments):
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


class CareerSitemap(Sitemap):
    def items(self):
        return Role.objects.published()

    def lastmod(self, career):
        return career.updated_at


class ComparisonSitemap(Sitemap):
    """Curated comparisons only: any other pair is a computed page, reachable but unlisted."""

    def items(self):
        return Comparison.objects.published().select_related("left", "right")

    def lastmod(self, comparison):
        # The page shows both careers' data too: an edit to either changes it.
        return _latest(
            comparison.updated_at, comparison.left.updated_at, comparison.right.updated_at
        )
