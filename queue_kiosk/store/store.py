"""Provides `Store`: one database, opened once from its URL, and everything that differs
between SQLite and PostgreSQL (transactions, the call lock, notifications, the change feed,
the fast path of hot statements)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, text

from queue_kiosk.store.db import (
    CATALOG_PAYLOAD,
    channel,
    make_engine,
    read_transaction,
    safe_url,
    translated,
    write_transaction,
    writer_gate,
)
from queue_kiosk.store.direct import DirectStatement

_NOTIFY_NEWEST = text("SELECT pg_notify(:channel, (SELECT max(id) FROM ticket_event "
                      "WHERE site_id = :site_id)::text)")
_NOTIFY = text("SELECT pg_notify(:channel, :payload)")


class Store:
    """The queue's database. Thread-safe; build one per process and share it."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = make_engine(url)
        self.dialect: str = self.engine.dialect.name
        self.postgres = self.dialect == "postgresql"
        # Imported here: the other database's dialect costs a one-shot command time.
        if self.postgres:
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
        self.insert = insert
        """The dialect's INSERT, which both databases extend with ON CONFLICT."""
        self.gate = writer_gate(self.engine)
        """SQLite's writer gate (see `db._WriterGate`); None for a server database."""
        self._schema: str | None = None

    def channel(self, conn: Connection, site_id: int) -> str:
        """The site's notification channel in this database's schema (asked once)."""
        if self._schema is None:
            self._schema = str(conn.execute(text("SELECT current_schema()")).scalar_one())
        return channel(site_id, self._schema)

    @property
    def url(self) -> str:
        """The URL with any password hidden: for messages."""
        return safe_url(self.engine)

    def write(self) -> AbstractContextManager[Connection]:
        """One write transaction: committed on success, rolled back on any error, and any
        database failure raised as a one-line StoreError."""
        return write_transaction(self.engine, self.gate)

    def read(self) -> AbstractContextManager[Connection]:
        return read_transaction(self.engine)

    def translated(self) -> AbstractContextManager[None]:
        """Database failures inside become one-line StoreErrors."""
        return translated(self.engine)

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A plain transaction (schema work and tests), its failures translated."""
        with self.translated(), self.engine.begin() as conn:
            yield conn

    def run(self, conn: Connection, statement: DirectStatement,
            params: Mapping[str, Any]) -> list[Any]:
        """A hot statement: on SQLite's own cursor, elsewhere through SQLAlchemy."""
        if self.postgres:
            return statement.through_sqlalchemy(conn, params)
        return statement.on_cursor(conn, params)

    def notify(self, conn: Connection, site_id: int, *, catalog: bool = False) -> None:
        """Wake the site's followers with the newest event's id (or news of a new catalogue);
        delivered at commit, so they never see a change that was rolled back. SQLite's
        followers poll instead."""
        if not self.postgres:
            return
        name = self.channel(conn, site_id)
        if catalog:
            conn.execute(_NOTIFY, {"channel": name, "payload": CATALOG_PAYLOAD})
        else:
            conn.execute(_NOTIFY_NEWEST, {"channel": name, "site_id": site_id})

    def log_event(self, conn: Connection, insert_event: DirectStatement,
                  insert_event_notified: Any, params: Mapping[str, Any]) -> None:
        """Record an event and wake its site's followers: on PostgreSQL in one round trip,
        the notification carrying the event's id."""
        if self.postgres:
            conn.execute(insert_event_notified,
                         {**params, "channel": self.channel(conn, params["site_id"])})
        else:
            self.run(conn, insert_event, params)

    def dispose(self) -> None:
        self.engine.dispose()
