from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "zugong.learning"
    label = "learning"
    verbose_name = _("Learning")

    def ready(self):
        from zugong.core import metrics

        from .metrics import METRICS

        metrics.register(*METRICS)
