"""Functions the assessment app offers other apps through ``core.registry.hook`` (its
plugin's ``hooks``): they take ids and dates, never a user; the caller has already
chosen the people it may see."""

from __future__ import annotations

import datetime as dt

from zugong.core.registry import hook_ids

from .models import EverydayNote


def negative_notes(person_ids, start: dt.date,
                   end: dt.date) -> dict[int, list[tuple[str, str]]]:
    """``assessment.negative_notes`` (supervision's early warning): each person's negative
    everyday notes dated in [start, end], newest first. The text says the day and the
    source, never what happened (encrypted, read on the notes page the link opens). One
    query. ``person_ids``: ids, or a query of them (``values("pk")``)."""
    ids = hook_ids(person_ids)
    out: dict[int, list[tuple[str, str]]] = {}
    rows = (EverydayNote.objects.filter(person__in=ids, positive=False, on__gte=start,
                                        on__lte=end)
            .order_by("-on", "-id").values_list("person_id", "on", "source"))
    for person_id, on, source in rows:
        text = f"− {on:%Y-%m-%d}" + (f" {source}" if source else "")
        out.setdefault(person_id, []).append(
            (text, f"/assessment/notes/?person={person_id}"))
    return out


def archive_entries(person_id: int) -> list[tuple[str, dt.date, str, str]]:
    """``assessment.archive_entries`` (supervision's political-quality archive, category
    "assessment"): the person's graded results of closed plans, as (category, day the plan
    closed, plan and grade, link to the result). One query."""
    from .models import Assessee, PlanStatus

    rows = (Assessee.objects.filter(person_id=person_id, plan__status=PlanStatus.CLOSED)
            .exclude(grade="").select_related("plan").order_by("-plan__period_end", "-pk"))
    return [("assessment", a.plan.closed_on or a.plan.period_end,
             f"{a.plan.name} · {a.get_grade_display()}", f"/assessment/results/{a.pk}/")
            for a in rows]
