"""Provides the queue operations: issue, call, recall, start, finish, no-show, return,
transfer, pause, close-day, field closure, rating and the board. One transaction each."""

from __future__ import annotations

import functools
import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Concatenate, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Connection,
    Engine,
    Integer,
    Row,
    bindparam,
    func,
    insert,
    literal,
    null,
    select,
    text,
    tuple_,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from queue_kiosk import estimates, routing
from queue_kiosk.catalog import counter_field_t, counter_t, event_t, field_t, procedure_t, site_t
from queue_kiosk.clock import Clock, SystemClock, local_day
from queue_kiosk.config import HallConfig
from queue_kiosk.db import read, write
from queue_kiosk.direct import DirectStatement
from queue_kiosk.errors import IllegalTransition, NotFound, Refused, StaleCatalog, StoreError
from queue_kiosk.models import (
    ACTIVE_STATUSES,
    CURRENT_TICKET,
    DaySeries,
    EventKind,
    Rating,
    Staff,
    Status,
    Ticket,
)
from queue_kiosk.numbering import capacity, format_number, normalise_number, scanned_token
from queue_kiosk.text import fold, nfc
from queue_kiosk.views import (
    BoardView,
    CallView,
    CatalogView,
    CounterFiguresView,
    CounterView,
    DayClosedView,
    FieldQueueView,
    FieldView,
    NamedView,
    ProcedureView,
    TicketView,
)

ticket_t = Ticket.__table__  # type: ignore[attr-defined]
series_t = DaySeries.__table__  # type: ignore[attr-defined]
rating_t = Rating.__table__  # type: ignore[attr-defined]
staff_t = Staff.__table__  # type: ignore[attr-defined]

NOTIFY_CHANNEL = "queue_kiosk_events"


_SAME_FIELD_WAITING = (
    (ticket_t.c.site_id == bindparam("site_id")) & (ticket_t.c.status == Status.WAITING)
    & (ticket_t.c.field_id == bindparam("field_id")) & (ticket_t.c.day == bindparam("day")))
_EARLIER = tuple_(ticket_t.c.queue_at, ticket_t.c.id) < tuple_(
    bindparam("queue_at", type_=ticket_t.c.queue_at.type), bindparam("id", type_=Integer))
"""Ahead in line: queue time, then issue order. A row-value comparison, so both databases
read it as one range of the line index."""


_RECENT_SERVICES = select(ticket_t.c.started_at, ticket_t.c.finished_at).where(
    ticket_t.c.site_id == bindparam("site_id"), ticket_t.c.field_id == bindparam("field_id"),
    ticket_t.c.day == bindparam("day"), ticket_t.c.status == Status.DONE,
).order_by(ticket_t.c.finished_at.desc()).limit(30)
"""The field's last services today: their median is the estimate's minutes per citizen."""


def _of_open_counters(column: Any) -> Any:
    """A figure over the field's open counters."""
    return select(column).select_from(counter_field_t.join(
        counter_t, counter_t.c.id == counter_field_t.c.counter_id)).where(
        counter_field_t.c.field_id == bindparam("field_id"), counter_t.c.active.is_(True),
        counter_t.c.paused_reason.is_(None)).scalar_subquery()


def _queue_columns(*, priority: bool, earlier: Any) -> list[Any]:
    """What a waiting ticket's estimate needs of its field: the open counters, and for
    `routing.calls_before` the earlier tickets of its class, every waiting ticket of the
    other class and the streak of the open counter nearest to its next priority turn."""
    in_class = ticket_t.c.priority.is_not(None) if priority else ticket_t.c.priority.is_(None)
    return [_of_open_counters(func.count()).label("serving"),
            select(func.count()).where(_SAME_FIELD_WAITING, in_class, earlier)
            .scalar_subquery().label("earlier"),
            select(func.count()).where(_SAME_FIELD_WAITING, ~in_class)
            .scalar_subquery().label("other"),
            _of_open_counters(func.max(counter_t.c.normal_streak)).label("streak")]


def _issue_check(*, priority: bool) -> Any:
    """Everything issuing reads, in one round trip: a row (part 0) saying whether the field
    is closed, how many of its counters are open and the ticket's place in line, and the
    rows (part 1) of its recent services. The new ticket is queued now with the highest id,
    so "earlier" is every ticket queued by now. (As four statements through SQLAlchemy
    they cost ~0.15 ms more a ticket, a fifth of issuing at the time.)"""
    queued_by_now = ticket_t.c.queue_at <= bindparam("now", type_=ticket_t.c.queue_at.type)
    no_time = type_coerce(null(), ticket_t.c.started_at.type)
    check = select(literal(0).label("part"), field_t.c.closed_reason,
                   *_queue_columns(priority=priority, earlier=queued_by_now),
                   no_time.label("started_at"), no_time.label("finished_at"),
                   _CATALOG_VERSION.label("catalog_version"),
                   ).where(field_t.c.id == bindparam("field_id"))
    recent = _RECENT_SERVICES.subquery()
    return union_all(check, select(literal(1), null(), null(), null(), null(), null(),
                                   recent.c.started_at, recent.c.finished_at, null()))


_CATALOG_VERSION = select(site_t.c.catalog_version).where(
    site_t.c.id == bindparam("site_id")).scalar_subquery()
"""Read inside the rows issuing and every counter action read anyway: a process holding an
older catalogue finds out at no extra round trip."""


CALL_LOCK_SPACE = 0x514B  # "QK": the advisory-lock key space of call-next, per site


