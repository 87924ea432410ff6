"""The JSON API under /api/v1/: bearer tokens or the browser session, Chinese errors."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
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


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] | None = None


class Error(Schema):
    """Every refusal and failure of the API: ``{"error": {"code", "message", "fields"?}}``."""

    error: ErrorBody


# The answers every operation can give besides its own (handlers below): a missing or bad
# credential, a refused capability, a record out of scope or absent, invalid input; writes
# may also meet a version conflict.
READ_ERRORS = (401, 403, 404, 422)
WRITE_ERRORS = (*READ_ERRORS, 409)
_ErrorResponse = type("NinjaResponseSchema", (Schema,), {"__annotations__": {"response": Error}})


class _Document(OpenAPISchema):
    """The OpenAPI document, with the error answers listed on every operation."""

    def responses(self, operation):
        result = super().responses(operation)
        schema = self._create_schema_from_model(_ErrorResponse, by_alias=operation.by_alias,
                                                mode="serialization")[0]
        writes = set(operation.methods) - {"GET", "HEAD", "OPTIONS"}
        for status in WRITE_ERRORS if writes else READ_ERRORS:
            result.setdefault(status, {
                "description": _ERROR_DESCRIPTIONS[status],
                "content": {self.api.renderer.media_type: {"schema": schema}},
            })
        return result


_ERROR_DESCRIPTIONS = {401: "Not signed in, or the token is unknown, expired or revoked",
                       403: "Refused: a missing capability, a pending password change, or "
                            "a failed CSRF check",
                       404: "Not found, or outside the caller's scope",
                       409: "The record changed since it was read (version conflict)",
                       422: "The request data is invalid"}


class ZugongAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return _Document(self, path_prefix)


api = ZugongAPI(
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
    if exc.status_code == 400:
        # A body that is not JSON at all: bad input like any other, answered the same way.
        return _error(request, 422, "invalid", _("The request data is invalid."),
                      {"__all__": [_("The request body is not valid JSON.")]})
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
