"""Core's own URL: the health check, open to monitors without a sign-in."""

from django.urls import path

from . import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
]
