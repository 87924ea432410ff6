"""The JSON API under /api/v1/: bearer tokens or the browser session, Chinese errors."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from zugong.core import registry
from zugong.core.versioning import ConflictError
from zugong.people.services import token_authenticate


class PasswordChangeRequired(Exception):
    """The account owes a password change: the API refuses it as the pages do."""


def _account_controls(user):
    # The pages send such a user to the change form (PasswordChangeRequiredMiddleware);
    # the API has no form, so it refuses with a code the client can act on.
    if user is not None and user.password_change_required():
        raise PasswordChangeRequired
    return user


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = token_authenticate(token, request=request)
        if user is not None:
            request.user = user
        return _account_controls(user)


class Session(SessionAuth):
    def authenticate(self, request, key):
        return _account_controls(super().authenticate(request, key))


api = NinjaAPI(
    title="Zugong API",
    version="1",
    urls_namespace="api",
    auth=[BearerToken(), Session()],
    docs_url="/docs",
    docs_decorator=login_required,
)
for router in registry.api_routers():
    api.add_router("/", router)


def _error(request, status, code, message, fields=None):
    body = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    return api.create_response(request, body, status=status)


@api.exception_handler(AuthenticationError)
def _auth(request, exc):
    return _error(request, 401, "unauthenticated", _("Sign in or send a valid API token."))


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, "forbidden", _("You are not allowed to do this."))


@api.exception_handler(HttpError)
def _http_error(request, exc):
    # django-ninja raises these itself; the one a client meets is the CSRF check of a
    # session write (403). Give it the same shape as every other error.
    if exc.status_code == 403:
        return _error(request, 403, "csrf_failed", _(
            "The request was refused: the CSRF token is missing or wrong. Reload the page "
            "and try again, or use an API token."))
    return _error(request, exc.status_code, "error", _("The request could not be handled."))


@api.exception_handler(PasswordChangeRequired)
def _password_change(request, exc):
    return _error(request, 403, "password_change_required",
                  _("Change your password on the website before using the API."))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(ConflictError)
def _conflict(request, exc):
    return _error(request, 409, "conflict", str(exc))


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    first = next(iter(fields.values()))[0]
    return _error(request, 422, "invalid", first, fields)


@api.exception_handler(NinjaValidationError)
def _schema_invalid(request, exc):
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query")]
        fields.setdefault(".".join(loc) or "__all__", []).append(
            _("Invalid value: %(msg)s") % {"msg": err.get("msg", "")}
        )
    return _error(request, 422, "invalid", _("The request data is invalid."), fields)
