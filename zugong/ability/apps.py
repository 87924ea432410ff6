from django.utils.translation import gettext_lazy as _

from zugong.core.registry import ZugongApp


class AbilityConfig(ZugongApp):
    """What the app adds to the whole is declared in plugin.py."""

    default = True  # apps.py also imports ZugongApp: this class is the config
    name = "zugong.ability"
    label = "ability"
    verbose_name = _("Ability")
