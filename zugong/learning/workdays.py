"""Working days for learning's targets. The calendar itself is the kit's
(``core.workdays``, shared with the ability app's rotation); learning keeps the
``CalendarDay`` table its regime managers edit, and offers it to the kit through the
``calendar.overrides`` hook (``calendar_overrides`` below)."""

from __future__ import annotations

import datetime as dt

from zugong.core.memo import memo
from zugong.core.workdays import WorkingDays, count_working_days, package_years

from . import events
from .models import CalendarDay

__all__ = ["WorkingDays", "calendar_overrides", "count_working_days", "package_years"]


def calendar_overrides(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    """The table's entries in [start, end]: a holiday or an adjusted working day each.
    Kept between readers until a calendar day is set (``calendar_day_set`` bumps the
    scope): every judgement of a working-day rule reads them."""
    return memo("learning.calendar", [start, end], [events.RULES_SCOPE], lambda: dict(
        CalendarDay.objects.filter(day__gte=start, day__lte=end)
        .values_list("day", "is_workday")))
