"""Role capabilities and data scope: who may do what, to which records.

Every selector asks this module for a filter; no view decides access itself.
Capabilities come from roles (what kind of thing a user may do); scopes come from role
assignments (which records). A record outside every scope is "not found" (404); a
record in scope but without the needed capability is "forbidden" (403).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, prefetch_related_objects
from django.http import Http404

from zugong.core.registry import role_caps

from .models import ADMIN_ROLES, OrgUnit, Person, Role, RoleAssignment, Scope, UnitKind


class Cap:
    PEOPLE_VIEW = "people.view"
    PEOPLE_CHANGE = "people.change"
    PEOPLE_SENSITIVE = "people.view_sensitive"
    PEOPLE_EXPORT = "people.export"
    UNITS_VIEW = "units.view"
    UNITS_CHANGE = "units.change"
    # Start a new organization department: a top unit, its sections and its head's account.
    DEPARTMENTS_CREATE = "departments.create"
    ACCOUNTS_CREATE = "accounts.create"
    JOBS_VIEW = "jobs.view"
    ROLES_GRANT = "roles.grant"
    ACCOUNTS_UNLOCK = "accounts.unlock"
    # Delete a user's second factor (lost phone) so that they enrol again.
    ACCOUNTS_2FA_RESET = "accounts.2fa_reset"
    # List and revoke anyone's API tokens (a leaked token, a departing colleague).
    TOKENS_REVOKE = "accounts.tokens_revoke"  # noqa: S105  # nosec B105
    DICT_CHANGE = "dictionaries.change"
    AUDIT_VIEW = "audit.view"


# The business roles (everyone but the three administrators), and the leaders among them:
# the usual receivers of an app's read and lead capabilities (see each app's plugin.py).
BUSINESS_ROLES = (Role.HEAD, Role.DEPUTY, Role.SECTION_CHIEF, Role.CADRE, Role.SUPERVISION,
                  Role.ASSESSMENT)
LEADER_ROLES = (Role.HEAD, Role.DEPUTY, Role.SECTION_CHIEF)


def assignments(user) -> list[RoleAssignment]:
    """The user's role assignments, loaded once per request object.

    One query (with each anchor unit); the custom-unit lists, which most users lack, cost
    a second query only when some assignment has the custom scope. Every page asks for
    these, so the saved query is on every request.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_zg_assignments", None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).select_related("unit"))
        custom = [a for a in cached if a.scope == Scope.CUSTOM]
        if custom:
            prefetch_related_objects(custom, "units")
        user._zg_assignments = cached
    return cached


def roles_of(user) -> set[str]:
    return {a.role for a in assignments(user)}


def is_admin(user) -> bool:
    return bool(roles_of(user) & ADMIN_ROLES)


def second_factor_required(user) -> bool:
    """Whether the user must sign in with a second factor (ZUGONG_2FA_REQUIRED and one of
    ZUGONG_2FA_ROLES among their role assignments)."""
    if not settings.ZUGONG_2FA_REQUIRED:
        return False
    return bool(roles_of(user) & set(settings.ZUGONG_2FA_ROLES))


def caps_of(user) -> frozenset[str]:
    """Every capability some role of the user grants (kept with the assignments)."""
    assigned = assignments(user)
    held = getattr(user, "_zg_caps", None)
    # Keyed by the assignments list: whoever drops that (a grant in this request) drops
    # this too.
    if held is None or held[0] is not assigned:
        caps = frozenset().union(*(role_caps().get(a.role, ()) for a in assigned))
        held = (assigned, caps)
        if getattr(user, "is_authenticated", False):
            user._zg_caps = held
    return held[1]


def has_cap(user, cap: str) -> bool:
    return cap in caps_of(user)


def require_cap(user, cap: str) -> None:
    if not has_cap(user, cap):
        raise PermissionDenied


def _own_unit(user, assignment):
    if assignment.unit_id:
        return assignment.unit
    person = getattr(user, "person", None)
    return person.unit if person else None


