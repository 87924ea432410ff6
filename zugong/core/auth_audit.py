"""Audit of login successes, failures, lockouts and logouts."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import audit_record
from .middleware import get_client_ip


def _ip(request):
    return get_client_ip(request) if request is not None else ""


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action="core.login.success", obj=user, ip=_ip(request))


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        action="core.login.failure", username=username, object_type="people.user",
        object_repr=username, ip=_ip(request),
    )


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="core.logout.success", obj=user, ip=_ip(request))


@receiver(user_locked_out)
def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """django-axes locks the username (and refuses each try while locked): audit both."""
    username = str(username or "")[:150]
    audit_record(
        action="core.login.locked_out", username=username, object_type="people.user",
        object_repr=username, ip=ip_address or _ip(request),
    )
