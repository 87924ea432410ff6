"""Signing in and out and one's own account settings, at the site root (no namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.login_verify_view, name="login_verify"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change_view, name="password_change"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/two-factor/", views.two_factor_view, name="two_factor"),
    path("settings/two-factor/recovery-codes/", views.two_factor_recovery_codes_view,
         name="two_factor_recovery_codes"),
    path("settings/two-factor/remove/", views.two_factor_remove_view,
         name="two_factor_remove"),
    path("settings/tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
]
