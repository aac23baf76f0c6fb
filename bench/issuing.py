"""Issuing a ticket against raw commits, against its own statements driven by hand, and with
the SQLite fast path against SQLAlchemy's execution."""

from __future__ import annotations

import itertools
import secrets
import sqlite3
import statistics
import tempfile
from collections.abc import Sequence
from datetime import UTC
from pathlib import Path
from typing import Any

from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect

from bench.harness import MORNING, Result, issuing_in_turn, per_second
from queue_kiosk.config.hall import default_hall_path, load_hall
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.domain.numbering import format_number
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.direct import DirectStatement
from queue_kiosk.store.migrate import upgrade
from queue_kiosk.store.statements import ISSUED_COLUMNS, Sql
from queue_kiosk.store.store import Store


class RawCommits:
    """The baseline: one-row INSERT+COMMIT per transaction, same pragmas as the store."""

    def __init__(self, path: Path, synchronous: str) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute(f"PRAGMA synchronous={synchronous}")
        self.conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, number TEXT, at TEXT)")

    def one(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("INSERT INTO t (number, at) VALUES ('B001', '2026-11-25')")
        self.conn.execute("COMMIT")


class FloorIssuing:
    """The like-for-like baseline of issuing: the very statements our issue runs on SQLite
    (the check, the day's bookings, the numbering upsert, the ticket, its event), compiled
    once and driven by hand on the driver with ready-made values, on a database of the same
    schema and hall, same pragmas. What is left between it and us is our own code; what
    is left between it and RawCommits is the schema's work (indexes, the check's read)."""

    def __init__(self, path: Path, synchronous: str) -> None:
        service = issuing_service(path, synchronous)
        store, self.site_id = service.store, service.site_id
        self.fields = itertools.cycle([(f.id, f.series, f.prefix, f.block) for f in
                                       service.catalog.fields.values()])
        event = {"site_id": self.site_id, "counter_id": None, "staff_id": None,
                 "kind": "issued", "detail": ""}
        self.statements = [self._compiled(statement.statement, names) for statement, names in (
            (Sql.issue_check(store, False), ("site_id", "field_id", "day", "now", "series")),
            (Sql.bookings_to_come, ("site_id", "day")),
            (Sql.next_seq(store), ("site_id", "day", "series")),
            (Sql.insert_ticket(store), ISSUED_COLUMNS),
            (Sql.insert_event, (*event, "at", "ticket_id")))]
        self.event = event
        store.dispose()
        self.conn = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode=WAL", f"synchronous={synchronous}", "foreign_keys=ON"):
            self.conn.execute(f"PRAGMA {pragma}")
        self.day = MORNING.date().isoformat()
        self.now = MORNING.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    @staticmethod
    def _compiled(statement: Any, names: Sequence[str]) -> tuple[str, list[str], dict[str, Any]]:
        compiled = statement.compile(dialect=sqlite_dialect(), column_keys=list(names))
        defaults = {name: bind.value for name, bind in compiled.binds.items()}
        return compiled.string, list(compiled.positiontup), defaults

    def _run(self, index: int, values: dict[str, Any]) -> list[Any]:
        sql, order, defaults = self.statements[index]
        return self.conn.execute(sql, [values.get(name, defaults[name])
                                       for name in order]).fetchall()

    def one(self) -> None:
        field_id, series, prefix, block = next(self.fields)
        values: dict[str, Any] = {"site_id": self.site_id, "field_id": field_id,
                                  "day": self.day, "now": self.now, "series": series}
        self.conn.execute("BEGIN IMMEDIATE")
        self._run(0, values)
        self._run(1, values)
        seq = self._run(2, values)[0][0]
        ticket = self._run(3, {**values, "seq": seq, "number": format_number(prefix, block, seq),
                               "token": secrets.token_urlsafe(16), "procedure_id": None,
                               "priority": None, "status": "waiting", "issued_at": self.now,
                               "queue_at": self.now, "recalls": 0, "transfers": 0,
                               "appointment": None, "identity": False})
        self._run(4, {**self.event, "at": self.now, "ticket_id": ticket[0][0]})
        self.conn.execute("COMMIT")


def issuing_service(path: Path, synchronous: str) -> QueueService:
    store = Store(f"sqlite:///{path}")
    upgrade(store)
    hall = load_hall(default_hall_path())
    hall = hall.model_copy(update={"hours": hall.hours.model_copy(update={"enforce": False})})
    clock = FrozenClock(MORNING)
    load_catalog(store, hall, clock)
    if synchronous != "FULL":
        from sqlalchemy import event

        @event.listens_for(store.engine, "connect")
        def _relax(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            dbapi_conn.execute(f"PRAGMA synchronous={synchronous}")
        store.dispose()
    return QueueService(store, clock=clock)


def bench_issue(quick: bool) -> list[Result]:
    """Issuing against raw commits and against the same statements driven by hand
    (`FloorIssuing`), in alternating batches so that all meet the same disk (this VM's fsync
    time drifts by 2x within a minute); the medians of the batch ratios."""
    batches, size = (3, 100) if quick else (10, 200)
    results, parts = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for sync in ("FULL", "NORMAL"):
            raw = RawCommits(Path(tmp) / f"raw-{sync}.db", sync)
            floor = FloorIssuing(Path(tmp) / f"floor-{sync}.db", sync)
            service = issuing_service(Path(tmp) / f"issue-{sync}.db", sync)
            issue_one = issuing_in_turn(service)
            rounds = [(per_second(size, raw.one), per_second(size, floor.one),
                       per_second(size, issue_one)) for _ in range(batches)]
            raw.conn.close()
            floor.conn.close()
            service.store.dispose()
            base, by_hand, ours = (statistics.median(r[i] for r in rounds) for i in range(3))
            runs = f"{batches} alternating batches of {size}, {batches * size} tickets each"
            results.append(Result(
                f"issue_sqlite_sync_{sync.lower()}", round(ours, 1), "tickets/s",
                round(base, 1), round(statistics.median(r[2] / r[0] for r in rounds), 3),
                f"baseline: raw sqlite3 INSERT+COMMIT of one row, same pragmas; {runs}"))
            parts += [
                Result(f"issue_sqlite_floor_sync_{sync.lower()}", round(by_hand, 1),
                       "tickets/s", round(base, 1),
                       round(statistics.median(r[1] / r[0] for r in rounds), 3),
                       "our issue's statements driven by hand on the driver, same schema: "
                       "what the schema's work leaves of raw commits"),
                Result(f"issue_sqlite_code_sync_{sync.lower()}", round(ours, 1), "tickets/s",
                       round(by_hand, 1),
                       round(statistics.median(r[2] / r[1] for r in rounds), 3),
                       "issuing against its own statements driven by hand: what our code "
                       "(SQLAlchemy's transaction and conversions, the estimate) leaves")]
    full, normal = results
    results += parts
    results.append(Result("cost_of_synchronous_full", round(full.value, 1), "tickets/s",
                          normal.value, round(full.value / normal.value, 3),
                          "issue rate at FULL against NORMAL: what power-cut safety costs"))
    results.append(_direct_against_sqlalchemy(batches, size))
    return results


def _direct_against_sqlalchemy(batches: int, size: int) -> Result:
    """Whether `direct.py` still earns its place: issuing with the hot statements on
    SQLite's cursor against the same service with every statement through SQLAlchemy, in
    alternating batches on one database (synchronous=NORMAL, so the disk does not hide it)."""
    through_sqlalchemy = DirectStatement.through_sqlalchemy
    on_cursor = DirectStatement.on_cursor
    with tempfile.TemporaryDirectory() as tmp:
        service = issuing_service(Path(tmp) / "direct.db", "NORMAL")
        issue_one = issuing_in_turn(service)
        rounds = []
        try:
            for _ in range(batches):
                DirectStatement.on_cursor = on_cursor  # type: ignore[method-assign]
                direct = per_second(size, issue_one)
                DirectStatement.on_cursor = through_sqlalchemy  # type: ignore[method-assign]
                rounds.append((per_second(size, issue_one), direct))
        finally:
            DirectStatement.on_cursor = on_cursor  # type: ignore[method-assign]
            service.store.dispose()
    return Result("issue_direct_vs_sqlalchemy",
                  round(statistics.median(ours for _, ours in rounds), 1), "tickets/s",
                  round(statistics.median(base for base, _ in rounds), 1),
                  round(statistics.median(ours / base for base, ours in rounds), 3),
                  "baseline: the same issuing with every statement through SQLAlchemy's "
                  f"execution; {batches} alternating batches of {size}")
