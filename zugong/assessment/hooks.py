"""Functions the assessment app offers other apps through ``core.registry.hook`` (its
plugin's ``hooks``): they take ids and dates, never a user; the caller has already
chosen the people it may see."""

from __future__ import annotations

import datetime as dt

from .models import EverydayNote


def negative_notes(person_ids, start: dt.date,
                   end: dt.date) -> dict[int, list[tuple[str, str]]]:
    """``assessment.negative_notes`` (supervision's early warning): each person's negative
    everyday notes dated in [start, end], newest first. The text says the day and the
    source, never what happened (encrypted, read on the notes page the link opens). One
    query."""
    ids = list(person_ids)
    if not ids:
        return {}
    out: dict[int, list[tuple[str, str]]] = {}
    rows = (EverydayNote.objects.filter(person__in=ids, positive=False, on__gte=start,
                                        on__lte=end)
            .order_by("-on", "-id").values_list("person_id", "on", "source"))
    for person_id, on, source in rows:
        text = f"− {on:%Y-%m-%d}" + (f" {source}" if source else "")
        out.setdefault(person_id, []).append(
            (text, f"/assessment/notes/?person={person_id}"))
    return out
