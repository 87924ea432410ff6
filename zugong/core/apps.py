from django.utils.translation import gettext_lazy as _

from .registry import ZugongApp, schedule_jobs


class CoreConfig(ZugongApp):
    default = True  # apps.py also imports ZugongApp: this class is the config
    name = "zugong.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # Login successes and failures happen inside django.contrib.auth; its signals are
        # the only hook there, so auditing them is wired here (not domain logic). The
        # deployment checks (keys, backup age, free disk) register themselves on import.
        from . import auth_audit, checks, health  # noqa: F401

        super().ready()
        # Every model is loaded by now, so each app's plugin can be read: the worker's
        # schedule is the jobs the installed apps declare.
        schedule_jobs()
        from huey.contrib.djhuey import HUEY

        from .jobs import on_consumer_start

        on_consumer_start(HUEY)
