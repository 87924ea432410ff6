"""Session and request middleware of the security baseline."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .context import client_ip


def get_client_ip(request) -> str:
    if getattr(settings, "ZUGONG_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


class RequestContextMiddleware:
    """Makes the client IP available to services, which audit without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = client_ip.set(get_client_ip(request))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)


class IdleTimeoutMiddleware:
    """Ends a session idle longer than ZUGONG_IDLE_TIMEOUT_SECONDS, or older than
    SESSION_COOKIE_AGE in total (the absolute lifetime, which activity does not extend)."""

    LAST_SEEN = "_zg_last_seen"
    STARTED = "_zg_started"
    # Recording activity is a session write; once a minute is precise enough.
    TOUCH_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            session = request.session
            last = session.get(self.LAST_SEEN)
            started = session.setdefault(self.STARTED, now)
            idle = last is not None and now - last > settings.ZUGONG_IDLE_TIMEOUT_SECONDS
            if idle or now - started > settings.SESSION_COOKIE_AGE:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                messages.info(request, _("You were signed out after a period of inactivity.")
                              if idle else _("Your session has ended; please sign in again."))
                return redirect(f"{reverse('login')}?next={request.path}")
            if last is None or now - last >= self.TOUCH_EVERY:
                session[self.LAST_SEEN] = now
        return self.get_response(request)
