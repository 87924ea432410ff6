"""System checks of the people settings."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def second_factor_roles(app_configs, **kwargs):
    """A misspelt role in ZUGONG_2FA_ROLES would silently exempt that role."""
    from .models import Role

    unknown = sorted(set(settings.ZUGONG_2FA_ROLES) - set(Role.values))
    if not unknown:
        return []
    return [Error(
        f"ZUGONG_2FA_ROLES names unknown roles: {', '.join(unknown)}",
        hint=f"Known roles: {', '.join(Role.values)}.", id="zugong.E001",
    )]
