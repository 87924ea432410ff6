"""Functions the learning app offers other apps through ``core.registry.hook`` (its
plugin's ``hooks``): they take ids and dates, never a user; the caller has already
chosen the people it may see."""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_

from django.db.models import Q

from zugong.core.periods import PeriodKind, periods_between
from zugong.people.access import subtree_q
from zugong.people.models import Person

from . import compliance
from .models import Regime


def shortfall(person_ids, start: dt.date, end: dt.date) -> dict[int, list[tuple[str, str]]]:
    """``learning.shortfall`` (supervision's early warning): each person's rules missed in
    the months that ended inside [start, end], as (text, url of the records behind the
    figure). A rule longer than a month counts once for its own period (a yearly rule
    missed in 2025 is one shortfall, not twelve), and only once that period has ended:
    a month still running is never a shortfall.

    Each person is judged by the active regime of their department. The queries depend
    on the rules, not on the people: one for the departments, one for the regimes, then
    those of ``compliance.evaluate_many`` (a grouped query per metric).
    """
    ids = list(person_ids)
    months = [p for p in periods_between(PeriodKind.MONTH, start, end) if p.end < end]
    if not ids or not months:
        return {}
    people = Person.objects.filter(pk__in=ids, is_active=True)
    departments = {dept or unit for dept, unit in
                   people.values_list("unit__department_id", "unit_id")}
    regimes = list(Regime.objects.filter(department__in=departments, is_active=True)
                   .select_related("department"))
    if not regimes:
        return {}
    # Only people under some regime: one regime alone would otherwise take everybody.
    people = people.filter(reduce(or_, (subtree_q("unit_path", r.department.path)
                                        for r in regimes), Q(pk__in=[])))
    results = compliance.evaluate_many(regimes=regimes, people=people, windows=months,
                                       today=end)
    out: dict[int, list[tuple[str, str]]] = {}
    seen: set[tuple] = set()
    for result in results.values():
        by_number = {s.number: s for s in result.series}
        for cell in result.cells.values():
            if cell.status != compliance.Status.MISSED:
                continue
            key = (cell.person_id, cell.series, cell.window.key)
            if key in seen:
                continue
            seen.add(key)
            metric = by_number[cell.series].metric
            text = (f"{cell.window.label} {metric.label} "
                    f"{cell.actual.normalize():f}/{cell.target.normalize():f}")
            out.setdefault(cell.person_id, []).append((text, cell.url))
    for items in out.values():
        items.sort()
    return out
