"""Provides waiting-time estimates (pure functions)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

MIN_OBSERVATIONS = 3
"""Below this many services finished today, the configured minutes are the better guess."""


def service_minutes(observed: Sequence[float], configured: float) -> float:
    """Typical minutes per citizen: today's median once there is enough data."""
    if len(observed) < MIN_OBSERVATIONS:
        return configured
    return max(0.5, statistics.median(observed))


def wait_minutes(ahead: int, per_citizen: float, open_counters: int) -> int | None:
    """Minutes until called, rounded up; None when no open counter serves the field."""
    if open_counters <= 0:
        return None
    return math.ceil(ahead * per_citizen / open_counters)
