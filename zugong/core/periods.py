"""Calendar periods: one value type for day / week / month / quarter / half / year.

Every rule and report speaks in periods. Weeks are ISO weeks (Monday to Sunday) and may
straddle two years; all other kinds nest inside their year. Periods are closed intervals
of dates: ``start`` and ``end`` are both inside.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    DAY = "day", _("day")
    WEEK = "week", _("week")
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    HALF = "half", _("half-year")
    YEAR = "year", _("year")


# Months per period for the kinds that are whole months.
_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF: 6, PeriodKind.YEAR: 12}
# Rough length, used only to order kinds from short to long.
ORDER = {PeriodKind.DAY: 1, PeriodKind.WEEK: 7, PeriodKind.MONTH: 30, PeriodKind.QUARTER: 91,
         PeriodKind.HALF: 182, PeriodKind.YEAR: 365}


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def add_months(day: dt.date, n: int) -> dt.date:
    """The same day ``n`` months later (or earlier), or the month's last day when it is
    shorter: 31 August + 6 months is 28 or 29 February."""
    year, month = _add_months(day.year, day.month, n)
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period of a given kind; build it with :meth:`containing` or :meth:`parse`."""

    start: dt.date
    kind: str

    @classmethod
    def containing(cls, kind: str, day: dt.date) -> Period:
        kind = PeriodKind(kind)
        if kind == PeriodKind.DAY:
            return cls(day, kind)
        if kind == PeriodKind.WEEK:
            return cls(day - dt.timedelta(days=day.weekday()), kind)
        months = _MONTHS[kind]
        first_month = (day.month - 1) // months * months + 1
        return cls(dt.date(day.year, first_month, 1), kind)

    # end, days and key are asked for again and again when a province's compliance is
    # computed; a period never changes, so each is worked out once per object.
    @cached_property
    def end(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)

    @cached_property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def next(self) -> Period:
        return self.shift(1)

    def previous(self) -> Period:
        return self.shift(-1)

    def shift(self, n: int) -> Period:
        if self.kind == PeriodKind.DAY:
            return Period(self.start + dt.timedelta(days=n), self.kind)
        if self.kind == PeriodKind.WEEK:
            return Period(self.start + dt.timedelta(weeks=n), self.kind)
        year, month = _add_months(self.start.year, self.start.month, n * _MONTHS[self.kind])
        return Period(dt.date(year, month, 1), self.kind)

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def overlap_days(self, start: dt.date, end: dt.date) -> int:
        """Days of this period inside the closed interval [start, end]."""
        lo, hi = max(self.start, start), min(self.end, end)
        return max(0, (hi - lo).days + 1)

    @cached_property
    def key(self) -> str:
        """A stable text form: 2026-11-22, 2026-W47, 2026-11, 2026-Q4, 2026-H2, 2026."""
        s = self.start
        if self.kind == PeriodKind.DAY:
            return s.isoformat()
        if self.kind == PeriodKind.WEEK:
            year, week, _day = s.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == PeriodKind.MONTH:
            return f"{s.year}-{s.month:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{s.year}-Q{(s.month - 1) // 3 + 1}"
        if self.kind == PeriodKind.HALF:
            return f"{s.year}-H{(s.month - 1) // 6 + 1}"
        return str(s.year)

    @classmethod
    def parse(cls, key: str) -> Period:
        """The inverse of :attr:`key`; ValueError on anything else."""
        key = key.strip()
        try:
            if len(key) == 4:
                return cls(dt.date(int(key), 1, 1), PeriodKind.YEAR)
            year, rest = key[:4], key[5:]
            if key[4] != "-":
                raise ValueError(key)
            if rest[:1] == "W":
                return cls(dt.date.fromisocalendar(int(year), int(rest[1:]), 1), PeriodKind.WEEK)
            if rest[:1] == "Q" and rest[1:] in {"1", "2", "3", "4"}:
                return cls(dt.date(int(year), int(rest[1:]) * 3 - 2, 1), PeriodKind.QUARTER)
            if rest[:1] == "H" and rest[1:] in {"1", "2"}:
                return cls(dt.date(int(year), int(rest[1:]) * 6 - 5, 1), PeriodKind.HALF)
            if len(rest) == 2:
                return cls(dt.date(int(year), int(rest), 1), PeriodKind.MONTH)
            return cls(dt.date.fromisoformat(key), PeriodKind.DAY)
        except (ValueError, IndexError) as exc:
            raise ValueError(f"not a period: {key!r}") from exc

    @property
    def label(self) -> str:
        s = self.start
        if self.kind == PeriodKind.DAY:
            return _("%(y)s-%(m)02d-%(d)02d") % {"y": s.year, "m": s.month, "d": s.day}
        if self.kind == PeriodKind.WEEK:
            year, week, _day = s.isocalendar()
            return _("week %(w)s of %(y)s") % {"w": week, "y": year}
        if self.kind == PeriodKind.MONTH:
            return _("%(m)s/%(y)s") % {"m": s.month, "y": s.year}
        if self.kind == PeriodKind.QUARTER:
            return _("Q%(q)s %(y)s") % {"q": (s.month - 1) // 3 + 1, "y": s.year}
        if self.kind == PeriodKind.HALF:
            return (_("first half of %(y)s") if s.month == 1 else _("second half of %(y)s")) % {
                "y": s.year}
        return _("year %(y)s") % {"y": s.year}

    def children(self, kind: str) -> list[Period]:
        """The periods of ``kind`` that overlap this one, in order (partial ones included)."""
        return list(periods_between(kind, self.start, self.end))

    def __str__(self) -> str:
        return self.key


def periods_between(kind: str, start: dt.date, end: dt.date) -> Iterator[Period]:
    """Every period of ``kind`` that overlaps [start, end], in order."""
    period = Period.containing(kind, start)
    while period.start <= end:
        yield period
        period = period.next()
