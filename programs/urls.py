from django.urls import path

from programs import views

app_name = "programs"

urlpatterns = [
    path("", views.program_list, name="program-list"),
    path("<slug:slug>/", views.program_detail, name="program-detail"),
]
