"""Bookings changed by several processes at the same instant (started at a barrier), on both
databases: of the transitions out of "booked" (cancel, check-in, missed, close-day) exactly
one wins, and every slot's count equals its live bookings (those not cancelled) after."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from queue_kiosk.config.hall import AppointmentsConfig
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.domain.models import BookingStatus
from queue_kiosk.service.appointments import Appointments
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import booking_slot_t, booking_t, ticket_t
from tests.conftest import MORNING, make_service, small_hall
from tests.store import race_workers

pytestmark = pytest.mark.slow
PROCESSES = 6
DAY = MORNING.date()
# Today's morning slots of Hộ tịch (B, 12 min, room for 2 or 3 each), all open to check-in
# from 08:00 (the workers' clock).
SLOTS = ["08:00", "08:30", "09:00", "09:30", "10:00", "10:30"]
LOSING = {"booking.not_booked", "booking.used"}


@dataclass
class Desks:
    store: Store
    desk: Appointments
    commands: list[Any]
    out: Any

    def race(self, *ops: tuple[str, tuple[Any, ...]]) -> list[tuple[str, Any]]:
        for queue, (method, args) in zip(self.commands, ops, strict=True):
            queue.put((method, args, {}))
        return [self.out.get(timeout=120) for _ in ops]


@pytest.fixture
def desks(store: Store, db_url: str) -> Iterator[Desks]:
    hall = small_hall().model_copy(update={"appointments": AppointmentsConfig(
        enabled=True, share=1.0, cutoff_minutes=0, early_minutes=240)})
    desk = Appointments(make_service(store, FrozenClock(MORNING), hall))
    ctx = multiprocessing.get_context("spawn")
    commands = [ctx.Queue() for _ in range(PROCESSES)]
    barrier, out = ctx.Barrier(PROCESSES), ctx.Queue()
    workers = [ctx.Process(target=race_workers.act_on_command,
                           args=(db_url, MORNING, queue, barrier, out)) for queue in commands]
    for worker in workers:
        worker.start()
    try:
        yield Desks(store, desk, commands, out)
    finally:
        for queue in commands:
            queue.put(None)
        for worker in workers:
            worker.join(timeout=30)


def counts_match_live_bookings(store: Store, day: date) -> list[tuple[str, int, int]]:
    """Each slot of `day`: (slot, its count, its bookings not cancelled)."""
    with store.read() as conn:
        counted = dict(conn.execute(select(booking_slot_t.c.slot, booking_slot_t.c.booked)
                                    .where(booking_slot_t.c.day == day)).all())
        live: dict[str, int] = dict(conn.execute(select(booking_t.c.slot, func.count()).where(
            booking_t.c.day == day, booking_t.c.status != BookingStatus.CANCELLED)
            .group_by(booking_t.c.slot)).all())
    return [(slot, counted[slot], live.get(slot, 0)) for slot in sorted(counted)]


def test_many_cancelling_one_booking_cancel_it_once(desks: Desks) -> None:
    """Six processes cancel one code at once, next to a booking of the same slot that
    stays: one cancel wins, and the slot still counts the booking that stays."""
    wins = []
    for slot in SLOTS:
        desks.desk.book("B", DAY, slot)  # stays
        code = desks.desk.book("B", DAY, slot).code
        results = desks.race(*[("desk.cancel", (code,))] * PROCESSES)
        wins.append(sum(kind == "ok" for kind, _ in results))
        assert {result for kind, result in results if kind != "ok"} <= LOSING, results
    counts = counts_match_live_bookings(desks.store, DAY)
    assert (wins, [c for c in counts if c[1] != c[2]]) == ([1] * len(SLOTS), [])


def test_cancel_and_check_in_at_once_one_wins(desks: Desks) -> None:
    """Three processes cancel a code while three check it in: either it is cancelled and
    no ticket exists for it, or one ticket exists and it stays counted."""
    for slot in SLOTS:
        desks.desk.book("B", DAY, slot)
        code = desks.desk.book("B", DAY, slot).code
        half = PROCESSES // 2
        results = desks.race(*[("desk.cancel", (code,))] * half,
                             *[("desk.checkin", (code,))] * half)
        assert sum(kind == "ok" for kind, _ in results) == 1, results
        assert {result for kind, result in results if kind != "ok"} <= LOSING, results
        with desks.store.read() as conn:
            tickets = conn.execute(select(func.count()).where(
                ticket_t.c.appointment == code)).scalar_one()
        status = desks.desk.find(code).status
        assert (status, tickets) in ((BookingStatus.CANCELLED, 0),
                                     (BookingStatus.CHECKED_IN, 1)), results
    assert [c for c in counts_match_live_bookings(desks.store, DAY) if c[1] != c[2]] == []


def test_close_day_and_cancel_at_once_one_wins(desks: Desks) -> None:
    """Close-day (marking the day's bookings missed) against cancels of the same code."""
    for slot in SLOTS[:3]:
        code = desks.desk.book("B", DAY, slot).code
        results = desks.race(("desk.end_of_day", (DAY,)),
                             *[("desk.cancel", (code,))] * (PROCESSES - 1))
        missed = next(result for kind, result in results if kind == "ok" and
                      isinstance(result, int))
        cancels = sum(kind == "ok" and not isinstance(result, int) for kind, result in results)
        assert missed + cancels == 1, results
    assert [c for c in counts_match_live_bookings(desks.store, DAY) if c[1] != c[2]] == []
