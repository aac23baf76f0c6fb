"""Provides the notification hook: `[notify] command` runs a program of the centre's own (an
SMS or Zalo gateway it has) with one JSON event on its standard input, for a booking made or
cancelled, a booked citizen's turn coming near, and their call.

The program runs in a thread of its own, one event after another in the order they came, so
the queue never waits for it; what fails (it cannot start, exits non-zero, outlasts
TIMEOUT_SECONDS) is logged and forgotten. The thread is not a daemon: a one-shot command
(`queue-kiosk book …`) lets its events go before it exits.
"""

from __future__ import annotations

import json
import logging
import shlex
import subprocess
import threading
from collections import deque
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update

from queue_kiosk.store.tables import booking_t

if TYPE_CHECKING:
    from queue_kiosk.domain.views import TicketView
    from queue_kiosk.service.reading import QueueReader

TIMEOUT_SECONDS = 20
log = logging.getLogger("queue_kiosk.service.notify")
_pending: deque[tuple[str, dict[str, Any]]] = deque()
_lock = threading.Lock()
_worker: threading.Thread | None = None


def send(command: str, event: dict[str, Any]) -> threading.Thread | None:
    """Queue `event` for `command`; one thread per process runs them in order (a
    cancellation never overtakes its booking), then ends. None: no command."""
    global _worker
    if not command.strip():
        return None
    with _lock:
        _pending.append((command, event))
        if _worker is None:
            _worker = threading.Thread(target=_drain, name="notify")
            _worker.start()
        return _worker


def _drain() -> None:
    global _worker
    while True:
        with _lock:
            if not _pending:
                _worker = None
                return
            command, event = _pending.popleft()
        _run(command, event)


def _run(command: str, event: dict[str, Any]) -> None:
    payload = json.dumps(event, ensure_ascii=False, default=str)
    try:
        done = subprocess.run(shlex.split(command), input=payload.encode(), timeout=TIMEOUT_SECONDS,
                              capture_output=True, check=False)
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        log.warning("notify: %s failed for %s: %s", command, event.get("event"), exc)
        return
    if done.returncode != 0:
        log.warning("notify: %s exited %s for %s: %s", command, done.returncode,
                    event.get("event"), done.stderr.decode(errors="replace").strip()[:200])


def after_call(service: QueueReader, counter: str, called: TicketView) -> None:
    """The events a call makes: "called" for a booked citizen, and "near" once for each
    booked citizen now among the next `[notify] near` this counter would call."""
    settings = service.catalog.hall.notify
    if not settings.command.strip():
        return
    site = service.catalog.site_code
    if called.appointment:
        send(settings.command, {
            "event": "called", "site": site, "code": called.appointment,
            "number": called.number, "counter": called.counter, "phone": _phone(
                service, called.appointment)})
    for place, ticket in enumerate(service.waiting(counter)[:settings.near], start=1):
        if ticket.appointment and _first_near(service, ticket.appointment):
            send(settings.command, {
                "event": "near", "site": site, "code": ticket.appointment,
                "number": ticket.number, "ahead": place - 1, "counter": counter,
                "phone": _phone(service, ticket.appointment)})


def _first_near(service: QueueReader, code: str) -> bool:
    """Marks the booking as told its turn is near; true only the first time, whichever
    process calls first."""
    with service.store.write() as conn:
        return conn.execute(update(booking_t).where(
            booking_t.c.site_id == service.site_id, booking_t.c.code == code,
            booking_t.c.near_sent.is_(False)).values(near_sent=True)).rowcount == 1


def _phone(service: QueueReader, code: str) -> str | None:
    with service.store.read() as conn:
        return conn.execute(select(booking_t.c.phone).where(
            booking_t.c.site_id == service.site_id, booking_t.c.code == code)).scalar()
