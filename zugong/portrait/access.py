"""Who may read portraits and edit their rules.

A portrait gathers a cadre's figures from every app, so it is read by the leaders, the
assessment office and supervision in their scope, never by a cadre about colleagues and
never by the three administrators. The rules are edited by the head and the assessment
office, each department its own set (``departments_for`` with ``portrait.rules``: their own
department and the departments in their scope; any other is 404). The installation's default
set is read by every holder of ``portrait.rules`` and changed only by the installation's top
department (:func:`may_edit_defaults`). Sensitive sources are shown in detail only with
their own capability (a rule's ``detail_cap``, e.g. ``supervision.view``) over the person:
see ``selectors``.
"""

from __future__ import annotations

from zugong.people.access import Cap as PeopleCap
from zugong.people.access import (
    department_get_for_user,
    departments_for,
    has_cap,
    in_scope,
    people_in_scope,
    person_for_filter,
    require_cap,
    scope_q,
)
from zugong.people.models import OrgUnit

__all__ = ["Cap", "department_get_for_user", "departments_for", "has_cap", "in_scope",
           "may_edit_defaults", "may_see_detail", "people_in_scope", "person_for_filter",
           "require_cap", "scope_q"]


class Cap(PeopleCap):
    PORTRAIT_VIEW = "portrait.view"
    PORTRAIT_RULES = "portrait.rules"


def may_see_detail(user, rule, person) -> bool:
    """Whether the user sees a source's value and records for this person."""
    if not rule.sensitive:
        return True
    return bool(rule.detail_cap) and in_scope(user, rule.detail_cap, person)


def may_edit_defaults(user) -> bool:
    """Whether the user may change the installation's default rules and mapping.

    The defaults are what every department without a set of its own scores by, so only the
    installation's own top department may change them: a holder of ``portrait.rules`` whose
    unit scope covers every root of the unit tree. With several roots (independent
    departments sharing one server) nobody is above all of them, and the defaults stay as
    shipped; each department keeps its own set instead. The system administrator holds no
    ``portrait.rules`` (三员分立), so this is no administrator's path.
    """
    q = scope_q(user, Cap.PORTRAIT_RULES, kind="unit")
    if q is None:
        return False
    roots = OrgUnit.objects.filter(depth=1)
    total = roots.count()
    return total > 0 and roots.filter(q).count() == total
