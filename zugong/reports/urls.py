from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("figures/", views.figures_view, name="figures"),
    path("figures/export.xlsx", views.figures_export_view, name="figures_export"),
    path("figures/print.pdf", views.figures_pdf_view, name="figures_pdf"),
    path("figures/<str:key>/", views.figure_detail_view, name="figure"),
    path("rollup/", views.rollup_view, name="rollup"),
    path("rollup/refresh/", views.rollup_refresh_view, name="rollup_refresh"),
    path("annual/", views.annual_view, name="annual"),
    path("annual/report.docx", views.annual_docx_view, name="annual_docx"),
    path("annual/template/", views.annual_template_view, name="annual_template"),
    path("catalogue/", views.catalogue_view, name="catalogue"),
    path("catalogue/new/", views.figure_add_view, name="figure_add"),
    path("catalogue/<int:pk>/", views.figure_edit_view, name="figure_edit"),
]
