"""Provides the province's live overview: one summary per commune, kept in memory by a
follower that reads only what changed since its last look. Each look is one query over every
commune's event log at once (its newest events, joined to their tickets' and counters' current
rows), so a viewer costs about one query a second however many communes there are; bookings
and the screens' heartbeats, which move at most once a minute, are read every SLOW_SECONDS.
Numbers, counters and fields only: never a name, a phone or a booking code."""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, func, or_, select

from queue_kiosk.config.hall import HallConfig
from queue_kiosk.domain.clock import Clock, local_day
from queue_kiosk.domain.models import BookingStatus, EventKind, Status
from queue_kiosk.domain.views import CallView, JsonView
from queue_kiosk.ops.heartbeat import ScreenSeen, screens_seen
from queue_kiosk.ops.shipping import SiteLink, link_states
from queue_kiosk.service.alerts import AlertView, open_alerts
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.province_access import Scope
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import (
    booking_t,
    counter_field_t,
    counter_t,
    event_t,
    field_t,
    rating_t,
    site_t,
    ticket_t,
)

POLL_SECONDS = 1.0
"""A viewer looks once a second: a change shows within about a second of its commit."""
SLOW_SECONDS = 30.0
"""Bookings and screens are read this often (a heartbeat moves once a minute, a screen is
down after two), at a random phase: viewers opened together do not read them together."""
GAP_SECONDS = 5.0
"""PostgreSQL hands out event ids before commit, so a smaller id may commit after a larger
one the follower already read: ids skipped over are asked for again for this long (a write
transaction lasts milliseconds; an id never committed, a rollback's, is then forgotten)."""
DUE_AHEAD = timedelta(minutes=30)
"""A booking is due when its slot has begun, or begins within this, and nobody checked in."""
LONG_WAIT_MINUTES = 20
"""The province's rule (at most 20 minutes' wait to submit a dossier): a commune with a
longer current wait shows as busy."""
PAGE = 5000
STATES = ("ok", "busy", "fault", "closed", "offline")
"""A commune's state, for the filter: fine; someone waits longer than the rule; a screen
down or the printer failing; nothing open (no counter open, nobody waiting); or, for a
commune that ships its data (local first), not heard from for 2 minutes: its figures are
as they were then."""
CURRENT = (Status.CALLED, Status.SERVING)


@dataclass(slots=True)
class _Ticket:
    status: str
    field_id: int
    issued_at: datetime
    called_at: datetime | None
    counter_id: int | None
    number: str


@dataclass(slots=True)
class _Counter:
    code: str
    name: str
    active: bool
    paused_reason: str | None
    paused_at: datetime | None
    fields: list[int]


@dataclass(slots=True)
class _Site:
    id: int
    code: str
    name: str
    district: str
    tz: ZoneInfo
    good: frozenset[str]
    day: date
    fields: dict[int, tuple[str, str, str]]
    """Field id: code, name, English name."""
    counters: dict[int, _Counter]
    tickets: dict[int, _Ticket] = field(default_factory=dict)
    ratings: dict[int, bool] = field(default_factory=dict)
    """Ticket id: whether its rating was a good one (the scale's two best levels)."""
    printer: str | None = None
    """The last print of the day: "ok", or what failed; None: nothing printed today."""
    bookings_due: int = 0
    screens: list[ScreenSeen] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    link: SiteLink | None = None
    """Its shipper's link, where it ships from its own store (local first); None where its
    screens work on this database."""


@dataclass(frozen=True, slots=True)
class FieldWait(JsonView):
    code: str
    name: str
    name_en: str
    waiting: int
    longest_wait_minutes: int | None
    counters_open: int


@dataclass(frozen=True, slots=True)
class CounterState(JsonView):
    code: str
    name: str
    state: str
    """serving, calling, idle, paused or closed."""
    number: str | None
    """The ticket number at the counter (a number, never who holds it)."""
    paused_minutes: int | None


@dataclass(frozen=True, slots=True)
class ScreenState(JsonView):
    role: str
    counter: str | None
    seen_at: datetime
    alive: bool


