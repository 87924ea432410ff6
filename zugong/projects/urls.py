from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.list_view, name="list"),
    path("export.xlsx", views.export_view, name="export"),
    path("new/", views.declare_view, name="declare"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/classify/", views.classify_view, name="classify"),
    path("<int:pk>/fund/", views.fund_view, name="fund"),
    path("<int:pk>/finish/", views.finish_view, name="finish"),
    path("<int:pk>/follow-up/", views.followup_view, name="followup"),
    path("ideas/", views.ideas_view, name="ideas"),
    path("ideas/export.xlsx", views.ideas_export_view, name="ideas_export"),
    path("ideas/<int:pk>/", views.idea_view, name="idea"),
    path("ideas/<int:pk>/review/", views.idea_review_view, name="idea_review"),
    path("adoptions/", views.adoptions_view, name="adoptions"),
    path("adoptions/export.xlsx", views.adoptions_export_view, name="adoptions_export"),
    path("coverage/", views.coverage_view, name="coverage"),
    path("rules/", views.rules_view, name="rules"),
]
