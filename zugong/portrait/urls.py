from django.urls import path

from . import views

app_name = "portrait"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("people/", views.people_view, name="people"),
    path("people/<int:pk>/", views.person_view, name="person"),
    path("people/<int:pk>/portrait.pdf", views.person_pdf_view, name="person_pdf"),
    path("compare/", views.compare_view, name="compare"),
    path("department/", views.department_view, name="department"),
    path("rules/", views.rules_view, name="rules"),
    path("rules/new/", views.rule_add_view, name="rule_add"),
    path("rules/<int:pk>/", views.rule_edit_view, name="rule_edit"),
    path("person/<int:pk>/", views.person_tab_view, name="person_tab"),
]
