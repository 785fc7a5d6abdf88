from django.urls import path
from django.utils.translation import gettext_lazy as _

from appointments import views

app_name = "appointments"

urlpatterns = [
    path("", views.book, name="book"),
    path(_("for/<str:token>/"), views.book_as, name="book-as"),
    path(_("my-appointment/<str:token>/"), views.manage, name="manage"),
]
