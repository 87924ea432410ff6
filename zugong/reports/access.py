"""Who may see and do what in reports (M13, M17 and "The figures a department reports").

A figure is a count over records the reader could open one by one, so it is computed over
the people in the reader's own scope: a cadre sees their own figures, a section chief their
section's, the head the whole department and what it manages. Leaders and the assessment
office keep the catalogue of figures and the annual report's template. A roll-up (a city
or the province over its counties) reads summaries kept over every person of a subtree, so
it is shown only to a reader whose scope covers that whole subtree. The three
administrators hold none of these capabilities.
"""

from __future__ import annotations

from zugong.people.access import Cap as PeopleCap
from zugong.people.access import (
    department_get_for_user,
    has_cap,
    require_cap,
    scope_q,
    subtree_q,
    unit_for_filter,
)
from zugong.people.models import OrgUnit

__all__ = ["Cap", "covers_subtree", "department_get_for_user", "has_cap", "require_cap",
           "scope_q", "subtree_q", "unit_for_filter"]


class Cap(PeopleCap):
    REPORTS_VIEW = "reports.view"
    REPORTS_MANAGE = "reports.manage"


def covers_subtree(user, unit: OrgUnit, cap: str = Cap.REPORTS_VIEW) -> bool:
    """Whether every unit below ``unit`` (and itself) is in the user's unit scope for
    ``cap``: only then may summaries over all of its people be shown."""
    q = scope_q(user, cap, kind="unit")
    if q is None:
        return False
    if q == type(q)():  # scope "all"
        return True
    below = OrgUnit.objects.filter(subtree_q("path", unit.path))
    return below.count() == below.filter(q).count()
