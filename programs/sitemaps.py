"""The programs app's public pages in the sitemap, which portal/sitemaps.py assembles."""

from django.contrib.sitemaps import Sitemap

from programs.models import Program


class ProgramSitemap(Sitemap):
    def items(self):
        return Program.objects.published()

    def lastmod(self, program):
        return program.updated_at
