"""The home page, the notices and one's own background jobs, at the site root (no
namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("notices/", views.notices_view, name="notices"),
    path("notices/read/", views.notices_read_view, name="notices_read"),
    path("notices/<int:pk>/open/", views.notice_open_view, name="notice_open"),
    path("jobs/<int:pk>/", views.job_view, name="job"),
    path("jobs/<int:pk>/status/", views.job_status_view, name="job_status"),
    path("jobs/<int:pk>/file/", views.job_file_view, name="job_file"),
]
