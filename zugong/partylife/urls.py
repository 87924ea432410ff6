from django.urls import path

from . import views

app_name = "partylife"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("meetings/", views.meetings_view, name="meetings"),
    path("meetings/new/", views.meeting_add_view, name="meeting_add"),
    path("meetings/<int:pk>/", views.meeting_detail_view, name="meeting"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes_view, name="meeting_minutes"),
    path("meetings/<int:pk>/attendance/", views.attendance_mark_view, name="attendance_mark"),
    path("meetings/<int:pk>/flow/<slug:step>/", views.meeting_flow_view, name="meeting_flow"),
    path("duties/", views.duties_view, name="duties"),
    path("problems/", views.problems_view, name="problems"),
    path("problems/new/", views.problem_add_view, name="problem_add"),
    path("problems/<int:pk>/", views.problem_detail_view, name="problem"),
    path("measures/", views.measures_view, name="measures"),
    path("measures/export.xlsx", views.measures_export_view, name="measures_export"),
    path("measures/<int:pk>/", views.measure_detail_view, name="measure"),
    path("measures/<int:pk>/submit/", views.measure_submit_view, name="measure_submit"),
    path("measures/<int:pk>/verify/", views.measure_verify_view, name="measure_verify"),
    path("coverage/", views.coverage_view, name="coverage"),
    path("coverage/rules/", views.rule_set_view, name="rule_set"),
    path("person/<int:pk>/", views.person_tab_view, name="person_tab"),
]
