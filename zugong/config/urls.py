from django.urls import include, path
from django.views.i18n import set_language

from zugong.core import views as core_views
from zugong.people import views as people_views

from .api import api

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", people_views.login_view, name="login"),
    path("login/verify/", people_views.login_verify_view, name="login_verify"),
    path("logout/", people_views.logout_view, name="logout"),
    path("password/", people_views.password_change_view, name="password_change"),
    path("settings/", people_views.settings_view, name="settings"),
    path("settings/two-factor/", people_views.two_factor_view, name="two_factor"),
    path("settings/two-factor/recovery-codes/", people_views.two_factor_recovery_codes_view,
         name="two_factor_recovery_codes"),
    path("settings/two-factor/remove/", people_views.two_factor_remove_view,
         name="two_factor_remove"),
    path("settings/tokens/<int:pk>/revoke/", people_views.token_revoke_view,
         name="token_revoke"),
    path("notices/", core_views.notices_view, name="notices"),
    path("notices/read/", core_views.notices_read_view, name="notices_read"),
    path("notices/<int:pk>/open/", core_views.notice_open_view, name="notice_open"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("people/", include("zugong.people.urls")),
    path("learning/", include("zugong.learning.urls")),
    path("talks/", include("zugong.talks.urls")),
    path("assessment/", include("zugong.assessment.urls")),
    path("tasks/", include("zugong.tasks.urls")),
    path("system/", include("zugong.core.urls")),
    path("interop/", include("zugong.interop.urls")),
    path("api/v1/", api.urls),
]

handler403 = "zugong.core.views.error_403"
handler404 = "zugong.core.views.error_404"
handler500 = "zugong.core.views.error_500"
