"""Several kiosks issuing and several counters calling at once, in separate processes:
no duplicate number, no ticket called twice, none lost, no overtakes within a line."""

from __future__ import annotations

import multiprocessing
from collections import defaultdict
from typing import Any

import pytest
from sqlalchemy import select

from queue_kiosk.config.hall import HallConfig
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import event_t, ticket_t
from tests.conftest import MORNING
from tests.store import race_workers

ISSUERS, PER_ISSUER = 4, 100
FIELDS = ["A", "B", "C", "E", "T", "V"]  # spread over all five counters


@pytest.mark.slow
def test_concurrent_kiosks_and_counters_keep_the_queue_straight(
        store: Store, db_url: str, default_hall: HallConfig) -> None:
    load_catalog(store, default_hall)
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    issuing_done = ctx.Event()
    issuers = [ctx.Process(target=race_workers.issue_many,
                           args=(db_url, MORNING, PER_ISSUER, FIELDS, seed, out))
               for seed in range(ISSUERS)]
    callers = [ctx.Process(target=race_workers.call_until_done,
                           args=(db_url, MORNING, counter.code, issuing_done, out))
               for counter in default_hall.counters]
    for process in issuers + callers:
        process.start()
    results: dict[str, list[Any]] = defaultdict(list)
    for _ in issuers:
        kind, payload = out.get(timeout=240)
        results[kind].append(payload)
    issuing_done.set()
    for _ in callers:
        kind, payload = out.get(timeout=240)
        results[kind].append(payload)
    for process in issuers + callers:
        process.join(timeout=30)
        assert process.exitcode == 0

    issued = [t for batch in results["issued"] for t in batch]
    calls = [c for batch in results["called"] for c in batch]
    with store.engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(select(ticket_t))}
        call_events = conn.execute(select(event_t.c.ticket_id, event_t.c.id).where(
            event_t.c.kind == "called").order_by(event_t.c.id)).all()

    assert len(issued) == ISSUERS * PER_ISSUER
    # None lost: every number a kiosk handed out is in the store, and nothing else is.
    assert sorted(rows) == sorted(ticket_id for ticket_id, _ in issued)
    # No duplicate numbers.
    numbers = [(r.day, r.number) for r in rows.values()]
    assert len(set(numbers)) == len(numbers)
    # Nobody called twice: one call event per ticket, and every ticket was served.
    called_ids = [ticket_id for ticket_id, _ in call_events]
    assert len(called_ids) == len(set(called_ids)) == len(rows)
    assert sorted(ticket_id for ticket_id, _ in calls) == sorted(rows)
    assert {r.status for r in rows.values()} == {"done"}
    # No overtakes within a field and class.
    call_order = {ticket_id: event_id for ticket_id, event_id in call_events}
    overtakes = []
    for ticket_id, visible in calls:
        me = rows[ticket_id]
        for other_id in visible:
            other = rows[other_id]
            if (other.field_id == me.field_id
                    and (other.priority is None) == (me.priority is None)
                    and (other.queue_at, other.id) < (me.queue_at, me.id)
                    and call_order[other_id] > call_order[ticket_id]):
                overtakes.append((me.number, other.number))
    assert overtakes == []
