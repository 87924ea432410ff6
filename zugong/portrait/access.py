"""Who may read portraits and edit their rules.

A portrait gathers a cadre's figures from every app, so it is read by the leaders, the
assessment office and supervision in their scope, never by a cadre about colleagues and
never by the three administrators. The rules are edited by the head and the assessment
office. Sensitive sources are shown in detail only with their own capability (a rule's
``detail_cap``, e.g. ``supervision.view``) over the person: see ``selectors``.
"""

from __future__ import annotations

from zugong.people.access import Cap as PeopleCap
from zugong.people.access import (
    department_get_for_user,
    has_cap,
    in_scope,
    people_in_scope,
    person_for_filter,
    require_cap,
    scope_q,
)

__all__ = ["Cap", "department_get_for_user", "has_cap", "in_scope", "may_see_detail",
           "people_in_scope", "person_for_filter", "require_cap", "scope_q"]


class Cap(PeopleCap):
    PORTRAIT_VIEW = "portrait.view"
    PORTRAIT_RULES = "portrait.rules"


def may_see_detail(user, rule, person) -> bool:
    """Whether the user sees a source's value and records for this person."""
    if not rule.sensitive:
        return True
    return bool(rule.detail_cap) and in_scope(user, rule.detail_cap, person)
