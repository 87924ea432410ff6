"""Meeting coverage: did each branch (and each Party group) hold each kind of meeting as
often as its frequency rule asks, period by period, and did each member take part?

Pure rules, no ORM: the selectors load rules, units, meetings and attendance in a fixed
number of queries and call :func:`branch_coverage` and :func:`member_coverage`, so the
figures are testable by hand.

* A rule is (kind, frequency, times): "a 支委会 once a month".
* The periods judged are those of the rule's frequency in the year, from January up to the
  one containing ``today``. A period that has ended is *met* (held ≥ times) or *missed*; the
  current one is *met* or still *open*.
* A member's period counts when they attended (present, or absent and made up) at least
  ``times`` meetings of that kind in it; absence without make-up does not count.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from zugong.core.periods import Period, periods_between

MET, MISSED, OPEN = "met", "missed", "open"


@dataclass(frozen=True)
class Rule:
    kind: str
    frequency: str  # a PeriodKind: month, quarter, half, year
    times: int = 1


@dataclass
class Cell:
    period: Period
    required: int
    done: int
    state: str


@dataclass
class Row:
    """One branch or member under one rule: a cell per period and the totals so far."""

    key: int
    rule: Rule
    cells: list[Cell] = field(default_factory=list)

    @property
    def judged(self) -> int:
        """Periods with a verdict: ended ones, and the current one once met."""
        return sum(1 for c in self.cells if c.state != OPEN)

    @property
    def met(self) -> int:
        return sum(1 for c in self.cells if c.state == MET)

    @property
    def missed(self) -> int:
        return sum(1 for c in self.cells if c.state == MISSED)

    @property
    def rate(self) -> float | None:
        """Met periods over judged periods, in per cent (one decimal)."""
        return None if not self.judged else round(100 * self.met / self.judged, 1)


def periods(rule: Rule, year: int, today: dt.date) -> list[Period]:
    """The rule's periods of ``year`` that have begun by ``today``."""
    end = min(today, dt.date(year, 12, 31))
    if end < dt.date(year, 1, 1):
        return []
    return list(periods_between(rule.frequency, dt.date(year, 1, 1), end))


def _judge(rule: Rule, period: Period, done: int, today: dt.date) -> Cell:
    if done >= rule.times:
        state = MET
    elif period.end < today:
        state = MISSED
    else:
        state = OPEN
    return Cell(period, rule.times, done, state)


def branch_coverage(rules: list[Rule], units: dict[str, list[int]],
                    meetings: list[tuple[int, str, dt.date]], *, year: int,
                    today: dt.date) -> list[Row]:
    """A row per (unit, rule): ``units`` maps a kind to the units that must hold it (the
    department for branch meetings, each section for group meetings); ``meetings`` are
    (unit id, kind, day)."""
    rows = []
    for rule in rules:
        ps = periods(rule, year, today)
        held = Counter((unit, p.key) for unit, kind, day in meetings if kind == rule.kind
                       for p in ps if day in p)
        for unit in units.get(rule.kind, ()):
            rows.append(Row(unit, rule, [_judge(rule, p, held[(unit, p.key)], today)
                                         for p in ps]))
    return rows


def member_coverage(rules: list[Rule], members: list[int],
                    attended: list[tuple[int, str, dt.date]], *, year: int,
                    today: dt.date) -> list[Row]:
    """A row per (member, rule); ``attended`` are (person id, kind, meeting day) for each
    meeting the person was present at or made up."""
    rows = []
    for rule in rules:
        ps = periods(rule, year, today)
        done = Counter((person, p.key) for person, kind, day in attended
                       if kind == rule.kind for p in ps if day in p)
        for person in members:
            rows.append(Row(person, rule, [_judge(rule, p, done[(person, p.key)], today)
                                           for p in ps]))
    return rows


def due_soon(rule: Rule, done: int, today: dt.date, *, days: int) -> Period | None:
    """The current period, when it ends within ``days`` and ``done`` is short of the rule."""
    current = Period.containing(rule.frequency, today)
    if done < rule.times and (current.end - today).days < days:
        return current
    return None
