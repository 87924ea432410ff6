"""Project follow-up coverage from plain values (no ORM), so the figures are checked by
hand in the tests.

A project is followed up from the day it is classified. Each calendar month it is under
way on at least one day owes ``monthly`` follow-ups (on-site guidance counts as one), and
each quarter ``onsite`` on-site guidance. A period is judged once it has ended; in the
open period (the one containing the day of judgement) a project without its follow-up is
listed as still owed, never as failed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from zugong.core.periods import Period, PeriodKind, periods_between


@dataclass(frozen=True)
class Rules:
    monthly: int = 1
    onsite: int = 1


@dataclass(frozen=True)
class Span:
    """A project from classification to its finish (None while under way)."""

    key: int
    start: dt.date
    end: dt.date | None = None


@dataclass
class Tally:
    due: int = 0
    met: int = 0
    owed_now: list[int] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return round(100 * self.met / self.due, 1) if self.due else None


def tally(spans: Iterable[Span], counts: Mapping[tuple[int, str], int], *, kind: str,
          year: int, as_of: dt.date, minimum: int) -> Tally:
    """``counts`` maps (project, period key) to the follow-ups of that period."""
    out = Tally()
    last = min(as_of, dt.date(year, 12, 31))
    if last < dt.date(year, 1, 1):
        return out
    periods: list[Period] = list(periods_between(kind, dt.date(year, 1, 1), last))
    for span in spans:
        for period in periods:
            if span.start > period.end or (span.end is not None and span.end < period.start):
                continue
            enough = counts.get((span.key, period.key), 0) >= minimum
            if period.end < as_of:
                out.due += 1
                out.met += enough
            elif not enough:
                out.owed_now.append(span.key)
    return out


@dataclass
class Coverage:
    monthly: Tally
    onsite: Tally


def counts(followups: Iterable[tuple[int, str, dt.date]]):
    """Follow-ups per (project, month) and on-site guidance per (project, quarter), from
    (project, kind, day) triples."""
    monthly: dict[tuple[int, str], int] = {}
    onsite: dict[tuple[int, str], int] = {}
    for project, kind, on in followups:
        month = Period.containing(PeriodKind.MONTH, on).key
        monthly[(project, month)] = monthly.get((project, month), 0) + 1
        if kind == "onsite":
            quarter = Period.containing(PeriodKind.QUARTER, on).key
            onsite[(project, quarter)] = onsite.get((project, quarter), 0) + 1
    return monthly, onsite


def coverage(spans: list[Span], *, rules: Rules, year: int, as_of: dt.date,
             followups: Iterable[tuple[int, str, dt.date]]) -> Coverage:
    """The department's totals over ``spans``."""
    monthly, onsite = counts(followups)
    return Coverage(
        monthly=tally(spans, monthly, kind=PeriodKind.MONTH, year=year, as_of=as_of,
                      minimum=rules.monthly),
        onsite=tally(spans, onsite, kind=PeriodKind.QUARTER, year=year, as_of=as_of,
                     minimum=rules.onsite))


def per_project(spans: list[Span], *, rules: Rules, year: int, as_of: dt.date,
                followups: Iterable[tuple[int, str, dt.date]]) -> dict[int, Coverage]:
    monthly, onsite = counts(followups)
    return {s.key: Coverage(
        monthly=tally([s], monthly, kind=PeriodKind.MONTH, year=year, as_of=as_of,
                      minimum=rules.monthly),
        onsite=tally([s], onsite, kind=PeriodKind.QUARTER, year=year, as_of=as_of,
                     minimum=rules.onsite)) for s in spans}


@dataclass(frozen=True)
class Credit:
    """A project-period that met its rule, credited to the cadre whose follow-up made up
    the minimum, on that follow-up's day."""

    project: int
    period: str
    person: int
    on: dt.date


def credits(followups: Iterable[tuple[int, int, str, dt.date, int]], *, kind: str,
            minimums: Mapping[int, int]) -> list[Credit]:
    """The project-months (``kind`` "monthly": every follow-up counts) or project-quarters
    (``kind`` "onsite": on-site guidance only) that met their department's minimum.

    ``followups`` are (project, person, kind, day, id); ``minimums`` maps a project to its
    department's minimum for the rule. Each met period is credited once, to the follow-up
    that made up the minimum (in order of day, then id), so the credits add up over people
    and over periods. A minimum of 0 asks nothing: the period then counts once its first
    follow-up is made (nothing to credit without one).
    """
    period_kind = PeriodKind.MONTH if kind == "monthly" else PeriodKind.QUARTER
    grouped: dict[tuple[int, str], list[tuple[dt.date, int, int]]] = {}
    for project, person, made, on, pk in followups:
        if kind == "onsite" and made != "onsite":
            continue
        key = (project, Period.containing(period_kind, on).key)
        grouped.setdefault(key, []).append((on, pk, person))
    out = []
    for (project, period), rows in grouped.items():
        quota = max(minimums.get(project, 1), 1)
        if len(rows) >= quota:
            on, _pk, person = sorted(rows)[quota - 1]
            out.append(Credit(project, period, person, on))
    return sorted(out, key=lambda c: (c.on, c.project))
