"""Compliance: each rule's target, actual and status per person and period.

The rules of judgement (documented for users in docs/learning.md):

* A rule "metric ≥ threshold per P" is judged over a window. A window at least as long as
  P (a month for a daily rule, a year for a monthly rule) is judged as a whole: the target
  adds up the rule's periods inside it. A window shorter than P (a month for a yearly rule)
  is judged over the P period that contains it, to date.
* Targets are pro-rated by day. Each day the person is held to the rule contributes
  ``threshold / days of the rule period containing that day``: a daily rule adds the
  threshold per working day of the official calendar (``workdays``; 248 hours of a
  "1 hour a day" rule in 2025), or per day when the rule counts calendar days; a
  quarterly rule asks its threshold once for a full quarter. A person is not held to a
  rule before ``Person.joined_on``, outside the dates of the rule's version or of its
  regime, or on days of an exemption. When a rule changes mid-period, each version counts
  for its own days.
* Targets are rounded half up to the metric's precision (whole items for counts, so a
  person who joined in the last third of a quarter owes no quarterly reflection).
* Status: *met* when actual ≥ target; once the window has ended, *missed* otherwise;
  while it runs, *behind* when the actual is below the target pro-rated to today, else
  *not yet due*; *exempt* when every day is exempted; *not applicable* when the person
  was not yet under the rule.

The query count depends on the rules, never on people or records: two for the rules,
one for the post history (only when a rule names an audience: category, role or
section, judged by the person's unit, category and roles on each day) and one for the
current roles of people without history (only when a rule names roles), one for the
working-day calendar (only with a daily working-day rule), one for exemptions, and one
grouped query per (metric, window kind), over the monthly summaries of the learning
metrics (``summaries``: the sums of whole months) or, for windows shorter than a month
and other apps' metrics, over the records.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zugong.core import metrics
from zugong.core.memo import memo
from zugong.core.periods import ORDER, Period, PeriodKind, periods_between
from zugong.people.history import Stint, stints
from zugong.people.models import OrgUnit, PostHistory

from . import events, summaries
from .models import DayBasis, Exemption, Regime, RegimeRule
from .workdays import WorkingDays

Interval = tuple[dt.date, dt.date]


class Status(models.TextChoices):
    MET = "met", _("met")
    BEHIND = "behind", _("behind")
    MISSED = "missed", _("missed")
    NOT_DUE = "not_due", _("not yet due")
    EXEMPT = "exempt", _("exempt")
    NOT_APPLICABLE = "n/a", _("not applicable")


# Worst first: a summary of several rules shows the worst status among them.
SEVERITY = [Status.MISSED, Status.BEHIND, Status.NOT_DUE, Status.MET, Status.EXEMPT,
            Status.NOT_APPLICABLE]


@dataclass
class Series:
    """All versions of one rule, oldest first."""

    number: int
    versions: list[RegimeRule]

    @property
    def current(self) -> RegimeRule:
        return self.versions[-1]

    @property
    def metric(self) -> metrics.Metric:
        return metrics.get(self.current.metric)

    @property
    def period(self) -> str:
        return self.current.period

    def window_for(self, window: Period) -> Period:
        if ORDER[PeriodKind(self.period)] <= ORDER[PeriodKind(window.kind)]:
            return window
        return Period.containing(self.period, window.start)


@dataclass
class Subject:
    pk: int
    name: str
    category: str
    unit_id: int
    unit_path: str
    joined_on: dt.date | None
    # Unit, category and roles by day (``people.history``); loaded only when some rule
    # names an audience.
    stints: list[Stint] = field(default_factory=list)

    def audience_days(self, rule: RegimeRule) -> list[Interval] | None:
        """The days the rule's audience held the person (None: a rule for everybody)."""
        if not (rule.categories or rule.roles or rule.section_paths):
            return None
        return [(s.start, s.end) for s in self.stints if _applies(rule, s)]


