from django.urls import path

from . import views

app_name = "care"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("activities/", views.activities_view, name="activities"),
    path("activities/export.xlsx", views.activities_export_view, name="activities_export"),
    path("activities/new/", views.activity_add_view, name="activity_add"),
    path("activities/<int:pk>/", views.activity_detail_view, name="activity"),
    path("activities/<int:pk>/join/", views.activity_join_view, name="activity_join"),
    path("birthdays/", views.birthdays_view, name="birthdays"),
    path("birthdays/mark/", views.birthday_mark_view, name="birthday_mark"),
    path("leave/", views.leave_view, name="leave"),
    path("leave/new/", views.leave_add_view, name="leave_add"),
    path("health/", views.health_view, name="health"),
    path("health/new/", views.health_add_view, name="health_add"),
    path("health/<int:pk>/", views.health_detail_view, name="health_record"),
    path("hardship/", views.hardships_view, name="hardships"),
    path("hardship/new/", views.hardship_add_view, name="hardship_add"),
    path("hardship/<int:pk>/", views.hardship_detail_view, name="hardship"),
    path("hardship/<int:pk>/close/", views.hardship_close_view, name="hardship_close"),
    path("person/<int:pk>/", views.person_tab_view, name="person_tab"),
]