class _Sql:
    """Statements of the hot paths, built once: SQLAlchemy memoises a statement's cache key
    on the object, so reusing it skips both construction and key generation (measured:
    about half the cost of issuing a ticket)."""

    inserts: dict[str, DirectStatement] = {}
    insert_event = DirectStatement(insert(event_t))
    ticket_by_id = select(ticket_t).where(ticket_t.c.id == bindparam("id"))
    current = select(ticket_t).where(ticket_t.c.counter_id == bindparam("counter_id"),
                                     text(CURRENT_TICKET))
    open_counters = select(counter_t.c.id, counter_t.c.normal_streak).where(
        counter_t.c.site_id == bindparam("site_id"), counter_t.c.active.is_(True),
        counter_t.c.paused_reason.is_(None))
    queue_of = {priority: select(*_queue_columns(priority=priority, earlier=_EARLIER))
                for priority in (False, True)}
    issue_check = {priority: DirectStatement(_issue_check(priority=priority))
                   for priority in (False, True)}
    _waiting = [ticket_t.c.site_id == bindparam("site_id"), ticket_t.c.status == Status.WAITING,
                (ticket_t.c.field_id.in_(bindparam("field_ids", expanding=True))
                 & ticket_t.c.target_counter_id.is_(None))
                | (ticket_t.c.target_counter_id == bindparam("counter_id"))]
    _candidate_columns = (ticket_t.c.id, ticket_t.c.field_id, ticket_t.c.priority,
                          ticket_t.c.queue_at, ticket_t.c.target_counter_id)
    candidates_today = select(*_candidate_columns).where(*_waiting,
                                                         ticket_t.c.day == bindparam("day"))
    candidates_any_day = select(*_candidate_columns).where(*_waiting)
    _heads: dict[tuple[int, bool], Any] = {}

    @classmethod
    def line_heads(cls, fields: int, any_day: bool) -> Any:
        """The first waiting ticket of each line a counter serving `fields` fields may call
        (routing's invariant makes that enough), one index probe per line, plus every
        ticket sent to the counter by name. Reading the whole queue instead cost ~3 ms a
        call with 1,000 waiting; this stays flat as the queue grows."""
        if (fields, any_day) not in cls._heads:
            today = [ticket_t.c.day == bindparam("day")] if not any_day else []
            waiting = [ticket_t.c.site_id == bindparam("site_id"),
                       ticket_t.c.status == Status.WAITING, *today]
            lines = [select(*cls._candidate_columns).where(
                *waiting, ticket_t.c.field_id == bindparam(f"field_{n}"),
                ticket_t.c.target_counter_id.is_(None),
                ticket_t.c.priority.is_not(None) if priority else ticket_t.c.priority.is_(None),
            ).order_by(ticket_t.c.queue_at, ticket_t.c.id).limit(1).subquery()
                for n in range(fields) for priority in (False, True)]
            sent_here = select(*cls._candidate_columns).where(
                *waiting, ticket_t.c.target_counter_id == bindparam("counter_id"))
            cls._heads[fields, any_day] = union_all(
                *(select(*line.c) for line in lines), sent_here)
        return cls._heads[fields, any_day]

    # Every change of a ticket is guarded by the status it was read in: of two transactions
    # that read the same state, the second changes nothing (PostgreSQL re-checks the WHERE
    # once the first commits), so a ticket is never called twice or undone behind a counter.
    claim = update(ticket_t).where(
        ticket_t.c.id == bindparam("ticket_id"), ticket_t.c.status == bindparam("from_status"),
    ).values(status=Status.CALLED, counter_id=bindparam("counter_id"),
             called_at=bindparam("now"), started_at=None, finished_at=None, recalls=0,
             target_counter_id=None, staff_id=bindparam("staff_id")).returning(*ticket_t.c)
    # PostgreSQL: one counter at a time per site chooses and claims its next ticket. The
    # lock manager queues waiters in order, so a call waits its turn instead of racing
    # others for the same line head (measured with 16 counters flat out: p50 631 ms with
    # per-ticket SKIP LOCKED, where losers had to re-read the whole queue).
    serialise_calls = select(func.pg_advisory_xact_lock(CALL_LOCK_SPACE, bindparam("site_id")))
    lock_counter = select(counter_t.c.paused_reason, counter_t.c.normal_streak,
                          _CATALOG_VERSION.label("catalog_version")).where(
        counter_t.c.id == bindparam("counter_id")).with_for_update(of=counter_t)
    set_streak = update(counter_t).where(counter_t.c.id == bindparam("counter_id")).values(
        normal_streak=bindparam("streak"))
    # No SET list: it is taken from the parameters' names, one compiled form per set.
    update_ticket = update(ticket_t).where(ticket_t.c.id == bindparam("ticket_id"),
                                           ticket_t.c.status == bindparam("from_status"))
    upserts: dict[str, DirectStatement] = {}

    @classmethod
    def insert_ticket(cls, dialect: str) -> DirectStatement:
        """The new ticket, or no row when its number was already handed out today (a number
        block moved mid-day): the caller then takes the next number."""
        if dialect not in cls.inserts:
            make = postgresql.insert if dialect == "postgresql" else sqlite.insert
            cls.inserts[dialect] = DirectStatement(make(ticket_t).on_conflict_do_nothing(
                index_elements=["site_id", "day", "number"]).returning(*ticket_t.c))
        return cls.inserts[dialect]

    @classmethod
    def next_seq(cls, dialect: str) -> DirectStatement:
        """The atomic numbering upsert, per dialect (both speak ON CONFLICT … RETURNING)."""
        if dialect not in cls.upserts:
            make = postgresql.insert if dialect == "postgresql" else sqlite.insert
            stmt = make(series_t).values(site_id=bindparam("site_id"), day=bindparam("day"),
                                         series=bindparam("series"), last=1)
            cls.upserts[dialect] = DirectStatement(stmt.on_conflict_do_update(
                index_elements=["site_id", "day", "series"],
                set_={"last": series_t.c.last + 1}).returning(series_t.c.last))
        return cls.upserts[dialect]
RECENT_CALLS = 8
CLAIM_ATTEMPTS = 20
_ACTION_OF = {EventKind.RECALLED: "recall", EventKind.STARTED: "start",
              EventKind.FINISHED: "finish", EventKind.NO_SHOW: "no-show",
              EventKind.TRANSFERRED: "transfer", EventKind.RETURNED: "return"}
"""The action a refused change was, in the words of `ticket.state`."""


@dataclass(frozen=True, slots=True)
class FieldInfo:
    id: int
    code: str
    name: str
    name_en: str
    prefix: str | None
    block: int | None
    block_size: int
    daily_cap: int | None
    minutes: float
    series: str


@dataclass(frozen=True, slots=True)
class ProcedureInfo:
    id: int
    code: str
    name: str
    name_en: str
    field_id: int


@dataclass(frozen=True, slots=True)
class CounterInfo:
    id: int
    code: str
    name: str
    name_en: str
    field_ids: tuple[int, ...]
    """In the counter's order of preference: the first is its primary field."""


