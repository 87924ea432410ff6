"""The monthly plan (月计划、销号) and the monthly stock-take (月盘点)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.audit import audit_record
from zugong.core.notices import notify
from zugong.core.periods import Period, PeriodKind
from zugong.people.models import OrgUnit

from .. import events
from ..access import may_approve, may_lead
from ..metrics import PERSON, answerable
from ..models import ItemStatus, MonthlyItem, StockTake, Task, TaskStatus
from ._common import _add, _check_evidence, _users_of, actor, is_system, user_or_none


def monthly_item_add(*, by, section: OrgUnit, month: str | Period, title: str,
                     task: Task | None = None) -> MonthlyItem:
    if not is_system(by) and not may_lead(by, section):
        raise PermissionDenied
    errors: dict = {}
    try:
        month = _a_month(month)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not (title or "").strip():
        _add(errors, "title", _("Say what will be finished."))
    if task is not None and task.section_id != section.pk:
        _add(errors, "task", _("The task belongs to another section."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        item = MonthlyItem.objects.create(section=section, month=month, title=title.strip(),
                                          task=task)
        audit_record(actor=actor(by), action=events.MONTHLY_ADD, obj=item,
                     after={"month": month.key, "title": item.title})
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
        # The status is checked again on the locked row: two sign-offs at once sign once.
        locked = MonthlyItem.objects.select_for_update().get(pk=item.pk)
        if locked.status != ItemStatus.PLANNED:
            raise ValidationError({"evidence": [_("The item is not awaiting sign-off.")]})
        if evidence:
            item.evidence = evidence
        item.evidence_note = (note or "").strip()[:300]
        item.status, item.signed_by = ItemStatus.SIGNED, user_or_none(by)
        item.save()
        audit_record(actor=actor(by), action=events.MONTHLY_SIGNOFF, obj=item,
                     after={"note": item.evidence_note})
        approver = item.task.deputy if item.task_id else None
        notify(recipients=_users_of(approver), kind=events.NOTICE_SIGNOFF,
               title=_("Sign-off to approve: %(title)s") % {"title": item.title},
               url=reverse("tasks:monthly"))
    return item


def monthly_approve(*, by, item: MonthlyItem) -> MonthlyItem:
    if not may_approve(by, item):
        raise PermissionDenied
    if item.status != ItemStatus.SIGNED:
        raise ValidationError({"item": [_("Only a signed-off item can be approved.")]})
    with transaction.atomic():
        locked = MonthlyItem.objects.select_for_update().get(pk=item.pk)
        if locked.status != ItemStatus.SIGNED:
            raise ValidationError({"item": [_("Only a signed-off item can be approved.")]})
        item.status, item.approved_by = ItemStatus.APPROVED, user_or_none(by)
        item.save(update_fields=["status", "approved_by"])
        audit_record(actor=actor(by), action=events.MONTHLY_APPROVE, obj=item)
    return item


def month_roll_over(*, by, department: OrgUnit, month: str | Period) -> int:
    """Unfinished items of the month go to the next, marked as rolled over."""
    month = _a_month(month)
    nxt = month.next()
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
        audit_record(actor=actor(by), action=events.MONTHLY_ROLL, obj=department,
                     after={"month": month.key, "items": count})
    return count


def stocktake_figures(department: OrgUnit, month: str, today: dt.date) -> dict:
    """Done, on time, late and overdue per section and person for tasks due by month end.

    As the on-time rate (``metrics.py``): due and on time by the original deadline, per
    person who led the task at that deadline."""
    period = Period.parse(month)
    rows = answerable(Task.objects.filter(
        department=department, original_deadline__lte=period.end,
        original_deadline__gte=dt.date(period.start.year, 1, 1))).annotate(
        _answerable_name=Coalesce("deadline_lead__name", "lead__name")).exclude(
        status=TaskStatus.CANCELLED).values_list(
        "section_id", "section__name", PERSON, "_answerable_name", "status", "done_on",
        "original_deadline")
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
    return MonthlyItem.objects.filter(section__department=department, month=month).values(
        "status").annotate(n=Count("pk")).values_list("status", "n")


def stocktake_freeze(*, by, department: OrgUnit, month: str | Period) -> StockTake:
    if not is_system(by) and not may_lead(by, department):
        raise PermissionDenied
    month = _a_month(month)
    with transaction.atomic():
        take, _created = StockTake.objects.select_for_update().get_or_create(
            department=department, month=month)
        if take.frozen_at:
            raise ValidationError({"month": [_("The stock-take of this month is frozen and "
                                               "cannot be changed.")]})
        take.figures = stocktake_figures(department, month.key, timezone.localdate())
        take.frozen_at = timezone.now()
        take.save()
        audit_record(actor=actor(by), action=events.STOCKTAKE_FREEZE, obj=department,
                     after={"month": month.key, "total": take.figures["total"]})
    return take


def stocktake_edit(*, by, take: StockTake, figures: dict) -> StockTake:
    """Only an unfrozen stock-take may be corrected; a frozen one is the record. Every
    correction is audited with the figures before and after."""
    if not is_system(by) and not may_lead(by, take.department):
        raise PermissionDenied
    with transaction.atomic():
        locked = StockTake.objects.select_for_update().get(pk=take.pk)
        if locked.frozen_at or take.frozen_at:
            raise ValidationError({"figures": [_("The stock-take of this month is frozen "
                                                 "and cannot be changed.")]})
        before = {"month": locked.month.key, "figures": locked.figures}
        take.figures = figures
        take.save(update_fields=["figures"])
        audit_record(actor=actor(by), action=events.STOCKTAKE_EDIT, obj=take.department,
                     object_type="tasks.stocktake", object_id=str(take.pk),
                     object_repr=f"{take.department} {locked.month.key}", before=before,
                     after={"month": locked.month.key, "figures": figures})
    return take


def _a_month(value) -> Period:
    """A stock-take is taken per calendar month: "2026-03", never a year or a quarter."""
    try:
        period = value if isinstance(value, Period) else Period.parse(str(value))
    except (ValueError, KeyError):
        period = None
    if period is None or period.kind != PeriodKind.MONTH:
        raise ValidationError({"month": [_("Enter a month like 2026-03.")]})
    return period