_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # django-treebeard's default path alphabet


def path_upper_bound(path: str) -> str | None:
    """The smallest path after every path that starts with ``path`` (base-36 increment).

    ``path <= x < bound`` is the subtree as a range, which a plain B-tree index answers
    under any collation; ``LIKE 'path%'`` needs the C collation or a pattern-ops index.
    """
    chars = list(path)
    for i in range(len(chars) - 1, -1, -1):
        pos = _ALPHABET.index(chars[i])
        if pos + 1 < len(_ALPHABET):
            chars[i] = _ALPHABET[pos + 1]
            return "".join(chars[: i + 1])
        chars[i] = _ALPHABET[0]
    return None


def subtree_q(field: str, path: str) -> Q:
    bound = path_upper_bound(path)
    q = Q(**{f"{field}__gte": path})
    return q & Q(**{f"{field}__lt": bound}) if bound else q


def _path_q(field: str, paths: set[str]) -> Q:
    q = Q(pk__in=[])
    for path in sorted(paths):
        q |= subtree_q(field, path)
    return q


def scope_q(user, cap: str, *, kind: str) -> Q | None:
    """Filter for the records (``kind`` "person" or "unit") the user may use with ``cap``.

    None means the user holds no role with this capability at all.
    """
    relevant = [a for a in assignments(user) if cap in role_caps().get(a.role, ())]
    if not relevant:
        return None
    path_field = "unit_path" if kind == "person" else "path"
    exact_field = "unit_id" if kind == "person" else "pk"
    below: set[str] = set()
    exact: set[int] = set()
    q = Q(pk__in=[])
    for a in relevant:
        if a.scope == Scope.ALL:
            return Q()
        if a.scope == Scope.CUSTOM:
            exact.update(u.pk for u in a.units.all())
        elif a.scope in (Scope.OWN_UNIT, Scope.OWN_UNIT_AND_BELOW):
            unit = _own_unit(user, a)
            if unit is None:
                continue
            if a.scope == Scope.OWN_UNIT:
                exact.add(unit.pk)
            else:
                below.add(unit.path)
        elif a.scope == Scope.SELF and user.person_id:
            if kind == "person":
                q |= Q(pk=user.person_id)
            else:
                q |= Q(pk=user.person.unit_id)
    if exact:
        q |= Q(**{f"{exact_field}__in": sorted(exact)})
    if below:
        q |= _path_q(path_field, below)
    return q


def people_in_scope(user, cap: str = Cap.PEOPLE_VIEW):
    q = scope_q(user, cap, kind="person")
    if q is None:
        return Person.objects.none()
    return Person.objects.filter(q)


def covers(user, cap: str, *, over: str = Cap.PEOPLE_VIEW) -> bool:
    """Whether ``cap`` reaches every record the user can see with ``over``.

    True when each assignment granting ``over`` also grants ``cap``: the scope of ``cap``
    is then a superset, so a record already fetched through ``over``'s scope needs no
    second query to be checked (a head's sensitive values and write access, say).
    """
    relevant = [a for a in assignments(user) if over in role_caps().get(a.role, ())]
    return bool(relevant) and all(cap in role_caps().get(a.role, ()) for a in relevant)


def can_view_sensitive(user, person: Person) -> bool:
    """Full ID and phone of a person the user can see: the person themself, or a role
    entitled to them in scope."""
    if user.person_id and user.person_id == person.pk:
        return True
    if covers(user, Cap.PEOPLE_SENSITIVE):
        return True
    q = scope_q(user, Cap.PEOPLE_SENSITIVE, kind="person")
    if q is None:
        return False
    return Person.objects.filter(q, pk=person.pk).exists()


def sensitive_scope_ids(user, people) -> set[int]:
    """Of the given people (ones the user can see), those whose sensitive values this user
    may see: at most one query, none when every viewing role is entitled."""
    ids = [p.pk for p in people]
    if covers(user, Cap.PEOPLE_SENSITIVE):
        return set(ids)
    allowed = {user.person_id} & set(ids) if user.person_id else set()
    q = scope_q(user, Cap.PEOPLE_SENSITIVE, kind="person")
    if q is not None and ids:
        allowed |= set(Person.objects.filter(q, pk__in=ids).values_list("pk", flat=True))
    return allowed


