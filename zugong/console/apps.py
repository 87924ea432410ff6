from django.utils.translation import gettext_lazy as _

from zugong.core.registry import ZugongApp


class ConsoleConfig(ZugongApp):
    """Home, notices, and the administrators' pages (audit, jobs, code tables)."""

    default = True  # apps.py also imports ZugongApp: this class is the config
    name = "zugong.console"
    label = "console"
    verbose_name = _("Console")