@dataclass(frozen=True, slots=True)
class SiteSummary(JsonView):
    """One commune's tile."""
    site: str
    name: str
    district: str
    state: str
    waiting: int
    longest_wait_minutes: int | None
    p95_minutes: int | None
    """The 95th percentile of today's waits, issue to first call."""
    served: int
    counters_open: int
    counters_paused: int
    counters_idle: int
    good_ratings: float | None
    """The share of today's ratings in the scale's two best levels; None: no rating yet."""
    bookings_due: int
    printer: str | None
    voice: str | None
    """"ok" while a hall display is seen and reports no voice problem, else what it
    reported (its open `voice` alert); None: no display seen today."""
    screens: int
    screens_down: int
    screens_last_seen: datetime | None
    alerts: list[dict[str, Any]]
    """The commune's open alerts (`service.alerts`: kind, subject, since, and in words)."""
    link: dict[str, Any] | None
    """Where the commune ships its data: `live`, `heard_at`, and in words `what`
    ("trực tuyến", "mất kết nối từ 09:12") and `what_en`; None on this database."""

    @property
    def worst(self) -> tuple[int, int, int, int]:
        """Sorts the worst first: alerts, then faults, then the longest wait, then the line."""
        faults = self.screens_down + (self.printer not in (None, "ok")) + \
            (self.state == "offline")
        return (-len(self.alerts), -faults, -(self.longest_wait_minutes or 0), -self.waiting)


@dataclass(frozen=True, slots=True)
class SiteDetail(JsonView):
    """One commune drilled into: its tile, its counters, who waits for which field."""
    summary: SiteSummary
    counters: list[CounterState]
    fields: list[FieldWait]
    screens: list[ScreenState]


def _minutes(span: timedelta) -> int:
    return max(0, int(span.total_seconds() // 60))


def _p95(values: list[float]) -> int | None:
    """Nearest rank: the wait 95 of 100 citizens did not exceed."""
    if not values:
        return None
    ordered = sorted(values)
    return int(ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)])


