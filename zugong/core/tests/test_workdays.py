"""The kit's working-day calendar: the package's holidays, the department's table, and
a year asked of the package once per process."""

import datetime as dt

import chinese_calendar
import pytest

from zugong.core import workdays
from zugong.core.workdays import WorkingDays

D = dt.date


def test_holidays_and_adjusted_working_days_come_from_the_package():
    days = WorkingDays(D(2025, 9, 29), D(2025, 10, 12), table={})
    # National Day week: 1–8 October off, Sunday 28 September and Saturday 11 October
    # worked (调休).
    assert not days.is_working(D(2025, 10, 1))
    assert not days.is_working(D(2025, 10, 8))
    assert days.is_working(D(2025, 10, 11))
    assert days.is_working(D(2025, 9, 30))
    assert days.count(D(2025, 9, 29), D(2025, 10, 12)) == 5


def test_the_departments_table_overrides_the_package_day_by_day():
    table = {D(2025, 10, 1): True, D(2025, 9, 30): False}
    days = WorkingDays(D(2025, 9, 29), D(2025, 10, 12), table=table)
    assert days.is_working(D(2025, 10, 1))
    assert not days.is_working(D(2025, 9, 30))


def test_a_year_the_package_does_not_cover_is_monday_to_friday():
    days = WorkingDays(D(2099, 1, 1), D(2099, 1, 31), table={})
    assert days.count(D(2099, 1, 1), D(2099, 1, 31)) == 22
    assert not days.is_working(D(2099, 1, 3))  # a Saturday


def test_the_package_is_asked_about_a_year_once(monkeypatch):
    """Every compliance judgement builds a calendar; asking the package day by day cost
    each several ms of CPU for a year's span."""
    workdays._package_year.cache_clear()
    calls = []
    real = chinese_calendar.is_workday

    def counting(day):
        calls.append(day)
        return real(day)

    monkeypatch.setattr(chinese_calendar, "is_workday", counting)
    first = WorkingDays(D(2025, 1, 1), D(2025, 12, 31), table={})
    asked = len(calls)
    assert asked == 365
    second = WorkingDays(D(2025, 3, 1), D(2025, 6, 30), table={})
    assert len(calls) == asked
    assert second.days == [d for d in first.days if D(2025, 3, 1) <= d <= D(2025, 6, 30)]
    workdays._package_year.cache_clear()


@pytest.mark.parametrize("year", [2025, 2099])
def test_package_years_and_cover_agree(year):
    assert (year in workdays.package_years()) == workdays._package_covers(year)
