"""Provides what every change of the queue shares (the event log, guarded ticket updates,
counter locks, the catalogue check) and the changes of the hall itself: counters paused and
resumed, fields closed and reopened, the day closed, prints recorded."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import Connection, Row, func, insert, select, update

from queue_kiosk.domain import routing, transitions
from queue_kiosk.domain.clock import local_day
from queue_kiosk.domain.errors import (
    ConnectionLost,
    IllegalTransition,
    NotFound,
    Refused,
    StaleCatalog,
)
from queue_kiosk.domain.models import EventKind, Status
from queue_kiosk.domain.text import nfc
from queue_kiosk.domain.views import CounterView, DayClosedView
from queue_kiosk.service.catalog import CounterInfo
from queue_kiosk.service.reading import QueueReader
from queue_kiosk.store.direct import DirectStatement
from queue_kiosk.store.statements import Sql
from queue_kiosk.store.tables import counter_t, event_t, field_t, staff_t, ticket_t

REASON_LIMIT = 200
"""The reason columns' length: checked here, since SQLite would store a longer one and
PostgreSQL refuse it."""

P = ParamSpec("P")
R = TypeVar("R")
W = TypeVar("W", bound="QueueWriter")


def again_if_undone(
        operation: Callable[Concatenate[W, P], R]) -> Callable[Concatenate[W, P], R]:
    """Runs an operation again, once, where its transaction was rolled back with nothing done:
    with the catalogue reloaded if another process loaded a new hall configuration, or on a
    fresh connection if the server dropped this one (a restart): a server restart costs no
    official or citizen a failed action."""
    @functools.wraps(operation)
    def run(self: W, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return operation(self, *args, **kwargs)
        except StaleCatalog:
            self.refresh()
        except ConnectionLost:
            pass  # the pool has dropped the dead connection: the next one is fresh
        return operation(self, *args, **kwargs)
    return run


def _streaks(route: routing.CounterRoute | None) -> dict[str, int | None]:
    """A counter's streaks as the statements that store them name them."""
    return {"streak": route.normal_streak if route else None,
            "appointment_streak": route.appointment_streak if route else None}


def short_reason(reason: str) -> str:
    reason = nfc(reason).strip()
    if len(reason) > REASON_LIMIT:
        raise Refused("reason.too_long", limit=REASON_LIMIT)
    return reason


