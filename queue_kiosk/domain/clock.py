"""Provides the injectable clock, so a whole day can be simulated in seconds."""

from __future__ import annotations

import re
import threading
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from queue_kiosk.domain.errors import Refused


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A clock that moves only when told to; thread-safe for multi-threaded tests."""

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


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    """The centre's calendar day: numbering resets at local midnight, not UTC midnight."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(tz).date()


def day_from_text(text: str) -> date:
    """A day as people write it (dd/mm/yyyy, Vietnamese usage) or as scripts do
    (yyyy-mm-dd); refused saying so where it is not a day of the calendar (29/02/2027),
    whatever else the same input might have been taken for."""
    given = text.strip()
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", given)
    local = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", given)
    if iso is not None:
        year, month, day = (int(part) for part in iso.groups())
    elif local is not None:
        day, month, year = (int(part) for part in local.groups())
    else:
        raise Refused("date.shape", text=given[:40])
    try:
        return date(year, month, day)
    except ValueError:
        raise Refused("date.no_such_day", text=given) from None
