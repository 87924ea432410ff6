"""The formula of docs/portrait.md, checked by hand (no database)."""

from decimal import Decimal as D

from zugong.portrait import score


def test_the_worked_example_of_the_docs_gives_64_2_for_conduct():
    # 2025, 作风: 9 service visits (target 12, weight 30), 1 problem solved (target 2,
    # weight 30), 1 supervision measure (fewer is better, target 3, weight 40).
    visits = score.part_of(D(9), target=D(12), direction="up", absent_is_zero=True)
    solved = score.part_of(D(1), target=D(2), direction="up", absent_is_zero=True)
    measures = score.part_of(D(1), target=D(3), direction="down", absent_is_zero=True)
    assert (visits, solved, score.rounded(measures)) == (D(75), D(50), D("66.7"))
    # (30 × 75 + 30 × 50 + 40 × 66.67) / 100 = 64.17 → 64.2
    assert score.dimension_score([(visits, D(30)), (solved, D(30)), (measures, D(40))]) == \
        D("64.2")


def test_a_part_is_capped_at_100_and_a_fewer_is_better_part_at_zero():
    assert score.part_of(D(30), target=D(12), direction="up", absent_is_zero=True) == 100
    assert score.part_of(D(5), target=D(3), direction="down", absent_is_zero=True) == 0
    assert score.part_of(None, target=D(3), direction="down", absent_is_zero=True) == 100


def test_a_rate_without_records_drops_out_with_its_weight():
    missing = score.part_of(None, target=D(100), direction="up", absent_is_zero=False)
    assert missing is None
    # 实绩 with no annual assessment that year: only tasks done (6 of 10, weight 30) counts.
    done = score.part_of(D(6), target=D(10), direction="up", absent_is_zero=True)
    assert score.dimension_score([(missing, D(40)), (done, D(30))]) == D("60.0")


def test_a_dimension_with_nothing_counting_has_no_score_rather_than_zero():
    assert score.dimension_score([]) is None
    assert score.dimension_score([(None, D(40))]) is None
