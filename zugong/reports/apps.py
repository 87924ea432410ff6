from django.utils.translation import gettext_lazy as _

from zugong.core.registry import ZugongApp


class ReportsConfig(ZugongApp):
    """What the app adds to the whole is declared in plugin.py."""

    default = True  # apps.py also imports ZugongApp: this class is the config
    name = "zugong.reports"
    label = "reports"
    verbose_name = _("Reports")