@dataclass
class Cell:
    person_id: int
    series: int
    window: Period
    target: Decimal
    actual: Decimal
    expected: Decimal
    status: str
    metric: str = ""

    @property
    def url(self) -> str:
        """The records behind the actual figure (computed on demand: reversing a URL for
        every cell of a province would cost more than the compliance itself)."""
        return cell_url(person_records_url(self.metric, self.person_id), self.window)

    @property
    def shortfall(self) -> Decimal:
        return max(Decimal(0), self.target - self.actual)

    @property
    def percent(self) -> int:
        if self.target <= 0:
            return 100
        return min(100, int(self.actual * 100 / self.target))


def person_records_url(metric: str, person_id: int) -> str:
    """The list of one person's records that a metric counts ("" when it has none): a
    page with many cells of one person works it out once and adds each cell's dates
    (``cell_url``)."""
    return metrics.get(metric).records_url(person_id=person_id)


def cell_url(records: str, window: Period) -> str:
    """The records behind a cell's figure: the person's list (``person_records_url``)
    narrowed to the cell's dates; the same text as ``records_url`` with all three."""
    if not records:
        return ""
    return f"{records}&start={window.start.isoformat()}&end={window.end.isoformat()}"


@dataclass
class Result:
    series: list[Series]
    subjects: list[Subject]
    windows: list[Period]
    cells: dict[tuple[int, int, str], Cell]

    def cell(self, person_id: int, series: int, window: Period) -> Cell | None:
        return self.cells.get((person_id, series, window.key))

    def person_cells(self, person_id: int, window: Period) -> list[Cell]:
        return [c for s in self.series if (c := self.cell(person_id, s.number, window))]

    def worst(self, person_id: int, window: Period) -> str | None:
        statuses = {c.status for c in self.person_cells(person_id, window)}
        return next((s for s in SEVERITY if s in statuses), None)

    def summary(self, series: int, window: Period) -> dict:
        """How many people of the result have each status in the rule's window, with the
        sums of their actual and target figures and the share that met it."""
        found = self._summaries.get((series, window.key))
        counts, actual, target = found if found else ({}, Decimal(0), Decimal(0))
        held = sum(n for s, n in counts.items() if s not in (Status.EXEMPT,
                                                             Status.NOT_APPLICABLE))
        return {"counts": dict(counts), "held": held, "actual": actual, "target": target,
                "met_rate": round(counts.get(Status.MET, 0) * 100 / held) if held else None}

    @functools.cached_property
    def _summaries(self) -> dict[tuple[int, str], list]:
        # One pass over the cells for every (rule, window): the compliance page asks for
        # 65 of them (the summary and the chart's months), and a pass over 840 people for
        # each was a fifth of the page's time. The cells are exactly those of the
        # result's subjects (``evaluate_many`` makes no others).
        sums: dict[tuple[int, str], list] = {}
        for (_person, series, wkey), cell in self.cells.items():
            found = sums.get((series, wkey))
            if found is None:
                found = sums[(series, wkey)] = [defaultdict(int), Decimal(0), Decimal(0)]
            found[0][cell.status] += 1
            found[1] += cell.actual
            found[2] += cell.target
        return sums


def load_series(regime: Regime) -> list[Series]:
    return load_series_many([regime])[regime.pk]


def load_series_many(regimes: list[Regime]) -> dict[int, list[Series]]:
    """The rules of several regimes as series of versions: two queries, or none while no
    regime, rule or calendar day has changed since the last reader (``core.memo``; every
    page that judges compliance reads them)."""
    parts = [(r.pk, r.valid_from, r.valid_to) for r in regimes]
    return memo("learning.series", parts, [events.RULES_SCOPE], lambda: _load_series_many(regimes))


