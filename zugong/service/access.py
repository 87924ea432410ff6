"""Who may do what in the service app. A cadre keeps their own service records (points,
households, visits, problems, 五送, 实事); leaders read and pair those of the cadres in
their scope and assign problems; the head sets the department's rules. The three
administrators hold none of these capabilities.
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
           "in_scope", "may_keep", "may_manage", "may_manage_department", "people_in_scope",
           "person_for_filter",
           "require_cap"]


class Cap(PeopleCap):
    SERVICE_VIEW = "service.view"
    SERVICE_MANAGE = "service.manage"
    SERVICE_RULES = "service.rules"


def may_manage(user) -> bool:
    return has_cap(user, Cap.SERVICE_MANAGE)


def may_keep(user, person) -> bool:
    """Whether the user writes service records for this person: their own, or a leader's
    for a cadre in scope."""
    if getattr(user, "person_id", None) == person.pk:
        return has_cap(user, Cap.SERVICE_VIEW)
    return in_scope(user, Cap.SERVICE_MANAGE, person)


def may_manage_department(user, department) -> bool:
    """Whether the user keeps the department's roster of experts: a leader of it."""
    if not has_cap(user, Cap.SERVICE_MANAGE):
        return False
    return department.pk in {d.pk for d in departments_for(user, Cap.SERVICE_MANAGE)}
