"""The early-warning arithmetic, without the database: a cadre's score is the sum over
signals of (number of signals × the signal's weight); the level is the highest one whose
threshold the score reaches (none below the lowest)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def warning_score(counts: Mapping[str, int], weights: Mapping[str, int]) -> int:
    """E.g. two measures (weight 2) and one overdue self-check (weight 1): 2×2 + 1×1 = 5.
    A signal without a rule weighs nothing."""
    return sum(n * weights.get(signal, 0) for signal, n in counts.items())


def warning_level(score: int, levels: Iterable[tuple[int, str]]) -> str:
    """``levels`` are (threshold, name); 5 against (2, 黄), (4, 橙), (6, 红) is 橙."""
    reached = ""
    for threshold, name in sorted(levels):
        if score >= threshold:
            reached = name
    return reached
