from django.urls import path

from . import views

app_name = "talent"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("talents/", views.talents_view, name="talents"),
    path("talents/export.xlsx", views.talents_export_view, name="talents_export"),
    path("talents/new/", views.talent_add_view, name="talent_add"),
    path("talents/<int:pk>/", views.talent_detail_view, name="talent"),
    path("talents/<int:pk>/evaluate/", views.talent_evaluate_view, name="talent_evaluate"),
    path("talents/<int:pk>/contacts/new/", views.contact_add_view, name="contact_add"),
    path("matters/", views.matters_view, name="matters"),
    path("matters/<int:pk>/solve/", views.matter_solve_view, name="matter_solve"),
    path("team/", views.team_view, name="team"),
    path("team/candidates/new/", views.candidate_add_view, name="candidate_add"),
    path("team/candidates/<int:pk>/", views.candidate_view, name="candidate"),
    path("team/proposals/new/", views.proposal_add_view, name="proposal_add"),
    path("team/proposals/<int:pk>/decide/", views.proposal_decide_view,
         name="proposal_decide"),
    path("team/rotations/new/", views.rotation_add_view, name="rotation_add"),
    path("team/rotations/<int:pk>/done/", views.rotation_done_view, name="rotation_done"),
    path("team/exits/new/", views.exit_add_view, name="exit_add"),
]
