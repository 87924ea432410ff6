from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.person_list_view, name="list"),
    path("export.xlsx", views.person_export_view, name="export"),
    path("new/", views.person_create_view, name="create"),
    path("<int:pk>/", views.person_detail_view, name="detail"),
    path("<int:pk>/delete/", views.person_delete_view, name="delete"),
    path("<int:pk>/edit/", views.person_edit_view, name="edit"),
    path("<int:pk>/photo/", views.person_photo_view, name="photo"),
    path("<int:pk>/<slug:kind>/add/", views.subrecord_add_view, name="subrecord_add"),
    path("<int:pk>/<slug:kind>/<int:item>/delete/", views.subrecord_delete_view,
         name="subrecord_delete"),
    path("units/", views.unit_tree_view, name="units"),
    path("units/new/", views.unit_create_view, name="unit_create"),
    path("units/<int:pk>/edit/", views.unit_edit_view, name="unit_edit"),
    path("accounts/", views.account_list_view, name="accounts"),
    path("accounts/<int:pk>/roles/", views.account_roles_view, name="account_roles"),
    path("accounts/<int:pk>/active/", views.account_active_view, name="account_active"),
    path("accounts/<int:pk>/tokens/<int:token_pk>/revoke/", views.account_token_revoke_view,
         name="account_token_revoke"),
    path("accounts/<int:pk>/unlock/", views.account_unlock_view, name="account_unlock"),
    path("accounts/<int:pk>/2fa-reset/", views.account_2fa_reset_view,
         name="account_2fa_reset"),
    path("roles/<int:pk>/revoke/", views.role_revoke_view, name="role_revoke"),
]
