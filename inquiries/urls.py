from django.urls import path

from inquiries import views

app_name = "inquiries"

urlpatterns = [
    path("", views.request_info, name="request-info"),
    path("thanks/", views.thanks, name="thanks"),
]
