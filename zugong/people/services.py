"""Writes to org units, people, accounts, roles and tokens. Each is one transaction
with its audit entry; views, the API, imports and the demo all come through here."""

from __future__ import annotations

import hashlib
import secrets
import string
from dataclasses import dataclass
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image, UnidentifiedImageError

from zugong.core.audit import audit_record, model_snapshot
from zugong.core.crypto import provider
from zugong.core.dictionaries import resolve
from zugong.core.models import DictTable
from zugong.core.versioning import ConflictError

from . import idnumber
from .access import Cap, has_cap, roles_of, second_factor_required
from .models import (
    ADMIN_ROLES,
    AnnualAssessment,
    ApiToken,
    FamilyMember,
    OrgUnit,
    PasswordHistory,
    Person,
    ResumeEntry,
    RewardPunishment,
    Role,
    RoleAssignment,
    Scope,
    UnitKind,
    User,
)

# ---------------------------------------------------------------- org units

UNIT_FIELDS = ("name", "kind", "code", "position", "department")


def unit_create(*, by, parent: OrgUnit | None, name: str, kind: str, code: str,
                position: int = 0) -> OrgUnit:
    unit = OrgUnit(name=name.strip(), kind=kind, code=code.strip(), position=position)
    try:
        unit.full_clean(exclude=["path", "depth", "numchild", "department"],
                        validate_unique=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    with transaction.atomic():
        if OrgUnit.objects.filter(code=unit.code).exists():
            raise ValidationError({"code": _("A unit with this code already exists.")})
        if parent:
            unit = OrgUnit.objects.add_child(parent, instance=unit)
            _resync_unit_paths(parent)
        else:
            unit = OrgUnit.objects.add_root(instance=unit)
            _resync_unit_paths(None)
        if kind == UnitKind.ORG_DEPT:
            unit.department = unit
        else:
            unit.department_id = parent.department_id if parent else None
        unit.save(update_fields=["department"])
        audit_record(actor=by, action="unit.create", obj=unit,
                     after=model_snapshot(unit, UNIT_FIELDS))
    return unit


def _resync_unit_paths(parent: OrgUnit | None) -> None:
    """Copy units' paths to their people again after an insert under ``parent``.

    Units are kept in (position, code) order, so treebeard gives a new unit its place by
    renumbering the paths of the siblings after it; ``Person.unit_path`` (the copy that
    scope filters and paging use) must follow, or people would fall into another unit's
    range. One UPDATE over the parent's subtree.
    """
    people = Person.objects.all()
    if parent is not None:
        parent.refresh_from_db(fields=["path"])
        people = people.filter(unit__path__startswith=parent.path)
    people.exclude(unit_path=F("unit__path")).update(unit_path=Subquery(
        OrgUnit.objects.filter(pk=OuterRef("unit_id")).values("path")[:1]))


def unit_update(*, by, unit: OrgUnit, name: str, code: str, position: int) -> OrgUnit:
    before = model_snapshot(unit, UNIT_FIELDS)
    unit.name, unit.code, unit.position = name.strip(), code.strip(), position
    unit.full_clean(exclude=["path", "depth", "numchild", "department"])
    with transaction.atomic():
        if OrgUnit.objects.filter(code=unit.code).exclude(pk=unit.pk).exists():
            raise ValidationError({"code": _("A unit with this code already exists.")})
        unit.save()
        audit_record(actor=by, action="unit.update", obj=unit, before=before,
                     after=model_snapshot(unit, UNIT_FIELDS))
    return unit


# ---------------------------------------------------------------- people

PERSON_FIELDS = (
    "category", "name", "sex", "birth_date", "ethnicity", "native_place", "birthplace",
    "political_status", "party_join_date", "work_start_date", "health", "ft_education",
    "ft_degree", "ft_school", "is_education", "is_degree", "is_school",
    "professional_title", "id_number", "phone", "current_post", "post_level", "unit",
    "photo", "is_active", "joined_on",
)
DICT_FIELDS = {
    "sex": DictTable.SEX,
    "ethnicity": DictTable.ETHNICITY,
    "political_status": DictTable.POLITICAL_STATUS,
    "health": DictTable.HEALTH,
    "ft_education": DictTable.EDUCATION,
    "ft_degree": DictTable.DEGREE,
    "is_education": DictTable.EDUCATION,
    "is_degree": DictTable.DEGREE,
    "post_level": DictTable.POST_LEVEL,
}
ALLOWED_PHOTO_FORMATS = {"JPEG", "PNG"}


def validate_photo(photo) -> None:
    if not photo:
        return
    limit = settings.ZUGONG_PHOTO_MAX_BYTES
    if photo.size > limit:
        raise ValidationError({"photo": _(
            "The photo is %(size).1f MB; the largest allowed is %(limit).1f MB."
        ) % {"size": photo.size / 1048576, "limit": limit / 1048576}})
    try:
        photo.seek(0)
        with Image.open(photo) as img:
            fmt = img.format
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError({"photo": _("The photo is not a readable image.")}) from exc
    finally:
        photo.seek(0)
    if fmt not in ALLOWED_PHOTO_FORMATS:
        raise ValidationError({"photo": _("The photo must be a JPEG or PNG image.")})


def _apply_person_data(person: Person, data: dict[str, Any]) -> dict[str, list[str]]:
    """Copy the given values onto the person; returns errors for unknown codes."""
    errors: dict[str, list[str]] = {}
    for field, value in data.items():
        if field not in PERSON_FIELDS:
            raise ValidationError({field: _("Unknown field.")})
        if field in DICT_FIELDS:
            try:
                value = resolve(DICT_FIELDS[field], value, field=field, required=field == "sex")
            except ValidationError as exc:
                errors.update(exc.message_dict)
                continue
        if field in ("id_number", "phone", "name", "native_place", "birthplace") and value:
            value = value.strip()
        if field == "id_number":
            value = idnumber.normalize(value)
        setattr(person, field, value)
    return errors


def _validate_person(person: Person, errors: dict[str, list[str]]) -> None:
    """Every problem at once: code values, model rules, ID number, dates."""
    exclude = ["unit_path", "photo", "id_number_index", "phone_index", *errors]
    try:
        person.full_clean(exclude=exclude)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if person.id_number:
        found = idnumber.problems(
            person.id_number, birth_date=person.birth_date,
            sex_code=person.sex.code if person.sex_id and "sex" not in errors else None,
        )
        if found:
            errors.setdefault("id_number", []).extend(found)
        else:
            index = provider().blind_index(person.id_number)
            clash = Person.objects.filter(id_number_index=index).exclude(pk=person.pk)
            if clash.exists():
                errors.setdefault("id_number", []).append(
                    _("This ID number is already registered for another person.")
                )
    if person.phone and not (person.phone.isdigit() and 7 <= len(person.phone) <= 15):
        errors.setdefault("phone", []).append(_("A phone number has 7 to 15 digits."))
    if person.birth_date and person.birth_date > timezone.localdate():
        errors.setdefault("birth_date", []).append(_("The birth date is in the future."))
    for field in ("party_join_date", "work_start_date", "joined_on"):
        value = getattr(person, field)
        if value and person.birth_date and value < person.birth_date:
            errors.setdefault(field, []).append(_("This date is before the birth date."))
    if errors:
        raise ValidationError(errors)


def _set_derived(person: Person) -> None:
    person.unit_path = person.unit.path
    person.id_number_index = provider().blind_index(person.id_number) if person.id_number else None
    person.phone_index = provider().blind_index(person.phone) if person.phone else None


def person_create(*, by, data: dict[str, Any], photo=None) -> Person:
    person = Person()
    _validate_person(person, _apply_person_data(person, data))
    validate_photo(photo)
    _set_derived(person)
    try:
        with transaction.atomic():
            person.save()
            if photo:
                person.photo.save(photo.name, photo, save=False)
                person.save(update_fields=["photo"])
            audit_record(actor=by, action="person.create", obj=person,
                         after=model_snapshot(person, PERSON_FIELDS))
    except IntegrityError as exc:
        # Two writers raced on the same ID number; the unique index kept the data sound.
        raise ValidationError(
            {"id_number": _("This ID number is already registered for another person.")}
        ) from exc
    return person


def person_update(*, by, person: Person, data: dict[str, Any], version: int | None = None,
                  photo=None) -> Person:
    with transaction.atomic():
        current = Person.objects.select_for_update().select_related("unit").get(pk=person.pk)
        if version is not None and current.version != version:
            raise ConflictError(_(
                "Someone else changed this record while you were editing it. "
                "Reload the page to see their changes, then make yours again."
            ))
        before = model_snapshot(current, PERSON_FIELDS)
        _validate_person(current, _apply_person_data(current, data))
        validate_photo(photo)
        _set_derived(current)
        current.version += 1
        try:
            with transaction.atomic():
                current.save()
        except IntegrityError as exc:
            raise ValidationError(
                {"id_number": _("This ID number is already registered for another person.")}
            ) from exc
        if photo:
            current.photo.save(photo.name, photo, save=False)
            current.save(update_fields=["photo"])
        after = model_snapshot(current, PERSON_FIELDS)
        changed = {k for k in after if after[k] != before[k]}
        audit_record(actor=by, action="person.update", obj=current,
                     before={k: before[k] for k in changed},
                     after={k: after[k] for k in changed})
    return current


SUBRECORDS = {
    "resume": (ResumeEntry, ("start", "end", "text"), {}),
    "family": (FamilyMember, ("kind", "relation", "name", "birth_date", "political_status",
                              "work_unit_and_post", "is_deceased"),
               {"relation": DictTable.FAMILY_RELATION,
                "political_status": DictTable.POLITICAL_STATUS}),
    "rewards": (RewardPunishment, ("kind", "date", "title", "issuer", "reason"), {}),
    "assessments": (AnnualAssessment, ("year", "result", "note"),
                    {"result": DictTable.ASSESSMENT_RESULT}),
}


def subrecord_add(*, by, person: Person, kind: str, data: dict[str, Any]):
    """Add a résumé line, family member, reward/punishment or annual result."""
    model, fields, dict_fields = SUBRECORDS[kind]
    values = {}
    errors = {}
    for field in fields:
        value = data.get(field)
        if field in dict_fields:
            try:
                value = resolve(dict_fields[field], value, field=field,
                                required=not model._meta.get_field(field).null)
            except ValidationError as exc:
                errors.update(exc.message_dict)
                continue
        if value is None and not model._meta.get_field(field).null:
            default = model._meta.get_field(field).get_default()
            value = default if default is not None else ""
        values[field] = value
    if errors:
        raise ValidationError(errors)
    record = model(person=person, **values)
    if kind == "resume" and record.start and record.end and record.end < record.start:
        raise ValidationError({"end": _("The end is before the start.")})
    if kind == "assessments" and AnnualAssessment.objects.filter(
        person=person, year=record.year
    ).exists():
        raise ValidationError({"year": _("There is already a result for this year.")})
    record.full_clean()
    with transaction.atomic():
        record.save()
        audit_record(actor=by, action=f"person.{kind}.add", obj=person,
                     after=model_snapshot(record, fields))
    return record


def subrecord_delete(*, by, person: Person, kind: str, pk: int) -> None:
    model, fields, _dict_fields = SUBRECORDS[kind]
    with transaction.atomic():
        record = model.objects.select_for_update().get(person=person, pk=pk)
        before = model_snapshot(record, fields)
        record.delete()
        audit_record(actor=by, action=f"person.{kind}.delete", obj=person, before=before)


def person_export_logged(*, by, count: int, filters: dict) -> None:
    """Exports of personal data are themselves audited."""
    audit_record(actor=by, action="person.export", object_type="people.person",
                 object_repr=f"{count}", after={"filters": filters, "count": count})


# ---------------------------------------------------------------- accounts

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
    if by is not None and not has_cap(by, Cap.ACCOUNTS_CREATE):
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
        audit_record(actor=by, action="account.create", obj=user,
                     after={"username": username, "person": person.pk if person else None})
    return user, password


def role_grant(*, by, user: User, role: str, scope: str, unit: OrgUnit | None = None,
               units=()) -> RoleAssignment:
    """Grant a role (security administrator's duty) under the 三员分立 rules."""
    if by is not None:
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
        assignment, _created = RoleAssignment.objects.update_or_create(
            user=user, role=role,
            defaults={"scope": scope, "unit": unit, "granted_by": by,
                      "granted_at": timezone.now()},
        )
        assignment.units.set(units)
        audit_record(actor=by, action="role.grant", obj=user, after={
            "role": role, "scope": scope, "unit": unit.pk if unit else None,
            "units": sorted(u.pk for u in units),
        })
    user.__dict__.pop("_zg_assignments", None)
    return assignment


def role_revoke(*, by, assignment: RoleAssignment) -> None:
    if by is not None and not has_cap(by, Cap.ROLES_GRANT):
        raise PermissionDenied
    with transaction.atomic():
        before = {"role": assignment.role, "scope": assignment.scope}
        user = assignment.user
        assignment.delete()
        audit_record(actor=by, action="role.revoke", obj=user, before=before)


def account_unlock(*, by, user: User) -> None:
    if not has_cap(by, Cap.ACCOUNTS_UNLOCK):
        raise PermissionDenied
    axes_reset(username=user.username)
    audit_record(actor=by, action="account.unlock", obj=user)


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
        audit_record(actor=user, action="account.password_change", obj=user)


# ---------------------------------------------------------------- tokens

def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a bearer token; the raw value is shown once and only its digest kept."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    raw = settings.ZUGONG_API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name[:100], prefix=raw[:10],
                                        digest=_digest(raw))
        audit_record(actor=user, action="token.create", obj=user,
                     after={"token": token.prefix, "name": token.name})
    return token, raw


