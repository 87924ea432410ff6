"""Writes of the task ledger. Every write takes ``by`` (the acting user, None for jobs),
checks permission and scope, validates into one ValidationError and is audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core import registry
from zugong.core.audit import audit_record, model_snapshot
from zugong.core.notices import notify
from zugong.core.periods import Period, PeriodKind
from zugong.people.access import scope_q
from zugong.people.models import OrgUnit, Person, Role, RoleAssignment, User
from zugong.people.services import ConflictError

from .access import Cap
from .models import (
    OPEN_STATUSES,
    Entry,
    EntryKind,
    Handover,
    Inquiry,
    ItemStatus,
    MonthlyItem,
    Source,
    StockTake,
    Target,
    Task,
    TaskStatus,
    YearClearance,
)

TASK_FIELDS = ("title", "section", "lead", "deputy", "source", "weight", "start", "deadline",
               "target", "parent")
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
# Days before a deadline when the lead is reminded, and days overdue before the deputy
# in charge is told.
REMIND_DAYS = 3
ESCALATE_DAYS = 5
# How the everyday record (工作记实) names the notes this app writes; it is shown as is.
NOTE_SOURCE = "任务台账"


def _add(errors: dict, field: str, message) -> None:
    errors.setdefault(field, []).append(message)


def department_of(unit: OrgUnit) -> OrgUnit:
    return unit.department if unit.department_id else unit


def in_scope(user, cap: str, unit: OrgUnit) -> bool:
    q = scope_q(user, cap, kind="unit")
    return q is not None and OrgUnit.objects.filter(q, pk=unit.pk).exists()


def may_lead(user, task_or_unit) -> bool:
    unit = task_or_unit.section if isinstance(task_or_unit, Task) else task_or_unit
    return in_scope(user, Cap.TASKS_LEAD, unit)


def may_update(user, task: Task) -> bool:
    """The lead, the co-workers and the leaders in charge write progress."""
    pid = user.person_id
    if pid and (task.lead_id == pid or task.deputy_id == pid
                or task.co_workers.filter(pk=pid).exists()):
        return True
    return may_lead(user, task)


def _users_of(*people) -> list:
    ids = [p.pk for p in people if p is not None]
    return list(User.objects.filter(person_id__in=ids, is_active=True))


def _task_url(task: Task) -> str:
    return reverse("tasks:task", args=[task.pk])


# ---------------------------------------------------------------- targets and tasks


def target_add(*, by, department: OrgUnit, year: int, title: str) -> Target:
    """The department's targets are set by its head (部长); sections break them down."""
    if by is not None and not in_scope(by, Cap.TASKS_HEAD, department):
        raise PermissionDenied
    if not (title or "").strip():
        raise ValidationError({"title": [_("Give the target a title.")]})
    with transaction.atomic():
        target = Target.objects.create(department=department, year=year, title=title.strip())
        audit_record(actor=by, action="tasks.target.add", obj=target,
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
    if by is not None and not may_lead(by, section):
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
        audit_record(actor=by, action="tasks.task.add", obj=task,
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


def _check_evidence(evidence, errors: dict, field: str = "evidence") -> None:
    if evidence is not None and getattr(evidence, "size", 0) > MAX_EVIDENCE_BYTES:
        _add(errors, field, _("The file is larger than 20 MB."))


def entry_add(*, by, task: Task, on: dt.date, text: str, percent: int | None = None,
              evidence=None, corrects: Entry | None = None) -> Entry:
    """A progress entry (or a correction of an earlier one). 100 % closes the task."""
    if by is not None and not may_update(by, task):
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
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task.pk)
        entry = Entry(task=task, on=on, text=text.strip(), percent=percent, by=by,
                      kind=EntryKind.CORRECTION if corrects else EntryKind.PROGRESS,
                      corrects=corrects)
        if evidence:
            entry.evidence = evidence
        entry.save()
        fields = ["last_update_on", "version"]
        task.last_update_on = max(task.last_update_on or on, on)
        task.version += 1
        if percent is not None:
            task.progress = int(percent)
            fields.append("progress")
            if task.progress == 100:
                task.status, task.done_on = TaskStatus.DONE, on
                fields += ["status", "done_on"]
            elif task.status == TaskStatus.NOT_STARTED:
                task.status = TaskStatus.IN_PROGRESS
                fields.append("status")
        task.save(update_fields=fields)
        _roll_up(task.parent, on)
        audit_record(actor=by, action="tasks.entry.add", obj=task,
                     after={"on": on.isoformat(), "percent": percent, "text": entry.text})
    return entry


def dispatch_decide(*, by, task: Task, text: str, new_deadline: dt.date | None = None,
                    on: dt.date | None = None) -> Entry:
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
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task.pk)
        before = {"deadline": task.deadline.isoformat()}
        entry = Entry.objects.create(task=task, kind=EntryKind.DISPATCH, on=on,
                                     text=text.strip(), new_deadline=new_deadline, by=by)
        if new_deadline:
            task.deadline = new_deadline
            if task.status == TaskStatus.OVERDUE and new_deadline >= on:
                task.status = TaskStatus.IN_PROGRESS if task.progress else \
                    TaskStatus.NOT_STARTED
            task.overdue_noted = task.escalated = False
            task.version += 1
            task.save(update_fields=["deadline", "status", "overdue_noted", "escalated",
                                     "version"])
        audit_record(actor=by, action="tasks.dispatch", obj=task, before=before,
                     after={"text": entry.text, "deadline": task.deadline.isoformat()})
        notify(recipients=_users_of(task.lead), kind="tasks.dispatch",
               title=_("Dispatch decision on “%(task)s”") % {"task": task.title},
               body=entry.text, url=_task_url(task))
    return entry


