"""Service coverage: who met the department's service rules, from plain values (no ORM),
so that every figure can be checked by hand in the tests.

Two rules are about pairings (a cadre with a village or community, a cadre with a
household): each pairing owes at least ``minimum`` contacts in every month it lasts on at
least one day. A month is judged once it has ended; the month that contains the day of
judgement is *open*: a pairing without its contact yet is listed as still owed (that is
what the reminders send), never as failed. The third rule counts problems solved in the
calendar year against a yearly minimum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from zugong.core.periods import Period, PeriodKind, periods_between


@dataclass(frozen=True)
class Rules:
    """The minimums; the defaults are seed 002's (see ``models.RULE_DEFAULTS``)."""

    point_visits: int = 1
    household_contacts: int = 1
    problems_solved: int = 2


@dataclass(frozen=True)
class Pairing:
    key: int  # the contact point's or household's id
    start: dt.date
    end: dt.date | None = None  # last day; None while it lasts

    def overlaps(self, month: Period) -> bool:
        return self.start <= month.end and (self.end is None or self.end >= month.start)


@dataclass
class Tally:
    """Pairing-months judged and met, and the pairings still owed in the open month."""

    due: int = 0
    met: int = 0
    owed_now: list[int] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return round(100 * self.met / self.due, 1) if self.due else None

    def add(self, other: Tally) -> None:
        self.due += other.due
        self.met += other.met
        self.owed_now += other.owed_now


@dataclass
class PersonCoverage:
    person_id: int
    points: Tally
    households: Tally
    solved: int
    solved_target: int

    @property
    def solved_ok(self) -> bool:
        return self.solved >= self.solved_target

    @property
    def ok(self) -> bool:
        return (self.points.met == self.points.due and self.households.met ==
                self.households.due and self.solved_ok)


def months_until(year: int, as_of: dt.date) -> list[Period]:
    """The months of ``year`` that have begun by ``as_of``."""
    start = dt.date(year, 1, 1)
    end = min(as_of, dt.date(year, 12, 31))
    return list(periods_between(PeriodKind.MONTH, start, end)) if end >= start else []


def tally(pairings: Iterable[Pairing], contacts: Mapping[tuple[int, str], int], *,
          months: list[Period], as_of: dt.date, minimum: int) -> Tally:
    """``contacts`` maps (pairing key, month key) to the number of contacts that month."""
    out = Tally()
    for pairing in pairings:
        for month in months:
            if not pairing.overlaps(month) or month.start > as_of:
                continue
            enough = contacts.get((pairing.key, month.key), 0) >= minimum
            if month.end < as_of:
                out.due += 1
                out.met += enough
            elif not enough:
                out.owed_now.append(pairing.key)
    return out


def person_coverage(person_id: int, *, rules: Rules, year: int, as_of: dt.date,
                    points: Iterable[Pairing], households: Iterable[Pairing],
                    point_contacts: Mapping[tuple[int, str], int],
                    household_contacts: Mapping[tuple[int, str], int],
                    solved: int) -> PersonCoverage:
    months = months_until(year, as_of)
    return PersonCoverage(
        person_id=person_id,
        points=tally(points, point_contacts, months=months, as_of=as_of,
                     minimum=rules.point_visits),
        households=tally(households, household_contacts, months=months, as_of=as_of,
                         minimum=rules.household_contacts),
        solved=solved, solved_target=rules.problems_solved)


def totals(rows: Iterable[PersonCoverage]) -> dict:
    """The department's figures: pairing-months met of due, and people who reached the
    yearly minimum of problems solved."""
    points, households = Tally(), Tally()
    people = solved_ok = solved = 0
    for row in rows:
        people += 1
        points.add(row.points)
        households.add(row.households)
        solved += row.solved
        solved_ok += row.solved_ok
    return {"people": people, "points": points, "households": households,
            "solved": solved, "solved_ok": solved_ok}
