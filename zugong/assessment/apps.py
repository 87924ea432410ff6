from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "zugong.assessment"
    label = "assessment"
    verbose_name = _("Assessment")

    def ready(self):
        from zugong.core import metrics

        from .metrics import METRICS

        metrics.register(*METRICS)
