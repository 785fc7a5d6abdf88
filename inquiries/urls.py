from django.urls import path

from inquiries import unsubscribe, views

app_name = "inquiries"

urlpatterns = [
    path("", views.request_info, name="request-info"),
    path("thanks/", views.thanks, name="thanks"),
    path("unsubscribe/<str:token>/", unsubscribe.unsubscribe, name="unsubscribe"),
]