def token_revoke(*, user: User, token: ApiToken) -> None:
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=user, action="token.revoke", obj=user, after={"token": token.prefix})


def token_authenticate(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
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
        audit_record(actor=user, action="account.2fa_enrol", obj=user,
                     after={"device": "totp", "recovery_codes": len(codes)})
    return codes


def recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes in place of the old ones (all of which stop working)."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(_("Set up the authenticator app first."))
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit_record(actor=user, action="account.recovery_codes", obj=user,
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
        audit_record(actor=user, action="login.2fa_success", obj=user, after=after)
    else:
        audit_record(actor=user, action="login.2fa_failure", obj=user,
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
        audit_record(actor=user, action="account.2fa_remove", obj=user,
                     before={"devices": removed})


def twofactor_reset(*, by, user: User) -> int:
    """The security administrator deletes a user's second factor (lost phone); the user
    enrols again at the next sign-in. Returns the number of devices deleted."""
    if by is not None:
        if not has_cap(by, Cap.ACCOUNTS_2FA_RESET):
            raise PermissionDenied
        if by.pk == user.pk:
            raise ValidationError(_(
                "Nobody may reset their own second factor; ask another security "
                "administrator."))
    with transaction.atomic():
        removed = _delete_devices(user)
        audit_record(actor=by, action="account.2fa_reset", obj=user,
                     before={"devices": removed})
    return removed
