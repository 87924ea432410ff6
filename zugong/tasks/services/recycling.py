"""Deleting tasks and monthly items into the recycle bin (回收站), and the guards on putting
them back."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zugong.core.audit import audit_record, model_snapshot
from zugong.core.recycle import recycle

from .. import events
from ..access import Cap, department_of, may_lead
from ..models import MonthlyItem, Task, YearClearance
from ..selectors import monthly_item_delete_blocker, task_delete_blocker
from ._common import actor
from .ledger import TASK_FIELDS, _roll_up


def task_delete(*, by, task: Task) -> None:
    """Delete a task entered by mistake (no ledger, sub-tasks or monthly items yet) into
    the bin; the leaders who may assign tasks in its section may, and the leaders with its
    lead in scope put it back. A parent's progress is recomputed without it."""
    if not may_lead(by, task):
        raise PermissionDenied
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task.pk)
        blocker = task_delete_blocker(task)
        if blocker:
            raise ValidationError(blocker)
        before = model_snapshot(task, TASK_FIELDS)
        task_id, parent = str(task.pk), task.parent
        label = f"{task.section.name} · {task.title}"
        entry = recycle(task, by=by, cap=Cap.TASKS_LEAD, person_id=task.lead_id,
                        department_id=task.department_id, label=label)
        _roll_up(parent)
        audit_record(actor=actor(by), action=events.TASK_DELETE, object_type="tasks.task",
                     object_id=task_id, object_repr=label, before=before,
                     after={"recycled": entry.pk})


def task_restore_check(*, rows) -> None:
    """The recycle bin's guard (hook ``recycle.tasks.task``): a task comes back only into a
    year not yet cleared (a cleared year has no open task) and under a parent still open."""
    for row in rows:
        if not isinstance(row, Task):
            continue
        if YearClearance.objects.filter(department_id=row.department_id,
                                        year=row.year).exists():
            raise ValidationError(_("The task cannot be restored: the year %(year)s has been "
                                    "cleared.") % {"year": row.year})
        if row.parent_id and not Task.objects.get(pk=row.parent_id).is_open:
            raise ValidationError(_("The task cannot be restored: its parent task is "
                                    "closed."))


def task_restored(*, rows) -> None:
    """After a restore (hook ``recycled.tasks.task``): the parent's progress counts the
    sub-task again, as it stopped counting it when it was deleted."""
    for row in rows:
        if isinstance(row, Task) and row.parent_id:
            _roll_up(Task.objects.get(pk=row.parent_id))


def monthly_item_delete(*, by, item: MonthlyItem) -> None:
    """Delete a planned monthly item into the bin; the leaders of its section may. It
    belongs to no one person, so the department's leaders restore it."""
    if not may_lead(by, item.section):
        raise PermissionDenied
    with transaction.atomic():
        item = MonthlyItem.objects.select_for_update().get(pk=item.pk)
        blocker = monthly_item_delete_blocker(item)
        if blocker:
            raise ValidationError(blocker)
        item_id = str(item.pk)
        label = f"{item.section.name} · {item.month} · {item.title}"
        entry = recycle(item, by=by, cap=Cap.TASKS_LEAD,
                        department_id=department_of(item.section).pk, label=label)
        audit_record(actor=actor(by), action=events.MONTHLY_DELETE,
                     object_type="tasks.monthlyitem", object_id=item_id, object_repr=label,
                     before={"month": str(item.month), "title": item.title,
                             "task": item.task_id},
                     after={"recycled": entry.pk})


def monthly_item_restore_check(*, rows) -> None:
    """The recycle bin's guard (hook ``recycle.tasks.monthlyitem``): an item names a task
    of its own section only, as when it was listed; the task may have moved since."""
    for row in rows:
        if isinstance(row, MonthlyItem) and row.task_id and not Task.objects.filter(
                pk=row.task_id, section_id=row.section_id).exists():
            raise ValidationError(_("The item cannot be restored: its task now belongs to "
                                    "another section."))
