"""Pure rules of the talent app: the evaluation grade and the team's structure. No ORM,
so the figures can be checked by hand (tests/test_rules.py).

Evaluation (M49, 以能力、实绩和贡献为导向的人才评价): three scores from 0 to 100, equally
weighted; the mean, rounded to one decimal, gives the grade: 85 or more 优秀 (A), 70 or
more 良好 (B), 60 or more 合格 (C), below 60 待提升 (D).

Team structure (M41): age on a day in bands under 30, 30-39, 40-49, 50 and over; years in
post (since joining the unit) in bands under 3, 3 to under 5, 5 to under 10, 10 and over.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

GRADES = ((85, "A"), (70, "B"), (60, "C"), (0, "D"))
AGE_BANDS = ((0, 30, "<30"), (30, 40, "30-39"), (40, 50, "40-49"), (50, 200, "50+"))
POST_BANDS = ((0, 3, "<3"), (3, 5, "3-5"), (5, 10, "5-10"), (10, 200, "10+"))


def evaluation_total(ability: int, results: int, contribution: int) -> Decimal:
    mean = Decimal(ability + results + contribution) / 3
    return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def grade(total: Decimal | float) -> str:
    for floor, letter in GRADES:
        if total >= floor:
            return letter
    return "D"


def full_years(start: dt.date, on: dt.date) -> int:
    return max(on.year - start.year - ((on.month, on.day) < (start.month, start.day)), 0)


def band(value: int, bands) -> str:
    for low, high, label in bands:
        if low <= value < high:
            return label
    return bands[-1][2]


def structure(people, on: dt.date) -> dict:
    """Counts by age band, by education and by years in post of ``people`` (tuples of
    birth date, education label or "", the day they joined the unit or None), and the
    mean age. Bands keep their order and appear even when empty."""
    ages, posts, education = Counter(), Counter(), Counter()
    total_age = 0
    for born, edu, joined in people:
        age = full_years(born, on)
        total_age += age
        ages[band(age, AGE_BANDS)] += 1
        education[edu or "—"] += 1
        if joined is not None:
            posts[band(full_years(joined, on), POST_BANDS)] += 1
    count = len(people)
    return {
        "count": count,
        "mean_age": round(total_age / count, 1) if count else None,
        "ages": [(label, ages[label]) for _l, _h, label in AGE_BANDS],
        "posts": [(label, posts[label]) for _l, _h, label in POST_BANDS],
        "education": sorted(education.items(), key=lambda kv: (-kv[1], kv[0])),
    }
