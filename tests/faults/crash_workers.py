"""Processes the crash test kills with SIGKILL at random moments."""

from __future__ import annotations

import random
import time
from typing import Any

from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.domain.errors import QueueError
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.store import Store


def keep_issuing(url: str, start: Any, seed: int, ready: Any) -> None:
    service = QueueService(Store(url), clock=FrozenClock(start))
    rng = random.Random(seed)
    ready.release()
    while True:
        try:
            service.issue(rng.choice(["A", "B", "C"]))
        except QueueError:
            continue  # field A's daily cap: refused, nothing written


def keep_calling(url: str, start: Any, counter: str, ready: Any) -> None:
    service = QueueService(Store(url), clock=FrozenClock(start))
    if service.current(counter) is not None:
        service.finish(counter)  # what an official does after a crash: close the open ticket
    ready.release()
    while True:
        try:
            if service.call_next(counter) is not None:
                service.finish(counter)
        except QueueError:
            continue


def hang_mid_write(url: str, start: Any, holding: Any) -> None:
    """A process that stops in the middle of issuing, holding the write lock, until killed
    (a frozen kiosk PC, a debugger, a process stopped with SIGSTOP)."""
    service = QueueService(Store(url), clock=FrozenClock(start))
    with service.store.write():
        holding.set()
        time.sleep(600)
