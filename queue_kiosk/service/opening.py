"""Provides the centre's calendar as its hall and its administrator make it (the week's hours,
the public holidays, the hall's `[calendar]`, the days set by `calendar close|open`), and the
counters' own opening windows within it. Below the read side, which needs both: estimates
and the kiosk's field states leave out a counter outside its window."""

from __future__ import annotations

import time
import weakref
from datetime import date, datetime

from sqlalchemy import Connection, select

from queue_kiosk.config.calendar import CalendarDay, public_holiday, public_make_up
from queue_kiosk.domain.calendar import Calendar, Change, Windows, check_spans
from queue_kiosk.service.catalog import Catalog
from queue_kiosk.store.tables import calendar_day_t

CACHE_SECONDS = 30.0
"""How soon a day closed or opened by `calendar close|open` reaches a running kiosk."""
_SET_DAYS: weakref.WeakKeyDictionary[object, tuple[float, dict[date, Change]]] = \
    weakref.WeakKeyDictionary()
NO_WINDOWS = frozenset[int]()


def centre_calendar(conn: Connection, catalog: Catalog, reader: object) -> Calendar:
    """The calendar as it stands now, the administrator's days read in `conn` (at most
    every CACHE_SECONDS for one `reader`)."""
    hall = catalog.hall
    changes = {d.date: _hall_change(d, False) for d in hall.calendar.closed}
    changes |= {d.date: _hall_change(d, True) for d in hall.calendar.open}
    changes |= _set_days(conn, catalog.site_id, reader)
    if not hall.calendar.public_holidays:
        return Calendar(hall.hours.week(), changes=changes,
                        cutoffs=hall.calendar.cutoff_times())
    return Calendar(hall.hours.week(), holiday=public_holiday, make_up=public_make_up,
                    changes=changes, cutoffs=hall.calendar.cutoff_times())


def forget_set_days(reader: object) -> None:
    """Read the administrator's days again at the next look (after a change of them)."""
    _SET_DAYS.pop(reader, None)


def windows(conn: Connection, catalog: Catalog, reader: object, now: datetime) -> Windows | None:
    """The counters' own windows at `now`; None where no counter keeps hours of its own (a
    hall without them reads no calendar for it)."""
    weeks = {c.id: c.hours for c in catalog.counters.values() if c.hours is not None}
    if not weeks:
        return None
    return Windows(centre_calendar(conn, catalog, reader), weeks, now.astimezone(catalog.tz))


def outside_windows(conn: Connection, catalog: Catalog, reader: object,
                    now: datetime) -> frozenset[int]:
    """The counters outside their own window at `now` while the centre is open."""
    found = windows(conn, catalog, reader, now)
    return NO_WINDOWS if found is None else found.closed


def _hall_change(listed: CalendarDay, open_: bool) -> Change:
    return Change(open_, listed.reason, tuple(check_spans(listed.hours)))


def _set_days(conn: Connection, site_id: int, reader: object) -> dict[date, Change]:
    """The administrator's days, read again at most every CACHE_SECONDS by a running
    program (issuing stays at its round trips); at once after its own change."""
    cached = _SET_DAYS.get(reader)
    if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    days = {row.day: Change(row.open, row.reason, tuple(check_spans(_spans(row.hours))))
            for row in conn.execute(select(calendar_day_t).where(
                calendar_day_t.c.site_id == site_id))}
    _SET_DAYS[reader] = (time.monotonic(), days)
    return days


def _spans(text: str) -> list[str]:
    return [span for span in (part.strip() for part in text.split(",")) if span]
