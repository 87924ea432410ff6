from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("records/", views.record_list_view, name="records"),
    path("records/export.xlsx", views.record_export_view, name="records_export"),
    path("records/review/", views.record_review_view, name="record_review"),
    path("records/<slug:kind>/new/", views.record_add_view, name="record_add"),
    path("records/<slug:kind>/<int:pk>/", views.record_detail_view, name="record"),
    path("records/<slug:kind>/<int:pk>/delete/", views.record_delete_view,
         name="record_delete"),
    path("records/note/<int:pk>/photos/<int:photo_pk>/", views.note_photo_view,
         name="note_photo"),
    path("records/writing/<int:pk>/file/", views.writing_file_view, name="writing_file"),
    path("person/<int:pk>/", views.person_tab_view, name="person_tab"),
    path("compliance/", views.compliance_view, name="compliance"),
    path("compliance/export.xlsx", views.compliance_export_view, name="compliance_export"),
    path("regime/", views.regime_view, name="regime"),
    path("regime/new/", views.regime_create_view, name="regime_create"),
    path("regime/settings/", views.regime_settings_view, name="regime_settings"),
    path("regime/rules/new/", views.rule_add_view, name="rule_add"),
    path("regime/rules/<int:pk>/change/", views.rule_change_view, name="rule_change"),
    path("regime/rules/<int:pk>/retire/", views.rule_retire_view, name="rule_retire"),
    path("regime/calendar/", views.calendar_view, name="calendar"),
    path("regime/exemptions/new/", views.exemption_add_view, name="exemption_add"),
    path("first-topic/", views.first_topic_view, name="first_topics"),
    path("reading/", views.reading_list_view, name="reading"),
    path("materials/", views.material_list_view, name="materials"),
    path("materials/<int:pk>/file/", views.material_file_view, name="material_file"),
    path("copies/", views.copy_list_view, name="copies"),
    path("copies/<int:pk>/", views.copy_detail_view, name="copy"),
    path("copies/<int:pk>/review/", views.copy_review_view, name="copy_review"),
]
