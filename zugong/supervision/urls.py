from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("measures/", views.measures_view, name="measures"),
    path("measures/export.xlsx", views.measures_export_view, name="measures_export"),
    path("measures/new/", views.measure_add_view, name="measure_add"),
    path("measures/<int:pk>/", views.measure_detail_view, name="measure"),
    path("measures/<int:pk>/reply/", views.measure_reply_view, name="measure_reply"),
    path("reports/", views.reports_view, name="reports"),
    path("reports/new/", views.report_add_view, name="report_add"),
    path("reports/<int:pk>/", views.report_detail_view, name="report"),
    path("reports/<int:pk>/check/", views.report_check_view, name="report_check"),
    path("integrity/", views.integrity_view, name="integrity"),
    path("integrity/sign/", views.commitment_sign_view, name="commitment_sign"),
    path("integrity/package/", views.package_record_view, name="package_record"),
    path("integrity/self-checks/new/", views.selfcheck_add_view, name="selfcheck_add"),
    path("integrity/self-checks/<int:pk>/", views.selfcheck_view, name="selfcheck"),
    path("integrity/overview/", views.integrity_overview_view, name="integrity_overview"),
    path("integrity/ratings/", views.ratings_view, name="ratings"),
    path("integrity/ratings/export.xlsx", views.ratings_export_view, name="ratings_export"),
    path("integrity/studies/", views.studies_view, name="studies"),
    path("integrity/studies/<int:pk>/", views.study_view, name="study"),
    path("archive/", views.archive_view, name="archive"),
    path("archive/new/", views.archive_add_view, name="archive_add"),
    path("archive/<int:pk>/", views.archive_request_view, name="archive_request"),
    path("archive/<int:pk>/decide/", views.archive_decide_view, name="archive_decide"),
    path("archive/<int:pk>/read/", views.archive_read_view, name="archive_read"),
    path("archive/person/<int:pk>/", views.political_archive_view, name="political_archive"),
    path("leads/", views.leads_view, name="leads"),
    path("leads/export.xlsx", views.leads_export_view, name="leads_export"),
    path("leads/<int:pk>/", views.lead_view, name="lead"),
    path("observations/", views.observations_view, name="observations"),
    path("warnings/", views.warnings_view, name="warnings"),
    path("person/<int:pk>/", views.person_tab_view, name="person_tab"),
]
