from django.utils.translation import gettext_lazy as _

from zugong.core.registry import ZugongApp


class PeopleConfig(ZugongApp):
    default = True  # apps.py also imports ZugongApp: this class is the config
    name = "zugong.people"
    label = "people"
    verbose_name = _("People")

    def ready(self):
        super().ready()
        # Which second-factor step a session still needs is decided at sign-in; the login
        # signal is the only hook inside django.contrib.auth (see people/twofactor.py).
        from . import checks, twofactor  # noqa: F401

        twofactor.connect()
