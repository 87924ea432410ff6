from django.urls import path

from . import views

app_name = "talks"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("new/", views.talk_add_view, name="talk_add"),
    path("list/", views.talk_list_view, name="list"),
    path("list/export.xlsx", views.talk_export_view, name="export"),
    path("<int:pk>/", views.talk_detail_view, name="talk"),
    path("<int:pk>/confirm/", views.talk_confirm_view, name="talk_confirm"),
    path("<int:pk>/delete/", views.talk_delete_view, name="talk_delete"),
    path("follow-ups/<int:pk>/done/", views.followup_done_view, name="followup_done"),
    path("coverage/", views.coverage_view, name="coverage"),
    path("coverage/export.xlsx", views.coverage_export_view, name="coverage_export"),
    path("rules/", views.rules_view, name="rules"),
    path("rules/<int:pk>/retire/", views.rule_retire_view, name="rule_retire"),
    path("events/", views.events_view, name="events"),
    path("events/move/", views.unit_change_view, name="unit_change"),
    path("visits/", views.visit_plan_view, name="visits"),
    path("visits/terms/new/", views.term_add_view, name="term_add"),
    path("visits/new/", views.visit_add_view, name="visit_add"),
    path("visits/export.xlsx", views.visit_export_view, name="visits_export"),
    path("visits/<int:pk>/", views.visit_detail_view, name="visit"),
    path("visits/<int:pk>/delete/", views.visit_delete_view, name="visit_delete"),
    path("visits/problems/<int:pk>/", views.problem_view, name="problem"),
    path("visits/flags/<int:pk>/", views.flags_view, name="flags"),
    path("person/<int:pk>/", views.person_tab_view, name="person_tab"),
]
