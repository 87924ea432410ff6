"""Functions the tasks app offers other apps through ``core.registry.hook`` (its
plugin's ``hooks``): they take ids and dates, never a user; the caller has already
chosen the people it may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q

from zugong.core.registry import hook_ids

from .models import OPEN_STATUSES, Task, TaskStatus


def overdue(person_ids, start: dt.date, end: dt.date) -> dict[int, list[tuple[str, str]]]:
    """``tasks.overdue`` (supervision's early warning): each person's tasks whose original
    deadline fell in [start, end) and that were not done by it: still open, or done late.
    The lateness stays with whoever led the task at its deadline (``deadline_lead``,
    set by a handover), as the on-time rate does; carried-over and cancelled tasks are
    not late. One query. ``person_ids``: ids, or a query of them (``values("pk")``)."""
    ids = hook_ids(person_ids)
    late = (Q(status__in=OPEN_STATUSES)
            | Q(status=TaskStatus.DONE, done_on__gt=F("original_deadline")))
    rows = (Task.objects.filter(late, Q(deadline_lead__in=ids)
                                | Q(deadline_lead__isnull=True, lead__in=ids),
                                original_deadline__gte=start, original_deadline__lt=end)
            .order_by("original_deadline", "pk")
            .values_list("pk", "title", "original_deadline", "lead_id", "deadline_lead_id"))
    out: dict[int, list[tuple[str, str]]] = {}
    for pk, title, deadline, lead, deadline_lead in rows:
        out.setdefault(deadline_lead or lead, []).append(
            (f"{title} ({deadline:%Y-%m-%d})", f"/tasks/{pk}/"))
    return out


def archive_entries(person_id: int) -> list[tuple[str, dt.date, str, str]]:
    """``tasks.archive_entries`` (supervision's political-quality archive, category
    "conduct in major tasks"): the tasks deployed by the upper level that the person led,
    as (category, day done or deadline, title and state, link). One query."""
    from .models import Source

    rows = Task.objects.filter(lead_id=person_id, source=Source.UPPER).exclude(
        status=TaskStatus.CANCELLED).order_by("-deadline", "-pk")
    return [("major_tasks", t.done_on or t.deadline, f"{t.title} · {t.get_status_display()}",
             f"/tasks/{t.pk}/") for t in rows]
