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
    # Rule sets: the installation's defaults, and each department's set in force.
    path("rules/", views.rules_view, name="rules"),
    path("rules/default/", views.ruleset_view, name="rules_default"),
    path("rules/default/new/", views.rule_add_view, name="default_rule_add"),
    path("rules/default/<int:pk>/", views.rule_edit_view, name="default_rule_edit"),
    path("rules/<int:dept>/", views.ruleset_view, name="ruleset"),
    path("rules/<int:dept>/new/", views.rule_add_view, name="rule_add"),
    path("rules/<int:dept>/reset/", views.ruleset_reset_view, name="ruleset_reset"),
    path("rules/<int:dept>/<int:pk>/", views.rule_edit_view, name="rule_edit"),
    # The 五型机关 mapping, kept the same way.
    path("types/", views.types_view, name="types"),
    path("types/default/", views.typeset_view, name="types_default"),
    path("types/default/<slug:kind>/", views.type_edit_view, name="default_type_edit"),
    path("types/<int:dept>/", views.typeset_view, name="typeset"),
    path("types/<int:dept>/reset/", views.typeset_reset_view, name="typeset_reset"),
    path("types/<int:dept>/<slug:kind>/", views.type_edit_view, name="type_edit"),
    path("person/<int:pk>/", views.person_tab_view, name="person_tab"),
]
