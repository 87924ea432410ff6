"""Idempotent writes: a request repeated by a client or a double click writes once.

Two doors, one table (:class:`~zugong.core.models.IdempotencyKey`):

* **API.** A POST under ``/api/`` may carry an ``Idempotency-Key`` header. The first request
  with a key runs and its answer is stored; the same key with the same body (and the same
  user or token) gets that answer again, marked ``Idempotent-Replayed: true``, and writes
  nothing; the same key with another body is refused with 422.
* **Page forms.** Every POST form rendered for a signed-in user gets a hidden one-time
  token (``zg_once``), added here to the HTML next to the CSRF field, so no template or
  app repeats it. The first successful submission (a redirect) records it; the same form
  sent again with the same content is answered with a redirect to the first result and a
  note, and nothing is saved twice. A form sent with other content under the same token
  (an htmx form that stays on the page) is a new submission.

The key is recorded before the view runs (a unique row), so two identical requests that
arrive together cannot both write: the second is told the first is still running.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
FORM_FIELD = "zg_once"
MAX_KEY = 200

_CSRF_INPUT = re.compile(rb'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')
_IGNORED_FIELDS = {"csrfmiddlewaretoken", FORM_FIELD}


def _expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=settings.ZUGONG_IDEMPOTENCY_HOURS)


def purge(*, now: dt.datetime | None = None) -> int:
    deleted, _ = IdempotencyKey.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted


def _claim(*, scope, owner, key, method_path, digest):
    """Record the key as running; on a clash with a key still kept return the earlier row
    instead (None when this request is the first). An expired row of the same key is
    replaced; it is looked for only on a clash, so a first request costs one insert."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    scope=scope, owner=owner, key=key, method_path=method_path,
                    body_digest=digest, expires_at=_expiry())
            return row, None
        except IntegrityError:
            earlier = IdempotencyKey.objects.filter(scope=scope, owner=owner, key=key).first()
            if earlier is not None and earlier.expires_at >= timezone.now():
                return None, earlier
            if earlier is not None:
                IdempotencyKey.objects.filter(pk=earlier.pk,
                                              expires_at__lt=timezone.now()).delete()
    # Replaced twice in a race with another request of the same key: that one is first.
    return None, IdempotencyKey.objects.filter(scope=scope, owner=owner, key=key).first()


def _error(status: int, code: str, message: str) -> JsonResponse:
    # The API's error shape (zugong/config/api.py), which core cannot import.
    return JsonResponse({"error": {"code": code, "message": message}}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def _api_owner(request) -> str | None:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    if auth:
        return "t" + hashlib.sha256(auth.encode()).hexdigest()
    return None


def _form_digest(request) -> str:
    digest = hashlib.sha256()
    for name in sorted(request.POST):
        if name in _IGNORED_FIELDS:
            continue
        for value in request.POST.getlist(name):
            digest.update(f"{name}\0{value}\0".encode())
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            digest.update(f"{name}\0{upload.name}\0{upload.size}\0".encode())
    return digest.hexdigest()


def _back(request):
    """Where to send a user whose duplicate is refused: the page they came from."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()},
                                                   require_https=request.is_secure()):
        return redirect(referer)
    return redirect("/")


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            if request.path.startswith("/api/"):
                if HEADER in request.headers:
                    return self._api(request)
            elif FORM_FIELD in request.POST and request.user.is_authenticated:
                return self._form(request)
        response = self.get_response(request)
        return self._add_tokens(request, response)

    # ------------------------------------------------------------ API

    def _api(self, request):
        key = request.headers.get(HEADER, "").strip()
        if not key or len(key) > MAX_KEY:
            return _error(422, "invalid_idempotency_key",
                          _("The Idempotency-Key header must be 1 to 200 characters."))
        owner = _api_owner(request)
        if owner is None:
            return self.get_response(request)  # refused as unauthenticated anyway
        digest = hashlib.sha256(request.body).hexdigest()
        method_path = f"POST {request.path}"[:300]
        row, earlier = _claim(scope=IdempotencyKey.Scope.API, owner=owner, key=key,
                              method_path=method_path, digest=digest)
        if row is None:
            if earlier is None or earlier.body_digest != digest \
                    or earlier.method_path != method_path:
                return _error(422, "idempotency_key_reused",
                              _("This Idempotency-Key was already used for another request."))
            if earlier.status is None:
                return _error(409, "idempotency_in_progress",
                              _("The first request with this Idempotency-Key is still "
                                "running; try again shortly."))
            replay = HttpResponse(earlier.response.encode(), status=earlier.status,
                                  content_type=earlier.content_type)
            replay["Idempotent-Replayed"] = "true"
            return replay
        try:
            response = self.get_response(request)
        except BaseException:
            row.delete()
            raise
        # Authentication answers and server errors are not the request's result: a retry
        # with a valid token, or after the fault, must run.
        if response.status_code >= 500 or response.status_code in (401, 403) \
                or getattr(response, "streaming", False):
            row.delete()
            return response
        row.status = response.status_code
        row.content_type = response.get("Content-Type", "")[:100]
        row.response = response.content.decode("utf-8", "replace")
        row.save(update_fields=["status", "content_type", "response"])
        return response

    # ------------------------------------------------------------ forms

    def _form(self, request):
        token = request.POST.get(FORM_FIELD, "")[:MAX_KEY]
        owner = f"u{request.user.pk}"
        digest = _form_digest(request)
        method_path = f"POST {request.path}"[:300]
        row, earlier = _claim(scope=IdempotencyKey.Scope.FORM, owner=owner, key=token,
                              method_path=method_path, digest=digest)
        if row is None and earlier is not None and earlier.body_digest == digest \
                and earlier.method_path == method_path:
            if earlier.status is None:
                messages.warning(request, _("This form is still being saved; it was not "
                                            "sent a second time."))
                return _back(request)
            messages.info(request, _("This form had already been submitted; nothing was "
                                     "saved a second time."))
            return redirect(earlier.location or "/")
        response = self._add_tokens(request, self.get_response(request))
        succeeded = response.status_code in (301, 302, 303) and response.get("Location")
        if row is None:
            # Other content under the same token: a new submission; remember the newest.
            if succeeded:
                IdempotencyKey.objects.filter(
                    scope=IdempotencyKey.Scope.FORM, owner=owner, key=token,
                ).update(body_digest=digest, method_path=method_path,
                         status=response.status_code, location=response["Location"][:500],
                         expires_at=_expiry())
            return response
        if succeeded:
            row.status = response.status_code
            row.location = response["Location"][:500]
            row.save(update_fields=["status", "location"])
        else:
            # Refused input is shown again with a fresh token; this one may be sent again.
            row.delete()
        return response

    @staticmethod
    def _add_tokens(request, response):
        """A one-time token beside the CSRF field of every POST form on a page for a
        signed-in user (each form of each render gets its own)."""
        if getattr(response, "streaming", False) \
                or not response.get("Content-Type", "").startswith("text/html") \
                or not getattr(getattr(request, "user", None), "is_authenticated", False):
            return response
        content = response.content
        if b"csrfmiddlewaretoken" not in content:
            return response

        def add(match):
            token = secrets.token_urlsafe(18)
            return match.group(0) + (
                f'<input type="hidden" name="{FORM_FIELD}" value="{token}">'.encode())

        response.content = _CSRF_INPUT.sub(add, content)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
