"""Working days: the official calendar of holidays and adjusted working days (调休).

The State Council's yearly notice on public holidays is kept in the ``chinesecalendar``
package (years 2004 onward, a new year added each December when the notice appears).
For a year the package does not cover, Monday to Friday are working days, and the
department's regime managers enter that year's holidays and adjusted working days in the
``CalendarDay`` table; an entry there also overrides the package for its day.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right

import chinese_calendar

from .models import CalendarDay


def _package_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def package_years() -> range:
    """The years the installed package covers."""
    years = [y for y in range(2000, dt.date.today().year + 3) if _package_covers(y)]
    return range(years[0], years[-1] + 1) if years else range(0)


class WorkingDays:
    """The working days of [start, end], from the package and the table (one query)."""

    def __init__(self, start: dt.date, end: dt.date):
        overrides = dict(CalendarDay.objects.filter(day__gte=start, day__lte=end)
                         .values_list("day", "is_workday"))
        covered = {y: _package_covers(y) for y in range(start.year, end.year + 1)}
        days = []
        day = start
        while day <= end:
            if day in overrides:
                working = overrides[day]
            elif covered[day.year]:
                working = chinese_calendar.is_workday(day)
            else:
                working = day.weekday() < 5
            if working:
                days.append(day)
            day += dt.timedelta(days=1)
        self.start, self.end, self.days = start, end, days

    def count(self, a: dt.date, b: dt.date) -> int:
        """Working days in [a, b] (within the span loaded)."""
        return bisect_right(self.days, b) - bisect_left(self.days, a)


def count_working_days(start: dt.date, end: dt.date) -> int:
    return WorkingDays(start, end).count(start, end)