def _load_series_many(regimes: list[Regime]) -> dict[int, list[Series]]:
    """The rules of several regimes in two queries, as series of versions.

    A rule holds only while its regime governs: its dates are clipped (in memory) to the
    regime's ``valid_from``/``valid_to``, so a regime replaced on 1 July still judges the
    months before, and its successor does not reach back before 1 July.
    """
    grouped: dict[int, dict[int, list[RegimeRule]]] = {r.pk: defaultdict(list) for r in regimes}
    bounds = {r.pk: (r.valid_from, r.valid_to) for r in regimes}
    rules = RegimeRule.objects.filter(regime__in=[r.pk for r in regimes]).prefetch_related(
        "sections").order_by("regime_id", "series", "valid_from")
    for rule in rules:
        lo, hi = bounds[rule.regime_id]
        if lo and rule.valid_from < lo:
            rule.valid_from = lo
        if hi and (rule.valid_to is None or rule.valid_to > hi):
            rule.valid_to = hi
        if rule.valid_to is not None and rule.valid_to < rule.valid_from:
            continue
        # Section paths once per version: the audience test runs for every person.
        rule.section_paths = tuple(s.path for s in rule.sections.all())
        grouped[rule.regime_id][rule.series].append(rule)
    return {pk: [Series(n, versions) for n, versions in sorted(by_series.items())
                 if metrics.exists(versions[-1].metric)]
            for pk, by_series in grouped.items()}


def _applies(rule: RegimeRule, stint: Stint) -> bool:
    """Whether the rule's audience takes someone in this stint (category, role, section)."""
    if rule.categories and stint.category not in rule.categories:
        return False
    if rule.roles and not (stint.roles & set(rule.roles)):
        return False
    if rule.section_paths and not any(stint.unit_path.startswith(p)
                                      for p in rule.section_paths):
        return False
    return True


def _intersect(intervals: list[Interval], days: list[Interval] | None) -> list[Interval]:
    if days is None:
        return intervals
    return [piece for a, b in days for piece in _clip(intervals, a, b)]


def _clip(intervals: list[Interval], lo: dt.date, hi: dt.date) -> list[Interval]:
    out = []
    for a, b in intervals:
        a, b = max(a, lo), min(b, hi)
        if a <= b:
            out.append((a, b))
    return out


def _subtract(intervals: list[Interval], holes: list[Interval]) -> list[Interval]:
    for h0, h1 in holes:
        out = []
        for a, b in intervals:
            if h1 < a or h0 > b:
                out.append((a, b))
                continue
            if a < h0:
                out.append((a, h0 - dt.timedelta(days=1)))
            if b > h1:
                out.append((h1 + dt.timedelta(days=1), b))
        intervals = out
    return intervals


def _days(intervals: list[Interval]) -> int:
    return sum((b - a).days + 1 for a, b in intervals)


def _target(versions: list[tuple[RegimeRule, list[Interval] | None]],
            eligible: list[Interval], lo: dt.date, hi: dt.date,
            workdays: WorkingDays | None = None) -> tuple[Decimal, int]:
    """Σ over held days in [lo, hi] of threshold / days of the rule period holding the day.

    ``versions`` pairs each version with the days its audience held the person (None:
    every day). A daily rule on working days adds the threshold per held working day
    (official calendar, ``workdays``); on calendar days, per held day.
    Also returns the number of held days (eligible and under some version of the rule).
    """
    total, held = Decimal(0), 0
    for v, days in versions:
        segments = _clip(_intersect(eligible, days), max(lo, v.valid_from),
                         min(hi, v.valid_to or hi))
        if not segments:
            continue
        held += _days(segments)
        if v.period == PeriodKind.DAY:
            if v.days == DayBasis.WORKING and workdays is not None:
                total += v.threshold * sum(workdays.count(a, b) for a, b in segments)
            else:
                total += v.threshold * _days(segments)
            continue
        for p in _periods(v.period, segments[0][0], segments[-1][1]):
            total += v.threshold * _days(_clip(segments, p.start, p.end)) / p.days
    return total, held


@functools.lru_cache(maxsize=4096)
def _periods(kind: str, start: dt.date, end: dt.date) -> tuple[Period, ...]:
    """``periods_between``, kept: thousands of target profiles ask for the same periods
    (Periods are immutable, and each keeps its computed end and length)."""
    return tuple(periods_between(kind, start, end))


def subjects_of(people: QuerySet, series: list[Series]) -> list[Subject]:
    rows = list(people.order_by("unit_path", "name", "pk").values_list(
        "pk", "name", "category", "unit_id", "unit_path", "joined_on"))
    subjects = [Subject(*row) for row in rows]
    versions = [v for s in series for v in s.versions]
    if any(v.categories or v.roles or v.section_paths for v in versions):
        # Audiences are judged by day, on the post history: one query, plus the current
        # roles of people without history when a rule names roles.
        history = stints([s.pk for s in subjects], with_roles=any(v.roles for v in versions),
                         people={s.pk: s for s in subjects},
                         query=people.values("pk"))
        for subject in subjects:
            subject.stints = history.get(subject.pk, [])
    return subjects



