"""The home page and the notices, at the site root (no namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("notices/", views.notices_view, name="notices"),
    path("notices/read/", views.notices_read_view, name="notices_read"),
    path("notices/<int:pk>/open/", views.notice_open_view, name="notice_open"),
]
