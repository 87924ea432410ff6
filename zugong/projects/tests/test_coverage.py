"""Project follow-up coverage from plain values, every figure computed by hand (issue 20,
"coverage tests with hand-computed figures")."""

import datetime as dt

from zugong.projects.coverage import Rules, Span, coverage, per_project

D = dt.date
AS_OF = D(2026, 5, 10)  # January to April judged, May open; Q1 judged, Q2 open


def test_monthly_follow_ups_and_quarterly_guidance_of_one_project():
    span = Span(1, D(2026, 1, 15))
    followups = [(1, "monthly", D(2026, 1, 20)), (1, "monthly", D(2026, 2, 3)),
                 (1, "onsite", D(2026, 3, 30)), (1, "monthly", D(2026, 5, 2))]
    got = coverage([span], rules=Rules(), year=2026, as_of=AS_OF, followups=followups)
    # Months judged: January (from the 15th), February, March, April = 4. Followed up in
    # January, February and March (the on-site guidance counts as March's follow-up) = 3;
    # April missed; May done already, so nothing is owed now.
    assert (got.monthly.due, got.monthly.met, got.monthly.owed_now) == (4, 3, [])
    # Quarters: Q1 judged and guided on site (30 March) = 1 of 1; Q2 open and still owed.
    assert (got.onsite.due, got.onsite.met, got.onsite.owed_now) == (1, 1, [1])


def test_a_project_classified_mid_year_and_one_finished_early():
    late = Span(2, D(2026, 4, 28))  # April is due (one day is enough), May open
    done = Span(3, D(2025, 6, 1), D(2026, 2, 10))  # January and February only
    followups = [(2, "monthly", D(2026, 4, 29)), (3, "monthly", D(2026, 1, 5))]
    each = per_project([late, done], rules=Rules(), year=2026, as_of=AS_OF,
                       followups=followups)
    assert (each[2].monthly.due, each[2].monthly.met, each[2].monthly.owed_now) == (1, 1, [2])
    # Q2 open for project 2: no judged quarter, guidance owed now.
    assert (each[2].onsite.due, each[2].onsite.owed_now) == (0, [2])
    # Project 3: January met, February missed; Q1 judged without guidance.
    assert (each[3].monthly.due, each[3].monthly.met) == (2, 1)
    assert (each[3].onsite.due, each[3].onsite.met, each[3].onsite.owed_now) == (1, 0, [])
    total = coverage([late, done], rules=Rules(), year=2026, as_of=AS_OF,
                     followups=followups)
    # 1 + 2 = 3 project-months due, 1 + 1 = 2 met (66.7 %); 0 + 1 quarters due, none met.
    assert (total.monthly.due, total.monthly.met, total.monthly.rate) == (3, 2, 66.7)
    assert (total.onsite.due, total.onsite.met, total.onsite.rate) == (1, 0, 0.0)


def test_the_rules_set_the_minimums():
    span = Span(1, D(2026, 1, 1))
    followups = [(1, "monthly", D(2026, 1, 3)), (1, "monthly", D(2026, 1, 20)),
                 (1, "monthly", D(2026, 2, 3)), (1, "onsite", D(2026, 3, 3)),
                 (1, "onsite", D(2026, 3, 23)), (1, "monthly", D(2026, 4, 1))]
    got = coverage([span], rules=Rules(monthly=2, onsite=2), year=2026, as_of=AS_OF,
                   followups=followups)
    # Two a month: January (2) and March (2 on-site) met, February (1) and April (1) not.
    assert (got.monthly.due, got.monthly.met) == (4, 2)
    # Two on-site a quarter: Q1 had two.
    assert (got.onsite.due, got.onsite.met) == (1, 1)


def test_a_year_that_has_not_begun_owes_nothing():
    got = coverage([Span(1, D(2026, 1, 1))], rules=Rules(), year=2027, as_of=AS_OF,
                   followups=[])
    assert (got.monthly.due, got.onsite.due, got.monthly.owed_now) == (0, 0, [])
