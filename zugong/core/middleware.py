"""Session and request middleware of the security baseline."""

import re
import time
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .audit import audit_record
from .context import client_ip

# ID numbers (18 characters, the last may be X; or the old 15 digits) and mainland mobile
# numbers, standing alone (not inside a longer run of letters and digits).
_IDENTIFIER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15}|1[3-9]\d{9})(?![0-9A-Za-z])")


def mask_identifiers(text: str) -> str:
    """Replace every ID-number-like or phone-like value in ``text`` with asterisks."""
    return _IDENTIFIER.sub(lambda m: "*" * len(m.group()), text)


def mask_query(query: str) -> str:
    """A query string with every value replaced: the names show what was asked, not what.

    A search box sends names, ID numbers and phones as values; none of them may reach a
    log. Values are dropped whole rather than pattern-matched, which would miss a name.
    """
    return "&".join(f"{name}=***" for name, _ in parse_qsl(query, keep_blank_values=True))


def mask_url(url: str) -> str:
    """A path or URL with its query values masked and ID/phone-like path parts hidden."""
    parts = urlsplit(url)
    masked = mask_identifiers(url.split("?", 1)[0])
    return f"{masked}?{mask_query(parts.query)}" if parts.query else masked


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


class RefusedRequestAuditMiddleware:
    """Audits a 403 or 404 answered to a signed-in user: who, which path, what status.

    A user probing records outside their scope meets 403/404 (scope hides what exists), and
    only the audit log shows such a pattern to the auditor. Cheap by design: nothing is
    written for other statuses or anonymous requests, the body is never read, and query
    values are masked (they may carry ID numbers).
    """

    STATUSES = (403, 404)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if response.status_code in self.STATUSES and user is not None \
                and user.is_authenticated:
            path = mask_identifiers(request.path)
            audit_record(
                actor=user, action="core.request.refused", object_type="http.request",
                object_repr=path[:200],
                after={"method": request.method, "path": path,
                       "query": mask_query(request.META.get("QUERY_STRING", "")),
                       "status": response.status_code},
            )
        return response
