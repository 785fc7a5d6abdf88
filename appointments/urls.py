from django.urls import path

from appointments import views

app_name = "appointments"

urlpatterns = [
    path("", views.book, name="book"),
    path("for/<str:token>/", views.book_as, name="book-as"),
    path("booking/<str:token>/", views.manage, name="manage"),
]