def evaluate(*, regime: Regime, people: QuerySet, windows: list[Period],
             today: dt.date, series: list[Series] | None = None) -> Result:
    """Compliance of ``people`` with ``regime`` over each of ``windows``."""
    return evaluate_many(regimes=[regime], people=people, windows=windows, today=today,
                         series={regime.pk: series} if series is not None else None)[regime.pk]


def evaluate_many(*, regimes: list[Regime], people: QuerySet, windows: list[Period],
                  today: dt.date, series: dict[int, list[Series]] | None = None,
                  audience_only: bool = False, once: bool = False) -> dict[int, Result]:
    """Compliance of ``people`` with several departments' regimes at once (a city or a
    province): each person is judged by the regime of their nearest department.

    The queries are those of one regime: the rules of all regimes together, one grouped
    query per (metric, kind of judged window, review states) over everybody.

    ``audience_only``: the result's subjects are only the people some rule may hold
    (``audience_q``), for callers that show cells and counts, which those others never
    have; a caller that counts everybody judged (the roll-up's head count) leaves it off.

    ``once``: see ``frame_many``.
    """
    series = series if series is not None else load_series_many(regimes)
    if audience_only:
        people = people.filter(audience_q(
            [s for r in regimes for s in series.get(r.pk, [])], people))
    frame = frame_many(regimes=regimes, people=people, windows=windows, today=today,
                       series=series, once=once)
    return judge(frame, actuals(frame, people))


def audience_q(series: list[Series], people: QuerySet) -> Q:
    """Of ``people``, a filter for those some version of ``series`` may hold: when every
    version names categories, those whose category is one of them now or in any row of
    their post history (a person without history rows has always been as they are now;
    ``people.history.stints``). Everybody when some version takes every category.

    Nobody outside it has a cell, so leaving them out changes no figure; it spares judging
    them. A county department's rules hold its 40 organization cadres, not the 800 managed
    cadres on its books, and judging those took most of its compliance page (issue 23).
    """
    categories: set[str] = set()
    for s in series:
        for version in s.versions:
            if not version.categories:
                return Q()
            categories.update(version.categories)
    if not categories:
        return Q()
    named = sorted(categories)
    return Q(category__in=named) | Q(pk__in=PostHistory.objects.filter(
        category__in=named, person__in=people.values("pk")).values("person_id"))


@dataclass
class Frame:
    """A judgement before the actual figures are read: every cell's target, what is
    expected by today and the days the person is held, with the totals to read.

    Only records change the figures; the rest changes with the rules, the calendar, the
    person's post or an exemption. A page that keeps the frame (``core.memo``) judges
    again after a new record with the totals' queries alone (a cadre's own progress).
    """

    results: dict[int, Result]
    today: dt.date
    # (states counted, span) → {(metric key, kind of judged window): span}: one read each.
    reads: dict[tuple[bool, tuple[dt.date, dt.date]], dict[tuple[str, str], tuple]]
    # Each cell with the key of its figures in what ``actuals`` returns, and the days the
    # person is held and exempted in its window.
    slots: list[tuple[Cell, tuple[str, str, bool], int, int]]