class Catalog:
    """The site's catalogue as loaded by `init`; changes only when a config is loaded again."""

    def __init__(self, conn: Connection, site: str | None) -> None:
        sites = conn.execute(select(site_t.c.id, site_t.c.code, site_t.c.hall_json,
                                    site_t.c.catalog_version).order_by(site_t.c.code)).all()
        if not sites:
            raise NotFound("site.none")
        known = ", ".join(str(s.code) for s in sites)
        if site:
            chosen = [s for s in sites if s.code == site]
            if not chosen:
                raise NotFound("site.unknown", code=site, sites=known)
        elif len(sites) > 1:
            raise NotFound("site.ambiguous", sites=known)
        else:
            chosen = list(sites)
        row = chosen[0]
        self.site_id: int = row.id
        self.site_code: str = row.code
        self.version: int = row.catalog_version
        self.hall = HallConfig.model_validate_json(row.hall_json)
        self.tz = ZoneInfo(self.hall.site.timezone)
        self.fields: dict[int, FieldInfo] = {
            r.id: FieldInfo(r.id, r.code, r.name, r.name_en, r.prefix, r.block, r.block_size,
                            r.daily_cap, r.minutes, r.series)
            for r in conn.execute(select(field_t).where(field_t.c.site_id == self.site_id,
                                                        field_t.c.active.is_(True))
                                  .order_by(field_t.c.position))}
        self.procedures: dict[int, ProcedureInfo] = {
            r.id: ProcedureInfo(r.id, r.code, r.name, r.name_en, r.field_id)
            for r in conn.execute(select(procedure_t).where(
                procedure_t.c.site_id == self.site_id, procedure_t.c.active.is_(True))
                .order_by(procedure_t.c.position))}
        links = conn.execute(select(counter_field_t.c.counter_id, counter_field_t.c.field_id)
                             .order_by(counter_field_t.c.rank)).all()
        self.counters: dict[int, CounterInfo] = {
            r.id: CounterInfo(r.id, r.code, r.name, r.name_en,
                              tuple(f for c, f in links if c == r.id and f in self.fields))
            for r in conn.execute(select(counter_t).where(counter_t.c.site_id == self.site_id,
                                                          counter_t.c.active.is_(True))
                                  .order_by(counter_t.c.position))}
        self.priority_codes = [p.code for p in self.hall.priorities]
        self.rules = routing.Rules(
            priority_mode=self.hall.policy.priority_mode,
            priority_every=self.hall.policy.priority_every,
            secondary_max_wait=timedelta(minutes=self.hall.policy.secondary_max_wait_minutes))

    def counter(self, code: str) -> CounterInfo:
        wanted = nfc(code).strip()
        for info in self.counters.values():
            if info.code.casefold() == wanted.casefold():
                return info
        known = ", ".join(c.code for c in self.counters.values())
        raise NotFound("counter.unknown", code=wanted, known=known)

    def find_field(self, what: str) -> tuple[FieldInfo, ProcedureInfo | None] | None:
        """A field or procedure by code, prefix or name (accents optional), else None."""
        wanted = nfc(what).strip()
        for info in self.fields.values():
            if wanted.casefold() in (info.code.casefold(), (info.prefix or "").casefold()):
                return info, None
        for proc in self.procedures.values():
            if proc.code.casefold() == wanted.casefold():
                return self.fields[proc.field_id], proc
        folded = fold(wanted)
        matches: list[tuple[FieldInfo, ProcedureInfo | None]] = [
            (f, None) for f in self.fields.values() if folded in (fold(f.name), fold(f.name_en))]
        matches += [(self.fields[p.field_id], p) for p in self.procedures.values()
                    if folded in (fold(p.name), fold(p.name_en))]
        if len(matches) > 1:
            names = ", ".join((p or f).code for f, p in matches)
            raise NotFound("field.ambiguous", code=wanted, matches=names)
        return matches[0] if matches else None

    def field(self, what: str) -> tuple[FieldInfo, ProcedureInfo | None]:
        found = self.find_field(what)
        if found is None:
            raise NotFound("field.unknown", code=nfc(what).strip())
        return found

    def counters_for(self, field_id: int) -> list[CounterInfo]:
        return [c for c in self.counters.values() if field_id in c.field_ids]

    def route(self, counter: CounterInfo, streak: int) -> routing.CounterRoute:
        return routing.CounterRoute(counter.id, {f: r for r, f in enumerate(counter.field_ids)},
                                    streak)


REASON_LIMIT = 200
"""The reason columns' length: checked here, since SQLite would store a longer one and
PostgreSQL refuse it."""


def _short_reason(reason: str) -> str:
    reason = nfc(reason).strip()
    if len(reason) > REASON_LIMIT:
        raise Refused("reason.too_long", limit=REASON_LIMIT)
    return reason


@dataclass(frozen=True, slots=True)
class _Queue:
    """What a waiting ticket's estimate is made of."""
    ahead: int
    serving: int
    """Open counters serving its field."""
    minutes_each: float


def _minutes_each(services: Iterable[Any], field: FieldInfo) -> float:
    observed = [(r.finished_at - r.started_at).total_seconds() / 60 for r in services
                if r.started_at and r.finished_at]
    return estimates.service_minutes(observed, field.minutes)


P = ParamSpec("P")
R = TypeVar("R")


