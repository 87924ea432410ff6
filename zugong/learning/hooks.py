"""Functions the learning app offers other apps through ``core.registry.hook`` (its
plugin's ``hooks``): they take ids and dates, never a user; the caller has already
chosen the people it may see."""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_

from django.db.models import Q

from zugong.core.periods import PeriodKind, periods_between
from zugong.core.registry import hook_ids
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
    those of ``compliance.evaluate_many`` (a grouped query per metric). ``person_ids``:
    ids, or a query of them (``values("pk")``).
    """
    ids = hook_ids(person_ids)
    months = [p for p in periods_between(PeriodKind.MONTH, start, end) if p.end < end]
    if not months:
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
    # Only missed cells are reported: people no rule may hold are not judged at all. One
    # cell per rule and period (``once``): a yearly rule missed is one shortfall.
    results = compliance.evaluate_many(regimes=regimes, people=people, windows=months,
                                       today=end, audience_only=True, once=True)
    found: dict[int, list[tuple[dt.date, str, str]]] = {}
    # What a shortfall says apart from its figures, and the metric's records list, are
    # the same for every person missing the rule in the period: worked out once each.
    heads: dict[tuple, str] = {}
    lists: dict[tuple[str, int], str] = {}
    for regime_pk, result in results.items():
        by_number = {s.number: s for s in result.series}
        for cell in result.cells.values():
            if cell.status != compliance.Status.MISSED:
                continue
            window = cell.window
            head = heads.get((regime_pk, cell.series, window.key))
            if head is None:
                head = heads[(regime_pk, cell.series, window.key)] = (
                    f"{window.label} {by_number[cell.series].metric.label}")
            records = lists.get((cell.metric, cell.person_id))
            if records is None:
                records = lists[(cell.metric, cell.person_id)] = (
                    compliance.person_records_url(cell.metric, cell.person_id))
            text = f"{head} {cell.actual.normalize():f}/{cell.target.normalize():f}"
            found.setdefault(cell.person_id, []).append(
                (window.start, text, compliance.cell_url(records, window)))
    # Oldest period first: sorted by the text alone, November came before January.
    return {pk: [(text, url) for _start, text, url in sorted(items)]
            for pk, items in found.items()}


def archive_entries(person_id: int) -> list[tuple[str, dt.date, str, str]]:
    """``learning.archive_entries`` (supervision's political-quality archive, category
    "first topic and learning"): the 第一议题 sessions the person attended, as (category,
    day, meeting and topic, link). One query."""
    from .models import StudySession

    rows = (StudySession.objects.filter(person_id=person_id, first_topic__isnull=False)
            .select_related("first_topic").order_by("-on", "-id"))
    return [("learning", s.on, f"{s.first_topic.meeting} · {s.topic}",
             f"/learning/records/study/{s.pk}/") for s in rows]


def writings(*, person_ids=None, ids=None, start: dt.date | None = None,
             end: dt.date | None = None) -> dict[int, dict]:
    """``learning.writings`` (the projects app's adoption of information, M22): the
    information items and published articles recorded here, by id, so that another app
    records their adoption against them by reference instead of entering them twice.
    Narrowed to the people, the ids and the dates given.
    Newest first; one query."""
    from .models import Writing, WritingKind

    qs = Writing.objects.filter(kind__in=(WritingKind.INFO, WritingKind.ARTICLE))
    if person_ids is not None:
        qs = qs.filter(person_id__in=list(person_ids))
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    if start is not None:
        qs = qs.filter(on__gte=start)
    if end is not None:
        qs = qs.filter(on__lte=end)
    rows = qs.order_by("-on", "-id").values_list("pk", "person_id", "person__name", "kind",
                                                 "title", "on", "outlet", "outlet_level")
    labels = dict(WritingKind.choices)
    return {pk: {"id": pk, "person_id": person_id, "person": name, "kind": kind,
                 "kind_label": str(labels[kind]), "title": title, "on": on, "outlet": outlet,
                 "outlet_level": level, "url": f"/learning/records/writing/{pk}/"}
            for pk, person_id, name, kind, title, on, outlet, level in rows}
