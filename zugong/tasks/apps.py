from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "zugong.tasks"
    label = "tasks"
    verbose_name = _("Tasks")

    def ready(self):
        from zugong.core import metrics

        from .metrics import METRICS

        metrics.register(*METRICS)