class QueueWriter(QueueReader):
    """The changes of one site's hall, and the plumbing of every change. One transaction
    each."""

    # ----- counters, fields, the day -------------------------------------------------------

    @again_if_undone
    def pause(self, counter: str, reason: str = "", *, staff: str | None = None) -> CounterView:
        info = self.catalog.counter(counter)
        reason = short_reason(reason)
        with self.write() as conn:
            now = self.clock.now()
            self._lock_idle_counter(conn, info)
            conn.execute(update(counter_t).where(counter_t.c.id == info.id)
                         .values(paused_reason=reason, paused_at=now))
            self._log(conn, EventKind.COUNTER_PAUSED, now, counter_id=info.id,
                      staff_id=self._staff_id(conn, staff), detail={"reason": reason})
            return self._counter_view(conn, info, now)

    def check_idle(self, counter: str) -> None:
        """Refuses as `pause` would while a ticket is called or served at `counter`: the
        counter asks this before the pause's reason."""
        info = self.catalog.counter(counter)
        with self.store.read() as conn:
            self._check_idle(conn, info)

    def resume(self, counter: str, *, staff: str | None = None) -> CounterView:
        info = self.catalog.counter(counter)
        with self.write() as conn:
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
        reason = short_reason(reason) or "Tạm ngừng tiếp nhận"
        with self.write() as conn:
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
        with self.write() as conn:
            now = self.clock.now()
            conn.execute(update(field_t).where(field_t.c.id == field.id)
                         .values(closed_reason=None))
            self._log(conn, EventKind.FIELD_REOPENED, now, staff_id=self._staff_id(conn, staff),
                      detail={"field": field.code})

    def close_day(self, *, staff: str | None = None) -> DayClosedView:
        """End of day: called tickets expire, and so do waiting ones unless carry-over is on.
        Tickets still being served are left to their counters."""
        carry = self.catalog.hall.policy.carry_over
        with self.write() as conn:
            now = self.clock.now()
            # Counters before tickets, as a call takes them: a counter calling meanwhile then
            # waits instead of deadlocking with us (the other actions lock their ticket only).
            conn.execute(select(counter_t.c.id).where(counter_t.c.site_id == self.site_id)
                         .order_by(counter_t.c.id).with_for_update(key_share=True)).all()
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
                         .values(normal_streak=0, appointment_streak=0))
            day = local_day(now, self.catalog.tz)
            self._log(conn, EventKind.DAY_CLOSED, now, staff_id=staff_id,
                      detail={"day": day.isoformat(), "expired": expired, "carried": carried})
            return DayClosedView(day=day, expired=expired, carried_over=carried,
                                 still_serving=[str(n) for n in serving])

    def record_print(self, ticket_id: int, *, ok: bool, detail: str = "") -> None:
        """Record a print result; a failure shows on the board and admin views."""
        with self.write() as conn:
            self._log(conn, EventKind.PRINTED if ok else EventKind.PRINT_FAILED,
                      self.clock.now(), ticket_id=ticket_id,
                      detail={"error": detail} if detail else None)

    def record_voice(self, problem: str | None) -> None:
        """Record that the hall's voice calls stopped being heard (`problem`), or are heard
        again (None): the counters tell their officials."""
        with self.write() as conn:
            self._log(conn, EventKind.VOICE_RESTORED if problem is None
                      else EventKind.VOICE_FAILED, self.clock.now(),
                      detail={"error": problem} if problem else None)

    # ----- inside a write transaction ------------------------------------------------------

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
        self.store.notify(conn, self.site_id)
        return len(ids)

    def _lock_counter(self, conn: Connection, info: CounterInfo, *,
                      to_call: bool = False) -> tuple[str | None, tuple[int, int]]:
        """Locks the counter against its other sessions (and, `to_call` the next ticket, the
        site's call lock: see `Sql.lock_counter_to_call`); returns its pause reason and its
        streaks (normal, appointment)."""
        statement = Sql.lock_counter_to_call if to_call and self.store.postgres \
            else Sql.lock_counter
        row = conn.execute(statement, {"counter_id": info.id, "site_id": self.site_id}).one()
        self._check_catalog(row.catalog_version)
        return row.paused_reason, (int(row.normal_streak), int(row.appointment_streak))

    def _check_catalog(self, version: int) -> None:
        if version != self.catalog.version:
            raise StaleCatalog("store.catalog_changed")

    def _lock_open_counter(self, conn: Connection, info: CounterInfo, *,
                           to_call: bool = False) -> tuple[int, int]:
        """Locks the counter, refused if paused; returns its streaks."""
        paused_reason, streak = self._lock_counter(conn, info, to_call=to_call)
        if paused_reason is not None:
            raise IllegalTransition("counter.paused", counter=info.code, reason=paused_reason)
        return streak

    def _check_idle(self, conn: Connection, info: CounterInfo) -> None:
        current = self._current(conn, info)
        if current is not None:
            raise IllegalTransition("counter.busy", counter=info.code, number=current.number,
                                    status=current.status)

    def _lock_idle_counter(self, conn: Connection, info: CounterInfo) -> None:
        self._lock_open_counter(conn, info)
        self._check_idle(conn, info)

    def _set(self, conn: Connection, row: Row[Any], kind: EventKind, now: datetime,
             info: CounterInfo | None, staff_id: int | None, values: dict[str, Any],
             detail: dict[str, Any] | None = None) -> Row[Any]:
        """Change a ticket from the state `row` was read in, or refuse: if another
        transaction changed it since, nothing is written and the caller is told its state.
        Returns the ticket as changed (no second read)."""
        changed: Row[Any] | None = self._changed(conn, Sql.update_ticket(tuple(values)), {
            "ticket_id": row.id, "from_status": row.status, **values}, kind, now,
            counter_id=info.id if info else None, staff_id=staff_id, detail=detail)
        if changed is None:
            raise self._state_error(self._row(conn, row.id), transitions.ACTION_OF[kind])
        return changed

    def _changed(self, conn: Connection, change: DirectStatement, params: dict[str, Any],
                 kind: EventKind, now: datetime, *, counter_id: int | None,
                 staff_id: int | None, detail: dict[str, Any] | None = None,
                 streak: routing.CounterRoute | None = None) -> Any:
        """A ticket's change (a statement returning the ticket) and its event, and with
        `streak` the counter's new streaks: on PostgreSQL one round trip with the
        notification, elsewhere a statement each. Returns the ticket as changed, or None,
        nothing written, where the change found nothing to change."""
        event = {"site_id": self.site_id, "counter_id": counter_id, "staff_id": staff_id,
                 "kind": kind, "at": now,
                 "detail": json.dumps(detail, ensure_ascii=False) if detail else ""}
        if self.store.postgres:
            return conn.execute(Sql.logged(change, streak=streak is not None), {
                **params, **{f"event_{name}": value for name, value in event.items()},
                "channel": self.store.channel(conn, self.site_id), **_streaks(streak)}).first()
        rows = self.store.run(conn, change, params)
        if not rows:
            return None
        self.store.run(conn, Sql.insert_event, {**event, "ticket_id": rows[0].id})
        if streak is not None:
            conn.execute(Sql.set_streak, {"counter_id": counter_id, **_streaks(streak)})
        return rows[0]

    def _state_error(self, row: Row[Any], action: transitions.Action) -> IllegalTransition:
        counter = self.catalog.counters.get(row.counter_id) if row.counter_id else None
        if counter is not None and transitions.taken_elsewhere(action, row.status):
            return IllegalTransition("ticket.taken", number=row.number, counter=counter.code,
                                     status=row.status, action=action)
        return IllegalTransition("ticket.state", number=row.number, status=row.status,
                                 action=action)

    def _staff_id(self, conn: Connection, code: str | None) -> int | None:
        if not code:
            return None
        staff = conn.execute(select(staff_t.c.id, staff_t.c.role).where(
            staff_t.c.site_id == self.site_id, staff_t.c.code == nfc(code).strip())).first()
        if staff is None:
            raise NotFound("staff.unknown", code=code)
        if staff.role == "province":  # a province viewer reads; it never acts on a queue
            raise IllegalTransition("staff.read_only", code=code)
        return int(staff.id)

    def _log(self, conn: Connection, kind: EventKind, now: datetime, *,
             ticket_id: int | None = None, counter_id: int | None = None,
             staff_id: int | None = None, detail: dict[str, Any] | None = None) -> None:
        self.store.log_event(conn, Sql.insert_event, Sql.insert_event_notified, {
            "site_id": self.site_id, "ticket_id": ticket_id, "counter_id": counter_id,
            "staff_id": staff_id, "kind": kind, "at": now,
            "detail": json.dumps(detail, ensure_ascii=False) if detail else ""})
