from django.urls import path

from . import views

app_name = "service"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("visits/", views.visits_view, name="visits"),
    path("visits/export.xlsx", views.visits_export_view, name="visits_export"),
    path("visits/new/", views.visit_add_view, name="visit_add"),
    path("visits/<int:pk>/", views.visit_detail_view, name="visit"),
    path("problems/", views.problems_view, name="problems"),
    path("problems/export.xlsx", views.problems_export_view, name="problems_export"),
    path("problems/new/", views.problem_add_view, name="problem_add"),
    path("problems/<int:pk>/", views.problem_detail_view, name="problem"),
    path("problems/<int:pk>/assign/", views.problem_assign_view, name="problem_assign"),
    path("problems/<int:pk>/solve/", views.problem_solve_view, name="problem_solve"),
    path("problems/<int:pk>/rate/", views.problem_rate_view, name="problem_rate"),
    path("problems/<int:pk>/code/", views.problem_code_view, name="problem_code"),
    path("rate/", views.public_rate_view, name="public_rate"),
    path("deliveries/", views.deliveries_view, name="deliveries"),
    path("deeds/", views.deeds_view, name="deeds"),
    path("deeds/<int:pk>/", views.deed_status_view, name="deed_status"),
    path("pairings/", views.pairings_view, name="pairings"),
    path("pairings/points/new/", views.point_add_view, name="point_add"),
    path("pairings/households/new/", views.household_add_view, name="household_add"),
    path("pairings/<str:kind>/<int:pk>/end/", views.pairing_end_view, name="pairing_end"),
    path("liaisons/", views.liaisons_view, name="liaisons"),
    path("experts/", views.experts_view, name="experts"),
    path("orders/", views.orders_view, name="orders"),
    path("orders/export.xlsx", views.orders_export_view, name="orders_export"),
    path("orders/<int:pk>/", views.order_detail_view, name="order"),
    path("orders/<int:pk>/match/", views.order_match_view, name="order_match"),
    path("orders/<int:pk>/deliver/", views.order_deliver_view, name="order_deliver"),
    path("orders/<int:pk>/rate/", views.order_rate_view, name="order_rate"),
    path("coverage/", views.coverage_view, name="coverage"),
    path("coverage/export.xlsx", views.coverage_export_view, name="coverage_export"),
    path("rules/", views.rules_view, name="rules"),
    path("person/<int:pk>/", views.person_tab_view, name="person_tab"),
]
