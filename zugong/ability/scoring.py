"""The weighted score of a lecture (pure: no ORM). Each of the three parts (领导点评, 干部互评,
效果测评) scores the lecture out of 100; the lecture's score is Σ weight × the part's mean
÷ 100. A part with a weight but no score yet leaves the lecture without a score: the other
parts are never silently re-weighted (the rule assessment follows since issue 15)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def weighted_total(weights: dict[str, int], means: dict[str, Decimal | None]
                   ) -> tuple[Decimal | None, list[str]]:
    """(the score rounded half up to two decimals, or None; the weighted parts missing)."""
    missing = [part for part, weight in weights.items() if weight and means.get(part) is None]
    if missing:
        return None, missing
    total = sum((Decimal(weight) * means[part] for part, weight in weights.items() if weight),
                Decimal(0)) / 100
    return total.quantize(CENT, rounding=ROUND_HALF_UP), []
