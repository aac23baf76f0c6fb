"""Provides the commune's side of shipping to the province at the store: the capture triggers
that write every change of a shipped table to `ship_log` in the change's own transaction, the
snapshot that starts the log, and reading and acknowledging it (see docs/province.md).

Triggers rather than edits of the write paths: every write, the hot statements on SQLite's
own cursor included, is captured without one line of the queue's code knowing, and a change
and its log entry commit or roll back together. They exist only where a commune ships (the
province's database never pays for them); `install` puts them in, and again whenever the
tables' columns changed (a migration), with a fresh snapshot, so nothing is ever missed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Boolean, Connection, Date, Table, delete, func, select, text, update

from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import (
    UTCDateTime,
    booking_t,
    calendar_day_t,
    counter_field_t,
    counter_t,
    event_t,
    field_t,
    procedure_t,
    rating_t,
    series_t,
    ship_log_t,
    ship_state_t,
    site_t,
    staff_counter_t,
    staff_t,
    ticket_t,
)

SHIPPED: tuple[Table, ...] = (site_t, field_t, procedure_t, counter_t, counter_field_t,
                              staff_t, staff_counter_t, series_t, calendar_day_t, ticket_t,
                              event_t, booking_t, rating_t)
"""Parents before children: the order a snapshot writes them in. Not shipped: sign-in
guards, heartbeats and the notice outbox (this centre's own running), identity hashes
(personal data stays in the commune), and `booking_slot` (the province owns a slot's room)."""
KEPT_HOME: dict[str, tuple[str, ...]] = {
    "staff": ("pin_hash", "failed_logins", "locked_until"),
    "booking": ("phone", "person"),
}
"""Columns never shipped: secrets, and personal data the province has of its own bookings."""
LOCK_KEY = 7_381_438
"""PostgreSQL: the transaction-level advisory lock every capturing transaction takes before
its first log entry, so that seq order is commit order (a sequence alone is not)."""
KEEP_ACKED = 10_000
"""Acknowledged entries kept: a province restored from a backup a little older resumes."""


@dataclass(frozen=True, slots=True)
class Entry:
    seq: int
    tbl: str
    op: str
    """I, U or D (a delete's row holds the key only)."""
    row: str
    """The row as JSON, as this database writes it (see `decode`)."""


def columns(table: Table) -> list[str]:
    return [c.name for c in table.columns if c.name not in KEPT_HOME.get(table.name, ())]


def _sqlite_image(table: Table, ref: str, names: list[str]) -> str:
    pairs = ", ".join(f"'{name}', {ref}.\"{name}\"" for name in names)
    return f"json_object({pairs})"


def _sqlite_ddl(table: Table) -> list[str]:
    name, shipped = table.name, columns(table)
    key = [c.name for c in table.primary_key.columns]
    quoted = ", ".join(f'"{c}"' for c in shipped)
    out = []
    for when, op, ref, names in (("INSERT", "I", "NEW", shipped),
                                 (f"UPDATE OF {quoted}", "U", "NEW", shipped),
                                 ("DELETE", "D", "OLD", key)):
        out.append(
            f'CREATE TRIGGER ship_{name}_{op} AFTER {when} ON "{name}" BEGIN '
            f"INSERT INTO ship_log (tbl, op, row) VALUES ('{name}', '{op}', "
            f"{_sqlite_image(table, ref, names)}); END")
    return out


_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION ship_capture() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE image jsonb;
BEGIN
    PERFORM pg_advisory_xact_lock({LOCK_KEY});
    IF TG_OP = 'DELETE' THEN image := to_jsonb(OLD); ELSE image := to_jsonb(NEW); END IF;
    INSERT INTO ship_log (tbl, op, "row")
        VALUES (TG_TABLE_NAME, left(TG_OP, 1),
                (image - coalesce(TG_ARGV, '{{}}'::text[]))::text);
    RETURN NULL;
END $$"""


def _pg_ddl(table: Table) -> list[str]:
    name = table.name
    quoted = ", ".join(f'"{c}"' for c in columns(table))
    kept = ", ".join(f"'{c}'" for c in KEPT_HOME.get(name, ()))
    return [f'DROP TRIGGER IF EXISTS ship_capture ON "{name}"',
            f'CREATE TRIGGER ship_capture AFTER INSERT OR UPDATE OF {quoted} OR DELETE '
            f'ON "{name}" FOR EACH ROW EXECUTE FUNCTION ship_capture({kept})']


def _ddl(store: Store) -> list[str]:
    if store.postgres:
        return [_PG_FUNCTION, *(s for t in SHIPPED for s in _pg_ddl(t))]
    return [s for t in SHIPPED for s in _sqlite_ddl(t)]


def _digest(ddl: list[str]) -> str:
    return hashlib.sha256("\n".join(ddl).encode()).hexdigest()


def _installed(conn: Connection, store: Store) -> int:
    """How many capture triggers the database holds now (an SQLite table rebuilt by a
    migration loses its triggers silently)."""
    if store.postgres:
        query = "SELECT count(*) FROM pg_trigger WHERE tgname = 'ship_capture'"
    else:
        query = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'ship_%'"
    return int(conn.execute(text(query)).scalar_one())


def install(store: Store, *, again: bool = False) -> bool:
    """Puts the capture triggers in where they are missing or outdated (or `again`), and
    then writes a snapshot of every shipped row to the log in the same transaction (nothing
    between the two is missed; the province applies a row it has already as an update).
    True when it did."""
    ddl = _ddl(store)
    digest = _digest(ddl)
    expected = len(SHIPPED) * (1 if store.postgres else 3)
    with store.write() as conn:
        state = conn.execute(select(ship_state_t.c.capture)).scalar()
        if state == digest and _installed(conn, store) == expected and not again:
            return False
        if not store.postgres:
            for name in conn.execute(text("SELECT name FROM sqlite_master WHERE type = "
                                          "'trigger' AND name LIKE 'ship_%'")).scalars().all():
                conn.execute(text(f'DROP TRIGGER "{name}"'))
        for statement in ddl:
            conn.exec_driver_sql(statement)
        _snapshot(conn, store)
        if state is None:
            conn.execute(ship_state_t.insert().values(id=1, acked=0, capture=digest))
        else:
            conn.execute(update(ship_state_t).values(capture=digest))
    return True


def _snapshot(conn: Connection, store: Store) -> None:
    if store.postgres:
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({LOCK_KEY})")
    for table in SHIPPED:
        order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
        if store.postgres:
            kept = ", ".join(f"'{c}'" for c in KEPT_HOME.get(table.name, ()))
            image = f"(to_jsonb(t) - ARRAY[{kept}]::text[])::text" if kept else "to_jsonb(t)::text"
        else:
            image = _sqlite_image(table, "t", columns(table))
        conn.exec_driver_sql(f"INSERT INTO ship_log (tbl, op, \"row\") SELECT '{table.name}', "
                             f"'I', {image} FROM \"{table.name}\" t ORDER BY {order}")


def remove(store: Store) -> None:
    """Takes the capture triggers out (a commune that stops shipping, and the tests)."""
    with store.write() as conn:
        if store.postgres:
            for table in SHIPPED:
                conn.exec_driver_sql(f'DROP TRIGGER IF EXISTS ship_capture ON "{table.name}"')
        else:
            for name in conn.execute(text("SELECT name FROM sqlite_master WHERE type = "
                                          "'trigger' AND name LIKE 'ship_%'")).scalars().all():
                conn.execute(text(f'DROP TRIGGER "{name}"'))
        conn.execute(update(ship_state_t).values(capture=""))


def pending(store: Store, after: int, limit: int) -> list[Entry]:
    with store.read() as conn:
        rows = conn.execute(select(ship_log_t).where(ship_log_t.c.seq > after)
                            .order_by(ship_log_t.c.seq).limit(limit)).all()
    return [Entry(r.seq, r.tbl, r.op, r.row) for r in rows]


def newest(store: Store) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.coalesce(func.max(ship_log_t.c.seq), 0)))
                   .scalar_one())


def acked(store: Store) -> int:
    with store.read() as conn:
        return int(conn.execute(select(ship_state_t.c.acked)).scalar() or 0)


def acknowledge(store: Store, seq: int) -> None:
    """The province has applied everything up to `seq`; entries well before it go."""
    with store.write() as conn:
        conn.execute(update(ship_state_t).values(acked=seq))
        conn.execute(delete(ship_log_t).where(ship_log_t.c.seq <= seq - KEEP_ACKED))


def oldest(store: Store) -> int:
    """The oldest seq still in the log (0: empty)."""
    with store.read() as conn:
        return int(conn.execute(select(func.coalesce(func.min(ship_log_t.c.seq), 0)))
                   .scalar_one())


def decode(table: Table, row: str) -> dict[str, Any]:
    """A logged row as Python values, whichever database wrote it (SQLite's datetimes are
    text without a zone, its booleans 0 and 1)."""
    values: dict[str, Any] = json.loads(row)
    for column in table.columns:
        value = values.get(column.name)
        if value is None:
            continue
        if isinstance(column.type, UTCDateTime):
            at = datetime.fromisoformat(value)
            values[column.name] = at.replace(tzinfo=UTC) if at.utcoffset() is None \
                else at.astimezone(UTC)
        elif isinstance(column.type, Date):
            values[column.name] = date.fromisoformat(value[:10])
        elif isinstance(column.type, Boolean):
            values[column.name] = bool(value)
    return values
