from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("plans/", views.plan_list_view, name="plans"),
    path("plans/new/", views.plan_add_view, name="plan_add"),
    path("plans/<int:pk>/", views.plan_detail_view, name="plan"),
    path("plans/<int:pk>/settings/", views.plan_settings_view, name="plan_settings"),
    path("plans/<int:pk>/groups/", views.plan_groups_view, name="plan_groups"),
    path("plans/<int:pk>/indicators/", views.indicator_add_view, name="indicator_add"),
    path("indicators/<int:pk>/delete/", views.indicator_delete_view, name="indicator_delete"),
    path("plans/<int:pk>/open/", views.plan_open_view, name="plan_open"),
    path("plans/<int:pk>/close/", views.plan_close_view, name="plan_close"),
    path("plans/<int:pk>/template/", views.plan_template_view, name="plan_template"),
    path("plans/<int:pk>/codes/", views.codes_view, name="codes"),
    path("plans/<int:pk>/progress/", views.progress_view, name="progress"),
    path("plans/<int:pk>/score/<slug:group>/", views.score_view, name="score"),
    path("plans/<int:pk>/outsider/", views.outsider_view, name="outsider"),
    path("plans/<int:pk>/results/", views.results_view, name="results"),
    path("plans/<int:pk>/results/export.xlsx", views.results_export_view,
         name="results_export"),
    path("results/<int:pk>/", views.result_view, name="result"),
    path("results/<int:pk>/veto/", views.veto_view, name="veto"),
    path("plans/<int:pk>/vetoes/", views.vetoes_view, name="vetoes"),
    path("results/<int:pk>/adjust/", views.adjust_view, name="adjust"),
    path("results/<int:pk>/gap/", views.gap_decide_view, name="gap_decide"),
    path("results/<int:pk>/feedback/", views.feedback_view, name="feedback"),
    path("results/<int:pk>/acknowledge/", views.acknowledge_view, name="acknowledge"),
    path("results/<int:pk>/appeal/", views.appeal_view, name="appeal"),
    path("results/<int:pk>/appeal/answer/", views.appeal_answer_view, name="appeal_answer"),
    path("templates/", views.templates_view, name="templates"),
    path("notes/", views.notes_view, name="notes"),
    path("history/", views.history_view, name="history"),
    path("person/<int:pk>/", views.person_tab_view, name="person_tab"),
    path("consequences/", views.consequences_view, name="consequences"),
    path("consequences/export.xlsx", views.consequences_export_view,
         name="consequences_export"),
    path("consequences/rules/", views.consequence_rule_view, name="consequence_rule"),
    path("consequences/reward/", views.consequence_reward_view, name="consequence_reward"),
]
