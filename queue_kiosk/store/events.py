"""Provides the change feed the screens follow: the event log's growing id, woken by
LISTEN/NOTIFY on PostgreSQL and by a cheap poll on SQLite."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from queue_kiosk.domain.errors import StoreError, first_line
from queue_kiosk.store.db import listen_url
from queue_kiosk.store.tables import counter_t, event_t, site_t, ticket_t

if TYPE_CHECKING:
    from queue_kiosk.store.store import Store

SQLITE_POLL_SECONDS = 0.05
"""A max(id) on an index is cheap; the poll keeps the board well inside its 300 ms target
(the benchmark's `board_*` rows)."""
HEARTBEAT_SECONDS = 30.0
"""A PostgreSQL follower asks the database once in this long even when told nothing: a
connection that died silently (a cable, a NAT timeout) is found within it."""


@dataclass(frozen=True, slots=True)
class Change:
    id: int
    kind: str
    at: datetime
    number: str | None
    counter: str | None
    detail: dict[str, Any]


class ChangeFeed:
    """Follow one site's event log. Not thread-safe: one feed per following thread."""

    def __init__(self, store: Store, site_id: int) -> None:
        self.store = store
        self.site_id = site_id
        self._listener: Any = None
        self._checked: float | None = None
        """When the database was last asked for the newest id (None: not since listening)."""
        self.catalog_version = 0
        """The site's catalogue version as of the last read: followers compare it with the
        catalogue they hold, so a new hall configuration costs them no extra query."""

    def last_id(self) -> int:
        with self.store.read() as conn:
            newest, self.catalog_version = conn.execute(select(
                func.coalesce(func.max(event_t.c.id), 0),
                select(site_t.c.catalog_version).where(site_t.c.id == self.site_id)
                .scalar_subquery()).where(event_t.c.site_id == self.site_id)).one()
        return int(newest)

    def wait(self, after: int, timeout: float) -> int:
        """Block until an event newer than `after` exists or `timeout` passes; returns the
        newest id (equal to `after` on timeout)."""
        deadline = time.monotonic() + timeout
        if self.store.postgres:
            return self._wait_notified(after, deadline)
        while True:
            newest = self.last_id()
            remaining = deadline - time.monotonic()
            if newest > after or remaining <= 0:
                return newest
            time.sleep(min(SQLITE_POLL_SECONDS, remaining))

    def _wait_notified(self, after: int, deadline: float) -> int:
        import psycopg

        try:
            listener = self._listen()
            newest = after
            if self._checked is None or time.monotonic() - self._checked > HEARTBEAT_SECONDS:
                # Just listening (nothing committed before LISTEN is missed), or not asked
                # for a while: read the newest id and catalogue version.
                newest = max(newest, self._check())
            while newest <= after:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                for note in listener.notifies(timeout=remaining, stop_after=1):
                    # The payload names the newest event: no query to learn it.
                    payload = note.payload
                    newest = max(newest, int(payload) if payload.isdigit() else self._check())
            return newest
        except psycopg.Error as exc:
            # The listening connection is our own, outside SQLAlchemy's translation: a
            # restarted server or a terminated backend must reach the follower as the same
            # StoreError as any other outage, so that it reconnects and catches up.
            self.close()
            raise StoreError("store.unreachable", url=self.store.url,
                             detail=first_line(exc)) from exc

    def _check(self) -> int:
        self._checked = time.monotonic()
        return self.last_id()

    def _listen(self) -> Any:
        if self._listener is None or self._listener.closed:
            import psycopg

            url = make_url(listen_url() or self.store.engine.url).set(drivername="postgresql")
            dsn = url.render_as_string(hide_password=False)
            self._checked = None
            self._listener = psycopg.connect(dsn, autocommit=True, connect_timeout=5)
            with self.store.read() as conn:
                name = self.store.channel(conn, self.site_id)
            self._listener.execute(f'LISTEN "{name}"')
        return self._listener

    def changes(self, after: int, limit: int = 200) -> list[Change]:
        with self.store.read() as conn:
            rows = conn.execute(
                select(event_t.c.id, event_t.c.kind, event_t.c.at, event_t.c.detail,
                       ticket_t.c.number, counter_t.c.code)
                .outerjoin(ticket_t, ticket_t.c.id == event_t.c.ticket_id)
                .outerjoin(counter_t, counter_t.c.id == event_t.c.counter_id)
                .where(event_t.c.site_id == self.site_id, event_t.c.id > after)
                .order_by(event_t.c.id).limit(limit)).all()
        return [Change(r.id, r.kind, r.at, r.number, r.code,
                       json.loads(r.detail) if r.detail else {}) for r in rows]

    def close(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            import psycopg

            try:
                listener.close()
            except psycopg.Error:  # a broken connection may fail to close; it is dropped anyway
                pass
