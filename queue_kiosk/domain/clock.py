"""Provides the injectable clock, so a whole day can be simulated in seconds."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A clock that moves only when told to; thread-safe for multi-threaded tests."""

    advances = True
    """Whether anyone moves it: a wait measured on a clock nobody moves never ends."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FrozenClock needs a timezone-aware start")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta | None = None, /, **kwargs: float) -> datetime:
        with self._lock:
            self._now += delta if delta is not None else timedelta(**kwargs)
            return self._now

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = moment.astimezone(UTC)


class StillClock(FrozenClock):
    """`QUEUE_KIOSK_NOW`: one instant for a whole run (tests, screenshots); nothing moves it,
    so nothing should wait on it (the sign-in back-off does not)."""

    advances = False


class RunningClock:
    """`QUEUE_KIOSK_CLOCK_START`: starts at a given instant and runs forward in real time, so
    waits, services and estimates are real on a training day or in a demo."""

    advances = True

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("RunningClock needs a timezone-aware start")
        self._start = start.astimezone(UTC)
        self._origin = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._origin)


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    """The centre's calendar day: numbering resets at local midnight, not UTC midnight."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(tz).date()