def frame_many(*, regimes: list[Regime], people: QuerySet, windows: list[Period],
               today: dt.date, series: dict[int, list[Series]] | None = None,
               one_read: bool = False, once: bool = False) -> Frame:
    """Everything ``evaluate_many`` works out but the actual figures (see ``Frame``).

    ``one_read``: read every span at once, for one person (a year of their monthly
    summaries is a few dozen rows; a department's would be thousands).

    ``once``: one cell per rule and judged period, under the first of ``windows`` that
    falls in it, for a caller that lists each shortfall once (``hooks.shortfall``): a
    year's months judge a quarterly rule 4 times and a yearly one once, not 12 times,
    which spares a third of the cells of the early warnings (issue 23). A page that looks
    cells up by each of its windows leaves it off.
    """
    series = series if series is not None else load_series_many(regimes)
    all_series = [s for r in regimes for s in series.get(r.pk, [])]
    subjects = subjects_of(people, all_series)
    by_regime = _assign(regimes, subjects)
    frame = Frame({r.pk: Result(series.get(r.pk, []), by_regime[r.pk], windows, {})
                   for r in regimes}, today, {}, [])
    if not subjects or not all_series or not windows:
        return frame
    judged = {(r.pk, s.number, w.key): s.window_for(w)
              for r in regimes for s in series.get(r.pk, []) for w in windows}
    span_lo = min(j.start for j in judged.values())
    span_hi = max(j.end for j in judged.values())
    workdays = (WorkingDays(span_lo, span_hi)
                if any(v.period == PeriodKind.DAY and v.days == DayBasis.WORKING
                       for s in all_series for v in s.versions) else None)

    exemptions: dict[tuple[int, int], list[Exemption]] = defaultdict(list)
    for e in Exemption.objects.filter(regime__in=[r.pk for r in regimes],
                                      person__in=people.values("pk"),
                                      start__lte=span_hi, end__gte=span_lo):
        exemptions[(e.regime_id, e.person_id)].append(e)

    # The judged periods of each (metric, kind of judged window, states counted).
    needed: dict[tuple[str, str, bool], list[Period]] = defaultdict(list)
    for r in regimes:
        for s in series.get(r.pk, []):
            for w in windows:
                j = judged[(r.pk, s.number, w.key)]
                needed[(s.current.metric, j.kind, r.count_unconfirmed)].append(j)
    # Read together: the pairs judged over the same span (a year's months and the year).
    # Different spans stay apart: widening a county's month to its year would return
    # twelve times the rows, and choosing by the number of people would make the number
    # of queries depend on the data (tests/test_bounded_queries.py).
    whole = (span_lo, span_hi)
    for (key, kind, unconfirmed), periods in needed.items():
        span = (min(p.start for p in periods), max(p.end for p in periods))
        frame.reads.setdefault((unconfirmed, whole if one_read else span), {})[(key, kind)] = span

    # The loop below runs for every person, rule and window (20,000 cells for a province):
    # what depends on the rule and window only is looked up once, before it. Each person's
    # figures of a rule depend only on the rule's versions that hold them, the day they
    # joined and their exemptions from it (their profile): a county's 40 organization
    # cadres have a few profiles, so the targets of all windows are worked out once per
    # profile (``rows``) and each person's cells are made from them.
    rows: dict[tuple, list[tuple]] = {}
    for r in regimes:
        cells = frame.results[r.pk].cells
        plans = []
        for s in series.get(r.pk, []):
            js = [(w.key, j, (s.current.metric, j.kind, r.count_unconfirmed))
                  for w in windows for j in (judged[(r.pk, s.number, w.key)],)]
            if once:  # the first window of each judged period
                first: dict[str, tuple] = {}
                for item in js:
                    first.setdefault(item[1].key, item)
                js = list(first.values())
            plans.append((s, s.metric, js, any(v.categories or v.roles or v.section_paths
                                               for v in s.versions)))
        for subject in by_regime[r.pk]:
            own = exemptions.get((r.pk, subject.pk), ())
            for s, metric, js, by_audience in plans:
                if by_audience:
                    versions = [(v, days) for v in s.versions
                                if (days := subject.audience_days(v)) is None or days]
                    if not versions:
                        continue
                    versions_key = tuple((v.pk, tuple(d) if d is not None else None)
                                         for v, d in versions)
                else:
                    versions = [(v, None) for v in s.versions]
                    versions_key = s.number
                holes = [(e.start, e.end) for e in own if e.series in (None, s.number)]
                profile = (r.pk, s.number, versions_key, subject.joined_on, tuple(holes))
                found_rows = rows.get(profile)
                if found_rows is None:
                    found_rows = rows[profile] = _profile_rows(
                        versions, metric, js, subject.joined_on, holes, today, workdays)
                pk, number, key = subject.pk, s.number, metric.key
                for wkey, j, found, target, expected, held_days, exempt_days in found_rows:
                    cell = cells[(pk, number, wkey)] = Cell(pk, number, j, target, Decimal(0),
                                                            expected, "", key)
                    frame.slots.append((cell, found, held_days, exempt_days))
    return frame


