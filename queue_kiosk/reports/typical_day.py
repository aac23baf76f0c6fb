"""Provides what a commune centre's day looks like, as the simulator and the planner draw
it: relative demand per field, the surges after opening and after lunch, service times around
each field's minutes; and the nearest-rank percentile both report."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

TYPICAL_SHARES: dict[str, float] = {
    "A": 5, "B": 6, "C": 3, "D": 1, "E": 2, "F": 1, "G": 1, "H": 1, "K": 0.3, "L": 0.4, "N": 0.3,
    "T": 4, "V": 2}
"""Relative demand per field of the bundled catalogue (our estimate from reported volumes:
certification, civil status and result collection dominate). Other fields count 1."""
SURGES = ((0, 30, 4.0), (30, 90, 1.8), (360, 390, 1.6))
"""(start, end, intensity) in minutes after opening: the morning rush and after lunch."""


def service_minutes(rng: random.Random, minutes: float) -> float:
    """One citizen's service: log-normal with mean `minutes`, at least half a minute."""
    sigma = 0.45
    return max(0.5, rng.lognormvariate(math.log(minutes) - sigma**2 / 2, sigma))


def percentile(values: Sequence[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]
