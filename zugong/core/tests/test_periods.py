"""Periods: containment, tiling and the text form, with properties checked by hypothesis."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zugong.core.periods import Period, PeriodKind, periods_between

KINDS = st.sampled_from(list(PeriodKind))
DAYS = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))


@given(kind=KINDS, day=DAYS)
def test_every_day_belongs_to_the_period_that_contains_it(kind, day):
    period = Period.containing(kind, day)
    assert day in period
    assert period.start <= day <= period.end
    assert Period.containing(kind, period.start) == period
    assert Period.containing(kind, period.end) == period


@given(kind=KINDS, day=DAYS)
def test_periods_tile_without_gaps_or_overlaps(kind, day):
    period = Period.containing(kind, day)
    following = period.next()
    assert following.start == period.end + dt.timedelta(days=1)
    assert following.previous() == period
    assert day not in following and day not in period.previous()


@given(kind=KINDS, start=DAYS, length=st.integers(min_value=0, max_value=800))
def test_periods_between_cover_every_day_of_a_range_exactly_once(kind, start, length):
    end = start + dt.timedelta(days=length)
    periods = list(periods_between(kind, start, end))
    assert periods[0].start <= start and periods[-1].end >= end
    for a, b in zip(periods, periods[1:], strict=False):
        assert b.start == a.end + dt.timedelta(days=1)
    assert sum(p.overlap_days(start, end) for p in periods) == length + 1


@given(kind=KINDS, day=DAYS)
def test_the_text_form_reads_back_as_the_same_period(kind, day):
    period = Period.containing(kind, day)
    assert Period.parse(period.key) == period


@given(day=DAYS)
def test_months_quarters_halves_nest_inside_their_year(day):
    year = Period.containing(PeriodKind.YEAR, day)
    for kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF):
        inner = Period.containing(kind, day)
        assert year.start <= inner.start and inner.end <= year.end


def test_lengths_of_known_periods():
    assert Period.parse("2024-02").days == 29
    assert Period.parse("2023-02").days == 28
    assert Period.parse("2024").days == 366
    assert Period.parse("2024-Q1").days == 91
    assert Period.parse("2026-W01").start == dt.date(2025, 12, 29)  # ISO week 1 of 2026
    assert Period.parse("2026-W01").days == 7
    assert [p.key for p in Period.parse("2026-H2").children(PeriodKind.QUARTER)] == \
        ["2026-Q3", "2026-Q4"]


@pytest.mark.parametrize("text", ["", "2026-13", "2026-Q5", "20x6", "2026-W60", "2026/11",
                                  "2026-H3"])
def test_nonsense_is_not_a_period(text):
    with pytest.raises(ValueError):
        Period.parse(text)
