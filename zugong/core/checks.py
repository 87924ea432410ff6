"""Deployment checks (``check --deploy``): the public demo keys are not keys.

Production settings already refuse these values at start (config/settings.py); the checks
say the same to ``check --deploy`` for any settings module, so that an operator who
overrides settings or runs the demo configuration on a server is told before users are.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.utils.translation import gettext_lazy as _

# The demo values of config/settings.py (the config layer, which core does not import).
DEMO_SECRET_KEY = "zugong-demo-only-secret-key-not-for-production-use-0000000000"  # noqa: S105  # nosec B105
DEMO_FIELD_KEY_HEX = "00112233445566778899aabbccddeeff"
MIN_SECRET_KEY_LENGTH = 50
MIN_FIELD_KEY_HEX = 32


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    key = getattr(settings, "SECRET_KEY", "")
    if key == DEMO_SECRET_KEY:
        return [Error(_("SECRET_KEY is the public demo key."),
                      hint=_("Set SECRET_KEY to a new random value of 50 or more characters."),
                      id="zugong.E001")]
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return [Error(_("SECRET_KEY is shorter than 50 characters."),
                      hint=_("Set SECRET_KEY to a new random value of 50 or more characters."),
                      id="zugong.E001")]
    return []


@register(Tags.security, deploy=True)
def check_field_keys(app_configs, **kwargs):
    errors = []
    for entry in str(getattr(settings, "ZUGONG_FIELD_KEYS", "")).split(","):
        version, _sep, hexkey = entry.strip().partition(":")
        if hexkey.lower() == DEMO_FIELD_KEY_HEX:
            errors.append(Error(
                _("Field key %(version)s is the public demo key.") % {"version": version},
                hint=_("Generate a new key, add it first in ZUGONG_FIELD_KEYS and run "
                       "'zugong reencrypt'."),
                id="zugong.E002"))
        elif len(hexkey) < MIN_FIELD_KEY_HEX:
            errors.append(Error(
                _("Field key %(version)s is shorter than 32 hex characters.")
                % {"version": version},
                hint=_("Field keys are 128-bit: 32 hex characters."),
                id="zugong.E002"))
    return errors
