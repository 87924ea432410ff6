"""The year's end (carry-over and clearance, 年终清零) and handing work over to a successor."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core import registry
from zugong.core.audit import audit_record
from zugong.core.notices import notify
from zugong.people.models import OrgUnit, Person

from .. import events
from ..access import Cap, in_scope, may_lead
from ..models import (
    OPEN_STATUSES,
    Entry,
    EntryKind,
    Handover,
    Inquiry,
    Task,
    TaskStatus,
    YearClearance,
)
from ..selectors import clearance_pending
from ._common import UNVERSIONED, _add, _users_of, actor, edit_task, user_or_none


def carry_over_request(*, by, task: Task, reason: str, version=UNVERSIONED) -> Task:
    if not may_lead(by, task):
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("A carry-over needs a reason.")]})
    if not task.is_open:
        raise ValidationError({"reason": [_("The task is already closed.")]})

    def apply(locked: Task) -> None:
        if not locked.is_open:
            raise ValidationError({"reason": [_("The task is already closed.")]})
        locked.reason = reason.strip()[:300]
        Entry.objects.create(task=locked, kind=EntryKind.STATUS, on=timezone.localdate(),
                             text=_("Carry-over requested: %(r)s") % {"r": locked.reason},
                             by=user_or_none(by))

    with transaction.atomic():
        task = edit_task(task, version=version, apply=apply)
        audit_record(actor=actor(by), action=events.CARRY_REQUEST, obj=task,
                     after={"reason": task.reason})
    return task


def carry_over_approve(*, by, task: Task, version=UNVERSIONED) -> Task:
    """The head approves: the task is closed as carried over and copied into next year.

    The reason and the state are checked on the locked row: the caller's copy may predate
    the request."""
    if not in_scope(by, Cap.TASKS_HEAD, task.section):
        raise PermissionDenied

    def apply(locked: Task) -> None:
        if not locked.reason:
            raise ValidationError({"reason": [_("A carry-over needs a reason.")]})
        if not locked.is_open:
            raise ValidationError({"reason": [_("The task is already closed.")]})
        locked.status, locked.carry_approved_by = TaskStatus.CARRIED, user_or_none(by)

    with transaction.atomic():
        task = edit_task(task, version=version, apply=apply)
        year = task.year + 1
        Task.objects.create(
            department=task.department, year=year, title=task.title, section=task.section,
            lead=task.lead, deputy=task.deputy, source=task.source, weight=task.weight,
            start=dt.date(year, 1, 1), deadline=max(task.deadline, dt.date(year, 3, 31)),
            progress=task.progress, reason=_("Carried over from %(y)s") % {"y": task.year})
        Entry.objects.create(task=task, kind=EntryKind.STATUS, on=timezone.localdate(),
                             text=_("Carry-over approved"), by=user_or_none(by))
        audit_record(actor=actor(by), action=events.CARRY_APPROVE, obj=task)
    return task


def year_clear(*, by, department: OrgUnit, year: int) -> YearClearance:
    if not in_scope(by, Cap.TASKS_HEAD, department):
        raise PermissionDenied
    with transaction.atomic():
        # The department's row serializes clearances of its year.
        OrgUnit.objects.select_for_update().filter(pk=department.pk).first()
        pending = clearance_pending(department, year).count()
        if pending:
            raise ValidationError({"year": [_("%(n)s tasks are neither closed nor approved "
                                              "for carry-over; the year cannot be cleared.")
                                            % {"n": pending}]})
        if YearClearance.objects.filter(department=department, year=year).exists():
            raise ValidationError({"year": [_("The year is already cleared.")]})
        done = YearClearance.objects.create(department=department, year=year,
                                            cleared_at=timezone.now(),
                                            cleared_by=user_or_none(by))
        audit_record(actor=actor(by), action=events.YEAR_CLEAR, obj=department,
                     after={"year": year})
    return done


def handover(*, by, person: Person, successor: Person, note: str) -> Handover:
    """Open tasks (as lead) and open inquiries pass to the successor, each with a ledger
    entry, so that whoever takes over can carry on.

    Lateness already incurred does not pass on: a task whose original deadline is
    before the handover day keeps the outgoing lead as its lead at the deadline
    (``deadline_lead``, unless an earlier handover already set it), and the on-time rate
    counts it for them."""
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
            Entry.objects.create(task=task, kind=EntryKind.HANDOVER, on=today,
                                 by=user_or_none(by),
                                 text=_("Handed over from %(a)s to %(b)s: %(note)s")
                                 % {"a": person.name, "b": successor.name, "note": note})
        late = [t.pk for t in tasks
                if t.original_deadline < today and t.deadline_lead_id is None]
        Task.objects.filter(pk__in=late).update(deadline_lead=person)
        Task.objects.filter(pk__in=[t.pk for t in tasks]).update(lead=successor,
                                                               version=F("version") + 1)
        inquiries = Inquiry.objects.filter(closed_on__isnull=True).filter(
            Q(handled_by=person) | Q(handled_by__isnull=True, first_receiver=person))
        n_inq = inquiries.update(handled_by=successor)
        record = Handover.objects.create(person=person, successor=successor, note=note.strip(),
                                         on=today, tasks=len(tasks), inquiries=n_inq,
                                         by=user_or_none(by))
        # The post ledger (what the job holds, its contacts, open matters) goes with the job,
        # in the same transaction, when an installed app keeps ledgers (ability, M38).
        pass_ledger = registry.hook("ability.post_ledger")
        ledger = pass_ledger(by=by, person=person, successor=successor, on=today) \
            if pass_ledger else None
        record.ledger_id = getattr(ledger, "pk", None)
        audit_record(actor=actor(by), action=events.HANDOVER_ADD, obj=person,
                     after={"successor": successor.pk, "tasks": len(tasks),
                            "inquiries": n_inq, "late_kept": late,
                            "ledger": record.ledger_id})
        notify(recipients=_users_of(successor), kind=events.NOTICE_HANDOVER,
               title=_("%(n)s tasks handed over to you") % {"n": len(tasks)}, body=note,
               url=reverse("tasks:mine"))
    return record
