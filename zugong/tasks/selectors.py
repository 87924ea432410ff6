"""Reads of the task ledger; every one takes the user and applies their scope."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.access import get_for_user
from zugong.core.periods import Period, PeriodKind
from zugong.people.access import people_in_scope, scope_q
from zugong.people.models import OrgUnit, Person, UnitKind

from .access import Cap, department_of, may_update
from .metrics import PERSON, answerable, due_rows
from .models import (
    OPEN_STATUSES,
    Entry,
    Inquiry,
    ItemStatus,
    MonthlyItem,
    StandardItem,
    StockTake,
    Target,
    Task,
    TaskStatus,
    YearClearance,
)

# The sort orders of the paged lists (the last key is unique, so the order is total).
TASK_ORDER = ("deadline", "id")
MY_TASK_ORDER = ("status", "deadline", "id")
PERSON_TASK_ORDER = ("-year", "deadline", "id")
INQUIRY_ORDER = ("due", "id")
MONTHLY_ORDER = ("section__name", "id")
STOCKTAKE_ORDER = ("-month", "id")
PENDING_ORDER = ("deadline", "id")


def visible_q(user, cap: str = Cap.TASKS_VIEW) -> Q:
    """Tasks of the sections in the user's scope, and tasks they lead, share or oversee."""
    q = scope_q(user, cap, kind="unit")
    if q is None:
        raise PermissionDenied
    units = OrgUnit.objects.filter(q).values("pk")
    mine = Q(pk__in=[])
    if user.person_id:
        mine = Q(lead_id=user.person_id) | Q(deputy_id=user.person_id) | Q(
            pk__in=Task.co_workers.through.objects.filter(person_id=user.person_id)
            .values("task_id"))
    return Q(section__in=units) | mine


def tasks_for(user):
    return Task.objects.filter(visible_q(user)).select_related("section", "lead", "deputy")


def task_get_for_user(user, pk, *, write: bool = False) -> Task:
    """A task the user can see (404 otherwise); with ``write``, one they may update (403)."""
    visible_q(user)  # 403 without the capability, before the 404 below
    return get_for_user(tasks_for(user), pk, write=write,
                        may_write=lambda task: may_update(user, task))


def entry_evidence_get_for_user(user, task_pk, entry_pk):
    """The evidence file of a ledger entry of a task the user can see (404 otherwise)."""
    task = task_get_for_user(user, task_pk)
    return get_for_user(Entry.objects.filter(task=task), entry_pk).evidence


def task_get(*, user, pk) -> Task:
    return task_get_for_user(user, pk)


def units_for(user, cap: str = Cap.TASKS_LEAD):
    """The units in the user's scope for ``cap`` (none without it)."""
    q = scope_q(user, cap, kind="unit")
    return OrgUnit.objects.filter(q) if q is not None else OrgUnit.objects.none()


def people_for(user, cap: str = Cap.TASKS_VIEW):
    return people_in_scope(user, cap).order_by("name")


# Tasks are the department's own work: their lead, co-workers and deputy are its staff
# (the department's unit and its sections), never the cadres of the units it manages.
STAFF_KINDS = (UnitKind.ORG_DEPT, UnitKind.SECTION)


def staff_for(user, cap: str = Cap.TASKS_VIEW):
    """The department's own staff in the user's scope, for the task pickers."""
    return people_for(user, cap).filter(unit__kind__in=STAFF_KINDS)


def targets_for(user):
    """The targets of the user's department, for choosing one on a new task."""
    dept = home_department(user)
    return Target.objects.filter(department=dept) if dept else Target.objects.none()


def clearance_pending(department: OrgUnit, year: int):
    """Tasks of the year neither closed nor approved for carry-over."""
    return Task.objects.filter(department=department, year=year,
                               status__in=OPEN_STATUSES).select_related("section", "lead")


def home_department(user) -> OrgUnit | None:
    person = getattr(user, "person", None)
    return department_of(person.unit) if person else None


