"""Who may do what with the task ledger: the app's capabilities, on top of the people app's,
and the predicates every page, selector and service asks.

The role grants are declared in ``plugin.py``; scope comes from ``zugong.people.access``
(which also holds the one set of department helpers: ``department_of``, ``in_scope``,
``departments_for``).
"""

from __future__ import annotations

from zugong.people.access import Cap as PeopleCap
from zugong.people.access import department_of, in_scope, scope_q
from zugong.people.models import OrgUnit

from .models import MonthlyItem, Task

__all__ = ["Cap", "approvable", "department_of", "in_scope", "may_approve",
           "may_approve_backdate", "may_lead", "may_update"]


class Cap(PeopleCap):
    # Tasks: everyone reads and updates the tasks in their scope; leaders assign, dispatch
    # and approve sign-offs; the head approves carry-overs and clears the year.
    TASKS_VIEW = "tasks.view"
    TASKS_LEAD = "tasks.lead"
    TASKS_HEAD = "tasks.head"


def may_lead(user, task_or_unit) -> bool:
    """Leaders in scope of the task's section (or of the unit) assign and dispatch."""
    unit = task_or_unit.section if isinstance(task_or_unit, Task) else task_or_unit
    return in_scope(user, Cap.TASKS_LEAD, unit)


def may_update(user, task: Task) -> bool:
    """The lead, the co-workers and the leaders in charge write progress."""
    pid = user.person_id
    if pid and (task.lead_id == pid or task.deputy_id == pid
                or task.co_workers.filter(pk=pid).exists()):
        return True
    return may_lead(user, task)


def may_approve(user, item: MonthlyItem) -> bool:
    """The deputy in charge of the item's task approves; without a task, the head."""
    if item.task_id and item.task.deputy_id:
        return user.person_id == item.task.deputy_id
    return in_scope(user, Cap.TASKS_HEAD, item.section)


def approvable(user, items) -> set[int]:
    """The ids of the monthly items :func:`may_approve` allows, decided for a whole page at
    once: the items without a deputy's task cost one query together, not one each."""
    items = list(items)
    mine = {i.pk for i in items if i.task_id and i.task.deputy_id
            and user.person_id == i.task.deputy_id}
    heads = [i for i in items if not (i.task_id and i.task.deputy_id)]
    q = scope_q(user, Cap.TASKS_HEAD, kind="unit") if heads else None
    if q is not None:
        sections = set(OrgUnit.objects.filter(q, pk__in={i.section_id for i in heads})
                       .values_list("pk", flat=True))
        mine |= {i.pk for i in heads if i.section_id in sections}
    return mine


def may_approve_backdate(user, task: Task) -> bool:
    """A completion dated before the day it was recorded is approved by the deputy in
    charge of the task; without one (or when the deputy leads it), by the head."""
    if task.deputy_id and task.deputy_id != task.lead_id:
        return user.person_id is not None and user.person_id == task.deputy_id
    return in_scope(user, Cap.TASKS_HEAD, task.section)
