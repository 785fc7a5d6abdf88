from django.urls import path
from django.utils.translation import gettext_lazy as _

from roles import views

app_name = "roles"

urlpatterns = [
    path(_("careers/"), views.career_list, name="career-list"),
    path(_("careers/<slug:slug>/"), views.career_detail, name="career-detail"),
    path(_("compare/"), views.comparison_index, name="comparison-index"),
    path(_("compare/choose/"), views.comparison_pick, name="comparison-pick"),
    path(_("compare/<slug:slugs>/"), views.comparison_detail, name="comparison-detail"),
]
