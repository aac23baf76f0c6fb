"""Provides the read side of the queue: tickets and their estimates, counters, the board,
the field queues, and the catalogue as a view. Every call reads in one transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, func, select

from queue_kiosk.domain import estimates, routing
from queue_kiosk.domain.clock import Clock, SystemClock, local_day
from queue_kiosk.domain.errors import NotFound, Refused
from queue_kiosk.domain.models import EventKind, Status
from queue_kiosk.domain.numbering import normalise_number
from queue_kiosk.domain.text import nfc
from queue_kiosk.domain.views import (
    BoardView,
    CallView,
    CatalogView,
    CounterFiguresView,
    CounterView,
    FieldQueueView,
    FieldView,
    NamedView,
    ProcedureView,
    TicketView,
)
from queue_kiosk.service.catalog import Catalog, CounterInfo, FieldInfo
from queue_kiosk.service.opening import outside_windows, windows
from queue_kiosk.store.events import ChangeFeed
from queue_kiosk.store.statements import RECENT_SERVICES, RECENT_SERVICES_BY_FIELD, Sql
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import counter_t, event_t, field_t, rating_t, series_t, ticket_t


@dataclass(frozen=True, slots=True)
class Queue:
    """What a waiting ticket's estimate is made of."""
    ahead: int
    serving: int
    """Open counters serving its field."""
    minutes_each: float


def _minutes_each(services: Iterable[Any], field: FieldInfo) -> float:
    observed = [(r.finished_at - r.started_at).total_seconds() / 60 for r in services
                if r.started_at and r.finished_at]
    return estimates.service_minutes(observed, field.minutes)


