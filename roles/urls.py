from django.urls import path

from roles import views

app_name = "roles"

urlpatterns = [
    path("careers/", views.career_list, name="career-list"),
    path("careers/<slug:slug>/", views.career_detail, name="career-detail"),
    path("compare/", views.comparison_index, name="comparison-index"),
    path("compare/choose/", views.comparison_pick, name="comparison-pick"),
    path("compare/<slug:slugs>/", views.comparison_detail, name="comparison-detail"),
]
