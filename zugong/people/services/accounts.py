"""Writes to accounts, roles, API tokens and second factors. Each is one transaction with
its audit entry."""

from __future__ import annotations

import hashlib
import secrets
import string
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zugong.core.audit import SYSTEM, audit_record

from .. import events
from ..access import Cap, has_cap, roles_of, second_factor_required
from ..models import (
    ADMIN_ROLES,
    ApiToken,
    OrgUnit,
    PasswordHistory,
    Person,
    RevokeReason,
    Role,
    RoleAssignment,
    Scope,
    User,
)
from .records import history_change, history_state

# ---------------------------------------------------------------- accounts

def _by_system(by) -> bool:
    """Whether the product itself acts (the demo, an operator's command): no capability to
    check. ``None`` is still accepted for that, as before :data:`SYSTEM` existed."""
    return by is None or by is SYSTEM


def generate_password(length: int = 14) -> str:
    alphabet = string.ascii_letters + string.digits
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(length - 2))
        pw += secrets.choice("!@#$%^&*") + secrets.choice(string.digits)
        if any(c.islower() for c in pw) and any(c.isupper() for c in pw):
            return pw


def account_create(*, by, username: str, person: Person | None = None,
                   password: str | None = None, must_change: bool = True) -> tuple[User, str]:
    """Create a login (system administrator's duty). Returns the initial password."""
    if not _by_system(by) and not has_cap(by, Cap.ACCOUNTS_CREATE):
        raise PermissionDenied
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    if person is not None and User.objects.filter(person=person).exists():
        raise ValidationError({"person": _("This person already has an account.")})
    password = password or generate_password()
    user = User(username=username, person=person, must_change_password=must_change)
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.password_changed_at = timezone.now()
        user.save()
        audit_record(actor=by, action=events.ACCOUNT_CREATE, obj=user,
                     after={"username": username, "person": person.pk if person else None})
    return user, password


def role_grant(*, by, user: User, role: str, scope: str, unit: OrgUnit | None = None,
               units=(), setup_by: User | None = None) -> RoleAssignment:
    """Grant a role (security administrator's duty) under the 三员分立 rules.

    ``setup_by`` is the one exception (docs/security.md): the administrator whose
    department setup creates the head's account grants it the head role of that new
    department in the same step (``departments.department_setup``, which passes
    ``by=SYSTEM``). The grant is then recorded as that administrator's, marked as made by
    the setup, and the security administrators are told to review it.
    """
    if setup_by is not None:
        by = setup_by
    elif not _by_system(by):
        if not has_cap(by, Cap.ROLES_GRANT):
            raise PermissionDenied
        if by.pk == user.pk:
            raise ValidationError({"user": _("Nobody may grant a role to themself.")})
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if scope not in Scope.values:
        raise ValidationError({"scope": _("Unknown data scope.")})
    held = roles_of(user) - {role}
    if role in ADMIN_ROLES and held:
        raise ValidationError({"role": _(
            "An administrator role cannot be combined with any other role (三员分立)."
        )})
    if held & ADMIN_ROLES:
        raise ValidationError({"role": _(
            "This account holds an administrator role and cannot take another role."
        )})
    if role not in ADMIN_ROLES and user.person_id is None and scope != Scope.ALL and not unit \
            and scope != Scope.CUSTOM:
        raise ValidationError({"unit": _(
            "This account has no person record; choose the unit the scope applies to."
        )})
    if scope == Scope.CUSTOM and not units:
        raise ValidationError({"units": _("Choose at least one unit for a custom scope.")})
    if role == Role.DEPUTY and not units:
        raise ValidationError({"units": _("Choose the sections this deputy head is in charge of.")})
    with transaction.atomic():
        before = history_state(user.person) if user.person_id else None
        assignment, _created = RoleAssignment.objects.update_or_create(
            user=user, role=role,
            defaults={"scope": scope, "unit": unit, "granted_by": None if _by_system(by) else by,
                      "granted_at": timezone.now()},
        )
        assignment.units.set(units)
        if before is not None:
            # Rules may name roles (a regime's audience): the history keeps them by day.
            history_change(by=by, person=user.person, before=before,
                           on=timezone.localdate())
        audit_record(actor=by, action=events.ROLE_GRANT, obj=user, after={
            "role": role, "scope": scope, "unit": unit.pk if unit else None,
            "units": sorted(u.pk for u in units),
            **({"setup": True} if setup_by is not None else {}),
        })
    user.__dict__.pop("_zg_assignments", None)
    return assignment


