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
    path("lectures/<int:pk>/scoring/", views.scoring_view, name="scoring"),
    path("lectures/<int:pk>/scoring/<str:action>/", views.scoring_action_view,
         name="scoring_action"),
    path("lectures/ranking/", views.ranking_view, name="ranking"),
    path("lectures/weights/", views.scheme_view, name="scheme"),
    path("vote/", views.audience_vote_view, name="vote"),
    path("mentoring/", views.mentoring_view, name="mentoring"),
    path("mentoring/new/", views.pair_add_view, name="pair_add"),
    path("mentoring/<int:pk>/", views.pair_detail_view, name="pair"),
    path("mentoring/<int:pk>/check-ins/", views.checkin_add_view, name="checkin_add"),
    path("mentoring/<int:pk>/evaluations/", views.evaluation_add_view, name="evaluation_add"),
    path("mentoring/<int:pk>/close/", views.pair_close_view, name="pair_close"),
    path("rotation/", views.rotation_view, name="rotation"),
    path("ledgers/", views.ledgers_view, name="ledgers"),
    path("ledgers/mine/", views.ledger_mine_view, name="ledger_mine"),
    path("ledgers/<int:pk>/", views.ledger_view, name="ledger"),
    path("topics/", views.topics_view, name="topics"),
    path("topics/new/", views.topic_add_view, name="topic_add"),
    path("topics/<int:pk>/", views.topic_detail_view, name="topic"),
    path("topics/<int:pk>/<str:part>/", views.topic_edit_view, name="topic_edit"),
    path("competitions/", views.competitions_view, name="competitions"),
    path("competitions/new/", views.competition_add_view, name="competition_add"),
    path("competitions/<int:pk>/", views.competition_detail_view, name="competition"),
    path("competitions/<int:pk>/<str:part>/", views.competition_edit_view,
         name="competition_edit"),
    path("trainings/", views.trainings_view, name="trainings"),
    path("trainings/export.xlsx", views.trainings_export_view, name="trainings_export"),
    path("trainings/new/", views.training_add_view, name="training_add"),
    path("trainings/<int:pk>/", views.training_detail_view, name="training"),
    path("trainings/<int:pk>/summary/", views.summary_submit_view, name="summary_submit"),
]