def task_cancel(*, by, task: Task, reason: str) -> Task:
    if not may_lead(by, task):
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the task is cancelled.")]})
    if not task.is_open:
        raise ValidationError({"reason": [_("The task is already closed.")]})
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task.pk)
        task.status, task.reason = TaskStatus.CANCELLED, reason.strip()
        task.version += 1
        task.save(update_fields=["status", "reason", "version"])
        Entry.objects.create(task=task, kind=EntryKind.STATUS, on=timezone.localdate(),
                             text=_("Cancelled: %(reason)s") % {"reason": task.reason}, by=by)
        _roll_up(task.parent)
        audit_record(actor=by, action="tasks.task.cancel", obj=task,
                     after={"reason": task.reason})
    return task


# ---------------------------------------------------------------- monthly plan and stock-take


def monthly_item_add(*, by, section: OrgUnit, month: str, title: str,
                     task: Task | None = None) -> MonthlyItem:
    if by is not None and not may_lead(by, section):
        raise PermissionDenied
    errors: dict = {}
    try:
        Period.parse(month)
    except (ValueError, KeyError):
        _add(errors, "month", _("Enter a month like 2026-03."))
    if not (title or "").strip():
        _add(errors, "title", _("Say what will be finished."))
    if task is not None and task.section_id != section.pk:
        _add(errors, "task", _("The task belongs to another section."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        item = MonthlyItem.objects.create(section=section, month=month, title=title.strip(),
                                          task=task)
        audit_record(actor=by, action="tasks.monthly.add", obj=item,
                     after={"month": month, "title": item.title})
    return item


def monthly_signoff(*, by, item: MonthlyItem, evidence=None, note: str = "") -> MonthlyItem:
    """销号: the section says the item is finished and shows the evidence."""
    if not may_lead(by, item.section) and not (
            item.task_id and by.person_id == item.task.lead_id):
        raise PermissionDenied
    errors: dict = {}
    if item.status != ItemStatus.PLANNED:
        _add(errors, "evidence", _("The item is not awaiting sign-off."))
    if not evidence and not (note or "").strip():
        _add(errors, "evidence", _("A sign-off needs evidence: attach a file or describe it."))
    _check_evidence(evidence, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if evidence:
            item.evidence = evidence
        item.evidence_note = (note or "").strip()[:300]
        item.status, item.signed_by = ItemStatus.SIGNED, by
        item.save()
        audit_record(actor=by, action="tasks.monthly.signoff", obj=item,
                     after={"note": item.evidence_note})
        approver = item.task.deputy if item.task_id else None
        notify(recipients=_users_of(approver), kind="tasks.signoff",
               title=_("Sign-off to approve: %(title)s") % {"title": item.title},
               url=reverse("tasks:monthly"))
    return item


def may_approve(user, item: MonthlyItem) -> bool:
    """The deputy in charge of the item's task approves; without a task, the head."""
    if item.task_id and item.task.deputy_id:
        return user.person_id == item.task.deputy_id
    return in_scope(user, Cap.TASKS_HEAD, item.section)


def monthly_approve(*, by, item: MonthlyItem) -> MonthlyItem:
    if not may_approve(by, item):
        raise PermissionDenied
    if item.status != ItemStatus.SIGNED:
        raise ValidationError({"item": [_("Only a signed-off item can be approved.")]})
    with transaction.atomic():
        item.status, item.approved_by = ItemStatus.APPROVED, by
        item.save(update_fields=["status", "approved_by"])
        audit_record(actor=by, action="tasks.monthly.approve", obj=item)
    return item


def month_roll_over(*, by, department: OrgUnit, month: str) -> int:
    """Unfinished items of the month go to the next, marked as rolled over."""
    nxt = Period.parse(month).next().key
    count = 0
    with transaction.atomic():
        items = MonthlyItem.objects.filter(section__department=department, month=month,
                                           status__in=(ItemStatus.PLANNED, ItemStatus.SIGNED))
        for item in items.select_for_update():
            MonthlyItem.objects.create(section_id=item.section_id, month=nxt, title=item.title,
                                       task_id=item.task_id, rolled_from=item)
            item.status = ItemStatus.ROLLED
            item.save(update_fields=["status"])
            count += 1
        audit_record(actor=by, action="tasks.monthly.roll", obj=department,
                     after={"month": month, "items": count})
    return count


def stocktake_figures(department: OrgUnit, month: str, today: dt.date) -> dict:
    """Done, on time, late and overdue per section and person for tasks due by month end."""
    period = Period.parse(month)
    rows = Task.objects.filter(department=department, deadline__lte=period.end,
                               deadline__gte=dt.date(period.start.year, 1, 1)).exclude(
        status=TaskStatus.CANCELLED).values_list(
        "section_id", "section__name", "lead_id", "lead__name", "status", "done_on",
        "deadline")
    blank = {"due": 0, "done": 0, "on_time": 0, "late": 0, "overdue": 0}
    total, sections, people = dict(blank), {}, {}
    for sid, sname, pid, pname, status, done_on, deadline in rows:
        done = status == TaskStatus.DONE and done_on and done_on <= period.end
        key = "overdue"
        if done:
            key = "on_time" if done_on <= deadline else "late"
        for bucket in (total, sections.setdefault(str(sid), {"name": sname, **blank}),
                       people.setdefault(str(pid), {"name": pname, **blank})):
            bucket["due"] += 1
            bucket[key] += 1
            if done:
                bucket["done"] += 1
    return {"month": month, "total": total, "sections": sections, "people": people,
            "items": dict(_item_counts(department, month))}


def _item_counts(department, month):
    from django.db.models import Count

    return MonthlyItem.objects.filter(section__department=department, month=month).values(
        "status").annotate(n=Count("pk")).values_list("status", "n")


def stocktake_freeze(*, by, department: OrgUnit, month: str) -> StockTake:
    if by is not None and not may_lead(by, department):
        raise PermissionDenied
    with transaction.atomic():
        take, _created = StockTake.objects.select_for_update().get_or_create(
            department=department, month=month)
        if take.frozen_at:
            raise ValidationError({"month": [_("The stock-take of this month is frozen and "
                                               "cannot be changed.")]})
        take.figures = stocktake_figures(department, month, timezone.localdate())
        take.frozen_at = timezone.now()
        take.save()
        audit_record(actor=by, action="tasks.stocktake.freeze", obj=department,
                     after={"month": month, "total": take.figures["total"]})
    return take


def stocktake_edit(*, by, take: StockTake, figures: dict) -> StockTake:
    """Only an unfrozen stock-take may be corrected; a frozen one is the record."""
    if by is not None and not may_lead(by, take.department):
        raise PermissionDenied
    if take.frozen_at:
        raise ValidationError({"figures": [_("The stock-take of this month is frozen and "
                                             "cannot be changed.")]})
    take.figures = figures
    take.save(update_fields=["figures"])
    return take


# ---------------------------------------------------------------- year-end clearance


def carry_over_request(*, by, task: Task, reason: str) -> Task:
    if not may_lead(by, task):
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("A carry-over needs a reason.")]})
    if not task.is_open:
        raise ValidationError({"reason": [_("The task is already closed.")]})
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task.pk)
        task.reason = reason.strip()[:300]
        task.version += 1
        task.save(update_fields=["reason", "version"])
        Entry.objects.create(task=task, kind=EntryKind.STATUS, on=timezone.localdate(),
                             text=_("Carry-over requested: %(r)s") % {"r": task.reason}, by=by)
        audit_record(actor=by, action="tasks.carry.request", obj=task,
                     after={"reason": task.reason})
    return task


