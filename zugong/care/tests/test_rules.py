"""The pure care rules with hand-computed figures: annual leave due by years of service
(《职工带薪年休假条例》 art. 3) and the political-birthday list of a month."""

import datetime as dt

import pytest

from zugong.care import rules


@pytest.mark.parametrize(("work_start", "year", "years", "days"), [
    # Started 2026-03-01: on 2026-12-31 not yet a full year -> nothing due.
    (dt.date(2026, 3, 1), 2026, 0, 0),
    # Started 2025-12-31: on 2026-12-31 exactly one full year -> 5 days.
    (dt.date(2025, 12, 31), 2026, 1, 5),
    # Started 2017-07-01: 2026-12-31 is 9 full years (the tenth ends 2027-07-01) -> 5.
    (dt.date(2017, 7, 1), 2026, 9, 5),
    # Started 2016-07-01: the tenth year completes 2026-07-01, within 2026 -> 10 days.
    (dt.date(2016, 7, 1), 2026, 10, 10),
    # Started 2007-01-01: 18 full years on 2025-12-31 -> 10 days in 2025 ...
    (dt.date(2007, 1, 1), 2025, 18, 10),
    # ... and 20 full years on 2026-12-31 -> 15 days in 2026.
    (dt.date(2006, 12, 31), 2026, 20, 15),
    # Started 1990-09-01: 36 years -> still 15 (the top row has no upper bound).
    (dt.date(1990, 9, 1), 2026, 36, 15),
])
def test_leave_due_follows_the_regulations_table(work_start, year, years, days):
    assert rules.service_years(work_start, year) == years
    assert rules.leave_due(work_start, year) == days


def test_an_unknown_work_start_is_owed_nothing_and_the_boundaries_are_exact():
    assert rules.leave_due(None, 2026) == 0
    assert [rules.leave_days_for_service(n) for n in (0, 1, 9, 10, 19, 20)] == \
        [0, 5, 5, 10, 10, 15]


def test_the_leave_balance_counts_what_is_left_and_the_share_taken():
    # 10 days due, 7.5 taken: 2.5 left, 75.0 %; over-taking never shows a negative rest.
    balance = rules.LeaveBalance(due=10, taken=7.5)
    assert (balance.left, balance.rate) == (2.5, 75.0)
    assert rules.LeaveBalance(due=5, taken=6).left == 0
    assert rules.LeaveBalance(due=0, taken=0).rate is None


def test_the_birthday_list_of_a_month_is_sorted_by_day_with_years_in_the_party():
    members = [
        (1, dt.date(1998, 7, 1)),   # 2026-07-01, 28 years
        (2, dt.date(2010, 7, 15)),  # 2026-07-15, 16 years
        (3, dt.date(2019, 6, 30)),  # June: not in July's list
        (4, dt.date(2026, 7, 3)),   # joined this July: no birthday yet
        (5, dt.date(2025, 7, 3)),   # first birthday 2026-07-03, 1 year
        (6, None),                  # no joining date in the registry
    ]
    july = rules.birthdays_in_month(members, 2026, 7)
    assert [(b.person_id, b.day, b.party_years) for b in july] == [
        (1, dt.date(2026, 7, 1), 28), (5, dt.date(2026, 7, 3), 1),
        (2, dt.date(2026, 7, 15), 16)]
    assert [b.person_id for b in rules.birthdays_on(members, dt.date(2026, 7, 3))] == [5]


def test_someone_who_joined_on_29_february_celebrates_on_the_28th_in_a_common_year():
    members = [(7, dt.date(2004, 2, 29))]
    # 2026 is a common year: 28 February, 22 years; 2028 is a leap year: the 29th, 24.
    assert [(b.day, b.party_years) for b in rules.birthdays_in_month(members, 2026, 2)] == \
        [(dt.date(2026, 2, 28), 22)]
    assert [b.day for b in rules.birthdays_in_month(members, 2028, 2)] == \
        [dt.date(2028, 2, 29)]
    assert rules.birthdays_in_month(members, 2026, 3) == []
