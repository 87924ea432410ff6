from django.urls import path

from . import views

app_name = "ability"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("lectures/", views.lectures_view, name="lectures"),
    path("lectures/export.xlsx", views.lectures_export_view, name="lectures_export"),
    path("lectures/new/", views.lecture_add_view, name="lecture_add"),
    path("lectures/<int:pk>/", views.lecture_detail_view, name="lecture"),
    path("lectures/<int:pk>/edit/", views.lecture_edit_view, name="lecture_edit"),
]
