"""Provides `QueueService`, the facade every screen and command uses, and the ticket's life
through it: issue, call (next or by number), recall, start, finish, no-show, transfer,
return and rating. One transaction each; the reads and the hall's own changes come from
`QueueReader` and `QueueWriter`."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import Connection, Row, insert, select
from sqlalchemy.exc import IntegrityError

from queue_kiosk.domain import routing, transitions
from queue_kiosk.domain.clock import local_day
from queue_kiosk.domain.errors import IllegalTransition, NotFound, Refused, StoreError
from queue_kiosk.domain.models import EventKind, Status
from queue_kiosk.domain.numbering import capacity, format_number, scanned_token
from queue_kiosk.domain.text import fold, nfc
from queue_kiosk.domain.views import TicketView
from queue_kiosk.service import notify
from queue_kiosk.service.calendar import CentreCalendar
from queue_kiosk.service.catalog import CounterInfo, FieldInfo
from queue_kiosk.service.reading import Queue
from queue_kiosk.service.writing import QueueWriter, again_if_undone
from queue_kiosk.store.statements import Sql
from queue_kiosk.store.tables import rating_t, ticket_t

CLAIM_ATTEMPTS = 20
Change = Callable[[Connection, Row[Any], CounterInfo, datetime, int | None], Row[Any]]
"""Changes the counter's current ticket; returns it as changed."""


class Booked(Protocol):
    """A booking being checked in (`appointments.Booked`): `issue` claims it in the ticket's
    own transaction, so two kiosks scanning one code cannot both check it in, then links it."""

    @property
    def code(self) -> str: ...
    @property
    def slot_start(self) -> datetime: ...
    def claim(self, conn: Connection, now: datetime) -> None: ...
    def link(self, conn: Connection, ticket_id: int) -> None: ...


class Identity(Protocol):
    """A citizen identified by their card (`identity.Identified`): `issue` claims a number
    against the hall's per-person limits in the ticket's own transaction, so two kiosks
    scanning one card at once issue one ticket, then records which ticket it was."""

    def claim(self, conn: Connection, field: FieldInfo, day: date) -> None: ...
    def link(self, conn: Connection, ticket_id: int, field: FieldInfo, day: date) -> None: ...


def _issue_detail(priority: str | None, booked: Booked | None,
                  identified: bool = False) -> dict[str, Any] | None:
    detail: dict[str, Any] = {"priority": priority} if priority else {}
    if booked is not None:
        detail["appointment"] = booked.code
    if identified:
        detail["identity"] = True  # the flag only: nothing of the card goes into events
    return detail or None


