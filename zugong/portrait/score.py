"""The portrait's formula, kept free of the database so that docs/portrait.md's worked
example can be checked line by line (tests/test_score.py).

For one person, one year and one dimension with sources s (weight w, target t, value v):

- a source's part p is ``min(v / t, 1) × 100`` when more is better, and
  ``max(1 − v / t, 0) × 100`` when fewer is better;
- a source without records that year is 0 (``absent_is_zero``) or, for a rate, left out
  with its weight;
- the dimension's score is ``Σ w·p / Σ w`` over the sources that count, rounded half up to
  one decimal; with no source counting the score is None (nothing to say, not zero).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class Part:
    """One source's contribution: the value (None when it had no records), its part and
    whether its weight counted."""

    value: Decimal | None
    part: Decimal | None
    weight: Decimal
    counted: bool


def part_of(value: Decimal | None, *, target: Decimal, direction: str,
            absent_is_zero: bool) -> Decimal | None:
    """The 0–100 part one source earns (unrounded), or None when it does not count."""
    if value is None:
        if not absent_is_zero:
            return None
        value = Decimal(0)
    ratio = Decimal(value) / Decimal(target)
    if direction == "down":
        return max(Decimal(1) - ratio, Decimal(0)) * HUNDRED
    return min(ratio, Decimal(1)) * HUNDRED


def dimension_score(parts: list[tuple[Decimal | None, Decimal]]) -> Decimal | None:
    """``parts`` are (part, weight) pairs; None parts are left out with their weight."""
    counted = [(p, w) for p, w in parts if p is not None]
    total = sum((w for _p, w in counted), Decimal(0))
    if not total:
        return None
    weighted = sum((p * w for p, w in counted), Decimal(0))
    return (weighted / total).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
