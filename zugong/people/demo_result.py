"""What ``zugong demo`` reports once the demo exists: its logins and its head counts.

Kept apart from the builder (``demo``) so that the builder stays about making people.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .access import subtree_q
from .demo_data import FENGHUANG, HANBIN, LUXI
from .models import OrgUnit, Person, PersonCategory, Scope, User

# A published demo password, printed at start; not a secret.
DEMO_PASSWORD = "Zugong@2026"  # noqa: S105  # nosec B105
ACCOUNTS = ("head", "deputy", "chief", "cadre", "cadre2", "supervisor", "assessor",
            "fh_head", "hb_head", "sysadmin", "secadmin", "auditor")
DEMO_DEPARTMENTS = (f"{LUXI.code}-ZZB", f"{FENGHUANG.code}-ZZB", f"{HANBIN.code}-ZZB")
DEMO_ROOTS = ("43-ZZB", "61-ZZB")


@dataclass(frozen=True)
class DemoAccount:
    """One demo login as shown to whoever starts the demo."""

    username: str
    role: str  # Role code
    role_label: str
    person: str  # person's name, "" for the administrators
    unit: str  # person's unit, "" for the administrators
    scope_label: str
    created: bool  # False when the username existed before and was left alone


@dataclass
class DemoResult:
    accounts: list[DemoAccount]
    units: int
    org_cadres: int
    managed_cadres: int
    created: bool  # False when the demo already existed and nothing was built
    departments: dict[str, tuple[int, int]] = field(default_factory=dict)
    password: str = DEMO_PASSWORD

    @property
    def rows(self) -> list[tuple[str, str, str, str]]:
        """(username, role label, person name or "", unit name or "")."""
        return [(a.username, a.role_label, a.person, a.unit) for a in self.accounts]


def _describe_accounts(created_names: set[str]) -> list[DemoAccount]:
    users = {
        u.username: u
        for u in User.objects.filter(username__in=ACCOUNTS)
        .select_related("person", "person__unit")
        .prefetch_related("roles", "roles__unit", "roles__units")
    }
    rows = []
    for username in ACCOUNTS:
        user = users.get(username)
        if user is None:
            continue
        assignment = next(iter(user.roles.all()), None)
        if assignment is None:
            role = role_label = scope_label = ""
        else:
            role, role_label = assignment.role, str(assignment.get_role_display())
            scope_label = str(assignment.get_scope_display())
            if assignment.scope == Scope.CUSTOM:
                scope_label += ": " + "、".join(u.name for u in assignment.units.all())
            elif assignment.unit_id:
                scope_label += ": " + assignment.unit.name
        person = user.person
        rows.append(DemoAccount(
            username=username, role=role, role_label=role_label,
            person=person.name if person else "",
            unit=person.unit.name if person else "",
            scope_label=scope_label, created=username in created_names,
        ))
    return rows


def result(*, created: bool, created_names: set[str]) -> DemoResult:
    roots = OrgUnit.objects.filter(code__in=DEMO_ROOTS).values_list("path", flat=True)
    unit_q = OrgUnit.objects.none()
    for path in roots:
        unit_q = unit_q | OrgUnit.objects.filter(subtree_q("path", path))
    departments: dict[str, tuple[int, int]] = {}
    totals = [0, 0]
    for dept in OrgUnit.objects.filter(code__in=DEMO_DEPARTMENTS).order_by("path"):
        people = Person.objects.filter(subtree_q("unit_path", dept.path))
        counts = (people.filter(category=PersonCategory.ORG_CADRE).count(),
                  people.filter(category=PersonCategory.MANAGED).count())
        departments[dept.name] = counts
        totals[0] += counts[0]
        totals[1] += counts[1]
    return DemoResult(accounts=_describe_accounts(created_names), units=unit_q.count(),
                      org_cadres=totals[0], managed_cadres=totals[1], created=created,
                      departments=departments)
