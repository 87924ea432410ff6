from django.urls import path

from . import views

app_name = "tasks"

urlpatterns = [
    path("", views.mine_view, name="mine"),
    path("new/", views.task_add_view, name="task_add"),
    path("<int:pk>/", views.task_view, name="task"),
    path("<int:pk>/entries/<int:entry_pk>/evidence/", views.entry_evidence_view,
         name="entry_evidence"),
    path("<int:pk>/decide/", views.decide_view, name="decide"),
    path("<int:pk>/cancel/", views.cancel_view, name="cancel"),
    path("<int:pk>/delete/", views.task_delete_view, name="task_delete"),
    path("<int:pk>/carry/", views.carry_view, name="carry"),
    path("<int:pk>/backdate/", views.backdate_view, name="backdate"),
    path("<int:pk>/carry/approve/", views.carry_approve_view, name="carry_approve"),
    path("dispatch/", views.dispatch_view, name="dispatch"),
    path("targets/", views.targets_view, name="targets"),
    path("board/", views.board_view, name="board"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("overview/", views.overview_view, name="overview"),
    path("monthly/", views.monthly_view, name="monthly"),
    path("monthly/<int:pk>/signoff/", views.signoff_view, name="signoff"),
    path("monthly/<int:pk>/evidence/", views.monthly_evidence_view, name="monthly_evidence"),
    path("monthly/<int:pk>/approve/", views.approve_view, name="approve"),
    path("monthly/<int:pk>/delete/", views.monthly_delete_view, name="monthly_delete"),
    path("stocktakes/", views.stocktakes_view, name="stocktakes"),
    path("stocktakes/export.xlsx", views.stocktake_export_view, name="stocktake_export"),
    path("clearance/", views.clearance_view, name="clearance"),
    path("inquiries/", views.inquiries_view, name="inquiries"),
    path("inquiries/<int:pk>/close/", views.inquiry_close_view, name="inquiry_close"),
    path("inquiries/<int:pk>/code/", views.inquiry_code_view, name="inquiry_code"),
    path("rate/", views.inquiry_rate_view, name="inquiry_rate"),
    path("handover/", views.handover_view, name="handover"),
    path("export.xlsx", views.export_view, name="export"),
    path("person/<int:pk>/", views.person_tab_view, name="person_tab"),
]
