"""Starting a department in an empty installation (or a further one beside the first).

Before this, the only way to get the first 组织部 was the demo or the Django shell: the
unit pages need a parent the user may change, and nobody has one in an empty installation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from zugong.core.audit import SYSTEM, audit_record
from zugong.core.dictionaries import resolve
from zugong.core.models import DictTable
from zugong.core.notices import notify

from .. import events
from ..access import Cap, has_cap, subtree_q
from ..models import OrgUnit, Person, Role, RoleAssignment, Scope, UnitKind, User
from .accounts import _by_system, account_create, role_grant
from .records import unit_create

MAX_SECTIONS = 40


@dataclass
class DepartmentSetup:
    """What ``department_setup`` made; the password is shown once and never stored."""

    department: OrgUnit
    sections: list[OrgUnit] = field(default_factory=list)
    head: User | None = None
    password: str = ""


def _require(by) -> None:
    if not _by_system(by) and not has_cap(by, Cap.DEPARTMENTS_CREATE):
        raise PermissionDenied


def section_code(department_code: str, number: int) -> str:
    """Sections get the department's code and a two-digit number (the workbook can use them)."""
    return f"{department_code}{number:02d}"


def department_setup(*, by, name: str, code: str, region: str = "", sections=(),
                     head_username: str = "", parent: OrgUnit | None = None) -> DepartmentSetup:
    """Create a department (the top unit when ``parent`` is None), its sections and its
    head's account with the head role over the department and everything below it.

    The head's person record usually does not exist yet (people come with the first
    import); ``department_head_link`` links it afterwards. One transaction: a bad section
    or a taken username leaves nothing behind.
    """
    _require(by)
    name, code = (name or "").strip(), (code or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("This field is required.")]
    if not code:
        errors["code"] = [_("This field is required.")]
    elif len(code) > 28:
        errors["code"] = [_("The code may have at most 28 characters.")]
    names = [s.strip() for s in sections if s and s.strip()]
    if len(names) > MAX_SECTIONS:
        errors["sections"] = [_("At most %(n)s sections at once.") % {"n": MAX_SECTIONS}]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        errors["sections"] = [_("Sections named twice: %(names)s.") % {"names": "、".join(dupes)}]
    if code and OrgUnit.objects.filter(code__in=[code, *(section_code(code, i)
                                                        for i in range(1, len(names) + 1))]
                                       ).exists():
        errors["code"] = [_("A unit with this code already exists.")]
    head_username = (head_username or "").strip()
    if head_username and User.objects.filter(username__iexact=head_username).exists():
        errors["head_username"] = [_("This username is already taken.")]
    region_item = None
    if region:
        try:
            region_item = resolve(DictTable.DIVISION, region, field="region")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        department = unit_create(by=by, parent=parent, name=name, kind=UnitKind.ORG_DEPT,
                                 code=code)
        if region_item is not None:
            department.region = region_item
            department.save(update_fields=["region"])
        made = DepartmentSetup(department=department)
        for number, section in enumerate(names, start=1):
            made.sections.append(unit_create(by=by, parent=department, name=section,
                                             kind=UnitKind.SECTION,
                                             code=section_code(code, number),
                                             position=number))
        if head_username:
            made.head, made.password = account_create(by=by, username=head_username)
            # The one documented exception to 三员分立 (docs/security.md): the new
            # department's head role for the account made in this same step, recorded as
            # this administrator's grant and put before the security administrators.
            role_grant(by=SYSTEM, user=made.head, role=Role.HEAD,
                       scope=Scope.OWN_UNIT_AND_BELOW, unit=department,
                       setup_by=None if _by_system(by) else by)
            _tell_security_administrators(made.head, department)
        audit_record(actor=by, action=events.DEPARTMENT_SETUP, obj=department, after={
            "name": name, "code": code, "region": region_item.code if region_item else "",
            "sections": names, "head": head_username})
    return made


def _tell_security_administrators(head: User, department: OrgUnit) -> None:
    """Roles are the security administrator's to answer for: a grant they did not make
    reaches them as a notice linking the account's roles, to keep or revoke."""
    admins = User.objects.filter(is_active=True, roles__role=Role.SECADMIN)
    notify(recipients=admins, kind=events.NOTICE_SETUP_GRANT,
           title=_("Review: %(user)s was made head of %(dept)s by the department setup") % {
               "user": head.username, "dept": department.name},
           body=_("The system administrator who set up the department granted this role "
                  "in the same step. Keep it, change the scope or revoke it."),
           url=reverse("people:account_roles", args=[head.pk]),
           dedupe_key=f"setup-grant:{head.pk}")


def department_head_link(*, by, department: OrgUnit, user: User, person: Person) -> User:
    """Link a head's account to the head's own person record, picked by name.

    Only an account that heads this department and has no person yet, and only a person
    of the department's tree: the administrator links, never reads or moves records.
    """
    _require(by)
    if not RoleAssignment.objects.filter(user=user, role=Role.HEAD, unit=department).exists():
        raise ValidationError({"user": _("This account is not the head of this department.")})
    if user.person_id is not None:
        raise ValidationError({"user": _("This account is already linked to a person.")})
    department.refresh_from_db(fields=["path"])
    if not Person.objects.filter(subtree_q("unit_path", department.path), pk=person.pk).exists():
        raise ValidationError({"person": _("The person is not in this department.")})
    if User.objects.filter(person=person).exists():
        raise ValidationError({"person": _("This person already has an account.")})
    with transaction.atomic():
        user.person = person
        user.save(update_fields=["person"])
        audit_record(actor=by, action=events.DEPARTMENT_HEAD_LINK, obj=user,
                     after={"department": department.pk, "person": person.pk})
    return user
