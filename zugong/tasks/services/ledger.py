"""Targets, tasks and their ledgers: assignment, progress, dispatch decisions, cancelling."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.audit import audit_record, model_snapshot
from zugong.core.notices import notify
from zugong.people.models import OrgUnit, Person, Role, User

from .. import events
from ..access import Cap, department_of, in_scope, may_approve_backdate, may_lead, may_update
from ..models import Entry, EntryKind, Source, Target, Task, TaskStatus
from ._common import (
    UNVERSIONED,
    _add,
    _check_evidence,
    _task_url,
    _users_of,
    actor,
    edit_task,
    is_system,
    user_or_none,
)

TASK_FIELDS = ("title", "section", "lead", "deputy", "source", "weight", "start", "deadline",
               "target", "parent")


def target_add(*, by, department: OrgUnit, year: int, title: str) -> Target:
    """The department's targets are set by its head (部长); sections break them down."""
    if not is_system(by) and not in_scope(by, Cap.TASKS_HEAD, department):
        raise PermissionDenied
    if not (title or "").strip():
        raise ValidationError({"title": [_("Give the target a title.")]})
    with transaction.atomic():
        target = Target.objects.create(department=department, year=year, title=title.strip())
        audit_record(actor=actor(by), action=events.TARGET_ADD, obj=target,
                     after={"year": year, "title": target.title})
    return target


def _validate_task(task: Task, errors: dict) -> None:
    if not (task.title or "").strip():
        _add(errors, "title", _("Give the task a title."))
    if task.start and task.deadline and task.deadline < task.start:
        _add(errors, "deadline", _("The deadline is before the start."))
    if task.weight is not None and not (Decimal(0) < Decimal(task.weight) <= Decimal(100)):
        _add(errors, "weight", _("The weight must be above 0 and at most 100."))
    if task.source not in Source.values:
        _add(errors, "source", _("Choose a source."))
    if task.section_id and task.lead_id and task.lead.unit_id != task.section_id \
            and task.lead.unit.department_id != department_of(task.section).pk:
        _add(errors, "lead", _("The lead person is not in this department."))
    if task.parent_id:
        if task.parent.section.department_id != task.section.department_id:
            _add(errors, "parent", _("The parent task belongs to another department."))
        elif task.deadline and task.deadline > task.parent.deadline:
            _add(errors, "deadline", _("A sub-task cannot end after its parent task."))
    if task.target_id and task.target.year != task.year:
        _add(errors, "target", _("The target is of another year."))


