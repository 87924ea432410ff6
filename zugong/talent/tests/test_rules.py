"""The talent app's pure rules with hand-computed figures: the evaluation grade and the
team's structure by age, education and years in post."""

import datetime as dt
from decimal import Decimal

import pytest

from zugong.talent import rules


@pytest.mark.parametrize(("scores", "total", "grade"), [
    ((90, 85, 80), Decimal("85.0"), "A"),   # 255 / 3 = 85.0 -> A (85 or more)
    ((90, 85, 79), Decimal("84.7"), "B"),   # 254 / 3 = 84.67 -> 84.7 -> B
    ((70, 70, 69), Decimal("69.7"), "C"),   # 209 / 3 = 69.67 -> 69.7 -> C (60 or more)
    ((60, 60, 59), Decimal("59.7"), "D"),   # 179 / 3 = 59.67 -> 59.7 -> D
    ((100, 100, 100), Decimal("100.0"), "A"),
    ((0, 0, 1), Decimal("0.3"), "D"),       # 1 / 3 = 0.33 -> 0.3
])
def test_the_evaluation_is_the_mean_of_three_scores_and_its_grade(scores, total, grade):
    assert rules.evaluation_total(*scores) == total
    assert rules.grade(total) == grade


def test_the_structure_counts_each_band_and_the_mean_age():
    on = dt.date(2026, 12, 3)
    people = [
        # born, education, joined the unit
        (dt.date(1998, 12, 4), "大学", dt.date(2024, 7, 1)),   # 27 (birthday tomorrow); 2 y
        (dt.date(1996, 12, 3), "大学", dt.date(2021, 12, 3)),  # 30 today; exactly 5 y
        (dt.date(1986, 1, 1), "研究生", dt.date(2016, 1, 1)),  # 40; 10 y
        (dt.date(1976, 6, 1), "大学", None),                   # 50; unknown: not counted
        (dt.date(1980, 6, 1), "", dt.date(2023, 1, 1)),         # 46; 3 y
    ]
    s = rules.structure(people, on)
    assert s["count"] == 5
    # (27 + 30 + 40 + 50 + 46) / 5 = 193 / 5 = 38.6
    assert s["mean_age"] == 38.6
    assert s["ages"] == [("<30", 1), ("30-39", 1), ("40-49", 2), ("50+", 1)]
    assert s["posts"] == [("<3", 1), ("3-5", 1), ("5-10", 1), ("10+", 1)]
    assert s["education"] == [("大学", 3), ("—", 1), ("研究生", 1)]


def test_an_empty_team_has_no_mean_age_but_keeps_every_band():
    s = rules.structure([], dt.date(2026, 1, 1))
    assert s["count"] == 0 and s["mean_age"] is None
    assert [n for _label, n in s["ages"]] == [0, 0, 0, 0]
