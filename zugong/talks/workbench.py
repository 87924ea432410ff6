"""The talks app's part of the workbench: the talks I owe that are coming due or overdue."""

from django.urls import reverse
from django.utils.translation import gettext as _

from zugong.core.registry import WorkbenchItem

from . import coverage, selectors
from .access import department_of


def items(*, user, today):
    """One count: required pairs where I am the leader and the talk is due soon or late.

    Only leaders owe talks under the coverage rules; for anyone else the list is empty
    after the department's structure is read once (a fixed number of queries).
    """
    person = getattr(user, "person", None)
    department = department_of(person) if person is not None else None
    if department is None or not selectors.rules_of(department):
        return []
    owed = [r for r in coverage.evaluate(department, today=today)
            if r.leader_id == person.pk
            and r.status in (coverage.Status.DUE_SOON, coverage.Status.OVERDUE)]
    if not owed:
        return []
    first = min(r.next_due or r.end for r in owed)
    return [WorkbenchItem("talks.due", _("Talks I owe, coming due or overdue"), len(owed),
                          reverse("talks:coverage"), due=first, order=32)]