def task_create(*, by, title: str, section: OrgUnit, lead: Person, start: dt.date,
                deadline: dt.date, weight=1, source: str = Source.ANNUAL,
                deputy: Person | None = None, co_workers=(), target: Target | None = None,
                parent: Task | None = None) -> Task:
    if not is_system(by) and not may_lead(by, section):
        raise PermissionDenied
    errors: dict = {}
    try:
        weight = Decimal(str(weight))
    except (InvalidOperation, ValueError):
        _add(errors, "weight", _("Enter a number."))
        weight = None
    task = Task(title=(title or "").strip(), section=section, lead=lead, start=start,
                deadline=deadline, weight=weight, source=source, deputy=deputy,
                target=target, parent=parent,
                department=department_of(section), year=(start or deadline).year)
    _validate_task(task, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        task.save()
        task.co_workers.set(list(co_workers))
        audit_record(actor=actor(by), action=events.TASK_ADD, obj=task,
                     after=model_snapshot(task, TASK_FIELDS))
    return task


def _roll_up(task: Task | None, on: dt.date | None = None) -> None:
    """A parent's progress is the weighted mean of its sub-tasks' progress, and an update
    of a sub-task is an update of the parent for the weekly dispatch."""
    while task is not None:
        children = list(task.children.exclude(status=TaskStatus.CANCELLED)
                        .values_list("progress", "weight"))
        if children:
            total = sum(w for _p, w in children)
            task.progress = int(sum(p * w for p, w in children) / total) if total else 0
        if on and (task.last_update_on is None or task.last_update_on < on):
            task.last_update_on = on
        if task.progress and task.status == TaskStatus.NOT_STARTED:
            task.status = TaskStatus.IN_PROGRESS
        task.save(update_fields=["progress", "last_update_on", "status"])
        task = task.parent


def _closed_error(field: str, message) -> ValidationError:
    return ValidationError({field: [message]})


def _backdate_approvers(task: Task) -> list:
    """Who is asked to approve a backdated completion (see ``may_approve_backdate``)."""
    if task.deputy_id and task.deputy_id != task.lead_id:
        return _users_of(task.deputy)
    heads = User.objects.filter(is_active=True, roles__role=Role.HEAD).distinct()
    return [u for u in heads if in_scope(u, Cap.TASKS_HEAD, task.section)]


def entry_add(*, by, task: Task, on: dt.date, text: str, percent: int | None = None,
              evidence=None, corrects: Entry | None = None, version=UNVERSIONED) -> Entry:
    """A progress entry (or a correction of an earlier one). 100 % closes the task.

    The task is done on the day the completing entry is recorded. An entry dated earlier
    (a backdated completion) is kept as written, but the earlier date counts only once
    the deputy in charge approves it (``completion_backdate_decide``); the deputy (or, for
    a task without one, the head) recording it approves it at once. Jobs, imports and the
    demo (``SYSTEM``) date completions as they are given.

    ``version`` is the task's version the editor saw (pages and the API send it)."""
    if not is_system(by) and not may_update(by, task):
        raise PermissionDenied
    errors: dict = {}
    today = timezone.localdate()
    if not (text or "").strip():
        _add(errors, "text", _("Say what was done."))
    if not isinstance(on, dt.date):
        _add(errors, "on", _("Enter a valid date."))
    elif on > today:
        _add(errors, "on", _("The date is in the future."))
    elif on < task.start:
        _add(errors, "on", _("The date is before the task started."))
    if percent is not None and not 0 <= int(percent) <= 100:
        _add(errors, "percent", _("The percentage must be between 0 and 100."))
    if not task.is_open:
        _add(errors, "text", _("The task is closed; its ledger takes no more progress."))
    if corrects is not None and corrects.task_id != task.pk:
        _add(errors, "corrects", _("That entry belongs to another task."))
    if percent is not None and int(percent) == 100 and not evidence \
            and not task.children.exists():
        _add(errors, "evidence", _("A finished task needs an evidence file."))
    _check_evidence(evidence, errors)
    if errors:
        raise ValidationError(errors)
    made: list[Entry] = []
    completion: dict = {}

    def apply(locked: Task) -> None:
        if not locked.is_open:
            raise _closed_error("text", _("The task is closed; its ledger takes no more "
                                          "progress."))
        entry = Entry(task=locked, on=on, text=text.strip(), percent=percent,
                      by=user_or_none(by),
                      kind=EntryKind.CORRECTION if corrects else EntryKind.PROGRESS,
                      corrects=corrects)
        if evidence:
            entry.evidence = evidence
        entry.save()
        made.append(entry)
        locked.last_update_on = max(locked.last_update_on or on, on)
        if percent is not None:
            locked.progress = int(percent)
            if locked.progress == 100:
                locked.status, locked.done_on, locked.done_claimed_on = \
                    TaskStatus.DONE, on, None
                if on < today and not is_system(by):
                    if may_approve_backdate(by, locked):
                        completion["approved"] = True
                    else:
                        locked.done_on, locked.done_claimed_on = today, on
                        completion["claimed"] = True
            elif locked.status == TaskStatus.NOT_STARTED:
                locked.status = TaskStatus.IN_PROGRESS

    with transaction.atomic():
        task = edit_task(task, version=version, apply=apply)
        _roll_up(task.parent, on)
        audit_record(actor=actor(by), action=events.ENTRY_ADD, obj=task,
                     after={"on": on.isoformat(), "percent": percent, "text": made[0].text})
        if completion.get("approved"):
            audit_record(actor=actor(by), action=events.COMPLETION_APPROVE, obj=task,
                         before={"done_on": today.isoformat()},
                         after={"done_on": on.isoformat()})
        elif completion.get("claimed"):
            audit_record(actor=actor(by), action=events.COMPLETION_BACKDATE, obj=task,
                         after={"claimed": on.isoformat(), "done_on": today.isoformat(),
                                "deadline": task.original_deadline.isoformat()})
            notify(recipients=_backdate_approvers(task), kind=events.NOTICE_BACKDATE,
                   title=_("Backdated completion of “%(t)s” awaits your approval")
                   % {"t": task.title}, url=_task_url(task),
                   dedupe_key=f"tasks.backdate.{task.pk}.{on.isoformat()}")
    return made[0]


def completion_backdate_decide(*, by, task: Task, approve: bool,
                               version=UNVERSIONED) -> Task:
    """The deputy in charge approves (or refuses) a completion dated before the day it
    was recorded. Approved, the task is done on the claimed date; refused, the recording
    date stands. Either way the decision is a ledger entry and is audited. The claim is
    read on the locked row: the caller's copy may predate it."""
    if not may_approve_backdate(by, task):
        raise PermissionDenied
    before: dict = {}

    def apply(locked: Task) -> None:
        claimed = locked.done_claimed_on
        if claimed is None:
            raise _closed_error("decision", _("No backdated completion awaits approval."))
        before["done_on"] = locked.done_on.isoformat()
        if approve:
            text = _("Completion date %(d)s approved") % {"d": claimed.isoformat()}
            locked.done_on = claimed
        else:
            text = _("Completion date %(d)s not approved; the task counts as done on "
                     "%(r)s") % {"d": claimed.isoformat(), "r": locked.done_on.isoformat()}
        locked.done_claimed_on = None
        Entry.objects.create(task=locked, kind=EntryKind.STATUS, on=timezone.localdate(),
                             text=text, by=user_or_none(by))

    with transaction.atomic():
        task = edit_task(task, version=version, apply=apply)
        audit_record(actor=actor(by), action=events.COMPLETION_APPROVE if approve
                     else events.COMPLETION_REFUSE, obj=task, before=before,
                     after={"done_on": task.done_on.isoformat()})
    return task


def dispatch_decide(*, by, task: Task, text: str, new_deadline: dt.date | None = None,
                    on: dt.date | None = None, version=UNVERSIONED) -> Entry:
    """A decision of the weekly dispatch meeting; it lands in the task's ledger."""
    if not may_lead(by, task):
        raise PermissionDenied
    errors: dict = {}
    on = on or timezone.localdate()
    if not (text or "").strip():
        _add(errors, "text", _("Write the instruction."))
    if new_deadline is not None and new_deadline < task.start:
        _add(errors, "new_deadline", _("The deadline is before the start."))
    if not task.is_open:
        _add(errors, "text", _("The task is closed."))
    if errors:
        raise ValidationError(errors)
    made: list[Entry] = []
    before: dict = {}

    def apply(locked: Task) -> None:
        if not locked.is_open:
            raise _closed_error("text", _("The task is closed."))
        before["deadline"] = locked.deadline.isoformat()
        made.append(Entry.objects.create(task=locked, kind=EntryKind.DISPATCH, on=on,
                                         text=text.strip(), new_deadline=new_deadline,
                                         by=user_or_none(by)))
        if new_deadline:
            locked.deadline = new_deadline
            if locked.status == TaskStatus.OVERDUE and new_deadline >= on:
                locked.status = TaskStatus.IN_PROGRESS if locked.progress else \
                    TaskStatus.NOT_STARTED
            locked.overdue_noted = locked.escalated = False

    with transaction.atomic():
        task = edit_task(task, version=version, apply=apply)
        entry = made[0]
        audit_record(actor=actor(by), action=events.TASK_DISPATCH, obj=task, before=before,
                     after={"text": entry.text, "deadline": task.deadline.isoformat()})
        notify(recipients=_users_of(task.lead), kind=events.NOTICE_DISPATCH,
               title=_("Dispatch decision on “%(task)s”") % {"task": task.title},
               body=entry.text, url=_task_url(task))
    return entry


def task_cancel(*, by, task: Task, reason: str, version=UNVERSIONED) -> Task:
    if not may_lead(by, task):
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the task is cancelled.")]})
    if not task.is_open:
        raise ValidationError({"reason": [_("The task is already closed.")]})

    def apply(locked: Task) -> None:
        if not locked.is_open:
            raise _closed_error("reason", _("The task is already closed."))
        locked.status, locked.reason = TaskStatus.CANCELLED, reason.strip()
        Entry.objects.create(task=locked, kind=EntryKind.STATUS, on=timezone.localdate(),
                             text=_("Cancelled: %(reason)s") % {"reason": locked.reason},
                             by=user_or_none(by))

    with transaction.atomic():
        task = edit_task(task, version=version, apply=apply)
        _roll_up(task.parent)
        audit_record(actor=actor(by), action=events.TASK_CANCEL, obj=task,
                     after={"reason": task.reason})
    return task
