from django.urls import path
from django.utils.translation import gettext_lazy as _

from visits import booking_views, views

app_name = "visits"

urlpatterns = [
    path("", views.event_list, name="event-list"),
    path("<int:pk>-<slug:slug>/", views.event_detail, name="event-detail"),
    path(_("thanks/"), views.thanks, name="thanks"),
    path(_("booking/<str:token>/"), booking_views.booking, name="booking"),
    path(_("booking/<str:token>/cancel/"), booking_views.booking_cancel, name="booking-cancel"),
]
