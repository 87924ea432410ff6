"""Who may see and do what in care (M15, M35, M42 in DOMAIN.md).

Activities, political birthdays and leave are everyday records: every business role reads
them in its scope (a cadre their own and their department's activities), leaders record
them. Health checks, recuperation and hardship support are sensitive: read and written
only with ``care.sensitive`` (the head and the deputy heads) over the person; the three
administrators hold none of these capabilities, and a cadre does not hold it either.
"""

from __future__ import annotations

from zugong.people.access import Cap as PeopleCap
from zugong.people.access import (
    department_get_for_user,
    department_of,
    departments_for,
    has_cap,
    in_scope,
    people_in_scope,
    person_for_filter,
    require_cap,
)

__all__ = ["Cap", "department_get_for_user", "department_of", "departments_for", "has_cap",
           "in_scope", "may_manage_department", "people_in_scope", "person_for_filter",
           "require_cap"]


class Cap(PeopleCap):
    CARE_VIEW = "care.view"
    CARE_MANAGE = "care.manage"
    CARE_SENSITIVE = "care.sensitive"


def may_manage_department(user, department) -> bool:
    """Whether the user records activities of this department."""
    if not has_cap(user, Cap.CARE_MANAGE):
        return False
    return any(d.pk == department.pk for d in departments_for(user, Cap.CARE_MANAGE))