# ---------------------------------------------------------------- departments
# One set of department helpers for every app (learning, talks, tasks, assessment each had
# a variant). A department is an organization department's unit (UnitKind.ORG_DEPT); a
# unit's department is the nearest one above it (OrgUnit.department), or the unit itself
# when it is a department.


def department_of(obj) -> OrgUnit:
    """The department of a unit, or of a person's unit."""
    unit = obj.unit if isinstance(obj, Person) else obj
    return unit.department if unit.department_id else unit


def departments_for(user, cap: str, *, own: bool = True) -> list[OrgUnit]:
    """Departments the user may use with ``cap``: those in their unit scope and, with
    ``own``, the department of their own unit (a cadre with "self" scope still belongs to
    one). Raises PermissionDenied when no role of the user holds ``cap``."""
    q = scope_q(user, cap, kind="unit")
    if q is None:
        raise PermissionDenied
    ids = set(OrgUnit.objects.filter(q, kind=UnitKind.ORG_DEPT).values_list("pk", flat=True))
    person = getattr(user, "person", None)
    if own and person is not None and person.unit.department_id:
        ids.add(person.unit.department_id)
    return list(OrgUnit.objects.filter(pk__in=ids).order_by("path"))


def department_get_for_user(user, pk, cap: str, *, own: bool = True) -> OrgUnit:
    """One of :func:`departments_for` (404 for any other id). Without ``pk``: the user's own
    department when it is one of them, else the first."""
    depts = departments_for(user, cap, own=own)
    if not depts:
        raise Http404
    if pk in (None, ""):
        person = getattr(user, "person", None)
        own_dept = person.unit.department_id if person is not None else None
        return next((d for d in depts if d.pk == own_dept), depts[0])
    for dept in depts:
        if str(dept.pk) == str(pk):
            return dept
    raise Http404


def in_scope(user, cap: str, obj) -> bool:
    """Whether a person or unit is within the user's scope for ``cap``."""
    kind = "person" if isinstance(obj, Person) else "unit"
    model = Person if kind == "person" else OrgUnit
    q = scope_q(user, cap, kind=kind)
    return q is not None and model.objects.filter(q, pk=obj.pk).exists()


# ---------------------------------------------------------------- list filters
# A list filtered on a person or a unit outside the user's scope answers 404, exactly as the
# record would: an empty list would confirm that the id exists, and the filter bar would
# print the name of someone the user may not see.


def person_for_filter(user, cap: str, pk) -> Person:
    """The person a ``?person=`` filter names, if the user may see them with ``cap``."""
    q = scope_q(user, cap, kind="person")
    person = None
    if q is not None and str(pk).isdigit():
        person = Person.objects.filter(q, pk=int(pk)).select_related("unit").first()
    if person is None:
        raise Http404
    return person


def unit_for_filter(user, cap: str, pk) -> OrgUnit:
    """The unit a ``?unit=`` filter names, if it is within the user's unit scope for
    ``cap``."""
    q = scope_q(user, cap, kind="unit")
    unit = None
    if q is not None and str(pk).isdigit():
        unit = OrgUnit.objects.filter(q, pk=int(pk)).first()
    if unit is None:
        raise Http404
    return unit


def unit_filter_q(user, cap: str, pk, field: str = "person__unit_path") -> Q:
    """Records of the people in the subtree of the unit a ``?unit=`` filter names.

    A figure for a unit links to its records with ``?unit=<id>`` (reports); the list must
    then hold exactly that unit's people. A unit outside the user's scope for ``cap`` is
    "not found" (404), like a missing one. ``field`` is the path of the person's
    ``unit_path`` from the listed model.
    """
    return subtree_q(field, unit_for_filter(user, cap, pk).path)
