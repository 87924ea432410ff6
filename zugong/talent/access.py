"""Who may see and do what in talent (M41, M49 in DOMAIN.md).

The talent database belongs to a department: every business role reads its own
department's talents (``talent.view``), leaders record talents, evaluations, contacts and
matters (``talent.manage``), and a talent's phone number is shown to them only. The
team's entry and exit (reserve pool, promotion proposals, rotation, exit) is personnel
work: ``talent.team``, the head and the deputy heads over people in scope. The three
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
           "in_scope", "may_manage_department", "people_in_scope", "person_for_filter",
           "require_cap"]


class Cap(PeopleCap):
    TALENT_VIEW = "talent.view"
    TALENT_MANAGE = "talent.manage"
    TALENT_TEAM = "talent.team"


def may_manage_department(user, department, cap: str = Cap.TALENT_MANAGE) -> bool:
    """Whether the user records talents (or, with ``talent.team``, team moves) of this
    department."""
    if not has_cap(user, cap):
        return False
    return any(d.pk == department.pk for d in departments_for(user, cap))
