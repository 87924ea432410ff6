"""Rankings of a competition: a pure rule (no ORM), so it is tested with plain numbers.

Standard competition ranking ("1224"): equal totals share a rank and the next rank skips
as many places as were shared.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import Decimal


def rank(totals: Mapping[Hashable, Decimal]) -> list[tuple[int, Hashable, Decimal]]:
    """(rank, key, total), highest total first; ties keep their keys' order."""
    ordered = sorted(totals.items(), key=lambda kv: -kv[1])
    out: list[tuple[int, Hashable, Decimal]] = []
    for place, (key, total) in enumerate(ordered, start=1):
        shared = out and out[-1][2] == total
        out.append((out[-1][0] if shared else place, key, total))
    return out