def carry_over_approve(*, by, task: Task) -> Task:
    """The head approves: the task is closed as carried over and copied into next year."""
    task = Task.objects.get(pk=task.pk)  # the caller's copy may predate the request
    if not in_scope(by, Cap.TASKS_HEAD, task.section):
        raise PermissionDenied
    if not task.reason:
        raise ValidationError({"reason": [_("A carry-over needs a reason.")]})
    if not task.is_open:
        raise ValidationError({"reason": [_("The task is already closed.")]})
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task.pk)
        task.status, task.carry_approved_by = TaskStatus.CARRIED, by
        task.version += 1
        task.save(update_fields=["status", "carry_approved_by", "version"])
        year = task.year + 1
        Task.objects.create(
            department=task.department, year=year, title=task.title, section=task.section,
            lead=task.lead, deputy=task.deputy, source=task.source, weight=task.weight,
            start=dt.date(year, 1, 1), deadline=max(task.deadline, dt.date(year, 3, 31)),
            progress=task.progress, reason=_("Carried over from %(y)s") % {"y": task.year})
        Entry.objects.create(task=task, kind=EntryKind.STATUS, on=timezone.localdate(),
                             text=_("Carry-over approved"), by=by)
        audit_record(actor=by, action="tasks.carry.approve", obj=task)
    return task


