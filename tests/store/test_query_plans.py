"""The operations a hall repeats all day read through indexes, never the whole ticket table:
the table keeps every day's tickets, so a scan grows with the months the centre has run."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event

from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.domain.models import ACTIVE_STATUSES, CURRENT_TICKET
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.migrate import upgrade
from queue_kiosk.store.store import Store
from tests.conftest import MORNING, make_service, small_hall

HISTORY_TABLES = ("ticket", "ticket_event")


def test_current_ticket_predicate_names_exactly_the_active_statuses() -> None:
    listed = CURRENT_TICKET.split("(", 1)[1].rstrip(")").replace("'", "").split(", ")
    assert sorted(listed) == sorted(s.value for s in ACTIVE_STATUSES)


def full_scans(path: Path, statements: list[str]) -> list[str]:
    """The statements whose SQLite plan reads a history table from end to end."""
    found = []
    with sqlite3.connect(path) as conn:
        for sql in statements:
            if sql.startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
                continue
            for row in conn.execute("EXPLAIN QUERY PLAN " + sql):
                step = str(row[3])
                if any(step == f"SCAN {table}" or step.startswith(f"SCAN {table} ")
                       for table in HISTORY_TABLES):
                    found.append(f"{step}: {' '.join(sql.split())[:160]}")
    return found


def traced(store: Store) -> list[str]:
    """The statements the store runs from now on, as SQLite's own trace sees them: those
    of SQLAlchemy and those run on the cursor directly, with their values written in (the
    plans of these queries do not depend on values: the partial indexes' conditions are
    spelled out in them)."""
    statements: list[str] = []
    store.dispose()  # connections opened from now on are traced

    @event.listens_for(store.engine, "connect")
    def _trace(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.set_trace_callback(statements.append)
    return statements


@pytest.mark.parametrize("operation", [
    "issue", "call_next", "start", "finish", "recall", "no_show", "return", "transfer",
    "board", "counter", "counter_figures", "field_queues", "waiting", "last_event_id",
])
def test_hot_paths_never_scan_the_history(tmp_path: Path, operation: str) -> None:
    path = tmp_path / "queue.db"
    store = Store(f"sqlite:///{path}")
    upgrade(store)
    clock = FrozenClock(MORNING - timedelta(days=7))  # a working day before (24/11 is a holiday)
    service = make_service(store, clock, small_hall())
    for _ in range(5):  # yesterday's finished work: what a scan would wade through
        service.issue("B")
        service.call_next("1")
        service.finish("1")
    clock.set(MORNING)
    for code in ("B", "B", "C"):
        service.issue(code)
    service.call_next("2")
    service.no_show("2")
    service.call_next("1")
    actions: dict[str, Callable[[QueueService], object]] = {
        "issue": lambda s: s.issue("A"), "call_next": lambda s: s.call_next("2") or
        s.call_next("1"), "start": lambda s: s.start("1"), "finish": lambda s: s.finish("1"),
        "recall": lambda s: s.recall("1"), "no_show": lambda s: s.no_show("1"),
        "return": lambda s: s.return_ticket("1001"), "transfer": lambda s: s.transfer("1", "C"),
        "board": lambda s: s.board(), "counter": lambda s: s.counter("1"),
        "counter_figures": lambda s: s.counter_figures("1"),
        "field_queues": lambda s: s.field_queues(), "waiting": lambda s: s.waiting("1"),
        "last_event_id": lambda s: s.last_event_id()}
    if operation == "call_next":
        service.finish("1")
    statements = traced(store)
    actions[operation](service)
    assert statements, "the operation ran no statement: the test would prove nothing"
    assert full_scans(path, statements) == []
    store.dispose()


def test_call_next_finds_the_priority_line_s_head_through_its_own_index(
        tmp_path: Path) -> None:
    """Without it, finding the first priority ticket walked past every normal ticket of the
    field in the line index: call-next cost twice as much with 8,000 waiting."""
    path = tmp_path / "queue.db"
    store = Store(f"sqlite:///{path}")
    upgrade(store)
    service = make_service(store, FrozenClock(MORNING), small_hall())
    for _ in range(30):
        service.issue("B")
    statements = traced(store)
    service.call_next("1")
    heads = [sql for sql in statements if "priority IS NOT NULL" in sql and "LIMIT" in sql]
    assert len(heads) == 1
    with sqlite3.connect(path) as conn:
        plan = [str(row[3]) for row in conn.execute("EXPLAIN QUERY PLAN " + heads[0])]
    # Counter 1 serves two fields: each has its priority line.
    assert sum("ix_ticket_priority_line" in step for step in plan) == 2, plan
    store.dispose()
