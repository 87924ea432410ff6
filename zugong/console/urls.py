from django.urls import path

from . import views

app_name = "console"

urlpatterns = [
    path("setup/", views.setup_view, name="setup"),
    path("setup/<int:pk>/link/", views.setup_link_view, name="setup_link"),
    path("audit/", views.audit_view, name="audit"),
    path("audit/verify/", views.audit_verify_view, name="audit_verify"),
    path("audit/<int:seq>/values/", views.audit_values_view, name="audit_values"),
    path("person/<int:pk>/history/", views.person_history_view, name="person_history"),
    path("jobs/", views.jobs_view, name="jobs"),
    path("dictionaries/", views.dictionaries_view, name="dictionaries"),
    path("recycle/", views.recycle_view, name="recycle"),
    path("recycle/<int:pk>/restore/", views.recycle_restore_view, name="recycle_restore"),
    path("recycle/<int:pk>/erase/", views.recycle_erase_view, name="recycle_erase"),
    path("dictionaries/save/", views.dictionary_save_view, name="dictionary_save"),
]
