"""Worker processes for the race tests (a module of its own so `spawn` can import it)."""

from __future__ import annotations

import random
from multiprocessing.synchronize import Event
from typing import Any

from sqlalchemy import select

from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import ticket_t


def _service(url: str, start: Any) -> QueueService:
    return QueueService(Store(url), clock=FrozenClock(start))


def issue_many(url: str, start: Any, count: int, fields: list[str], seed: int,
               out: Any, barrier: Any = None) -> None:
    rng = random.Random(seed)
    service = _service(url, start)
    issued = []
    if barrier is not None:
        barrier.wait()
    for _ in range(count):
        priority = "elderly" if rng.random() < 0.2 else None
        ticket = service.issue(rng.choice(fields), priority=priority)
        issued.append((ticket.id, ticket.number))
    out.put(("issued", issued))


def call_until_done(url: str, start: Any, counter: str, issuing_done: Event, out: Any,
                    barrier: Any = None) -> None:
    """Call and finish tickets; before each call, note which tickets were visibly waiting
    (a committed snapshot), so the test can tell a real overtake from a late commit. Where
    another process acts as the same counter, a call while it holds a ticket is refused
    (counted as `busy`)."""
    from queue_kiosk.domain.errors import IllegalTransition

    service = _service(url, start)
    calls = []
    busy = 0
    if barrier is not None:
        barrier.wait()
    while True:
        with service.store.read() as conn:
            visible = conn.execute(select(ticket_t.c.id).where(
                ticket_t.c.status == "waiting")).scalars().all()
        finished_issuing = issuing_done.is_set()
        try:
            ticket = service.call_next(counter)
        except IllegalTransition as exc:
            if exc.code != "counter.busy":
                raise
            busy += 1
            continue
        if ticket is None:
            if finished_issuing:
                break
            continue
        calls.append((ticket.id, list(visible)))
        service.finish(counter)
    out.put(("called", calls))
    out.put(("busy", busy))


def act_on_command(url: str, start: Any, commands: Any, barrier: Any, out: Any) -> None:
    """One counter PC: for each command (a service method and its arguments; "desk.NAME",
    a method of the bookings' desk), wait at the barrier with the other processes, act at
    the same instant, report what happened."""
    from queue_kiosk.domain.errors import QueueError
    from queue_kiosk.service.appointments import Appointments

    service = _service(url, start)
    desk = Appointments(service)
    while (command := commands.get()) is not None:
        method, args, kwargs = command
        service.refresh()
        target: Any = service
        if method.startswith("desk."):
            target, method = desk, method.removeprefix("desk.")
        barrier.wait()
        try:
            result = getattr(target, method)(*args, **kwargs)
            out.put(("ok", getattr(result, "number", result)))
        except QueueError as exc:
            out.put(("refused", exc.code))


def book_at_once(url: str, start: Any, field: str, day: Any, at: str, barrier: Any,
                 out: Any) -> None:
    """One citizen's phone booking the same slot as everyone else, at the same instant."""
    from queue_kiosk.domain.errors import QueueError
    from queue_kiosk.service.appointments import Appointments

    desk = Appointments(_service(url, start))
    barrier.wait()
    try:
        out.put(("ok", desk.book(field, day, at).code))
    except QueueError as exc:
        out.put(("refused", exc.code))


def check_in_at_once(url: str, start: Any, code: str, barrier: Any, out: Any) -> None:
    """One kiosk scanning a booking's QR as another scans the same one."""
    from queue_kiosk.domain.errors import QueueError
    from queue_kiosk.service.appointments import Appointments

    desk = Appointments(_service(url, start))
    barrier.wait()
    try:
        out.put(("ok", desk.checkin(code).number))
    except QueueError as exc:
        out.put(("refused", exc.code))


def deliver_at_once(url: str, barrier: Any, out: Any) -> None:
    """One deliverer (`notify --once`) started at the same instant as another."""
    from queue_kiosk.service.deliver import Deliverer
    from queue_kiosk.service.reading import QueueReader

    deliverer = Deliverer(QueueReader(Store(url)))
    barrier.wait()
    out.put(deliverer.deliver_pending())


def deliver_forever(url: str, timeout: float, lease: float) -> None:
    """A deliverer serving until it is killed."""
    from queue_kiosk.service.deliver import Deliverer
    from queue_kiosk.service.reading import QueueReader

    Deliverer(QueueReader(Store(url)), timeout=timeout, lease=lease).serve(poll=0.1)