def clearance_pending(department: OrgUnit, year: int):
    """Tasks of the year neither closed nor approved for carry-over."""
    return Task.objects.filter(department=department, year=year,
                               status__in=OPEN_STATUSES).select_related("section", "lead")


def year_clear(*, by, department: OrgUnit, year: int) -> YearClearance:
    if not in_scope(by, Cap.TASKS_HEAD, department):
        raise PermissionDenied
    pending = clearance_pending(department, year).count()
    if pending:
        raise ValidationError({"year": [_("%(n)s tasks are neither closed nor approved for "
                                          "carry-over; the year cannot be cleared.")
                                        % {"n": pending}]})
    if YearClearance.objects.filter(department=department, year=year).exists():
        raise ConflictError(_("The year is already cleared."))
    with transaction.atomic():
        done = YearClearance.objects.create(department=department, year=year,
                                            cleared_at=timezone.now(), cleared_by=by)
        audit_record(actor=by, action="tasks.year.clear", obj=department, after={"year": year})
    return done


# ---------------------------------------------------------------- time limits


def _note_negative(person: Person, on: dt.date, text: str) -> None:
    # The assessment app keeps the everyday record; the ledger reaches it through the
    # registry's hook, so it neither imports assessment nor needs it installed.
    note_add = registry.hook("assessment.everyday_note")
    if note_add is not None:
        note_add(by=None, person=person, on=on, positive=False, text=text[:500],
                 source=NOTE_SOURCE)


