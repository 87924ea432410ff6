"""Service coverage from plain values, every figure computed by hand (issue 20, "coverage
tests with hand-computed figures")."""

import datetime as dt

from zugong.service.coverage import Pairing, Rules, months_until, person_coverage, tally, totals

D = dt.date
AS_OF = D(2026, 4, 15)  # January to March are judged; April is the open month


def test_only_months_that_have_begun_are_considered():
    assert [m.key for m in months_until(2026, AS_OF)] == ["2026-01", "2026-02", "2026-03",
                                                          "2026-04"]
    assert months_until(2027, AS_OF) == []
    assert len(months_until(2025, AS_OF)) == 12


def test_a_village_visited_in_january_and_march_meets_two_of_three_judged_months():
    village = Pairing(7, D(2026, 1, 1))
    # Two visits in January (one is enough), none in February, one in March, none yet in
    # April: January and March are met (2), February is missed, April is still owed.
    contacts = {(7, "2026-01"): 2, (7, "2026-03"): 1}
    got = tally([village], contacts, months=months_until(2026, AS_OF), as_of=AS_OF,
                minimum=1)
    assert (got.due, got.met, got.owed_now, got.rate) == (3, 2, [7], 66.7)


def test_a_pairing_counts_only_in_the_months_it_lasts_on_some_day():
    # H1 paired from 10 February: February and March are due (2), one contact in February.
    # H2 paired in January only (ended 31 January): January is due, contacted on 31 Jan.
    # H3 paired from 20 April: only the open month, already contacted, so nothing is owed.
    h1, h2, h3 = Pairing(1, D(2026, 2, 10)), Pairing(2, D(2026, 1, 1), D(2026, 1, 31)), \
        Pairing(3, D(2026, 4, 20))
    contacts = {(1, "2026-02"): 1, (2, "2026-01"): 1, (3, "2026-04"): 1}
    got = tally([h1, h2, h3], contacts, months=months_until(2026, AS_OF), as_of=AS_OF,
                minimum=1)
    # Due: H1 2 + H2 1 = 3; met: H1 February + H2 January = 2; owed in April: H1 only.
    assert (got.due, got.met, got.owed_now) == (3, 2, [1])


def test_a_higher_minimum_is_read_from_the_rules():
    village = Pairing(7, D(2026, 1, 1))
    contacts = {(7, "2026-01"): 2, (7, "2026-02"): 1, (7, "2026-03"): 3}
    # With two visits a month required, January (2) and March (3) are met, February (1) not.
    got = tally([village], contacts, months=months_until(2026, AS_OF), as_of=AS_OF,
                minimum=2)
    assert (got.due, got.met) == (3, 2)


def test_a_cadre_and_the_department_totals():
    rules = Rules(point_visits=1, household_contacts=1, problems_solved=2)
    a = person_coverage(
        1, rules=rules, year=2026, as_of=AS_OF, points=[Pairing(7, D(2025, 6, 1))],
        households=[Pairing(1, D(2026, 1, 1)), Pairing(2, D(2026, 1, 1))],
        point_contacts={(7, "2026-01"): 1, (7, "2026-02"): 1, (7, "2026-03"): 1,
                        (7, "2026-04"): 1},
        household_contacts={(1, "2026-01"): 1, (1, "2026-02"): 1, (1, "2026-03"): 1,
                            (2, "2026-01"): 1, (2, "2026-03"): 1},
        solved=3)
    # Village: 3 of 3 judged months, April done. Households: 2 × 3 = 6 due, H1 3 + H2 2 = 5
    # met; both still owe April. Problems: 3 ≥ 2.
    assert (a.points.due, a.points.met, a.points.owed_now) == (3, 3, [])
    assert (a.households.due, a.households.met, a.households.owed_now) == (6, 5, [1, 2])
    assert a.solved_ok and not a.ok
    b = person_coverage(2, rules=rules, year=2026, as_of=AS_OF, points=[], households=[],
                        point_contacts={}, household_contacts={}, solved=1)
    assert (b.points.due, b.households.due, b.solved_ok) == (0, 0, False)
    t = totals([a, b])
    # 3 of 3 village-months, 5 of 6 household-months (83.3 %), 4 problems solved, one of
    # the two cadres at the yearly minimum.
    assert (t["points"].met, t["points"].due, t["households"].met, t["households"].due) == \
        (3, 3, 5, 6)
    assert (t["households"].rate, t["solved"], t["solved_ok"], t["people"]) == (83.3, 4, 1, 2)


def test_a_whole_past_year_is_judged_on_its_last_day_but_one():
    # Judged as of 31 December the year's last month is still open; as of 1 January of the
    # next year all twelve months are judged.
    village = [Pairing(7, D(2025, 1, 1))]
    contacts = {(7, f"2025-{m:02d}"): 1 for m in range(1, 12)}  # every month but December
    open_dec = tally(village, contacts, months=months_until(2025, D(2025, 12, 31)),
                     as_of=D(2025, 12, 31), minimum=1)
    assert (open_dec.due, open_dec.met, open_dec.owed_now) == (11, 11, [7])
    closed = tally(village, contacts, months=months_until(2025, D(2026, 1, 1)),
                   as_of=D(2026, 1, 1), minimum=1)
    assert (closed.due, closed.met) == (12, 11)
