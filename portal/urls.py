from django.contrib import admin
from django.urls import include, path, re_path

from portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("", include("roles.urls")),
    path("programs/", include("programs.urls")),
    path("request-info/", include("inquiries.urls")),
    path("admin/", admin.site.urls),
    path("sitemap.xml", views.sitemap_xml, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    # Institution pages (About, Accreditation, Privacy...) edited in the admin as flat pages.
    # Keep this catch-all last: any other address ending in "/" must match first.
    re_path(r"^(?P<url>.+/)$", views.institution_page, name="institution-page"),
]

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