def deadlines_check(*, today: dt.date) -> dict:
    """Reminders before a deadline, overdue notices with a negative everyday note, and
    escalation to the deputy in charge after ESCALATE_DAYS. Notices are deduplicated by
    key, flags keep notes and escalations to one per task."""
    sent = {"reminded": 0, "overdue": 0, "escalated": 0}
    soon = Task.objects.filter(status__in=(TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS),
                               deadline__gte=today,
                               deadline__lte=today + dt.timedelta(days=REMIND_DAYS)
                               ).select_related("lead")
    for task in soon:
        sent["reminded"] += len(notify(
            recipients=_users_of(task.lead), kind="tasks.reminder",
            title=_("“%(t)s” is due on %(d)s") % {"t": task.title, "d": task.deadline},
            url=_task_url(task), dedupe_key=f"tasks.remind.{task.pk}.{task.deadline}"))
    late = Task.objects.filter(status__in=OPEN_STATUSES, deadline__lt=today).select_related(
        "lead", "deputy")
    for task in late:
        with transaction.atomic():
            if not task.overdue_noted:
                task.status, task.overdue_noted = TaskStatus.OVERDUE, True
                task.save(update_fields=["status", "overdue_noted"])
                Entry.objects.create(task=task, kind=EntryKind.NOTICE, on=today,
                                     text=_("Overdue since %(d)s") % {"d": task.deadline})
                _note_negative(task.lead, today, _("Task overdue: %(t)s (due %(d)s)")
                               % {"t": task.title, "d": task.deadline})
                notify(recipients=_users_of(task.lead), kind="tasks.overdue",
                       title=_("“%(t)s” is overdue") % {"t": task.title},
                       url=_task_url(task), dedupe_key=f"tasks.overdue.{task.pk}.{task.deadline}")
                sent["overdue"] += 1
            if not task.escalated and (today - task.deadline).days >= ESCALATE_DAYS:
                task.escalated = True
                task.save(update_fields=["escalated"])
                Entry.objects.create(task=task, kind=EntryKind.NOTICE, on=today,
                                     text=_("Escalated to the deputy in charge"))
                notify(recipients=_users_of(task.deputy or task.lead), kind="tasks.escalation",
                       title=_("Overdue task escalated: %(t)s") % {"t": task.title},
                       url=_task_url(task), dedupe_key=f"tasks.escalate.{task.pk}")
                sent["escalated"] += 1
    inquiries = Inquiry.objects.filter(closed_on__isnull=True, due__lt=today).select_related(
        "first_receiver", "handled_by")
    for inq in inquiries:
        if inq.escalated:
            continue
        inq.escalated = True
        inq.save(update_fields=["escalated"])
        _note_negative(inq.responsible, today, _("Inquiry not answered in time: %(q)s")
                       % {"q": inq.question[:60]})
        # Escalated like a task: to the section chief of whoever holds it and to the
        # deputies in charge of that section's work.
        unit_id = inq.responsible.unit_id
        leaders = User.objects.filter(Q(pk__in=RoleAssignment.objects.filter(
            role=Role.SECTION_CHIEF, user__person__unit_id=unit_id).values("user")) | Q(
            person__in=Task.objects.filter(section_id=unit_id).exclude(deputy=None)
            .values("deputy")))
        notify(recipients=[*leaders, *_users_of(inq.responsible)], kind="tasks.inquiry_overdue",
               title=_("Inquiry overdue: %(q)s") % {"q": inq.question[:40]},
               url=reverse("tasks:inquiries"), dedupe_key=f"tasks.inquiry.{inq.pk}")
        sent["escalated"] += 1
    return sent


def weekly_prompt(*, today: dt.date) -> int:
    """Monday prompt: leads of open tasks without an entry this week are asked for one."""
    week = Period.containing(PeriodKind.WEEK, today)
    stale = Task.objects.filter(status__in=OPEN_STATUSES).filter(
        Q(last_update_on__isnull=True) | Q(last_update_on__lt=week.start)).select_related("lead")
    n = 0
    for task in stale:
        n += len(notify(recipients=_users_of(task.lead), kind="tasks.weekly",
                        title=_("Weekly update due: %(t)s") % {"t": task.title},
                        url=_task_url(task), dedupe_key=f"tasks.weekly.{task.pk}.{week.key}"))
    return n


# ---------------------------------------------------------------- first inquiry


