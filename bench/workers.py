"""Worker processes for the benchmarks (a module of their own so `spawn` can import them)."""

from __future__ import annotations

import random
import time
from datetime import datetime
from multiprocessing.synchronize import Event
from typing import Any

from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.domain.errors import QueueError
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.events import ChangeFeed
from queue_kiosk.store.store import Store


def _service(url: str, start: datetime) -> QueueService:
    return QueueService(Store(url), clock=FrozenClock(start))


ISSUE_RATE = 20.0
"""Tickets a second while counters call: far beyond a commune's worst minute (several kiosks
in the opening surge issue a few a second), but a rate, not a flood."""


def issuer(url: str, start: datetime, fields: list[str], stop: Event, out: Any) -> None:
    service = _service(url, start)
    issued = 0
    began = time.monotonic()
    while not stop.is_set():
        service.issue(fields[issued % len(fields)])
        issued += 1
        ahead = began + issued / ISSUE_RATE - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)
    out.put(("issued", issued))


def caller(url: str, start: datetime, counter: str, pace: float | None, ready: Any, go: Event,
           stop: Event, out: Any) -> None:
    """Call and finish, one call every `pace` seconds (from a random phase, as officials do
    not press together), or as fast as possible when `pace` is None; record each call's
    latency."""
    service = _service(url, start)
    # One untimed call first: it connects and compiles the statements (tens of ms, once per
    # process), which is start-up, not contention.
    if service.call_next(counter) is not None:
        service.finish(counter)
    latencies: list[float] = []
    errors: list[str] = []
    found_none = 0
    ready.release()
    go.wait()
    due = time.monotonic() + (random.uniform(0, pace) if pace else 0)
    while not stop.is_set():
        if pace:
            time.sleep(max(0.0, due - time.monotonic()))
            due += pace
        began = time.perf_counter()
        try:
            ticket = service.call_next(counter)
            if ticket is not None:
                latencies.append(time.perf_counter() - began)
                service.finish(counter)
            else:  # an empty queue is not a call
                found_none += 1
        except QueueError as exc:  # counted: a failed call fails the benchmark
            errors.append(f"{type(exc).__name__}: {exc.message('en')}")
    out.put(("calls", (latencies, found_none, errors)))


def board_caller(url: str, start: datetime, counter: str, calls: int, ready: Event,
                 out: Any) -> None:
    """Call tickets one at a time, noting when each call was committed."""
    service = _service(url, start)
    ready.wait()
    committed = []
    for _ in range(calls):
        ticket = service.call_next(counter)
        committed.append((ticket.number if ticket else "", time.time()))
        service.finish(counter)
        time.sleep(0.03)
    out.put(("committed", committed))


def board_follower(url: str, start: datetime, ready: Event, expected: int, out: Any) -> None:
    """What the display does: wait on the change feed, then read the board (`board()`, the
    display's own query) and note when each call first shows in its recent calls."""
    service = _service(url, start)
    feed = ChangeFeed(service.store, service.site_id)
    last = feed.last_id()
    before = {call.number for call in service.board().recent_calls}  # the warm-up's calls
    seen: dict[str, float] = {}
    ready.set()
    deadline = time.monotonic() + 120
    while len(seen) < expected and time.monotonic() < deadline:
        newest = feed.wait(last, 1.0)
        if newest == last:
            continue
        board = service.board()
        now = time.time()
        for call in board.recent_calls:
            if call.kind == "called" and call.number not in before:
                seen.setdefault(call.number, now)
        last = newest
    feed.close()
    out.put(("seen", seen))