class QueueService(QueueWriter):
    """All queue operations for one site. Thread-safe: every call opens its own transaction."""

    # ----- issuing -------------------------------------------------------------------------

    @again_if_undone
    def issue(self, what: str, *, priority: str | None = None, staff: str | None = None,
              booked: Booked | None = None, identity: Identity | None = None) -> TicketView:
        """A ticket for a field or procedure; with `booked`, the ticket a booked citizen
        checks in for (its place in line is the slot's start, see `appointments`); with
        `identity`, one within the card holder's limits (see `identity`)."""
        cat = self.catalog
        field, procedure = cat.field(what)
        if priority is not None:
            priority = self._priority_code(priority)
        with self.write() as conn:
            now = self.clock.now()
            day = local_day(now, cat.tz)
            queue, allocated = self._check_issuable(conn, field, priority is not None, now,
                                                    day)
            if booked is not None:
                booked.claim(conn, now)  # first: a second kiosk checking in the same code waits
            if identity is not None:
                identity.claim(conn, field, day)  # likewise for a second scan of one card
            limit = capacity(field.prefix, field.block_size)
            staff_id = self._staff_id(conn, staff)
            row = None
            while row is None:
                seq = allocated or self._next_seq(conn, field.series, day)
                allocated = None
                if seq > limit:
                    raise Refused("issue.series_full", field=field.names,
                                  last=format_number(field.prefix, field.block, limit))
                if field.daily_cap is not None and seq > field.daily_cap:
                    raise Refused("issue.cap", field=field.names, cap=field.daily_cap)
                # No row where the number was handed out already: the next one, then.
                row = self._changed(conn, Sql.insert_ticket(self.store), {
                    "site_id": cat.site_id, "day": day, "series": field.series, "seq": seq,
                    "number": format_number(field.prefix, field.block, seq),
                    "token": secrets.token_urlsafe(16),  # 128 bits: the status page's key
                    "field_id": field.id, "procedure_id": procedure.id if procedure else None,
                    "priority": priority, "status": Status.WAITING, "issued_at": now,
                    "queue_at": booked.slot_start if booked else now, "recalls": 0,
                    "transfers": 0, "appointment": booked.code if booked else None,
                    "identity": identity is not None,
                }, EventKind.ISSUED, now, counter_id=None, staff_id=staff_id,
                    detail=_issue_detail(priority, booked, identity is not None))
            if booked is not None:
                booked.link(conn, row.id)
            if identity is not None:
                identity.link(conn, row.id, field, day)
            view = self._view(conn, row, now, queue=queue)
            if field.code not in cat.hall.calendar.cutoff:
                return view
            return replace(view, settled_on=CentreCalendar(self).settled_on(view, conn))

    def _check_issuable(self, conn: Connection, field: FieldInfo, priority: bool,
                        now: datetime, day: date) -> tuple[Queue, int | None]:
        """Refuses a ticket the hall cannot serve; else the queue a ticket issued now
        joins, and the number allocated for it where the check could (PostgreSQL)."""
        CentreCalendar(self).check_open(conn, now)
        if not self.catalog.counters_for(field.id):
            raise Refused("issue.no_counter", field=field.names)
        rows = self.store.run(conn, Sql.issue_check(self.store, priority), {
            "site_id": self.site_id, "field_id": field.id, "day": day, "now": now,
            "series": field.series})
        # SQL does not promise a UNION ALL's order: the `part` column tells the rows apart.
        check = next(r for r in rows if r.part == 0)
        self._check_catalog(check.catalog_version)
        services = [r for r in rows if r.part == 1]
        if check.closed_reason is not None:
            raise Refused("issue.closed", field=field.names, reason=check.closed_reason)
        return self._queue(conn, priority, check, services, field), check.seq

    def _next_seq(self, conn: Connection, series: str, day: date) -> int:
        """Allocate the next number in this transaction; an atomic upsert, so two kiosks
        can never receive the same number, and the row persists across restarts."""
        return int(self.store.run(conn, Sql.next_seq(self.store), {
            "site_id": self.site_id, "day": day, "series": series})[0].last)

    def _priority_code(self, value: str) -> str:
        wanted = fold(nfc(value))
        for p in self.catalog.hall.priorities:
            if wanted in (fold(p.code), fold(p.name), fold(p.name_en)):
                return p.code
        raise NotFound("priority.unknown", code=value,
                       known=", ".join(self.catalog.priority_codes) or "—")

    # ----- calling -------------------------------------------------------------------------

    def call_next(self, counter: str, *, staff: str | None = None) -> TicketView | None:
        return self._told(counter, self._call_next(counter, staff))

    def _told(self, counter: str, called: TicketView | None) -> TicketView | None:
        """`called`, once the booked citizens whose turn is now near have their notice (if
        the hall has a notification hook)."""
        if called is not None and self.catalog.hall.notify.command:
            notify.after_call(self, counter)
        return called

    def _called(self, conn: Connection, row: Row[Any], now: datetime) -> TicketView:
        """The called ticket's view, and a booked citizen's "called" notice with the call."""
        view = self._view(conn, row, now)
        notify.enqueue_called(conn, self, view, now)
        return view

    @again_if_undone
    def _call_next(self, counter: str, staff: str | None) -> TicketView | None:
        info = self.catalog.counter(counter)
        with self.write() as conn:
            now = self.clock.now()
            route = self.catalog.route(info, *self._lock_open_counter(conn, info, to_call=True))
            waiting = self._candidates(conn, info, now, heads_only=True)
            everyone: list[routing.Candidate] | None = None
            for _ in range(CLAIM_ATTEMPTS):
                chosen = routing.choose_next(route, waiting, now, self.catalog.rules)
                if chosen is None:
                    self._check_idle(conn, info)
                    return None
                called = self._claim(conn, chosen.ticket_id, info, now, staff,
                                     streak=routing.after_call(route, chosen))
                if called is not None:
                    return self._called(conn, called, now)
                self._check_idle(conn, info)
                if self._row(conn, chosen.ticket_id).status == Status.WAITING:
                    # Still first in line: the claim saw the counter busy, its other session
                    # finishing at that instant (PostgreSQL): claim it again, now idle.
                    continue
                # Called by number at another counter meanwhile (PostgreSQL only, rarely):
                # take the next in line, from the whole queue.
                if everyone is None:
                    everyone = self._candidates(conn, info, now)
                everyone = [c for c in everyone if c.ticket_id != chosen.ticket_id]
                waiting = everyone
            # Only reachable under extreme contention; nothing was changed.
            raise StoreError("store.failed", detail="too much contention claiming a ticket")

    def call_number(self, counter: str, number: str, *, staff: str | None = None) -> TicketView:
        """Call a specific number: a citizen who came back, or a scanned ticket code."""
        if not nfc(number).strip():
            raise NotFound("call.no_number")
        called = self._call_number(counter, number, staff)
        self._told(counter, called)
        return called

    @again_if_undone
    def _call_number(self, counter: str, number: str, staff: str | None) -> TicketView:
        info = self.catalog.counter(counter)
        with self.write() as conn:
            now = self.clock.now()
            self._lock_idle_counter(conn, info)
            row = self._find_ticket(conn, scanned_token(number) or number)
            if not transitions.allows("call", row.status):
                raise self._state_error(row, "call")
            if row.target_counter_id not in (None, info.id) or (
                    row.target_counter_id is None and row.field_id not in info.field_ids):
                raise IllegalTransition("counter.field_not_served", counter=info.code,
                                        field=self.catalog.fields[row.field_id].names,
                                        number=row.number)
            if row.status == Status.NO_SHOW:
                self._log(conn, EventKind.RETURNED, now, ticket_id=row.id, counter_id=info.id)
            called = self._claim(conn, row.id, info, now, staff, detail={"specific": True},
                                 from_status=row.status)
            if called is None:  # another counter called it since we read it
                raise self._state_error(self._row(conn, row.id), "call")
            return self._called(conn, called, now)

    def _claim(self, conn: Connection, ticket_id: int, info: CounterInfo, now: datetime,
               staff: str | None, detail: dict[str, Any] | None = None,
               from_status: str = Status.WAITING,
               streak: routing.CounterRoute | None = None) -> Any:
        """The guarded update: only one caller can move a ticket out of `from_status`, and
        only to an idle counter. Returns the called ticket, or None where it was no longer
        in that state or the counter was busy."""
        staff_id = self._staff_id(conn, staff)
        return self._changed(conn, Sql.claim, {
            "ticket_id": ticket_id, "counter_id": info.id, "now": now, "staff_id": staff_id,
            "from_status": from_status}, EventKind.CALLED, now, counter_id=info.id,
            staff_id=staff_id, detail=detail, streak=streak)

    # ----- the current ticket at a counter -------------------------------------------------

    @again_if_undone
    def recall(self, counter: str, *, staff: str | None = None) -> TicketView:
        """Call the current ticket again; past the recall limit it becomes a no-show."""
        def change(conn: Connection, row: Row[Any], info: CounterInfo, now: datetime,
                   staff_id: int | None) -> Row[Any]:
            outcome = transitions.after_recall(row.recalls, self.catalog.hall.policy.recall_limit)
            if outcome == EventKind.NO_SHOW:
                return self._set(conn, row, EventKind.NO_SHOW, now, info, staff_id,
                                 {"status": Status.NO_SHOW, "finished_at": now},
                                 {"after_recalls": row.recalls})
            return self._set(conn, row, EventKind.RECALLED, now, info, staff_id,
                             {"recalls": row.recalls + 1}, {"recall": row.recalls + 1})
        return self._on_current(counter, staff, "recall", change)

    @again_if_undone
    def start(self, counter: str, *, staff: str | None = None) -> TicketView:
        def change(conn: Connection, row: Row[Any], info: CounterInfo, now: datetime,
                   staff_id: int | None) -> Row[Any]:
            return self._set(conn, row, EventKind.STARTED, now, info, staff_id,
                             {"status": Status.SERVING, "started_at": now})
        return self._on_current(counter, staff, "start", change)

    @again_if_undone
    def finish(self, counter: str, *, rating: str | None = None,
               staff: str | None = None) -> TicketView:
        level = self._rating_code(rating) if rating is not None else None
        if self.store.postgres:
            finished = self._finish_at_once(counter, level, staff)
            if finished is not None:
                return finished

        def change(conn: Connection, row: Row[Any], info: CounterInfo, now: datetime,
                   staff_id: int | None) -> Row[Any]:
            # Finishing without pressing start counts the walk-up as service time.
            started = row.started_at or row.called_at
            finished = self._set(conn, row, EventKind.FINISHED, now, info, staff_id,
                                 {"status": Status.DONE, "started_at": started,
                                  "finished_at": now})
            if level is not None:
                self._insert_rating(conn, row, level, now, info.id, staff_id)
            return finished
        return self._on_current(counter, staff, "finish", change)

    @again_if_undone
    def no_show(self, counter: str, *, staff: str | None = None) -> TicketView:
        def change(conn: Connection, row: Row[Any], info: CounterInfo, now: datetime,
                   staff_id: int | None) -> Row[Any]:
            return self._set(conn, row, EventKind.NO_SHOW, now, info, staff_id,
                             {"status": Status.NO_SHOW, "finished_at": now})
        return self._on_current(counter, staff, "no-show", change)

    @again_if_undone
    def transfer(self, counter: str, to: str, *, staff: str | None = None) -> TicketView:
        """Send the current ticket to another field or counter. It keeps its number and its
        original issue time, so it does not start again at the back of the line."""
        cat = self.catalog
        target_field, target_counter = self._transfer_target(to)

        def change(conn: Connection, row: Row[Any], info: CounterInfo, now: datetime,
                   staff_id: int | None) -> Row[Any]:
            new_field = target_field.id if target_field else row.field_id
            if (target_counter and target_counter.id == info.id) or (
                    target_field and target_field.id == row.field_id):
                raise IllegalTransition("transfer.same", number=row.number, target=to)
            detail = {"from_field": cat.fields[row.field_id].code,
                      "to_field": cat.fields[new_field].code, "from_counter": info.code,
                      "to_counter": target_counter.code if target_counter else None}
            return self._set(conn, row, EventKind.TRANSFERRED, now, info, staff_id, {
                "status": Status.WAITING, "field_id": new_field,
                "procedure_id": row.procedure_id if new_field == row.field_id else None,
                "counter_id": None, "target_counter_id": target_counter.id if target_counter
                else None, "queue_at": row.issued_at, "called_at": None, "started_at": None,
                "recalls": 0, "transfers": row.transfers + 1}, detail)
        return self._on_current(counter, staff, "transfer", change)

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

    def _finish_at_once(self, counter: str, level: str | None,
                        staff: str | None) -> TicketView | None:
        """PostgreSQL: the counter's current ticket finished in one statement with its
        event and notification (BEGIN, it, COMMIT: 3 round trips). None, nothing written,
        where there was nothing to finish or the catalogue moved: `_on_current` says why."""
        info = self.catalog.counter(counter)
        with self.write() as conn:
            now = self.clock.now()
            staff_id = self._staff_id(conn, staff)
            row = self._changed(conn, Sql.finish_current, {
                "at_counter": info.id, "of_site": self.site_id,
                "catalog_version": self.catalog.version, "now": now}, EventKind.FINISHED, now,
                counter_id=info.id, staff_id=staff_id)
            if row is None:
                return None
            if level is not None:
                self._insert_rating(conn, row, level, now, info.id, staff_id)
            return self._view(conn, row, now)

    def _on_current(self, counter: str, staff: str | None, action: transitions.Action,
                    change: Change) -> TicketView:
        """Applies `change` to the counter's current ticket, if its status allows `action`."""
        info = self.catalog.counter(counter)
        with self.write() as conn:
            now = self.clock.now()
            row = conn.execute(Sql.current_locked, {"counter_id": info.id,
                                                    "site_id": self.site_id}).first()
            if row is None:
                self._check_catalog(conn.execute(Sql.catalog_version,
                                                 {"site_id": self.site_id}).scalar_one())
                raise IllegalTransition("counter.idle", counter=info.code)
            self._check_catalog(row.catalog_version)
            if not transitions.allows(action, row.status):
                raise self._state_error(row, action)
            changed = change(conn, row, info, now, self._staff_id(conn, staff))
            return self._view(conn, changed, now)

    # ----- returns and ratings ---------------------------------------------------------------

    def return_ticket(self, number: str, *, staff: str | None = None) -> TicketView:
        """A no-show who comes back joins the line again behind the `return_after` citizens
        now first in line for their field and class (or at the back if fewer wait)."""
        behind = self.catalog.hall.policy.return_after
        with self.write() as conn:
            now = self.clock.now()
            row = self._find_number(conn, number)
            if not transitions.allows("return", row.status):
                raise self._state_error(row, "return")
            same_class = (ticket_t.c.priority.is_(None) if row.priority is None
                          else ticket_t.c.priority.is_not(None))
            line = conn.execute(
                select(ticket_t.c.queue_at).where(
                    ticket_t.c.site_id == self.site_id, ticket_t.c.status == Status.WAITING,
                    ticket_t.c.field_id == row.field_id, ticket_t.c.day == row.day, same_class)
                .order_by(ticket_t.c.queue_at, ticket_t.c.id)
                .limit(transitions.heads_to_read(behind))).scalars().all()
            queue_at = transitions.returned_queue_at(now, line, behind)
            returned = self._set(
                conn, row, EventKind.RETURNED, now, None, self._staff_id(conn, staff),
                {"status": Status.WAITING, "counter_id": None, "queue_at": queue_at,
                 "recalls": 0, "called_at": None, "finished_at": None})
            return self._view(conn, returned, now)

    def rate(self, ticket: str, level: str) -> TicketView:
        """Rate a finished ticket by number (today) or status token; once per ticket."""
        code = self._rating_code(level)
        with self.write() as conn:
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

