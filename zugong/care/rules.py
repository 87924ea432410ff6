"""Pure rules of care: political birthdays and annual-leave entitlement. No ORM, no I/O,
so the figures can be checked by hand (tests/test_rules.py).

Annual leave (《职工带薪年休假条例》 art. 3): cumulative service of at least 1 and less
than 10 years gives 5 days; at least 10 and less than 20 years, 10 days; 20 years or
more, 15 days; under a year, none. Service is counted in full years from the work-start
date (参加工作时间) to 31 December of the leave year, so a cadre who completes the tenth
year in June has 10 days that whole year (the civil-service practice: the year in which
the condition is met counts). Days carried over or refused are not modelled.

Political birthday (政治生日): the anniversary of joining the Party. Someone who joined on
29 February celebrates on 28 February in a common year.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

# (minimum full years of service, days due), the regulation's table from the top.
LEAVE_TABLE = ((20, 15), (10, 10), (1, 5))


def full_years(start: dt.date, on: dt.date) -> int:
    """Full years from ``start`` to ``on`` (0 when ``on`` is before the first anniversary,
    negative never)."""
    years = on.year - start.year - ((on.month, on.day) < (start.month, start.day))
    return max(years, 0)


def service_years(work_start: dt.date | None, year: int) -> int:
    """Full years of cumulative service at the end of ``year``."""
    if work_start is None:
        return 0
    return full_years(work_start, dt.date(year, 12, 31))


def leave_days_for_service(years: int) -> int:
    for minimum, days in LEAVE_TABLE:
        if years >= minimum:
            return days
    return 0


def leave_due(work_start: dt.date | None, year: int) -> int:
    """Days of paid annual leave due in ``year`` to someone who started work on
    ``work_start`` (0 when the date is unknown: nobody is owed a guess)."""
    return leave_days_for_service(service_years(work_start, year))


@dataclass(frozen=True)
class LeaveBalance:
    due: int
    taken: float

    @property
    def left(self) -> float:
        return max(self.due - self.taken, 0)

    @property
    def rate(self) -> float | None:
        """Share of the leave due that was taken, in per cent (None when nothing is due)."""
        if not self.due:
            return None
        return round(100 * min(self.taken, self.due) / self.due, 1)


def anniversary(joined: dt.date, year: int) -> dt.date:
    """The day of the political birthday in ``year``."""
    if joined.month == 2 and joined.day == 29 and not calendar.isleap(year):
        return dt.date(year, 2, 28)
    return joined.replace(year=year)


@dataclass(frozen=True)
class Birthday:
    person_id: int
    joined: dt.date
    day: dt.date
    party_years: int  # the ordinal of this birthday: years in the Party on ``day``


def birthdays_in_month(members, year: int, month: int) -> list[Birthday]:
    """The political birthdays falling in ``month`` of ``year`` among ``members`` (pairs
    of person id and Party-joining date), by day. A member who joined in that very month
    has no birthday yet (0 years)."""
    out = []
    for person_id, joined in members:
        if joined is None:
            continue
        day = anniversary(joined, year)
        if day.month != month or day.year <= joined.year:
            continue
        out.append(Birthday(person_id, joined, day, year - joined.year))
    return sorted(out, key=lambda b: (b.day, b.person_id))


def birthdays_on(members, day: dt.date) -> list[Birthday]:
    return [b for b in birthdays_in_month(members, day.year, day.month) if b.day == day]
