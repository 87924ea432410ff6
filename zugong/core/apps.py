from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zugong.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # Login successes and failures happen inside django.contrib.auth; its signals are
        # the only hook there, so auditing them is wired here (not domain logic).
        from . import (
            auth_audit,  # noqa: F401
            tasks,  # noqa: F401
        )