class ProvinceOverview:
    """Every commune's summary (of a scope), kept current by `step` from one thread. Reading
    `summaries`/`detail` from another thread is safe: each step swaps whole values in."""

    def __init__(self, store: Store, clock: Clock, scope: Scope | None = None) -> None:
        self.store = store
        self.clock = clock
        self.scope = scope or Scope()
        self.sites: dict[int, _Site] = {}
        self.outside: set[int] = set()
        """Communes the last whole read skipped: outside the scope."""
        self.last = 0
        self.gaps: dict[int, float] = {}
        self.slow_at: float | None = None
        self.queries = 0
        """Statements sent to the store, for the benchmark."""
        self.version = 0
        """Moves with every change seen: a page sends a new frame when it moved."""

    # ----- reading the store --------------------------------------------------------------

    def load(self) -> None:
        """Read every commune whole: at start, on a new day, after a hall was loaded."""
        now = self.clock.now()
        with self.store.read() as conn:
            sites = self._sites(conn, now)
            if sites:
                self._tickets(conn, sites)
                self._extras(conn, sites)
            newest = conn.execute(select(func.coalesce(func.max(event_t.c.id), 0))).scalar_one()
        self.queries += 6
        self.sites, self.last, self.gaps = sites, int(newest), {}
        self._slow(now)
        self.slow_at = time.monotonic() - random.uniform(0, SLOW_SECONDS / 2)
        self.version += 1

    def step(self) -> bool:
        """One look at what changed (one query; the slow figures when due). True when
        something did."""
        if not self.sites and self.slow_at is None:
            self.load()
            return True
        changed = self._poll()
        if self.slow_at is None or time.monotonic() - self.slow_at >= SLOW_SECONDS:
            self._slow(self.clock.now())
            changed = True
        if changed:
            self.version += 1
        return changed

    def _sites(self, conn: Connection, now: datetime) -> dict[int, _Site]:
        sites: dict[int, _Site] = {}
        self.outside = set()
        for row in conn.execute(select(site_t.c.id, site_t.c.code, site_t.c.hall_json)):
            if not self.scope.allows(row.code):
                self.outside.add(row.id)
                continue
            hall = HallConfig.model_validate_json(row.hall_json)
            tz = ZoneInfo(hall.site.timezone)
            sites[row.id] = _Site(
                row.id, row.code, hall.site.name, hall.site.district, tz,
                frozenset(level.code for level in hall.rating.levels[:2]),
                local_day(now, tz), {}, {})
        for one in conn.execute(select(field_t.c.id, field_t.c.site_id, field_t.c.code,
                                       field_t.c.name, field_t.c.name_en)
                                .order_by(field_t.c.position)):
            if one.site_id in sites:
                sites[one.site_id].fields[one.id] = (one.code, one.name, one.name_en)
        served: dict[int, list[int]] = {}
        for counter_id, field_id in conn.execute(select(counter_field_t.c.counter_id,
                                                        counter_field_t.c.field_id)):
            served.setdefault(counter_id, []).append(field_id)
        for row in conn.execute(select(counter_t).order_by(counter_t.c.position)):
            if row.site_id in sites:
                sites[row.site_id].counters[row.id] = _Counter(
                    row.code, row.name, row.active, row.paused_reason, row.paused_at,
                    served.get(row.id, []))
        return sites

    def _tickets(self, conn: Connection, sites: dict[int, _Site]) -> None:
        days = {site.day for site in sites.values()}
        for row in conn.execute(select(ticket_t.c.id, ticket_t.c.site_id, ticket_t.c.day,
                                       ticket_t.c.status, ticket_t.c.field_id,
                                       ticket_t.c.issued_at, ticket_t.c.called_at,
                                       ticket_t.c.counter_id, ticket_t.c.number)
                                .where(ticket_t.c.day.in_(days))):
            site = sites.get(row.site_id)
            if site is not None and row.day == site.day:
                site.tickets[row.id] = _Ticket(row.status, row.field_id, row.issued_at,
                                               row.called_at, row.counter_id, row.number)
        for rated in conn.execute(select(rating_t.c.site_id, rating_t.c.ticket_id,
                                         rating_t.c.level, ticket_t.c.day)
                                  .join(ticket_t, ticket_t.c.id == rating_t.c.ticket_id)
                                  .where(ticket_t.c.day.in_(days))):
            site = sites.get(rated.site_id)
            if site is not None and rated.day == site.day:
                site.ratings[rated.ticket_id] = rated.level in site.good

    def _extras(self, conn: Connection, sites: dict[int, _Site]) -> None:
        """Each commune's last print of the day (a failure shows until a print works)."""
        since = min(self._day_start(site) for site in sites.values())
        newest = select(func.max(event_t.c.id)).where(
            event_t.c.kind.in_([EventKind.PRINTED, EventKind.PRINT_FAILED]),
            event_t.c.at >= since).group_by(event_t.c.site_id)
        for row in conn.execute(select(event_t.c.site_id, event_t.c.kind, event_t.c.detail,
                                       event_t.c.at).where(event_t.c.id.in_(newest))):
            site = sites.get(row.site_id)
            if site is not None and row.at >= self._day_start(site):
                self._printed(site, row.kind, row.detail)

    @staticmethod
    def _day_start(site: _Site) -> datetime:
        return datetime.combine(site.day, datetime.min.time(), site.tz)

    @staticmethod
    def _printed(site: _Site, kind: str, detail: str | None) -> None:
        site.printer = "ok" if kind == EventKind.PRINTED else (
            json.loads(detail or "{}").get("error", "") or "?")

    def _poll(self) -> bool:
        now = time.monotonic()
        self.gaps = {gap: seen for gap, seen in self.gaps.items() if now - seen < GAP_SECONDS}
        newer = event_t.c.id > self.last
        query = (select(event_t.c.id, event_t.c.site_id, event_t.c.kind, event_t.c.detail,
                        event_t.c.ticket_id, event_t.c.counter_id,
                        ticket_t.c.day, ticket_t.c.status, ticket_t.c.field_id,
                        ticket_t.c.issued_at, ticket_t.c.called_at, ticket_t.c.number,
                        ticket_t.c.counter_id.label("at_counter"),
                        counter_t.c.active, counter_t.c.paused_reason, counter_t.c.paused_at)
                 .outerjoin(ticket_t, ticket_t.c.id == event_t.c.ticket_id)
                 .outerjoin(counter_t, counter_t.c.id == event_t.c.counter_id)
                 .where(or_(newer, event_t.c.id.in_(list(self.gaps))) if self.gaps else newer)
                 .order_by(event_t.c.id).limit(PAGE))
        # One statement outside a transaction: no BEGIN and COMMIT round trips around it.
        with self.store.translated(), self.store.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT") as conn:
            rows = conn.execute(query).all()
        self.queries += 1
        if not rows:
            return False
        for row in rows:
            self.gaps.pop(row.id, None)
            if row.id > self.last:
                self.gaps.update({gap: now for gap in range(self.last + 1, row.id)})
                self.last = row.id
            if not self._apply(row):
                self.load()  # a new day, a new hall or a new commune: read them whole
                return True
        if any(site.link is not None and not site.link.live for site in
               (self.sites.get(row.site_id) for row in rows) if site is not None):
            self._links()  # a silent commune's catch-up: live again at once, not in 30 s
        return True

    def _apply(self, row: Any) -> bool:
        """One event into its commune's figures; False when only a whole read will do."""
        site = self.sites.get(row.site_id)
        if site is None:
            # A commune outside the scope, or one added since the whole read (read it then).
            return row.site_id in self.outside
        if row.kind in (EventKind.CATALOG_LOADED, EventKind.DAY_CLOSED) or \
                local_day(self.clock.now(), site.tz) != site.day:
            return False
        if row.kind in (EventKind.PRINTED, EventKind.PRINT_FAILED):
            self._printed(site, row.kind, row.detail)
        if row.kind == EventKind.RATED and row.ticket_id is not None:
            site.ratings[row.ticket_id] = json.loads(row.detail or "{}").get("level") in site.good
        if row.ticket_id is not None and row.day == site.day:
            site.tickets[row.ticket_id] = _Ticket(row.status, row.field_id, row.issued_at,
                                                  row.called_at, row.at_counter, row.number)
        counter = site.counters.get(row.counter_id) if row.counter_id is not None else None
        if counter is not None:
            counter.active, counter.paused_reason, counter.paused_at = (
                row.active, row.paused_reason, row.paused_at)
        return True

    def _slow(self, now: datetime) -> None:
        sites = dict(self.sites)
        self.slow_at = time.monotonic()
        if not sites:
            return
        days = {site.day for site in sites.values()}
        due: dict[int, int] = {}
        with self.store.read() as conn:
            for row in conn.execute(
                    select(booking_t.c.site_id, booking_t.c.day, func.count())
                    .where(booking_t.c.status == BookingStatus.BOOKED,
                           booking_t.c.day.in_(days), booking_t.c.slot_start <= now + DUE_AHEAD,
                           booking_t.c.slot_end >= now)
                    .group_by(booking_t.c.site_id, booking_t.c.day)):
                if row.site_id in sites and row.day == sites[row.site_id].day:
                    due[row.site_id] = int(row[2])
        seen: dict[str, list[ScreenSeen]] = {}
        for screen in screens_seen(self.store, now):
            seen.setdefault(screen.site, []).append(screen)
        self._links()
        raised: dict[str, list[AlertView]] = {}
        for alert in open_alerts(self.store):  # raised by each centre's display and serve
            raised.setdefault(alert.site, []).append(alert)
        self.queries += 3
        for site in sites.values():
            site.bookings_due = due.get(site.id, 0)
            site.screens = seen.get(site.code, [])
            names = [{code: name for code, name, _ in site.fields.values()},
                     {code: name_en for code, _, name_en in site.fields.values()}]
            site.alerts = [{**alert.to_json(), "what": alert.what("vi", names[0]),
                            "what_en": alert.what("en", names[1])}
                           for alert in raised.get(site.code, [])]

    def _links(self) -> None:
        # Real time, as the ingest records it, whatever the queue's clock says.
        links = {link.code: link for link in link_states(self.store, datetime.now(UTC))}
        self.queries += 1
        for site in self.sites.values():
            site.link = links.get(site.code)

    # ----- what the viewers see -----------------------------------------------------------

    def summaries(self, scope: Scope | None = None) -> list[SiteSummary]:
        """The communes of `scope` (and of this overview's), the worst first."""
        now = self.clock.now()
        tiles = [self._summary(site, now) for site in list(self.sites.values())
                 if scope is None or scope.allows(site.code)]
        return sorted(tiles, key=lambda s: (s.worst, s.site))

    def detail(self, code: str, scope: Scope | None = None) -> SiteDetail | None:
        """One commune drilled into; None when it is unknown or outside `scope`."""
        site = next((s for s in list(self.sites.values()) if s.code == code), None)
        if site is None or (scope is not None and not scope.allows(code)):
            return None
        now = self.clock.now()
        tickets = list(site.tickets.values())
        current = {t.counter_id: t for t in tickets if t.status in CURRENT}
        counters = [CounterState(c.code, c.name, _counter_state(c, current.get(counter_id)),
                                 current[counter_id].number if counter_id in current else None,
                                 _minutes(now - c.paused_at) if c.paused_reason is not None
                                 and c.paused_at is not None else None)
                    for counter_id, c in site.counters.items()]
        fields = []
        for field_id, (code_, name, name_en) in site.fields.items():
            waiting = [t.issued_at for t in tickets
                       if t.status == Status.WAITING and t.field_id == field_id]
            open_ = sum(1 for c in site.counters.values()
                        if field_id in c.fields and c.active and c.paused_reason is None)
            if waiting or open_:
                fields.append(FieldWait(code_, name, name_en, len(waiting),
                                        _minutes(now - min(waiting)) if waiting else None,
                                        open_))
        screens = [ScreenState(s.role, s.counter or None, s.seen_at, s.alive)
                   for s in site.screens]
        return SiteDetail(self._summary(site, now), counters, fields, screens)

    def _summary(self, site: _Site, now: datetime) -> SiteSummary:
        tickets = list(site.tickets.values())
        waiting = [t.issued_at for t in tickets if t.status == Status.WAITING]
        waits = [(t.called_at - t.issued_at).total_seconds() / 60 for t in tickets
                 if t.called_at is not None]
        current = {t.counter_id for t in tickets if t.status in CURRENT}
        open_ = [counter_id for counter_id, c in site.counters.items()
                 if c.active and c.paused_reason is None]
        paused = sum(1 for c in site.counters.values() if c.active and c.paused_reason is not None)
        ratings = list(site.ratings.values())
        down = sum(1 for s in site.screens if not s.alive)
        longest = _minutes(now - min(waiting)) if waiting else None
        state = ("offline" if site.link is not None and not site.link.live
                 else "fault" if down or site.printer not in (None, "ok")
                 else "busy" if (longest or 0) > LONG_WAIT_MINUTES
                 else "closed" if not open_ and not waiting else "ok")
        return SiteSummary(
            site=site.code, name=site.name, district=site.district, state=state,
            waiting=len(waiting), longest_wait_minutes=longest, p95_minutes=_p95(waits),
            served=sum(1 for t in tickets if t.status == Status.DONE),
            counters_open=len(open_), counters_paused=paused,
            counters_idle=sum(1 for counter_id in open_ if counter_id not in current),
            good_ratings=round(sum(ratings) / len(ratings), 3) if ratings else None,
            bookings_due=site.bookings_due, printer=site.printer, voice=_voice(site),
            screens=len(site.screens), screens_down=down,
            screens_last_seen=max((s.seen_at for s in site.screens), default=None),
            alerts=list(site.alerts), link=None if site.link is None else {
                **site.link.to_json(), "what": site.link.word("vi"),
                "what_en": site.link.word("en")})

    def calls(self, code: str) -> list[CallView]:
        """A commune's last calls, as its hall's TV shows them (numbers and counters)."""
        site = next((s for s in list(self.sites.values()) if s.code == code), None)
        if site is None:
            return []
        return QueueService(self.store, site=code, clock=self.clock).board().recent_calls

    def districts(self) -> list[str]:
        return sorted({s.district for s in self.sites.values() if s.district})


def _counter_state(counter: _Counter, current: _Ticket | None) -> str:
    if not counter.active:
        return "closed"
    if counter.paused_reason is not None:
        return "paused"
    if current is None:
        return "idle"
    return "serving" if current.status == Status.SERVING else "calling"


def filtered(tiles: Iterable[SiteSummary], *, district: str = "",
             state: str = "") -> list[SiteSummary]:
    """The tiles of one district and/or one state (empty: any)."""
    return [t for t in tiles if (not district or t.district == district)
            and (not state or t.state == state)]


def _voice(site: _Site) -> str | None:
    """The hall's voice as its display reported it (see `SiteSummary.voice`)."""
    problem = next((a["detail"] for a in site.alerts if a["kind"] == "voice"), None)
    if problem is not None:
        return str(problem)
    return "ok" if any(s.role == "display" for s in site.screens) else None