def inquiry_add(*, by, channel: str, received_on: dt.date, inquirer: str, question: str,
                due: dt.date, handled_by: Person | None = None,
                receiver: Person | None = None) -> Inquiry:
    """Whoever receives the inquiry first is its first receiver (``receiver`` only for
    imports and the demo, which act without a user)."""
    from .models import Channel

    person = receiver if by is None else by.person
    if person is None:
        raise PermissionDenied
    errors: dict = {}
    if channel not in Channel.values:
        _add(errors, "channel", _("Choose how the inquiry came in."))
    if not (inquirer or "").strip():
        _add(errors, "inquirer", _("Who asked?"))
    if not (question or "").strip():
        _add(errors, "question", _("What was asked?"))
    if received_on and due and due < received_on:
        _add(errors, "due", _("The time limit is before the inquiry was received."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        inq = Inquiry.objects.create(department=department_of(person.unit), channel=channel,
                                     received_on=received_on, first_receiver=person,
                                     inquirer=inquirer.strip(), question=question.strip(),
                                     due=due, handled_by=handled_by)
        audit_record(actor=by, action="tasks.inquiry.add", obj=inq)
        if handled_by:
            notify(recipients=_users_of(handled_by), kind="tasks.inquiry",
                   title=_("Inquiry handed to you: %(q)s") % {"q": inq.question[:40]},
                   url=reverse("tasks:inquiries"))
    return inq


def inquiry_close(*, by, inquiry: Inquiry, reply: str, satisfaction: str,
                  on: dt.date | None = None) -> Inquiry:
    from .models import Satisfaction

    if by.person_id not in (inquiry.first_receiver_id, inquiry.handled_by_id) \
            and not may_lead(by, inquiry.responsible.unit):
        raise PermissionDenied
    errors: dict = {}
    if not (reply or "").strip():
        _add(errors, "reply", _("Write the reply given."))
    if satisfaction not in Satisfaction.values:
        _add(errors, "satisfaction", _("Record the inquirer's satisfaction."))
    if inquiry.closed_on:
        _add(errors, "reply", _("The inquiry is already closed."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        inquiry.reply, inquiry.satisfaction = reply.strip(), satisfaction
        inquiry.closed_on = on or timezone.localdate()
        inquiry.save()
        audit_record(actor=by, action="tasks.inquiry.close", obj=inquiry,
                     after={"satisfaction": satisfaction})
    return inquiry


# ---------------------------------------------------------------- handover


def handover(*, by, person: Person, successor: Person, note: str) -> Handover:
    """Open tasks (as lead) and open inquiries pass to the successor, each with a ledger
    entry, so that whoever takes over can carry on."""
    if not (may_lead(by, person.unit) and may_lead(by, successor.unit)):
        raise PermissionDenied
    errors: dict = {}
    if not (note or "").strip():
        _add(errors, "note", _("Write a handover note."))
    if successor.pk == person.pk:
        _add(errors, "successor", _("Choose someone else as successor."))
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    with transaction.atomic():
        tasks = list(Task.objects.select_for_update().filter(lead=person,
                                                             status__in=OPEN_STATUSES))
        for task in tasks:
            Entry.objects.create(task=task, kind=EntryKind.HANDOVER, on=today, by=by,
                                 text=_("Handed over from %(a)s to %(b)s: %(note)s")
                                 % {"a": person.name, "b": successor.name, "note": note})
        Task.objects.filter(pk__in=[t.pk for t in tasks]).update(lead=successor)
        inquiries = Inquiry.objects.filter(closed_on__isnull=True).filter(
            Q(handled_by=person) | Q(handled_by__isnull=True, first_receiver=person))
        n_inq = inquiries.update(handled_by=successor)
        record = Handover.objects.create(person=person, successor=successor, note=note.strip(),
                                         on=today, tasks=len(tasks), inquiries=n_inq, by=by)
        audit_record(actor=by, action="tasks.handover", obj=person,
                     after={"successor": successor.pk, "tasks": len(tasks),
                            "inquiries": n_inq})
        notify(recipients=_users_of(successor), kind="tasks.handover",
               title=_("%(n)s tasks handed over to you") % {"n": len(tasks)}, body=note,
               url=reverse("tasks:mine"))
    return record