def light(task: Task, today: dt.date) -> str:
    """Traffic light of an open task: red overdue, yellow due within a week or behind the
    time elapsed, green otherwise."""
    if task.deadline < today or task.status == TaskStatus.OVERDUE:
        return "red"
    span = max((task.deadline - task.start).days, 1)
    elapsed = max((today - task.start).days, 0)
    if (task.deadline - today).days <= 7 or task.progress + 20 < elapsed * 100 // span:
        return "yellow"
    return "green"


@dataclass
class DispatchRow:
    task: Task
    light: str
    stale: bool


DISPATCH_ORDER = ("section__name", "deadline", "id")


def dispatch_tasks(*, user):
    """The open tasks of the weekly meeting, by section."""
    return tasks_for(user).filter(status__in=OPEN_STATUSES).order_by(*DISPATCH_ORDER)


def dispatch_row_maker(today: dt.date | None = None):
    """A function making a task's dispatch row (its light and "no update this week")."""
    today = today or timezone.localdate()
    week = Period.containing(PeriodKind.WEEK, today)

    def row(task: Task) -> DispatchRow:
        stale = task.last_update_on is None or task.last_update_on < week.start
        return DispatchRow(task, light(task, today), stale)

    return row


def dispatch(*, user, today: dt.date | None = None) -> list[tuple[OrgUnit, list[DispatchRow]]]:
    """Open tasks by section for the weekly meeting: two queries whatever the number.

    The meeting goes through every open task, so the page shows them all (no cap)."""
    row = dispatch_row_maker(today)
    groups: dict[int, tuple[OrgUnit, list]] = {}
    for task in dispatch_tasks(user=user):
        groups.setdefault(task.section_id, (task.section, []))[1].append(row(task))
    return list(groups.values())


def _mine(person_id: int):
    """The ids of the tasks the person leads or shares.

    A subquery rather than a join with DISTINCT: the keyset pager adds its own order. The
    tasks I lead and those I share as one UNION, not "lead = me OR id IN (shared)": with
    the OR, PostgreSQL read every task of the province (9,000 rows, 2.8 ms on every
    workbench view); the UNION takes both from their indexes (0.2 ms, issue 23)."""
    return Task.objects.filter(lead_id=person_id).order_by().values("pk").union(
        Task.co_workers.through.objects.filter(person_id=person_id).order_by().values(
            "task_id"))


def my_tasks(*, user):
    if user.person_id is None:
        return Task.objects.none()
    return tasks_for(user).filter(pk__in=_mine(user.person_id)).order_by(
        "status", "deadline", "pk")


def my_open_tasks_due(*, user, until: dt.date, closed) -> dict:
    """``{"first": deadline, "count": n}`` of ``my_tasks`` not in a ``closed`` status and
    due by ``until`` (the workbench's item), in one query. The tasks one leads or shares
    are always among those one sees (``visible_q``'s own part), so the query names them
    alone, after the same capability check: the visibility's subqueries cost every
    workbench view more to build than the count (2.4–2.8 → 1.3 ms, issue 23)."""
    if user.person_id is None:
        return {"first": None, "count": 0}
    visible_q(user)  # 403 without the capability, as my_tasks
    return Task.objects.filter(pk__in=_mine(user.person_id), deadline__lte=until).exclude(
        status__in=closed).aggregate(first=Min("deadline"), count=Count("pk"))


def entries(task: Task):
    return task.entries.select_related("by").order_by("on", "pk")


def calendar(*, user, month: Period):
    days = defaultdict(list)
    for task in tasks_for(user).filter(deadline__gte=month.start, deadline__lte=month.end):
        days[task.deadline].append(task)
    return sorted(days.items())


def overview(*, user, year: int, today: dt.date | None = None) -> dict:
    """Counts by status and by section, and the quarterly evaluation per section."""
    today = today or timezone.localdate()
    qs = tasks_for(user).filter(year=year)
    by_status = defaultdict(int)
    by_section: dict = {}
    for status, sid, sname in qs.values_list("status", "section_id", "section__name"):
        by_status[status] += 1
        row = by_section.setdefault(sid, {"name": sname, "total": 0, "done": 0})
        row["total"] += 1
        row["done"] += status == TaskStatus.DONE
    return {"by_status": dict(by_status), "by_section": list(by_section.values())}