def _profile_rows(versions, metric, js, joined_on: dt.date | None,
                  holes: list[Interval], today: dt.date, workdays: WorkingDays | None
                  ) -> list[tuple]:
    """For one profile of ``frame_many`` (a rule's versions holding the person, the day
    they joined, their exemptions from it): each window's key, judged period, figures'
    key, target, expected figure by today, days held and days exempted."""
    out = []
    for wkey, j, found in js:
        base = [(max(j.start, joined_on or j.start), j.end)]
        base = [(a, b) for a, b in base if a <= b]
        eligible = _subtract(base, holes) if holes else base
        target, held_days = _target(versions, eligible, j.start, j.end, workdays)
        expected, _held = _target(versions, eligible, j.start, min(today, j.end), workdays)
        exempt_days = _target(versions, base, j.start, j.end)[1] - held_days
        out.append((wkey, j, found, metric.quantize(target), metric.quantize(expected),
                    held_days, exempt_days))
    return out


def actuals(frame: Frame, people: QuerySet) -> dict[tuple[str, str, bool], dict]:
    """The totals a frame judges by, for ``people`` (those the frame was made for): one
    grouped query per read of the frame (``summaries.totals_by_kind``)."""
    values: dict[tuple[str, str, bool], dict] = {}
    few = sum(len(r.subjects) for r in frame.results.values()) <= summaries.FEW_PEOPLE
    for (unconfirmed, _span), wanted in frame.reads.items():
        found = summaries.totals_by_kind(wanted, people=people,
                                         include_unconfirmed=unconfirmed, few=few)
        values.update({(key, kind, unconfirmed): totals
                       for (key, kind), totals in found.items()})
    return values


def judge(frame: Frame, values: dict[tuple[str, str, bool], dict]) -> dict[int, Result]:
    """The frame's results with each cell's actual figure and status filled in."""
    quantize = {}
    for cell, found, held_days, exempt_days in frame.slots:
        q = quantize.get(cell.metric)
        if q is None:
            q = quantize[cell.metric] = metrics.get(cell.metric).quantize
        cell.actual = actual = q(values[found].get((cell.person_id, cell.window.key),
                                                   Decimal(0)))
        cell.status = _status(cell.target, actual, cell.expected, held_days, exempt_days,
                              cell.window, frame.today)
    return frame.results


def _assign(regimes: list[Regime], subjects: list[Subject]) -> dict[int, list[Subject]]:
    """Each person to the regime of their nearest department (the longest path prefix).

    One regime takes everybody: its callers have already chosen its people.
    """
    if len(regimes) == 1:
        return {regimes[0].pk: subjects}
    paths = dict(OrgUnit.objects.filter(pk__in=[r.department_id for r in regimes])
                 .values_list("pk", "path"))
    by_path = {paths[r.department_id]: r for r in regimes}
    # A few distinct depths: each person's path cut at each, deepest first, is a lookup
    # (not a test of every regime for each of a province's people).
    lengths = sorted({len(p) for p in by_path}, reverse=True)
    out: dict[int, list[Subject]] = {r.pk: [] for r in regimes}
    for subject in subjects:
        for n in lengths:
            r = by_path.get(subject.unit_path[:n])
            if r is not None:
                out[r.pk].append(subject)
                break
    return out


def _status(target, actual, expected, held_days, exempt_days, window: Period,
            today: dt.date) -> str:
    if held_days == 0:
        return Status.EXEMPT if exempt_days else Status.NOT_APPLICABLE
    if actual >= target:
        return Status.MET
    if today > window.end:
        return Status.MISSED
    if today < window.start or actual >= expected:
        return Status.NOT_DUE
    return Status.BEHIND


def people_under(regime: Regime, people: QuerySet) -> QuerySet:
    """Of ``people``, those in the regime's department (its subtree), in post."""
    from zugong.people.access import subtree_q

    return people.filter(subtree_q("unit_path", regime.department.path), is_active=True)