class QueueReader:
    """What one site's queue looks like now. Thread-safe: every call opens its own
    transaction."""

    def __init__(self, store: Store, *, site: str | None = None,
                 clock: Clock | None = None) -> None:
        self.store = store
        self.clock: Clock = clock or SystemClock()
        self._site = site
        self.catalog = self._load_catalog()

    def _load_catalog(self) -> Catalog:
        with self.store.read() as conn:
            return Catalog(conn, self._site)

    def refresh(self) -> None:
        """Re-read the catalogue after `init --config` loaded a new one."""
        self.catalog = self._load_catalog()

    def write(self) -> AbstractContextManager[Connection]:
        """A write transaction for this site's rows: every change of its queue, hall,
        calendar and staff opens one here. Refused at the province for a site that ships
        from its commune (local first): its rows here are the commune's copy, changed by the
        ingest only (and by the province's booking pages, which own a booking's making and
        write on their own). `shipped` is read with the catalogue, so the check costs one
        attribute on the hot path; a catalogue reload refreshes it."""
        if self.catalog.shipped:
            raise Refused("site.shipped", site=self.catalog.site_code)
        return self.store.write()

    @property
    def site_id(self) -> int:
        return self.catalog.site_id

    def today(self) -> date:
        return local_day(self.clock.now(), self.catalog.tz)

    def feed(self) -> ChangeFeed:
        """A change feed of this site, for one following thread."""
        return ChangeFeed(self.store, self.site_id)

    # ----- tickets -------------------------------------------------------------------------

    def ticket(self, ref: str) -> TicketView:
        """A ticket by today's number (B015) or by its status token."""
        with self.store.read() as conn:
            return self._view(conn, self._find_ticket(conn, ref), self.clock.now())

    def ticket_by_token(self, token: str) -> TicketView | None:
        with self.store.read() as conn:
            row = conn.execute(select(ticket_t).where(ticket_t.c.site_id == self.site_id,
                                                      ticket_t.c.token == token)).first()
            return None if row is None else self._view(conn, row, self.clock.now())

    def is_rated(self, ticket_id: int) -> bool:
        with self.store.read() as conn:
            return conn.execute(select(rating_t.c.id).where(
                rating_t.c.ticket_id == ticket_id)).first() is not None

    def waiting(self, counter: str) -> list[TicketView]:
        """The tickets a counter could call, in the order its routing would take them."""
        info = self.catalog.counter(counter)
        with self.store.read() as conn:
            now = self.clock.now()
            streaks = conn.execute(select(counter_t.c.normal_streak,
                                          counter_t.c.appointment_streak)
                                   .where(counter_t.c.id == info.id)).one()
            ordered = routing.call_order(self.catalog.route(info, *streaks),
                                         self._candidates(conn, info, now), now,
                                         self.catalog.rules)
            rows = {r.id: r for r in conn.execute(select(ticket_t).where(
                ticket_t.c.id.in_([c.ticket_id for c in ordered])))}
            return [self._view(conn, rows[c.ticket_id], now, estimate=False) for c in ordered]

    # ----- counters ------------------------------------------------------------------------

    def counter(self, counter: str) -> CounterView:
        """One counter: its pause reason and its current ticket, in one read."""
        info = self.catalog.counter(counter)
        with self.store.read() as conn:
            return self._counter_view(conn, info, self.clock.now())

    def current(self, counter: str) -> TicketView | None:
        info = self.catalog.counter(counter)
        with self.store.read() as conn:
            row = self._current(conn, info)
            return None if row is None else self._view(conn, row, self.clock.now())

    def counter_figures(self, counter: str) -> CounterFiguresView:
        """Today at this counter: citizens served, no-shows, average service time."""
        info = self.catalog.counter(counter)
        with self.store.read() as conn:
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

    # ----- the hall ------------------------------------------------------------------------

    def catalog_view(self) -> CatalogView:
        cat = self.catalog
        with self.store.read() as conn:
            closed = self._closed_fields(conn)
            paused = self._paused_counters(conn)
            outside = outside_windows(conn, cat, self, self.clock.now())
        fields = [FieldView(
            code=f.code, name=f.name, name_en=f.name_en, prefix=f.prefix, block=f.block,
            daily_cap=f.daily_cap, minutes=f.minutes, closed_reason=closed.get(f.id),
            procedures=[ProcedureView(p.code, p.name, p.name_en)
                        for p in cat.procedures.values() if p.field_id == f.id],
            counters=[c.code for c in cat.counters_for(f.id)]) for f in cat.fields.values()]
        counters = [CounterView(code=c.code, name=c.name, name_en=c.name_en,
                                fields=[cat.fields[f].code for f in c.field_ids],
                                paused_reason=paused.get(c.id), short_name=c.short_name,
                                short_name_en=c.short_name_en, outside_hours=c.id in outside)
                    for c in cat.counters.values()]
        named = [NamedView(p.code, p.name, p.name_en) for p in cat.hall.priorities]
        levels = [NamedView(lv.code, lv.name, lv.name_en) for lv in cat.hall.rating.levels]
        return CatalogView(site=cat.site_code, site_name=cat.hall.site.name, fields=fields,
                           counters=counters, priorities=named, rating_levels=levels)

    def board(self) -> BoardView:
        cat = self.catalog
        with self.store.read() as conn:
            now = self.clock.now()
            counters = self._counter_views(conn, list(cat.counters.values()), now)
            calls = conn.execute(
                select(event_t.c.kind, event_t.c.at, ticket_t.c.number, counter_t.c.code,
                       ticket_t.c.appointment)
                .join(ticket_t, ticket_t.c.id == event_t.c.ticket_id)
                .join(counter_t, counter_t.c.id == event_t.c.counter_id)
                .where(event_t.c.site_id == cat.site_id,
                       event_t.c.kind.in_([EventKind.CALLED, EventKind.RECALLED]),
                       event_t.c.at >= self._day_start(now))
                .order_by(event_t.c.id.desc()).limit(cat.hall.display.recent_calls)).all()
            recent = [CallView(number=r.number, counter=r.code, kind=r.kind, at=r.at,
                               booked=r.appointment is not None)
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

    def voice_problem(self) -> str | None:
        """Why the hall cannot hear the voice calls today, as the display last recorded it;
        None while they are heard (or nothing was recorded)."""
        with self.store.read() as conn:
            voice = conn.execute(
                select(event_t.c.kind, event_t.c.detail).where(
                    event_t.c.site_id == self.catalog.site_id,
                    event_t.c.kind.in_([EventKind.VOICE_FAILED, EventKind.VOICE_RESTORED]),
                    event_t.c.at >= self._day_start(self.clock.now()))
                .order_by(event_t.c.id.desc()).limit(1)).first()
        if voice is None or voice.kind != EventKind.VOICE_FAILED:
            return None
        return str(json.loads(voice.detail or "{}").get("error", "")) or "?"

    def field_queues(self) -> list[FieldQueueView]:
        with self.store.read() as conn:
            return self._field_queues(conn, self.clock.now())

    def last_event_id(self) -> int:
        with self.store.read() as conn:
            return self._last_event_id(conn)

    # ----- inside a transaction --------------------------------------------------------------

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
        to_come = self._bookings_to_come(conn, now)
        services: dict[int, list[Any]] = {}
        for row in conn.execute(RECENT_SERVICES_BY_FIELD, {"site_id": cat.site_id, "day": day}):
            services.setdefault(row.field_id, []).append(row)
        found = windows(conn, cat, self, now)
        outside = found.closed if found else frozenset()
        out = []
        for f in cat.fields.values():
            normal, priority = waiting.get((f.id, False), 0), waiting.get((f.id, True), 0)
            count = normal + priority
            serving = cat.counters_for(f.id)
            counters = [c for c in serving if c.id in open_counters and c.id not in outside]
            state, opens = "open", None
            if closed.get(f.id) is not None:
                state = "closed"
            elif f.daily_cap is not None and issued.get(f.series, 0) >= f.daily_cap:
                state = "capped"
            elif not counters:
                state = "no_counter"
                if found and serving and all(c.id in outside for c in serving):
                    opens = found.opens(c.id for c in serving)
            # What a normal ticket taken now would print.
            ahead = routing.calls_before(False, normal, priority, max(
                (open_counters[c.id] for c in counters), default=0), cat.rules)
            queue = self._plus_booked(Queue(ahead, len(counters),
                                            _minutes_each(services.get(f.id, []), f)),
                                      to_come.get(f.id, []), now)
            eta = estimates.wait_minutes(queue.ahead, queue.minutes_each, queue.serving)
            out.append(FieldQueueView(field=f.code, name=f.name, name_en=f.name_en, waiting=count,
                                      eta_minutes=eta, state=state, reason=closed.get(f.id),
                                      opens=opens))
        return out

    def _last_event_id(self, conn: Connection) -> int:
        return int(conn.execute(select(func.coalesce(func.max(event_t.c.id), 0))
                                .where(event_t.c.site_id == self.site_id)).scalar_one())

    def _candidates(self, conn: Connection, info: CounterInfo, now: datetime, *,
                    heads_only: bool = False) -> list[routing.Candidate]:
        """The tickets `info` may call; with `heads_only`, the first of each line."""
        params: dict[str, Any] = {"site_id": self.site_id, "counter_id": info.id,
                                  "day": local_day(now, self.catalog.tz)}
        any_day = self.catalog.hall.policy.carry_over
        if heads_only:
            stmt = Sql.line_heads(len(info.field_ids), any_day, postgres=self.store.postgres)
            if self.store.postgres:
                params["field_ids"] = list(info.field_ids)
            else:
                params.update({f"field_{n}": f for n, f in enumerate(info.field_ids)})
        else:
            stmt = Sql.candidates_any_day if any_day else Sql.candidates_today
            params["field_ids"] = list(info.field_ids)
        rows = conn.execute(stmt, params).all()
        return [routing.Candidate(r.id, r.field_id, r.priority is not None, r.queue_at,
                                  r.target_counter_id, r.appointment is not None) for r in rows]

    def _day_start(self, now: datetime) -> datetime:
        local = now.astimezone(self.catalog.tz)
        return local.replace(hour=0, minute=0, second=0, microsecond=0)

    def _row(self, conn: Connection, ticket_id: int) -> Row[Any]:
        return conn.execute(Sql.ticket_by_id, {"id": ticket_id}).one()

    def _current(self, conn: Connection, info: CounterInfo) -> Row[Any] | None:
        return conn.execute(Sql.current, {"counter_id": info.id}).first()

    def _find_number(self, conn: Connection, number: str) -> Row[Any]:
        normalised = normalise_number(nfc(number))
        if normalised is None:
            raise NotFound("ticket.bad_number", number=number.strip())
        day = self.today()
        row = conn.execute(select(ticket_t).where(
            ticket_t.c.site_id == self.site_id, ticket_t.c.day == day,
            ticket_t.c.number == normalised)).first()
        if row is None:
            raise NotFound("ticket.unknown", number=normalised, day=day)
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

    def _closed_fields(self, conn: Connection) -> dict[int, str | None]:
        return dict(conn.execute(select(field_t.c.id, field_t.c.closed_reason).where(
            field_t.c.site_id == self.site_id)).all())

    def _paused_counters(self, conn: Connection) -> dict[int, str | None]:
        return dict(conn.execute(select(counter_t.c.id, counter_t.c.paused_reason).where(
            counter_t.c.site_id == self.site_id)).all())

    def _open_counters(self, conn: Connection) -> dict[int, int]:
        """The open counters' normal streaks, by counter id."""
        return {counter_id: streak for counter_id, streak in conn.execute(
            Sql.open_counters, {"site_id": self.site_id})}

    def _recent_services(self, conn: Connection, field: FieldInfo, day: date) -> list[Any]:
        return list(conn.execute(RECENT_SERVICES, {
            "site_id": self.site_id, "field_id": field.id, "day": day}).all())

    def _queue_of(self, conn: Connection, row: Row[Any], field: FieldInfo) -> Queue:
        priority = row.priority is not None
        counts = conn.execute(Sql.queue_of[priority], {
            "site_id": self.site_id, "field_id": row.field_id, "day": row.day,
            "queue_at": row.queue_at, "id": row.id}).one()
        return self._queue(conn, priority, counts,
                           self._recent_services(conn, field, row.day), field,
                           booked=row.appointment is not None)

    def _queue(self, conn: Connection, priority: bool, counts: Row[Any],
               services: Iterable[Any], field: FieldInfo, *, booked: bool = False) -> Queue:
        now = self.clock.now()
        serving, streak = int(counts.serving), int(counts.streak or 0)
        outside = outside_windows(conn, self.catalog, self, now)
        if any(c.id in outside for c in self.catalog.counters_for(field.id)):
            # The statement counts every open counter of the field: not those outside their
            # window now (read again only then; a hall without windows pays nothing).
            open_counters = self._open_counters(conn)
            streaks = [open_counters[c.id] for c in self.catalog.counters_for(field.id)
                       if c.id in open_counters and c.id not in outside]
            serving, streak = len(streaks), max(streaks, default=0)
        ahead = routing.calls_before(priority, int(counts.earlier), int(counts.other), streak,
                                     self.catalog.rules)
        queue = Queue(ahead, serving, _minutes_each(services, field))
        if priority or booked:
            return queue
        return self._plus_booked(queue, self._bookings_to_come(conn, now).get(field.id, []),
                                 now)

    def _bookings_to_come(self, conn: Connection, now: datetime) -> dict[int, list[datetime]]:
        """Field id → slot starts of today's bookings not yet checked in (none where the
        hall takes no bookings). The checked-in are in the line already."""
        if not self.catalog.hall.appointments.enabled:
            return {}
        starts: dict[int, list[datetime]] = {}
        for row in self.store.run(conn, Sql.bookings_to_come, {
                "site_id": self.site_id, "day": local_day(now, self.catalog.tz)}):
            starts.setdefault(row.field_id, []).append(row.slot_start)
        return starts

    def _plus_booked(self, queue: Queue, starts: list[datetime], now: datetime) -> Queue:
        """A walk-in's estimate with the booked citizens who will come before its turn:
        their slots start before it would be called, and they go first, at most
        `appointments.every` for each walk-in call."""
        eta = estimates.wait_minutes(queue.ahead, queue.minutes_each, queue.serving)
        if eta is None or not starts:
            return queue
        due = sum(start <= now + timedelta(minutes=eta) for start in starts)
        every = self.catalog.rules.appointment_every
        return replace(queue, ahead=queue.ahead + min(due, every * (queue.ahead + 1)))

    def _view(self, conn: Connection, row: Row[Any], now: datetime, estimate: bool = True,
              queue: Queue | None = None) -> TicketView:
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
            ahead=ahead, eta_minutes=eta, token=row.token, appointment=row.appointment,
            identity=bool(row.identity))

    def _counter_view(self, conn: Connection, info: CounterInfo, now: datetime) -> CounterView:
        return self._counter_views(conn, [info], now)[0]

    def _counter_views(self, conn: Connection, infos: list[CounterInfo], now: datetime
                       ) -> list[CounterView]:
        """Counters with their pause reasons and current tickets, in two reads for them all
        (the TV's board follows every call: a read per counter kept the next call waiting)."""
        ids = [info.id for info in infos]
        paused: dict[int, str | None] = dict(conn.execute(
            select(counter_t.c.id, counter_t.c.paused_reason).where(counter_t.c.id.in_(ids)))
            .all())
        current = {row.counter_id: row for row in conn.execute(Sql.currents, {"ids": ids})}
        outside = outside_windows(conn, self.catalog, self, now)
        return [CounterView(code=info.code, name=info.name, name_en=info.name_en,
                            fields=[self.catalog.fields[f].code for f in info.field_ids],
                            paused_reason=paused.get(info.id),
                            current=None if info.id not in current
                            else self._view(conn, current[info.id], now),
                            short_name=info.short_name, short_name_en=info.short_name_en,
                            outside_hours=info.id in outside)
                for info in infos]