def quarterly(*, user, quarter: Period) -> list[dict]:
    """一季一考评 per section and per person: done, on-time rate, weighted completion."""
    tasks = tasks_for(user)
    ids = tasks.values("pk")
    out = []
    # People are counted as the on-time rate counts them: whoever led the task at its
    # original deadline (see metrics.py).
    answerable_names = Person.objects.filter(
        pk__in=answerable(Task.objects.filter(pk__in=ids)).values(PERSON)).values_list(
        "pk", "name")
    for group, label_field in (("section_id", "section__name"), (PERSON, None)):
        names = dict(answerable_names) if label_field is None else dict(
            Task.objects.filter(pk__in=ids).values_list(group, label_field).distinct())
        stats: dict = {}
        rows = due_rows(None, quarter.start, quarter.end, group=group)
        for gid, deadline, status, done_on, weight, progress in rows.filter(pk__in=ids):
            s = stats.setdefault(gid, {"due": 0, "done": 0, "on_time": 0, "w": 0, "wp": 0})
            s["due"] += 1
            s["done"] += status == TaskStatus.DONE
            s["on_time"] += bool(status == TaskStatus.DONE and done_on and done_on <= deadline)
            s["w"] += weight
            s["wp"] += weight * progress
        for gid, s in stats.items():
            out.append({"kind": "section" if group == "section_id" else "person",
                        "name": names.get(gid, ""), "due": s["due"], "done": s["done"],
                        "on_time_rate": round(s["on_time"] * 100 / s["due"], 1),
                        "weighted": round(float(s["wp"] / s["w"]), 1) if s["w"] else 0})
    return out


def monthly_items(*, user, month: str):
    q = scope_q(user, Cap.TASKS_VIEW, kind="unit")
    if q is None:
        raise PermissionDenied
    units = OrgUnit.objects.filter(q)
    pid = user.person_id
    return MonthlyItem.objects.filter(
        Q(section__in=units.values("pk")) | Q(task__deputy_id=pid) if pid else
        Q(section__in=units.values("pk")), month=month).select_related(
        "section", "task__deputy", "signed_by", "approved_by").order_by("section__name", "pk")


def monthly_items_for(user):
    """The monthly items of every month the user can see."""
    q = scope_q(user, Cap.TASKS_VIEW, kind="unit")
    if q is None:
        raise PermissionDenied
    units = OrgUnit.objects.filter(q).values("pk")
    pid = user.person_id
    visible = Q(section__in=units) | Q(task__deputy_id=pid) if pid else Q(section__in=units)
    return MonthlyItem.objects.filter(visible).select_related("section", "task")


def monthly_item_get_for_user(user, pk) -> MonthlyItem:
    return get_for_user(monthly_items_for(user), pk)


def monthly_evidence_get_for_user(user, pk):
    """The sign-off evidence of a monthly item the user can see (404 otherwise)."""
    return monthly_item_get_for_user(user, pk).evidence


def monthly_item_get(*, user, pk) -> MonthlyItem:
    return monthly_item_get_for_user(user, pk)


def stocktakes(*, user):
    dept = home_department(user)
    q = scope_q(user, Cap.TASKS_LEAD, kind="unit")
    if q is None or dept is None:
        raise PermissionDenied
    return StockTake.objects.filter(department=dept).order_by("-month")


def clearance(*, user, year: int):
    dept = home_department(user)
    if dept is None or scope_q(user, Cap.TASKS_LEAD, kind="unit") is None:
        raise PermissionDenied
    done = YearClearance.objects.filter(department=dept, year=year).first()
    return dept, clearance_pending(dept, year).filter(visible_q(user)), done


