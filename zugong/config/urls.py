"""The URL root: the language switch, each app's URLs from the registry, and the API."""

from django.urls import include, path
from django.views.i18n import set_language

from zugong.core import registry

from .api import api

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    *(path(prefix, include(module)) for prefix, module in registry.url_modules()),
    path("api/v1/", api.urls),
]

handler403 = "zugong.core.views.error_403"
handler404 = "zugong.core.views.error_404"
handler500 = "zugong.core.views.error_500"
