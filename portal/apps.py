from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalConfig(AppConfig):
    name = "portal"
    default = True

    def ready(self):
        from portal import freshness

        freshness.watch_content_writes()


# Subclassed through its module: a class imported by name would count as this module's own.
class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the project's site (portal/admin.py) as the default site."""

    default = False
    default_site = "portal.admin.PortalAdminSite"
