from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalksConfig(AppConfig):
    name = "zugong.talks"
    label = "talks"
    verbose_name = _("Talks and visits")

    def ready(self):
        from zugong.core import metrics

        from .metrics import METRICS

        metrics.register(*METRICS)