def role_revoke(*, by, assignment: RoleAssignment) -> None:
    if not _by_system(by) and not has_cap(by, Cap.ROLES_GRANT):
        raise PermissionDenied
    with transaction.atomic():
        before = {"role": assignment.role, "scope": assignment.scope}
        user = assignment.user
        history = history_state(user.person) if user.person_id else None
        assignment.delete()
        if history is not None:
            history_change(by=by, person=user.person, before=history,
                           on=timezone.localdate())
        audit_record(actor=by, action=events.ROLE_REVOKE, obj=user, before=before)


def account_unlock(*, by, user: User) -> None:
    if not has_cap(by, Cap.ACCOUNTS_UNLOCK):
        raise PermissionDenied
    axes_reset(username=user.username)
    audit_record(actor=by, action=events.ACCOUNT_UNLOCK, obj=user)


def password_change(*, user: User, new_password: str) -> None:
    """Set a new password, keeping the old hash for the no-reuse rule."""
    validate_password(new_password, user)
    with transaction.atomic():
        if user.password:
            PasswordHistory.objects.create(user=user, password=user.password)
        keep = settings.ZUGONG_PASSWORD_HISTORY
        old = user.password_history.order_by("-created_at").values_list("pk", flat=True)[keep:]
        PasswordHistory.objects.filter(pk__in=list(old)).delete()
        user.set_password(new_password)
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        audit_record(actor=user, action=events.PASSWORD_CHANGE, obj=user)
        # Tokens were made under the old password: whoever learned it may have made one.
        _revoke_all_tokens(user, by=user, reason=RevokeReason.PASSWORD)


def account_set_active(*, by, user: User, active: bool) -> None:
    """Disable or re-enable a login (system administrator's duty). Disabling ends its
    sessions (the backend refuses inactive users) and revokes its API tokens."""
    if not _by_system(by):
        if not has_cap(by, Cap.ACCOUNTS_CREATE):
            raise PermissionDenied
        if by.pk == user.pk:
            raise ValidationError({"user": _("Nobody may disable their own account.")})
    if user.is_active == active:
        return
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(actor=by, action=events.ACCOUNT_ENABLE if active else events.ACCOUNT_DISABLE,
                     obj=user, before={"active": not active}, after={"active": active})
        if not active:
            _revoke_all_tokens(user, by=by, reason=RevokeReason.DISABLED)


# ---------------------------------------------------------------- tokens

def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a bearer token; the raw value is shown once and only its digest kept. It
    expires after ``ZUGONG_API_TOKEN_DAYS``."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    raw = settings.ZUGONG_API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:100], prefix=raw[:10], digest=_digest(raw), created_at=now,
            expires_at=now + timedelta(days=settings.ZUGONG_API_TOKEN_DAYS))
        audit_record(actor=user, action=events.TOKEN_CREATE, obj=user,
                     after={"token": token.prefix, "name": token.name,
                            "expires": token.expires_at.date().isoformat()})
    return token, raw


def token_revoke(*, by: User, token: ApiToken) -> None:
    """Revoke one token: its owner may, and so may the security administrator (a leaked
    token, a departing colleague) for anyone's."""
    if by.pk == token.user_id:
        reason = RevokeReason.OWNER
    elif has_cap(by, Cap.TOKENS_REVOKE):
        reason = RevokeReason.SECURITY
    else:
        raise PermissionDenied
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.revoked_by = by
        token.revoke_reason = reason
        token.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        audit_record(actor=by, action=events.TOKEN_REVOKE, obj=token.user,
                     after={"token": token.prefix, "reason": reason})


def _revoke_all_tokens(user: User, *, by, reason: str) -> int:
    """Revoke every live token of ``user`` inside the caller's transaction."""
    live = user.api_tokens.filter(revoked_at__isnull=True)
    prefixes = sorted(live.values_list("prefix", flat=True))
    if prefixes:
        live.update(revoked_at=timezone.now(), revoke_reason=reason,
                    revoked_by=None if _by_system(by) else by)
        audit_record(actor=by, action=events.TOKEN_REVOKE, obj=user,
                     after={"tokens": prefixes, "reason": reason})
    return len(prefixes)


def account_locked(user: User, request) -> bool:
    """Whether the lockout (django-axes, per username) holds this account now."""
    AxesProxyHandler.update_request(request)
    return AxesProxyHandler.is_locked(request, {"username": user.username})


