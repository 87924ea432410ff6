"""Reading the post history: a person's unit, category, post and roles on each day.

Rules that judge the past (a learning regime's audiences, the talks a cadre owes) ask
where people stood on each day, not where they are now. ``stints`` answers for any
number of people in at most three queries (the history rows; for people without any,
their current record and roles), so callers never query per person or per day.
The rows are written by the people services (``services.records.history_change``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F

from .models import Person, PostHistory, RoleAssignment


@dataclass(frozen=True)
class Stint:
    """One stretch of days with the same unit, category, post and roles."""

    start: dt.date
    end: dt.date
    unit_id: int
    unit_path: str
    category: str
    post: str
    roles: frozenset

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        return self.start <= end and start <= self.end


def current_roles(person_ids) -> dict[int, set[str]]:
    """The roles people hold now (``person_ids``: ids or a queryset of ids)."""
    found: dict[int, set[str]] = defaultdict(set)
    for person_id, role in RoleAssignment.objects.filter(
            user__person_id__in=person_ids).values_list("user__person_id", "role"):
        found[person_id].add(role)
    return found


def stints(person_ids: Iterable[int], *, with_roles: bool = True,
           people: dict | None = None, query=None) -> dict[int, list[Stint]]:
    """Every person's stints, oldest first, covering all days (date.min to date.max).

    A person without history rows has one stint: their record as it is now, taken from
    ``people`` (objects with ``unit_id``, ``unit_path``, ``category`` and perhaps
    ``current_post``)
    when the caller has loaded them already. Their roles are read from their role
    assignments only when ``with_roles`` is set. ``query`` (a queryset of person ids)
    filters in SQL instead of a long list of ids.
    """
    ids = list(dict.fromkeys(person_ids))
    out: dict[int, list[Stint]] = defaultdict(list)
    rows = PostHistory.objects.filter(
        person_id__in=query if query is not None else ids).order_by(
        # The open-ended first row sorts first on every database (PostgreSQL puts NULL
        # last by default).
        "person_id", F("valid_from").asc(nulls_first=True), "id").values_list(
        "person_id", "valid_from", "valid_to", "unit_id", "unit__path", "category", "post",
        "roles")
    for pk, start, end, unit_id, path, category, post, roles in rows:
        out[pk].append(Stint(start or dt.date.min, end or dt.date.max, unit_id, path,
                             category, post, frozenset(roles or ())))
    missing = [pk for pk in ids if pk not in out]
    if not missing:
        return dict(out)
    roles = current_roles(missing if query is None else query) if with_roles else {}
    if people is None:
        people = {p.pk: p for p in Person.objects.filter(pk__in=missing).only(
            "pk", "unit_id", "unit_path", "category", "current_post")}
    for pk in missing:
        p = people.get(pk)
        if p is not None:
            out[pk].append(Stint(dt.date.min, dt.date.max, p.unit_id, p.unit_path,
                                 p.category, getattr(p, "current_post", ""),
                                 frozenset(roles.get(pk, ()))))
    return dict(out)


def as_of(person_ids: Iterable[int], day: dt.date) -> dict[int, Stint]:
    """Each person's stint on ``day`` (people not yet recorded then are left out)."""
    return {pk: found for pk, pieces in stints(person_ids).items()
            if (found := stint_on(pieces, day)) is not None}


def stint_on(pieces: list[Stint], day: dt.date) -> Stint | None:
    return next((s for s in pieces if s.start <= day <= s.end), None)


def within(pieces: list[Stint], start: dt.date, end: dt.date) -> list[Stint]:
    """The stints between start and end, cut to those days."""
    out = []
    for s in pieces:
        a, b = max(s.start, start), min(s.end, end)
        if a <= b:
            out.append(Stint(a, b, s.unit_id, s.unit_path, s.category, s.post, s.roles))
    return out
