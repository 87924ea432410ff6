"""The talks app's part of the workbench: the talks I owe that are coming due or overdue,
and for the department's leaders two headline figures (talk coverage, the term's visits)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from zugong.core.registry import WorkbenchItem
from zugong.people.access import LEADER_ROLES, roles_of

from . import coverage, selectors
from .access import department_of


def items(*, user, today):
    """One count: required pairs where I am the leader and the talk is due soon or late.

    Only leaders owe talks under the coverage rules; for anyone else the list is empty
    after the department's structure is read once (a fixed number of queries).
    """
    person = getattr(user, "person", None)
    department = department_of(person) if person is not None else None
    rules = selectors.rules_of(department) if department is not None else []
    if not rules:
        return []
    reqs = coverage.evaluate(department, today=today, rules=rules)
    owed = [r for r in reqs if r.leader_id == person.pk
            and r.status in (coverage.Status.DUE_SOON, coverage.Status.OVERDUE)]
    out = []
    if owed:
        first = min(r.next_due or r.end for r in owed)
        out.append(WorkbenchItem("talks.due", _("Talks I owe, coming due or overdue"),
                                 len(owed), reverse("talks:coverage"), due=first, order=32))
    if roles_of(user) & set(LEADER_ROLES):
        out += _figures(user, department, today, reqs)
    return out


def _figures(user, department, today, reqs):
    """Talk coverage of the pairs in the user's scope, and the term's 遍访 rate."""
    pairs = [r for r in selectors.coverage_for(user=user, department=department, today=today,
                                               reqs=reqs) if r.trigger is None]
    out = []
    if pairs:
        met = sum(r.status == coverage.Status.MET for r in pairs)
        out.append(WorkbenchItem("talks.coverage", _("Talk coverage (pairs met)"),
                                 f"{met}/{len(pairs)}", reverse("talks:coverage"),
                                 section="figure", order=20))
    term = selectors.term_for(department, today=today)
    if term is not None:
        rate = selectors.visit_rate(user=user, department=department, term=term, today=today)
        if rate is not None:
            out.append(WorkbenchItem("talks.visits", _("Managed cadres visited this term"),
                                     f"{rate}%", reverse("talks:visits"),
                                     section="figure", order=21))
    return out