def token_authenticate(raw: str, *, request=None) -> User | None:
    """The user a raw bearer token stands for, or ``None`` when it is unknown, revoked,
    expired, its account disabled, or (given the request) its account locked out."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(raw), revoked_at__isnull=True, expires_at__gt=now,
                user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if request is not None and account_locked(token.user, request):
        # A lockout means somebody is guessing this account's password; its tokens pause
        # with it, so a token is no way round the lock.
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        # Touch at most every five minutes so API reads do not become writes.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# ---------------------------------------------------------------- second factor (TOTP)
# The audit entries name what happened and how many codes exist, never a key or a code.

RECOVERY_CODE_COUNT = 10


def normalise_code(raw: str) -> str:
    """Codes as typed on a phone: spaces and dashes dropped, letters in lower case."""
    return "".join(ch for ch in (raw or "") if ch.isalnum()).lower()


def twofactor_enrol_start(*, user: User) -> TOTPDevice:
    """The authenticator waiting to be confirmed (the same one on every reload of the page,
    so a QR code already scanned stays valid)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def twofactor_enrol_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the authenticator with a code it shows; returns the recovery codes, which
    are shown once."""
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied
    code = normalise_code(code)
    # The check is committed on its own: a wrong code must still count for django-otp's
    # throttle, which a rolled-back transaction would forget.
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, _info = device.verify_is_allowed()
        ok = allowed and code.isdigit() and device.verify_token(code)
    if not allowed:
        raise ValidationError({"code": _(
            "Too many wrong codes. Wait a minute, then enter the code your app shows now.")})
    if not ok:
        raise ValidationError({"code": _(
            "This code is wrong or has expired. Enter the 6-digit code your authenticator app "
            "shows now, and check that the phone's clock is right.")})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        audit_record(actor=user, action=events.TWOFACTOR_ENROL, obj=user,
                     after={"device": "totp", "recovery_codes": len(codes)})
    return codes


def recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes in place of the old ones (all of which stop working)."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(_("Set up the authenticator app first."))
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit_record(actor=user, action=events.RECOVERY_CODES_REGENERATE, obj=user,
                     after={"recovery_codes": len(codes)})
    return codes


@dataclass
class CodeCheck:
    """The outcome of a code typed at sign-in."""

    device: Any = None  # the device that accepted it, None when refused
    method: str = "totp"  # "totp" or "recovery"
    throttled: bool = False  # django-otp refused to check: too many wrong codes just now
    recovery_codes_left: int = 0


def twofactor_verify(*, user: User, code: str) -> CodeCheck:
    """Check a code typed at sign-in: six digits against the authenticator, anything else
    against the recovery codes (each works once). Success and failure are both audited, the
    way password logins are (``core/auth_audit.py``)."""
    code = normalise_code(code)
    is_totp = len(code) == 6 and code.isdigit()
    check = CodeCheck(method="totp" if is_totp else "recovery")
    model = TOTPDevice if is_totp else StaticDevice
    # Committed on its own (see twofactor_enrol_confirm): the throttle must remember failures.
    with transaction.atomic():
        device = (model.objects.devices_for_user(user, confirmed=True)
                  .select_for_update().first())
        if device is not None:
            allowed, _info = device.verify_is_allowed()
            check.throttled = not allowed
            if allowed and code and device.verify_token(code):
                check.device = device
    if check.device is not None and not is_totp:
        check.recovery_codes_left = StaticToken.objects.filter(device=check.device).count()
    if check.device is not None:
        after = {"method": check.method}
        if not is_totp:
            after["recovery_codes_left"] = check.recovery_codes_left
        audit_record(actor=user, action=events.TWOFACTOR_VERIFY_SUCCESS, obj=user, after=after)
    else:
        audit_record(actor=user, action=events.TWOFACTOR_VERIFY_FAILURE, obj=user,
                     after={"method": check.method, "throttled": check.throttled})
    return check


def _delete_devices(user: User) -> int:
    return sum(model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
               for model in (TOTPDevice, StaticDevice))


def twofactor_remove(*, user: User) -> None:
    """The user removes their own second factor (the view has asked for the password).
    Refused when their role requires one: only the security administrator can reset it."""
    if second_factor_required(user):
        raise ValidationError(_(
            "Your role requires a second factor, so you cannot remove it. If your phone is "
            "lost, ask the security administrator to reset it."))
    with transaction.atomic():
        removed = _delete_devices(user)
        audit_record(actor=user, action=events.TWOFACTOR_REMOVE, obj=user,
                     before={"devices": removed})


def twofactor_reset(*, by, user: User) -> int:
    """The security administrator deletes a user's second factor (lost phone); the user
    enrols again at the next sign-in. Returns the number of devices deleted."""
    if not _by_system(by):
        if not has_cap(by, Cap.ACCOUNTS_2FA_RESET):
            raise PermissionDenied
        if by.pk == user.pk:
            raise ValidationError(_(
                "Nobody may reset their own second factor; ask another security "
                "administrator."))
    with transaction.atomic():
        removed = _delete_devices(user)
        audit_record(actor=by, action=events.TWOFACTOR_RESET, obj=user,
                     before={"devices": removed})
    return removed
