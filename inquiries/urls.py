from django.urls import path
from django.utils.translation import gettext_lazy as _

from inquiries import unsubscribe, views

app_name = "inquiries"

urlpatterns = [
    path("", views.request_info, name="request-info"),
    path(_("thanks/"), views.thanks, name="thanks"),
    path(_("unsubscribe/<str:token>/"), unsubscribe.unsubscribe, name="unsubscribe"),
]