def _current_catalog(
        operation: Callable[Concatenate[QueueService, P], R],
) -> Callable[Concatenate[QueueService, P], R]:
    """Runs an operation again, once, with the catalogue reloaded if it found that another
    process loaded a new hall configuration (its transaction was rolled back, nothing done)."""
    @functools.wraps(operation)
    def run(self: QueueService, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return operation(self, *args, **kwargs)
        except StaleCatalog:
            self.refresh()
            return operation(self, *args, **kwargs)
    return run


class QueueService:
    """All queue operations for one site. Thread-safe: every call opens its own transaction."""

    def __init__(self, engine: Engine, *, site: str | None = None,
                 clock: Clock | None = None) -> None:
        self.engine = engine
        self.clock: Clock = clock or SystemClock()
        self._site = site
        self.catalog = self._load_catalog()

    def _load_catalog(self) -> Catalog:
        with read(self.engine) as conn:
            return Catalog(conn, self._site)

    def refresh(self) -> None:
        """Re-read the catalogue after `init --config` loaded a new one."""
        self.catalog = self._load_catalog()

    @property
    def site_id(self) -> int:
        return self.catalog.site_id

    def today(self) -> date:
        return local_day(self.clock.now(), self.catalog.tz)

    # ----- issuing -------------------------------------------------------------------------

    @_current_catalog
    def issue(self, what: str, *, priority: str | None = None,
              staff: str | None = None) -> TicketView:
        cat = self.catalog
        field, procedure = cat.field(what)
        if priority is not None:
            priority = self._priority_code(priority)
        with write(self.engine) as conn:
            now = self.clock.now()
            day = local_day(now, cat.tz)
            queue = self._check_issuable(conn, field, priority is not None, now, day)
            limit = capacity(field.prefix, field.block_size)
            rows: list[Any] = []
            while not rows:
                seq = self._next_seq(conn, field.series, day)
                if seq > limit:
                    raise Refused("issue.series_full", field=field.name,
                                  last=format_number(field.prefix, field.block, limit))
                if field.daily_cap is not None and seq > field.daily_cap:
                    raise Refused("issue.cap", field=field.name, cap=field.daily_cap)
                rows = _Sql.insert_ticket(conn.dialect.name).run(conn, {
                    "site_id": cat.site_id, "day": day, "series": field.series, "seq": seq,
                    "number": format_number(field.prefix, field.block, seq),
                    "token": secrets.token_urlsafe(16),  # 128 bits: the status page's key
                    "field_id": field.id, "procedure_id": procedure.id if procedure else None,
                    "priority": priority, "status": Status.WAITING, "issued_at": now,
                    "queue_at": now, "recalls": 0, "transfers": 0,
                })
            row = rows[0]
            self._log(conn, EventKind.ISSUED, now, ticket_id=row.id,
                      staff_id=self._staff_id(conn, staff),
                      detail={"priority": priority} if priority else None)
            return self._view(conn, row, now, queue=queue)

    def _check_issuable(self, conn: Connection, field: FieldInfo, priority: bool,
                        now: datetime, day: date) -> _Queue:
        """Refuses a ticket the hall cannot serve; else the queue a ticket issued now
        joins."""
        hours = self.catalog.hall.hours
        local = now.astimezone(self.catalog.tz)
        if hours.enforce and not hours.is_open(local.weekday(), local.time()):
            raise Refused("issue.out_of_hours", hours=hours.describe(local.weekday()))
        if not self.catalog.counters_for(field.id):
            raise Refused("issue.no_counter", field=field.name)
        rows = _Sql.issue_check[priority].run(conn, {
            "site_id": self.site_id, "field_id": field.id, "day": day, "now": now})
        # SQL does not promise a UNION ALL's order: the `part` column tells the rows apart.
        check = next(r for r in rows if r.part == 0)
        self._check_catalog(check.catalog_version)
        services = [r for r in rows if r.part == 1]
        if check.closed_reason is not None:
            raise Refused("issue.closed", field=field.name, reason=check.closed_reason)
        return self._queue(priority, check, services, field)

    def _next_seq(self, conn: Connection, series: str, day: date) -> int:
        """Allocate the next number in this transaction; an atomic upsert, so two kiosks
        can never receive the same number, and the row persists across restarts."""
        stmt = _Sql.next_seq(conn.dialect.name)
        return int(stmt.run(conn, {"site_id": self.site_id, "day": day,
                                   "series": series})[0].last)

    def _priority_code(self, value: str) -> str:
        wanted = fold(nfc(value))
        for p in self.catalog.hall.priorities:
            if wanted in (fold(p.code), fold(p.name), fold(p.name_en)):
                return p.code
        raise NotFound("priority.unknown", code=value,
                       known=", ".join(self.catalog.priority_codes) or "—")

    # ----- calling -------------------------------------------------------------------------

    @_current_catalog
    def call_next(self, counter: str, *, staff: str | None = None) -> TicketView | None:
        info = self.catalog.counter(counter)
        with write(self.engine) as conn:
            now = self.clock.now()
            streak = self._lock_idle_counter(conn, info)
            if conn.dialect.name == "postgresql":
                conn.execute(_Sql.serialise_calls, {"site_id": self.site_id})
            waiting = self._candidates(conn, info, now, heads_only=True)
            everyone: list[routing.Candidate] | None = None
            for _ in range(CLAIM_ATTEMPTS):
                chosen = routing.choose_next(self.catalog.route(info, streak), waiting, now,
                                             self.catalog.rules)
                if chosen is None:
                    return None
                called = self._claim(conn, chosen.ticket_id, info, now, staff)
                if called is not None:
                    conn.execute(_Sql.set_streak, {
                        "counter_id": info.id, "streak": routing.next_streak(streak, chosen)})
                    return self._view(conn, called, now)
                # Called by number at another counter meanwhile (PostgreSQL only, rarely):
                # take the next in line, from the whole queue.
                if everyone is None:
                    everyone = self._candidates(conn, info, now)
                everyone = [c for c in everyone if c.ticket_id != chosen.ticket_id]
                waiting = everyone
            # Only reachable under extreme contention; nothing was changed.
            raise StoreError("store.failed", detail="too much contention claiming a ticket")

    @_current_catalog
    def call_number(self, counter: str, number: str, *, staff: str | None = None) -> TicketView:
        """Call a specific number: a citizen who came back, or a scanned ticket code."""
        info = self.catalog.counter(counter)
        with write(self.engine) as conn:
            now = self.clock.now()
            self._lock_idle_counter(conn, info)
            row = self._find_ticket(conn, scanned_token(number) or number)
            if row.status not in (Status.WAITING, Status.NO_SHOW):
                raise self._state_error(row, "call")
            if row.target_counter_id not in (None, info.id) or (
                    row.target_counter_id is None and row.field_id not in info.field_ids):
                raise IllegalTransition("counter.field_not_served", counter=info.code,
                                        field=self.catalog.fields[row.field_id].name,
                                        number=row.number)
            if row.status == Status.NO_SHOW:
                self._log(conn, EventKind.RETURNED, now, ticket_id=row.id, counter_id=info.id)
            called = self._claim(conn, row.id, info, now, staff, detail={"specific": True},
                                 from_status=row.status)
            if called is None:  # another counter called it since we read it
                raise self._state_error(self._row(conn, row.id), "call")
            return self._view(conn, called, now)

    def _lock_counter(self, conn: Connection, info: CounterInfo) -> Row[Any]:
        row = conn.execute(_Sql.lock_counter, {"counter_id": info.id,
                                               "site_id": self.site_id}).one()
        self._check_catalog(row.catalog_version)
        return row

    def _check_catalog(self, version: int) -> None:
        if version != self.catalog.version:
            raise StaleCatalog("store.catalog_changed")

    def _lock_idle_counter(self, conn: Connection, info: CounterInfo) -> int:
        row = self._lock_counter(conn, info)
        if row.paused_reason is not None:
            raise IllegalTransition("counter.paused", counter=info.code, reason=row.paused_reason)
        current = self._current(conn, info)
        if current is not None:
            raise IllegalTransition("counter.busy", counter=info.code, number=current.number,
                                    status=current.status)
        return int(row.normal_streak)

    def _candidates(self, conn: Connection, info: CounterInfo, now: datetime, *,
                    heads_only: bool = False) -> list[routing.Candidate]:
        """The tickets `info` may call; with `heads_only`, the first of each line."""
        params: dict[str, Any] = {"site_id": self.site_id, "counter_id": info.id,
                                  "day": local_day(now, self.catalog.tz)}
        any_day = self.catalog.hall.policy.carry_over
        if heads_only:
            stmt = _Sql.line_heads(len(info.field_ids), any_day)
            params.update({f"field_{n}": f for n, f in enumerate(info.field_ids)})
        else:
            stmt = _Sql.candidates_any_day if any_day else _Sql.candidates_today
            params["field_ids"] = list(info.field_ids)
        rows = conn.execute(stmt, params).all()
        return [routing.Candidate(r.id, r.field_id, r.priority is not None, r.queue_at,
                                  r.target_counter_id) for r in rows]

    def _claim(self, conn: Connection, ticket_id: int, info: CounterInfo, now: datetime,
               staff: str | None, detail: dict[str, Any] | None = None,
               from_status: str = Status.WAITING) -> Row[Any] | None:
        """The guarded update: only one caller can move a ticket out of `from_status`.
        Returns the called ticket, or None if it was no longer in that state."""
        staff_id = self._staff_id(conn, staff)
        called = conn.execute(_Sql.claim, {"ticket_id": ticket_id, "counter_id": info.id,
                                           "now": now, "staff_id": staff_id,
                                           "from_status": from_status}).first()
        if called is None:
            return None
        self._log(conn, EventKind.CALLED, now, ticket_id=ticket_id, counter_id=info.id,
                  staff_id=staff_id, detail=detail)
        return called

    # ----- the current ticket at a counter -------------------------------------------------

    def counter(self, counter: str) -> CounterView:
        """One counter: its pause reason and its current ticket, in one read."""
        info = self.catalog.counter(counter)
        with read(self.engine) as conn:
            return self._counter_view(conn, info, self.clock.now())

    def current(self, counter: str) -> TicketView | None:
        info = self.catalog.counter(counter)
        with read(self.engine) as conn:
            row = self._current(conn, info)
            return None if row is None else self._view(conn, row, self.clock.now())

    @_current_catalog
    def recall(self, counter: str, *, staff: str | None = None) -> TicketView:
        """Call the current ticket again; past the recall limit it becomes a no-show."""
        def change(conn: Connection, row: Row[Any], info: CounterInfo, now: datetime,
                   staff_id: int | None) -> None:
            if row.recalls >= self.catalog.hall.policy.recall_limit:
                self._set(conn, row, EventKind.NO_SHOW, now, info, staff_id,
                          {"status": Status.NO_SHOW, "finished_at": now},
                          {"after_recalls": row.recalls})
            else:
                self._set(conn, row, EventKind.RECALLED, now, info, staff_id,
                          {"recalls": row.recalls + 1}, {"recall": row.recalls + 1})
        return self._on_current(counter, staff, (Status.CALLED,), "recall", change)

    @_current_catalog
    def start(self, counter: str, *, staff: str | None = None) -> TicketView:
        def change(conn: Connection, row: Row[Any], info: CounterInfo, now: datetime,
                   staff_id: int | None) -> None:
            self._set(conn, row, EventKind.STARTED, now, info, staff_id,
                      {"status": Status.SERVING, "started_at": now})
        return self._on_current(counter, staff, (Status.CALLED,), "start", change)

    @_current_catalog
    def finish(self, counter: str, *, rating: str | None = None,
               staff: str | None = None) -> TicketView:
        level = self._rating_code(rating) if rating is not None else None

        def change(conn: Connection, row: Row[Any], info: CounterInfo, now: datetime,
                   staff_id: int | None) -> None:
            # Finishing without pressing start counts the walk-up as service time.
            started = row.started_at or row.called_at
            self._set(conn, row, EventKind.FINISHED, now, info, staff_id,
                      {"status": Status.DONE, "started_at": started, "finished_at": now})
            if level is not None:
                self._insert_rating(conn, row, level, now, info.id, staff_id)
        return self._on_current(counter, staff, ACTIVE_STATUSES, "finish", change)

    @_current_catalog
    def no_show(self, counter: str, *, staff: str | None = None) -> TicketView:
        def change(conn: Connection, row: Row[Any], info: CounterInfo, now: datetime,
                   staff_id: int | None) -> None:
            self._set(conn, row, EventKind.NO_SHOW, now, info, staff_id,
                      {"status": Status.NO_SHOW, "finished_at": now})
        return self._on_current(counter, staff, (Status.CALLED,), "no-show", change)

    @_current_catalog
    def transfer(self, counter: str, to: str, *, staff: str | None = None) -> TicketView:
        """Send the current ticket to another field or counter. It keeps its number and its
        original issue time, so it does not start again at the back of the line."""
        cat = self.catalog
        target_field, target_counter = self._transfer_target(to)

        def change(conn: Connection, row: Row[Any], info: CounterInfo, now: datetime,
                   staff_id: int | None) -> None:
            new_field = target_field.id if target_field else row.field_id
            if (target_counter and target_counter.id == info.id) or (
                    target_field and target_field.id == row.field_id):
                raise IllegalTransition("transfer.same", number=row.number, target=to)
            detail = {"from_field": cat.fields[row.field_id].code,
                      "to_field": cat.fields[new_field].code, "from_counter": info.code,
                      "to_counter": target_counter.code if target_counter else None}
            self._set(conn, row, EventKind.TRANSFERRED, now, info, staff_id, {
                "status": Status.WAITING, "field_id": new_field,
                "procedure_id": row.procedure_id if new_field == row.field_id else None,
                "counter_id": None, "target_counter_id": target_counter.id if target_counter
                else None, "queue_at": row.issued_at, "called_at": None, "started_at": None,
                "recalls": 0, "transfers": row.transfers + 1}, detail)
        return self._on_current(counter, staff, ACTIVE_STATUSES, "transfer", change)

    def _transfer_target(self, to: str) -> tuple[FieldInfo | None, CounterInfo | None]:
        kind, _, code = to.partition(":") if ":" in to else ("", "", to)
        field = self.catalog.find_field(code) if kind in ("", "field") else None
        counter = None
        if kind in ("", "counter") and field is None:
            try:
                counter = self.catalog.counter(code)
            except NotFound:
                counter = None
        if field is None and counter is None:
            raise NotFound("target.unknown", code=to)
        return field[0] if field else None, counter

    def _on_current(self, counter: str, staff: str | None, allowed: Iterable[str], action: str,
                    change: Any) -> TicketView:
        info = self.catalog.counter(counter)
        with write(self.engine) as conn:
            now = self.clock.now()
            self._lock_counter(conn, info)
            row = self._current(conn, info)
            if row is None:
                raise IllegalTransition("counter.idle", counter=info.code)
            if row.status not in tuple(allowed):
                raise self._state_error(row, action)
            change(conn, row, info, now, self._staff_id(conn, staff))
            return self._view(conn, self._row(conn, row.id), now)

    def _set(self, conn: Connection, row: Row[Any], kind: EventKind, now: datetime,
             info: CounterInfo | None, staff_id: int | None, values: dict[str, Any],
             detail: dict[str, Any] | None = None) -> None:
        """Change a ticket from the state `row` was read in, or refuse: if another
        transaction changed it since, nothing is written and the caller is told its state."""
        changed = conn.execute(_Sql.update_ticket, {"ticket_id": row.id,
                                                    "from_status": row.status, **values})
        if changed.rowcount != 1:
            raise self._state_error(self._row(conn, row.id), _ACTION_OF[kind])
        self._log(conn, kind, now, ticket_id=row.id,
                  counter_id=info.id if info else None, staff_id=staff_id, detail=detail)

    # ----- returns and ratings ---------------------------------------------------------------

    def return_ticket(self, number: str, *, staff: str | None = None) -> TicketView:
        """A no-show who comes back joins the line again behind the `return_after` citizens
        now first in line for their field and class (or at the back if fewer wait)."""
        behind = self.catalog.hall.policy.return_after
        with write(self.engine) as conn:
            now = self.clock.now()
            row = self._find_number(conn, number)
            if row.status != Status.NO_SHOW:
                raise self._state_error(row, "return")
            same_class = (ticket_t.c.priority.is_(None) if row.priority is None
                          else ticket_t.c.priority.is_not(None))
            ahead = conn.execute(
                select(ticket_t.c.queue_at).where(
                    ticket_t.c.site_id == self.site_id, ticket_t.c.status == Status.WAITING,
                    ticket_t.c.field_id == row.field_id, ticket_t.c.day == row.day, same_class)
                .order_by(ticket_t.c.queue_at, ticket_t.c.id).limit(behind)).scalars().all()
            queue_at = now
            if behind and len(ahead) == behind:
                queue_at = min(now, ahead[-1] + timedelta(microseconds=1))
            elif behind == 0 and ahead:
                queue_at = ahead[0] - timedelta(microseconds=1)
            self._set(conn, row, EventKind.RETURNED, now, None, self._staff_id(conn, staff),
                      {"status": Status.WAITING, "counter_id": None, "queue_at": queue_at,
                       "recalls": 0, "called_at": None, "finished_at": None})
            return self._view(conn, self._row(conn, row.id), now)

    def rate(self, ticket: str, level: str) -> TicketView:
        """Rate a finished ticket by number (today) or status token; once per ticket."""
        code = self._rating_code(level)
        with write(self.engine) as conn:
            now = self.clock.now()
            row = self._find_ticket(conn, ticket)
            if row.status != Status.DONE:
                raise Refused("rating.not_done", number=row.number)
            self._insert_rating(conn, row, code, now, row.counter_id, row.staff_id)
            return self._view(conn, row, now)

    def _insert_rating(self, conn: Connection, row: Row[Any], level: str, now: datetime,
                       counter_id: int | None, staff_id: int | None) -> None:
        exists = conn.execute(select(rating_t.c.id).where(rating_t.c.ticket_id == row.id)).first()
        if exists:
            raise Refused("rating.duplicate", number=row.number)
        try:
            with conn.begin_nested():
                conn.execute(insert(rating_t).values(site_id=self.site_id, ticket_id=row.id,
                                                     level=level, at=now, counter_id=counter_id,
                                                     staff_id=staff_id))
        except IntegrityError:  # a concurrent rating won the unique key
            raise Refused("rating.duplicate", number=row.number) from None
        self._log(conn, EventKind.RATED, now, ticket_id=row.id, counter_id=counter_id,
                  staff_id=staff_id, detail={"level": level})

    def _rating_code(self, level: str) -> str:
        wanted = fold(nfc(level))
        levels = self.catalog.hall.rating.levels
        for item in levels:
            if wanted in (fold(item.code), fold(item.name), fold(item.name_en)):
                return item.code
        raise NotFound("rating.unknown", code=level, known=", ".join(i.code for i in levels))

    # ----- counters, fields, the day -------------------------------------------------------

    @_current_catalog
    def pause(self, counter: str, reason: str = "", *, staff: str | None = None) -> CounterView:
        info = self.catalog.counter(counter)
        reason = _short_reason(reason)
        with write(self.engine) as conn:
            now = self.clock.now()
            self._lock_idle_counter(conn, info)
            conn.execute(update(counter_t).where(counter_t.c.id == info.id)
                         .values(paused_reason=reason, paused_at=now))
            self._log(conn, EventKind.COUNTER_PAUSED, now, counter_id=info.id,
                      staff_id=self._staff_id(conn, staff), detail={"reason": reason})
            return self._counter_view(conn, info, now)

    def resume(self, counter: str, *, staff: str | None = None) -> CounterView:
        info = self.catalog.counter(counter)
        with write(self.engine) as conn:
            now = self.clock.now()
            changed = conn.execute(update(counter_t).where(
                counter_t.c.id == info.id, counter_t.c.paused_reason.is_not(None))
                .values(paused_reason=None, paused_at=None)).rowcount
            if changed != 1:
                raise IllegalTransition("counter.not_paused", counter=info.code)
            self._log(conn, EventKind.COUNTER_RESUMED, now, counter_id=info.id,
                      staff_id=self._staff_id(conn, staff))
            return self._counter_view(conn, info, now)

    def close_field(self, what: str, reason: str, *, cancel_waiting: bool = False,
                    staff: str | None = None) -> int:
        """Emergency closure: no more tickets for the field; optionally cancel those waiting.
        Returns how many waiting tickets were cancelled."""
        field, _ = self.catalog.field(what)
        reason = _short_reason(reason) or "Tạm ngưng"
        with write(self.engine) as conn:
            now = self.clock.now()
            staff_id = self._staff_id(conn, staff)
            conn.execute(update(field_t).where(field_t.c.id == field.id)
                         .values(closed_reason=reason))
            self._log(conn, EventKind.FIELD_CLOSED, now, staff_id=staff_id,
                      detail={"field": field.code, "reason": reason})
            if not cancel_waiting:
                return 0
            return self._end_tickets(conn, [ticket_t.c.field_id == field.id,
                                            ticket_t.c.status == Status.WAITING],
                                     Status.CANCELLED, EventKind.CANCELLED, now, staff_id)

    def reopen_field(self, what: str, *, staff: str | None = None) -> None:
        field, _ = self.catalog.field(what)
        with write(self.engine) as conn:
            now = self.clock.now()
            conn.execute(update(field_t).where(field_t.c.id == field.id)
                         .values(closed_reason=None))
            self._log(conn, EventKind.FIELD_REOPENED, now, staff_id=self._staff_id(conn, staff),
                      detail={"field": field.code})

    def close_day(self, *, staff: str | None = None) -> DayClosedView:
        """End of day: called tickets expire, and so do waiting ones unless carry-over is on.
        Tickets still being served are left to their counters."""
        carry = self.catalog.hall.policy.carry_over
        with write(self.engine) as conn:
            now = self.clock.now()
            # Counters before tickets, as every counter's action takes them: a counter
            # finishing its citizen meanwhile then waits instead of deadlocking with us.
            conn.execute(select(counter_t.c.id).where(counter_t.c.site_id == self.site_id)
                         .order_by(counter_t.c.id).with_for_update()).all()
            staff_id = self._staff_id(conn, staff)
            ending = [Status.CALLED] if carry else [Status.CALLED, Status.WAITING]
            expired = self._end_tickets(conn, [ticket_t.c.status.in_(ending)], Status.EXPIRED,
                                        EventKind.EXPIRED, now, staff_id)
            carried = 0
            if carry:
                carried = int(conn.execute(select(func.count()).where(
                    ticket_t.c.site_id == self.site_id,
                    ticket_t.c.status == Status.WAITING)).scalar_one())
            serving = conn.execute(select(ticket_t.c.number).where(
                ticket_t.c.site_id == self.site_id, ticket_t.c.status == Status.SERVING)
                .order_by(ticket_t.c.number)).scalars().all()
            conn.execute(update(counter_t).where(counter_t.c.site_id == self.site_id)
                         .values(normal_streak=0))
            day = local_day(now, self.catalog.tz)
            self._log(conn, EventKind.DAY_CLOSED, now, staff_id=staff_id,
                      detail={"day": day.isoformat(), "expired": expired, "carried": carried})
            return DayClosedView(day=day, expired=expired, carried_over=carried,
                                 still_serving=[str(n) for n in serving])

    def _end_tickets(self, conn: Connection, where: list[Any], status: Status, kind: EventKind,
                     now: datetime, staff_id: int | None) -> int:
        # One guarded statement: a ticket a counter calls or finishes meanwhile is no longer
        # in the states `where` names, so it is left alone rather than ended behind the counter.
        ids = conn.execute(update(ticket_t).where(ticket_t.c.site_id == self.site_id, *where)
                           .values(status=status, finished_at=now)
                           .returning(ticket_t.c.id)).scalars().all()
        if not ids:
            return 0
        conn.execute(insert(event_t), [
            {"site_id": self.site_id, "ticket_id": tid, "counter_id": None, "staff_id": staff_id,
             "kind": kind, "at": now, "detail": ""} for tid in ids])
        self._notify(conn)
        return len(ids)

    def record_print(self, ticket_id: int, *, ok: bool, detail: str = "") -> None:
        """Record a print result; a failure shows on the board and admin views."""
        with write(self.engine) as conn:
            self._log(conn, EventKind.PRINTED if ok else EventKind.PRINT_FAILED,
                      self.clock.now(), ticket_id=ticket_id,
                      detail={"error": detail} if detail else None)

    # ----- reading -------------------------------------------------------------------------

    def ticket(self, ref: str) -> TicketView:
        """A ticket by today's number (B015) or by its status token."""
        with read(self.engine) as conn:
            return self._view(conn, self._find_ticket(conn, ref), self.clock.now())

    def ticket_by_token(self, token: str) -> TicketView | None:
        with read(self.engine) as conn:
            row = conn.execute(select(ticket_t).where(ticket_t.c.site_id == self.site_id,
                                                      ticket_t.c.token == token)).first()
            return None if row is None else self._view(conn, row, self.clock.now())

    def is_rated(self, ticket_id: int) -> bool:
        with read(self.engine) as conn:
            return conn.execute(select(rating_t.c.id).where(
                rating_t.c.ticket_id == ticket_id)).first() is not None

    def catalog_view(self) -> CatalogView:
        cat = self.catalog
        with read(self.engine) as conn:
            closed = self._closed_fields(conn)
            paused = self._paused_counters(conn)
        fields = [FieldView(
            code=f.code, name=f.name, name_en=f.name_en, prefix=f.prefix, block=f.block,
            daily_cap=f.daily_cap, minutes=f.minutes, closed_reason=closed.get(f.id),
            procedures=[ProcedureView(p.code, p.name, p.name_en)
                        for p in cat.procedures.values() if p.field_id == f.id],
            counters=[c.code for c in cat.counters_for(f.id)]) for f in cat.fields.values()]
        counters = [CounterView(code=c.code, name=c.name, name_en=c.name_en,
                                fields=[cat.fields[f].code for f in c.field_ids],
                                paused_reason=paused.get(c.id)) for c in cat.counters.values()]
        named = [NamedView(p.code, p.name, p.name_en) for p in cat.hall.priorities]
        levels = [NamedView(lv.code, lv.name, lv.name_en) for lv in cat.hall.rating.levels]
        return CatalogView(site=cat.site_code, site_name=cat.hall.site.name, fields=fields,
                           counters=counters, priorities=named, rating_levels=levels)

    def board(self) -> BoardView:
        cat = self.catalog
        with read(self.engine) as conn:
            now = self.clock.now()
            counters = [self._counter_view(conn, info, now) for info in cat.counters.values()]
            calls = conn.execute(
                select(event_t.c.kind, event_t.c.at, ticket_t.c.number, counter_t.c.code)
                .join(ticket_t, ticket_t.c.id == event_t.c.ticket_id)
                .join(counter_t, counter_t.c.id == event_t.c.counter_id)
                .where(event_t.c.site_id == cat.site_id,
                       event_t.c.kind.in_([EventKind.CALLED, EventKind.RECALLED]),
                       event_t.c.at >= self._day_start(now))
                .order_by(event_t.c.id.desc()).limit(RECENT_CALLS)).all()
            recent = [CallView(number=r.number, counter=r.code, kind=r.kind, at=r.at)
                      for r in calls]
            printer = conn.execute(
                select(event_t.c.kind, event_t.c.detail).where(
                    event_t.c.site_id == cat.site_id,
                    event_t.c.kind.in_([EventKind.PRINTED, EventKind.PRINT_FAILED]),
                    event_t.c.at >= self._day_start(now))
                .order_by(event_t.c.id.desc()).limit(1)).first()
            failed = None
            if printer is not None and printer.kind == EventKind.PRINT_FAILED:
                failed = json.loads(printer.detail or "{}").get("error", "") or "?"
            return BoardView(site_name=cat.hall.site.name, counters=counters, recent_calls=recent,
                             waiting=self._field_queues(conn, now), printer_failed=failed,
                             last_event_id=self._last_event_id(conn), at=now)

    def counter_figures(self, counter: str) -> CounterFiguresView:
        """Today at this counter: citizens served, no-shows, average service time."""
        info = self.catalog.counter(counter)
        with read(self.engine) as conn:
            rows = conn.execute(select(ticket_t.c.status, ticket_t.c.started_at,
                                       ticket_t.c.finished_at).where(
                ticket_t.c.site_id == self.site_id, ticket_t.c.day == self.today(),
                ticket_t.c.counter_id == info.id,
                ticket_t.c.status.in_([Status.DONE, Status.NO_SHOW]))).all()
        minutes = [(r.finished_at - r.started_at).total_seconds() / 60 for r in rows
                   if r.status == Status.DONE and r.started_at and r.finished_at]
        return CounterFiguresView(
            counter=info.code, served=sum(r.status == Status.DONE for r in rows),
            no_shows=sum(r.status == Status.NO_SHOW for r in rows),
            average_service_minutes=round(sum(minutes) / len(minutes), 1) if minutes else None)

    def field_queues(self) -> list[FieldQueueView]:
        with read(self.engine) as conn:
            return self._field_queues(conn, self.clock.now())

    def _field_queues(self, conn: Connection, now: datetime) -> list[FieldQueueView]:
        cat = self.catalog
        day = local_day(now, cat.tz)
        is_priority = ticket_t.c.priority.is_not(None)
        waiting: dict[tuple[int, bool], int] = {
            (field_id, bool(priority)): count for field_id, priority, count in conn.execute(
                select(ticket_t.c.field_id, is_priority, func.count()).where(
                    ticket_t.c.site_id == cat.site_id, ticket_t.c.status == Status.WAITING,
                    ticket_t.c.day == day).group_by(ticket_t.c.field_id, is_priority))}
        issued: dict[str, int] = dict(conn.execute(
            select(series_t.c.series, series_t.c.last).where(
                series_t.c.site_id == cat.site_id, series_t.c.day == day)).all())
        closed = self._closed_fields(conn)
        open_counters = self._open_counters(conn)
        out = []
        for f in cat.fields.values():
            normal, priority = waiting.get((f.id, False), 0), waiting.get((f.id, True), 0)
            count = normal + priority
            counters = [c for c in cat.counters_for(f.id) if c.id in open_counters]
            state = "open"
            if closed.get(f.id) is not None:
                state = "closed"
            elif f.daily_cap is not None and issued.get(f.series, 0) >= f.daily_cap:
                state = "capped"
            elif not counters:
                state = "no_counter"
            # What a normal ticket taken now would print.
            ahead = routing.calls_before(False, normal, priority, max(
                (open_counters[c.id] for c in counters), default=0), cat.rules)
            eta = estimates.wait_minutes(ahead, self._service_minutes(conn, f, day), len(counters))
            out.append(FieldQueueView(field=f.code, name=f.name, name_en=f.name_en, waiting=count,
                                      eta_minutes=eta, state=state, reason=closed.get(f.id)))
        return out

    def last_event_id(self) -> int:
        with read(self.engine) as conn:
            return self._last_event_id(conn)

    def _last_event_id(self, conn: Connection) -> int:
        return int(conn.execute(select(func.coalesce(func.max(event_t.c.id), 0))
                                .where(event_t.c.site_id == self.site_id)).scalar_one())

    def waiting(self, counter: str) -> list[TicketView]:
        """The tickets a counter could call, in the order its routing would take them."""
        info = self.catalog.counter(counter)
        with read(self.engine) as conn:
            now = self.clock.now()
            streak = int(conn.execute(select(counter_t.c.normal_streak)
                                      .where(counter_t.c.id == info.id)).scalar_one())
            ordered = routing.call_order(self.catalog.route(info, streak),
                                         self._candidates(conn, info, now), now,
                                         self.catalog.rules)
            rows = {r.id: r for r in conn.execute(select(ticket_t).where(
                ticket_t.c.id.in_([c.ticket_id for c in ordered])))}
            return [self._view(conn, rows[c.ticket_id], now, estimate=False) for c in ordered]

    # ----- helpers ---------------------------------------------------------------------------

    def _day_start(self, now: datetime) -> datetime:
        local = now.astimezone(self.catalog.tz)
        return local.replace(hour=0, minute=0, second=0, microsecond=0)

    def _row(self, conn: Connection, ticket_id: int) -> Row[Any]:
        return conn.execute(_Sql.ticket_by_id, {"id": ticket_id}).one()

    def _current(self, conn: Connection, info: CounterInfo) -> Row[Any] | None:
        return conn.execute(_Sql.current, {"counter_id": info.id}).first()

    def _find_number(self, conn: Connection, number: str) -> Row[Any]:
        normalised = normalise_number(nfc(number))
        if normalised is None:
            raise NotFound("ticket.bad_number", number=number.strip())
        day = self.today()
        row = conn.execute(select(ticket_t).where(
            ticket_t.c.site_id == self.site_id, ticket_t.c.day == day,
            ticket_t.c.number == normalised)).first()
        if row is None:
            raise NotFound("ticket.unknown", number=normalised, day=day.isoformat())
        return row

    def _find_ticket(self, conn: Connection, ref: str) -> Row[Any]:
        ref = ref.strip()
        if normalise_number(ref) is None and len(ref) >= 16:
            row = conn.execute(select(ticket_t).where(ticket_t.c.site_id == self.site_id,
                                                      ticket_t.c.token == ref)).first()
            if row is None:
                raise NotFound("ticket.unknown", number=ref[:8] + "…", day=self.today())
            return row
        return self._find_number(conn, ref)

    def _state_error(self, row: Row[Any], action: str) -> IllegalTransition:
        counter = self.catalog.counters.get(row.counter_id) if row.counter_id else None
        if action in ("call", "return") and counter is not None and row.status in ACTIVE_STATUSES:
            # Most often the loser of two counters calling one number at once.
            return IllegalTransition("ticket.taken", number=row.number, counter=counter.code,
                                     status=row.status, action=action)
        return IllegalTransition("ticket.state", number=row.number, status=row.status,
                                 action=action)

    def _staff_id(self, conn: Connection, code: str | None) -> int | None:
        if not code:
            return None
        staff_id = conn.execute(select(staff_t.c.id).where(
            staff_t.c.site_id == self.site_id, staff_t.c.code == nfc(code).strip())).scalar()
        if staff_id is None:
            raise NotFound("staff.unknown", code=code)
        return int(staff_id)

    def _log(self, conn: Connection, kind: EventKind, now: datetime, *,
             ticket_id: int | None = None, counter_id: int | None = None,
             staff_id: int | None = None, detail: dict[str, Any] | None = None) -> None:
        _Sql.insert_event.run(conn, {
            "site_id": self.site_id, "ticket_id": ticket_id, "counter_id": counter_id,
            "staff_id": staff_id, "kind": kind, "at": now,
            "detail": json.dumps(detail, ensure_ascii=False) if detail else ""})
        self._notify(conn)

    def _notify(self, conn: Connection) -> None:
        # Delivered at commit, so followers never see a change that was rolled back.
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_notify(:channel, :payload)"),
                         {"channel": NOTIFY_CHANNEL, "payload": str(self.site_id)})

    def _closed_fields(self, conn: Connection) -> dict[int, str | None]:
        return dict(conn.execute(select(field_t.c.id, field_t.c.closed_reason).where(
            field_t.c.site_id == self.site_id)).all())

    def _paused_counters(self, conn: Connection) -> dict[int, str | None]:
        return dict(conn.execute(select(counter_t.c.id, counter_t.c.paused_reason).where(
            counter_t.c.site_id == self.site_id)).all())

    def _open_counters(self, conn: Connection) -> dict[int, int]:
        """The open counters' normal streaks, by counter id."""
        return {counter_id: streak for counter_id, streak in conn.execute(
            _Sql.open_counters, {"site_id": self.site_id})}

    def _service_minutes(self, conn: Connection, field: FieldInfo, day: date) -> float:
        return _minutes_each(self._recent_services(conn, field, day), field)

    def _recent_services(self, conn: Connection, field: FieldInfo, day: date) -> list[Any]:
        return list(conn.execute(_RECENT_SERVICES, {
            "site_id": self.site_id, "field_id": field.id, "day": day}).all())

    def _queue_of(self, conn: Connection, row: Row[Any], field: FieldInfo) -> _Queue:
        priority = row.priority is not None
        counts = conn.execute(_Sql.queue_of[priority], {
            "site_id": self.site_id, "field_id": row.field_id, "day": row.day,
            "queue_at": row.queue_at, "id": row.id}).one()
        return self._queue(priority, counts, self._recent_services(conn, field, row.day), field)

    def _queue(self, priority: bool, counts: Row[Any], services: Iterable[Any],
               field: FieldInfo) -> _Queue:
        ahead = routing.calls_before(priority, int(counts.earlier), int(counts.other),
                                     int(counts.streak or 0), self.catalog.rules)
        return _Queue(ahead, int(counts.serving), _minutes_each(services, field))

    def _view(self, conn: Connection, row: Row[Any], now: datetime, estimate: bool = True,
              queue: _Queue | None = None) -> TicketView:
        """`queue`: the waiting ticket's queue, when already known."""
        cat = self.catalog
        field = cat.fields.get(row.field_id)
        procedure = cat.procedures.get(row.procedure_id) if row.procedure_id else None
        counter = cat.counters.get(row.counter_id) if row.counter_id else None
        ahead = eta = None
        if estimate and row.status == Status.WAITING and field is not None:
            if queue is None:
                queue = self._queue_of(conn, row, field)
            ahead = queue.ahead
            eta = estimates.wait_minutes(ahead, queue.minutes_each, queue.serving)
        target = cat.counters.get(row.target_counter_id) if row.target_counter_id else None
        counters = [target.code] if target else (
            [c.code for c in cat.counters_for(field.id)] if field else [])
        return TicketView(
            id=row.id, number=row.number, day=row.day, field=field.code if field else "?",
            field_name=field.name if field else "?", field_name_en=field.name_en if field else "?",
            procedure=procedure.code if procedure else None,
            procedure_name=procedure.name if procedure else None, priority=row.priority,
            status=row.status, counter=counter.code if counter else None, counters=counters,
            issued_at=row.issued_at, called_at=row.called_at, started_at=row.started_at,
            finished_at=row.finished_at, recalls=row.recalls, transfers=row.transfers,
            ahead=ahead, eta_minutes=eta, token=row.token)

    def _counter_view(self, conn: Connection, info: CounterInfo, now: datetime) -> CounterView:
        paused = conn.execute(select(counter_t.c.paused_reason)
                              .where(counter_t.c.id == info.id)).scalar()
        current = self._current(conn, info)
        return CounterView(code=info.code, name=info.name, name_en=info.name_en,
                           fields=[self.catalog.fields[f].code for f in info.field_ids],
                           paused_reason=paused,
                           current=None if current is None else self._view(conn, current, now))

