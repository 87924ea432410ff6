"""Time limits, run by the jobs: reminders, overdue notes and escalation, the Monday
prompt for weekly updates."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from zugong.core import registry
from zugong.core.audit import SYSTEM
from zugong.core.notices import notify
from zugong.core.periods import Period, PeriodKind
from zugong.people.models import Person, Role, RoleAssignment, User

from .. import events
from ..models import OPEN_STATUSES, Entry, EntryKind, Inquiry, Task, TaskStatus
from ._common import NOTE_SOURCE, _task_url, _users_of, escalate_days, remind_days


def _note_negative(person: Person, on: dt.date, text: str) -> None:
    # The assessment app keeps the everyday record; the ledger reaches it through the
    # registry's hook, so it neither imports assessment nor needs it installed. Its
    # ``everyday_note_add`` takes ``by=None`` for other apps' notes.
    note_add = registry.hook("assessment.everyday_note")
    if note_add is not None:
        note_add(by=SYSTEM, person=person, on=on, positive=False, text=text[:500],
                 source=NOTE_SOURCE)


def _mark_overdue(task_pk: int, today: dt.date, sent: dict, escalate_after: int) -> None:
    """One late task: the overdue note, then the escalation, each once; decided on the
    locked row so that two runs of the job at once note and escalate once."""
    with transaction.atomic():
        task = Task.objects.select_for_update(of=("self",)).select_related("lead", "deputy").get(
            pk=task_pk)
        if task.status not in OPEN_STATUSES or task.deadline >= today:
            return
        if not task.overdue_noted:
            task.status, task.overdue_noted = TaskStatus.OVERDUE, True
            task.version += 1
            task.save(update_fields=["status", "overdue_noted", "version"])
            Entry.objects.create(task=task, kind=EntryKind.NOTICE, on=today,
                                 text=_("Overdue since %(d)s") % {"d": task.deadline})
            _note_negative(task.lead, today, _("Task overdue: %(t)s (due %(d)s)")
                           % {"t": task.title, "d": task.deadline})
            notify(recipients=_users_of(task.lead), kind=events.NOTICE_OVERDUE,
                   title=_("“%(t)s” is overdue") % {"t": task.title},
                   url=_task_url(task), dedupe_key=f"tasks.overdue.{task.pk}.{task.deadline}")
            sent["overdue"] += 1
        if not task.escalated and (today - task.deadline).days >= escalate_after:
            task.escalated = True
            task.save(update_fields=["escalated"])
            Entry.objects.create(task=task, kind=EntryKind.NOTICE, on=today,
                                 text=_("Escalated to the deputy in charge"))
            notify(recipients=_users_of(task.deputy or task.lead), kind=events.NOTICE_ESCALATE,
                   title=_("Overdue task escalated: %(t)s") % {"t": task.title},
                   url=_task_url(task), dedupe_key=f"tasks.escalate.{task.pk}")
            sent["escalated"] += 1


def deadlines_check(*, today: dt.date) -> dict:
    """Reminders before a deadline, overdue notices with a negative everyday note, and
    escalation to the deputy in charge after ``escalate_days()`` (reminders
    ``remind_days()`` ahead; both settings, read on each run). Notices are deduplicated by
    key, flags keep notes and escalations to one per task."""
    sent = {"reminded": 0, "overdue": 0, "escalated": 0}
    ahead, escalate_after = remind_days(), escalate_days()
    soon = Task.objects.filter(status__in=(TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS),
                               deadline__gte=today,
                               deadline__lte=today + dt.timedelta(days=ahead)
                               ).select_related("lead")
    for task in soon:
        sent["reminded"] += len(notify(
            recipients=_users_of(task.lead), kind=events.NOTICE_REMIND,
            title=_("“%(t)s” is due on %(d)s") % {"t": task.title, "d": task.deadline},
            url=_task_url(task), dedupe_key=f"tasks.remind.{task.pk}.{task.deadline}"))
    late = Task.objects.filter(status__in=OPEN_STATUSES, deadline__lt=today).filter(
        Q(overdue_noted=False) | Q(escalated=False)).values_list("pk", flat=True)
    for pk in list(late):
        _mark_overdue(pk, today, sent, escalate_after)
    inquiries = Inquiry.objects.filter(closed_on__isnull=True, due__lt=today,
                                       escalated=False).values_list("pk", flat=True)
    for pk in list(inquiries):
        with transaction.atomic():
            inq = Inquiry.objects.select_for_update(of=("self",)).select_related(
                "first_receiver", "handled_by").get(pk=pk)
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
            notify(recipients=[*leaders, *_users_of(inq.responsible)],
                   kind=events.NOTICE_INQUIRY_OVERDUE,
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
        n += len(notify(recipients=_users_of(task.lead), kind=events.NOTICE_WEEKLY,
                        title=_("Weekly update due: %(t)s") % {"t": task.title},
                        url=_task_url(task), dedupe_key=f"tasks.weekly.{task.pk}.{week.key}"))
    return n
