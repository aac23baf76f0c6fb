"""Processes for the alert race test (a module of its own so `spawn` imports it)."""

from __future__ import annotations

from typing import Any

from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.service.alerts import evaluate
from queue_kiosk.service.reading import QueueReader
from queue_kiosk.store.store import Store


def evaluate_at_once(url: str, at: Any, site: str, rounds: int, barrier: Any,
                     out: Any) -> None:
    """One evaluating process (a display, `serve`, a cron job): each round, wait at the
    barrier with the others, then evaluate the site at the same instant; report how many
    alerts this process raised and cleared."""
    store = Store(url)
    reader = QueueReader(store, site=site, clock=FrozenClock(at))
    raised = cleared = 0
    for _ in range(rounds):
        barrier.wait()
        done = evaluate(reader)
        raised, cleared = raised + len(done.raised), cleared + len(done.cleared)
    store.dispose()
    out.put((raised, cleared))
