"""Working days: the official calendar of holidays and adjusted working days (调休).

One copy for every app (learning's targets per working day, ability's weekly rotation).
The State Council's yearly notice on public holidays is kept in the ``chinesecalendar``
package (years 2004 onward, a new year added each December when the notice appears).
For a year the package does not cover, Monday to Friday are working days, and entries a
department's managers keep in a table override the package day by day. The table belongs
to an app (learning's ``CalendarDay``, edited on its regime pages); the kit reads it
through the registry hook ``calendar.overrides`` (``(start, end) -> {day: is_workday}``),
so ``core`` imports no app.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from functools import cache

import chinese_calendar

from . import registry

OVERRIDES_HOOK = "calendar.overrides"


def _package_covers(year: int) -> bool:
    return _package_year(year) is not None


@cache
def _package_year(year: int) -> frozenset[dt.date] | None:
    """The package's working days of ``year``, or None when it does not cover the year.

    Kept for the life of the process: the package is fixed once installed, and asking it
    day by day cost every compliance judgement several ms of CPU for a year's span.
    """
    day, days = dt.date(year, 1, 1), []
    try:
        while day.year == year:
            if chinese_calendar.is_workday(day):
                days.append(day)
            day += dt.timedelta(days=1)
    except NotImplementedError:
        return None
    return frozenset(days)


def package_years() -> range:
    """The years the installed package covers."""
    years = [y for y in range(2000, dt.date.today().year + 3) if _package_covers(y)]
    return range(years[0], years[-1] + 1) if years else range(0)


def overrides(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    """The table's entries in [start, end] (one query), or none when no app keeps one."""
    hook = registry.hook(OVERRIDES_HOOK)
    return dict(hook(start, end)) if hook else {}


class WorkingDays:
    """The working days of [start, end], from the package and the table (one query).

    ``table`` may be given (a mapping day → is_workday) to skip the query, e.g. by a pure
    rule module's tests.
    """

    def __init__(self, start: dt.date, end: dt.date, *,
                 table: dict[dt.date, bool] | None = None):
        table = overrides(start, end) if table is None else table
        package = {y: _package_year(y) for y in range(start.year, end.year + 1)}
        days = []
        day = start
        while day <= end:
            if day in table:
                working = table[day]
            elif (year_days := package[day.year]) is not None:
                working = day in year_days
            else:
                working = day.weekday() < 5
            if working:
                days.append(day)
            day += dt.timedelta(days=1)
        self.start, self.end, self.days = start, end, days
        self._set = frozenset(days)

    def count(self, a: dt.date, b: dt.date) -> int:
        """Working days in [a, b] (within the span loaded)."""
        return bisect_right(self.days, b) - bisect_left(self.days, a)

    def is_working(self, day: dt.date) -> bool:
        """Whether ``day`` (within the span loaded) is a working day."""
        return day in self._set


def count_working_days(start: dt.date, end: dt.date) -> int:
    return WorkingDays(start, end).count(start, end)