def inquiries_for(user):
    q = scope_q(user, Cap.TASKS_VIEW, kind="person")
    if q is None:
        raise PermissionDenied
    people = Person.objects.filter(q).values("pk")
    return Inquiry.objects.filter(Q(first_receiver__in=people) | Q(handled_by__in=people)
                                  ).select_related("first_receiver", "handled_by")


def standard_items():
    """The service standard's points in use, in order (the close form's checklist)."""
    return list(StandardItem.objects.filter(is_active=True))


def inquiry_get_for_user(user, pk) -> Inquiry:
    return get_for_user(inquiries_for(user), pk)


def colleagues(user):
    """Whom an inquiry may be handed to: the staff of the user's department (its unit and
    sections, whoever answers first hands on to a colleague) and the staff in scope."""
    dept = home_department(user)
    q = scope_q(user, Cap.TASKS_VIEW, kind="person") or Q(pk__in=[])
    if dept is not None:
        q |= Q(unit=dept) | Q(unit__department=dept)
    return Person.objects.filter(q, unit__kind__in=STAFF_KINDS).order_by("name")


def person_tasks(*, user, pk: int) -> dict:
    """The tasks tab of a person's page: tasks they lead, newest year first."""
    q = scope_q(user, Cap.TASKS_VIEW, kind="person")
    if q is None:
        raise PermissionDenied
    person = Person.objects.filter(q, pk=pk).first()
    if person is None:
        raise Http404
    tasks = Task.objects.filter(lead=person).select_related("section").order_by(
        *PERSON_TASK_ORDER)
    return {"person": person, "tasks": tasks}


def targets(*, user, year: int) -> list[dict]:
    """The department's targets of the year with the weighted progress of their tasks."""
    dept = home_department(user)
    if dept is None or scope_q(user, Cap.TASKS_VIEW, kind="unit") is None:
        raise PermissionDenied
    rows = {t.pk: {"target": t, "tasks": 0, "w": 0, "wp": 0}
            for t in Target.objects.filter(department=dept, year=year)}
    for tid, weight, progress in Task.objects.filter(target_id__in=list(rows)).exclude(
            status=TaskStatus.CANCELLED).values_list("target_id", "weight", "progress"):
        row = rows[tid]
        row["tasks"] += 1
        row["w"] += weight
        row["wp"] += weight * progress
    return [{**r, "progress": round(float(r["wp"] / r["w"]), 1) if r["w"] else 0}
            for r in rows.values()]


def stocktake_compare(takes) -> tuple[list[Period], list[dict]]:
    """Frozen stock-takes side by side: per section, on time / due for each month."""
    months = sorted(t.month for t in takes)
    sections: dict = {}
    for take in takes:
        for sid, row in take.figures.get("sections", {}).items():
            entry = sections.setdefault(sid, {"name": row["name"], "cells": {}})
            entry["cells"][take.month] = f"{row['on_time']}/{row['due']}"
    return months, [{"name": e["name"], "cells": [e["cells"].get(m, "—") for m in months]}
                    for e in sorted(sections.values(), key=lambda e: e["name"])]


# ---------------------------------------------------------------- deleting

def task_delete_blocker(task: Task) -> str:
    """Why the task cannot be deleted, or "" when it can. Only a task entered by mistake is
    deleted: once it has a ledger (一事一台账), sub-tasks or monthly items it is part of
    the record, and cancelling it is the way out."""
    if task.entries.exists():
        return _("The task has ledger entries: a ledger is never deleted; cancel the task "
                 "instead.")
    if task.children.exists():
        return _("The task has sub-tasks: delete or cancel them first.")
    if task.monthly_items.exists():
        return _("Monthly items refer to the task: cancel the task instead.")
    return ""


def monthly_item_delete_blocker(item: MonthlyItem) -> str:
    """Why the monthly item cannot be deleted, or "": only an item still planned, and not
    carried into a later month, is deleted; a signed-off item is part of the record."""
    if item.status != ItemStatus.PLANNED:
        return _("Only an item still planned can be deleted; this one is signed off.")
    if MonthlyItem.objects.filter(rolled_from=item).exists():
        return _("The item was carried into a later month: delete that one first.")
    return ""
