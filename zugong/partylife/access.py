"""Who may see and do what in Party life and rectification.

* ``partylife.view`` (every business role): meetings of the branches and groups in scope,
  and every meeting the user is on the attendance of.
* ``partylife.record`` (leaders): record meetings, attendance, appraisals for units in scope.
* ``partylife.lead`` (leaders): read sensitive minutes, checking material and criticisms of
  people in scope. A criticism is otherwise read only by its two parties.
* ``rectification.view`` (every business role): one's own problems and measures, and those
  of people and units in scope.
* ``rectification.manage`` (leaders, supervision officers): add problems, set measures,
  verify and close them, in scope. Nobody verifies their own measure.

The three administrators hold none of these.
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
    scope_q,
    subtree_q,
    unit_for_filter,
)

__all__ = ["Cap", "department_get_for_user", "department_of", "departments_for", "has_cap",
           "in_scope", "people_in_scope", "person_for_filter", "require_cap", "scope_q",
           "subtree_q", "unit_for_filter", "may_record_unit", "may_lead_person",
           "may_manage_person"]


class Cap(PeopleCap):
    PARTYLIFE_VIEW = "partylife.view"
    PARTYLIFE_RECORD = "partylife.record"
    PARTYLIFE_LEAD = "partylife.lead"
    RECT_VIEW = "rectification.view"
    RECT_MANAGE = "rectification.manage"


def may_record_unit(user, unit) -> bool:
    """Whether the user records meetings held by this branch or group."""
    return in_scope(user, Cap.PARTYLIFE_RECORD, unit)


def may_lead_person(user, person) -> bool:
    """Whether the user leads this member (sensitive minutes, materials, criticisms)."""
    return in_scope(user, Cap.PARTYLIFE_LEAD, person)


def may_manage_person(user, person) -> bool:
    return in_scope(user, Cap.RECT_MANAGE, person)
