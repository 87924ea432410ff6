"""Who may see and do what in the ability app (本领).

Lectures, mentoring pairs and the rest are the department's own records: every member of
the department reads them (``ability.view``); the head, the deputies and the section
chiefs record them (``ability.manage``). Departments come from ``people.access``: a user
reads the records of the departments in their unit scope and of their own department.
The three administrators hold none of these capabilities.
"""

from __future__ import annotations

from zugong.people.access import Cap as PeopleCap
from zugong.people.access import (
    department_get_for_user,
    department_of,
    departments_for,
    has_cap,
    require_cap,
    subtree_q,
)

__all__ = ["Cap", "department_get_for_user", "department_ids", "department_of",
           "departments_for", "has_cap", "may_manage", "may_manage_department", "pair_side",
           "require_cap", "subtree_q"]


class Cap(PeopleCap):
    ABILITY_VIEW = "ability.view"
    ABILITY_MANAGE = "ability.manage"


def may_manage(user) -> bool:
    return has_cap(user, Cap.ABILITY_MANAGE)


def department_ids(user, cap: str) -> list[int]:
    """Ids of the departments whose ability records the user may use with ``cap``; an
    empty list when the user holds the capability nowhere (the caller decides 403)."""
    if not has_cap(user, cap):
        return []
    return [d.pk for d in departments_for(user, cap)]


def may_manage_department(user, department_id: int) -> bool:
    return department_id in department_ids(user, Cap.ABILITY_MANAGE)


def pair_side(user, pair) -> str:
    """Which side of a 青蓝 pair the user speaks for: "mentor", "mentee", "chief" (a leader
    of the pair's department who is neither of the two) or "" (none)."""
    person_id = getattr(user, "person_id", None)
    if person_id and person_id == pair.mentor_id:
        return "mentor"
    if person_id and person_id == pair.mentee_id:
        return "mentee"
    if may_manage_department(user, pair.department_id):
        return "chief"
    return ""
