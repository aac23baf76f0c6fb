"""Kiosk processes for the identity race tests (a module of its own so `spawn` imports it)."""

from __future__ import annotations

from typing import Any

from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.domain.errors import QueueError
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.identity import Identities
from queue_kiosk.store.store import Store


def scan_at_once(url: str, start: Any, key: bytes, field: str, cards: list[str],
                 barrier: Any, out: Any) -> None:
    """One kiosk: for each card, wait at the barrier with the other kiosks, then scan it
    and take a number for `field` at the same instant; report each outcome."""
    service = QueueService(Store(url), clock=FrozenClock(start))
    reader = Identities(service, key)
    outcomes = []
    for card in cards:
        barrier.wait()
        try:
            outcomes.append(("ok", service.issue(field, identity=reader.read(card)).number))
        except QueueError as exc:
            outcomes.append(("refused", exc.code))
    out.put(outcomes)


def book_at_once(url: str, start: Any, key: bytes, bookings: list[tuple[str, Any, str, str]],
                 barrier: Any, out: Any) -> None:
    """One phone booking with a card: for each (field, day, slot, card), wait at the
    barrier with the other phones, then book it at the same instant; report each outcome."""
    from queue_kiosk.service.appointments import Appointments

    service = QueueService(Store(url), clock=FrozenClock(start))
    desk, reader = Appointments(service), Identities(service, key)
    outcomes = []
    for field, day, at, card in bookings:
        barrier.wait()
        try:
            outcomes.append(("ok", desk.book(field, day, at, identity=reader.read(card)).code))
        except QueueError as exc:
            outcomes.append(("refused", exc.code))
    out.put(outcomes)
