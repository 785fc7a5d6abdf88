from django.urls import path

from visits import views

app_name = "visits"

urlpatterns = [
    path("", views.event_list, name="event-list"),
    path("<int:pk>-<slug:slug>/", views.event_detail, name="event-detail"),
    path("thanks/", views.thanks, name="thanks"),
]
