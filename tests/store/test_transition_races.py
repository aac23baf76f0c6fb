"""Two counters (or a counter and the administrator) acting on one ticket at the same instant,
in separate processes: whatever the pair, the event log replays as legal transitions only, the
ticket ends in the state the log says, and where only one may win, exactly one wins."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from queue_kiosk.config.hall import parse_hall
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import counter_t, event_t, ticket_t
from tests.conftest import MORNING
from tests.store import race_workers

pytestmark = pytest.mark.slow
ROUNDS = 24

# Counters 1 and 6 share Hộ tịch (B), as in a hall where two desks take civil status.
HALL = parse_hall("""
[site]
code = "race"
name = "Trung tâm Phục vụ hành chính công xã Thử"
[hours]
enforce = false
[[fields]]
code = "A"
prefix = "A"
name = "Chứng thực"
[[fields]]
code = "B"
prefix = "B"
name = "Hộ tịch"
[[counters]]
code = "1"
name = "Tư pháp - Hộ tịch"
fields = ["B", "A"]
[[counters]]
code = "6"
name = "Hộ tịch"
fields = ["B"]
""")

# From which states each logged change is legal, and the state it leaves.
LEGAL = {"issued": ((None,), "waiting"), "called": (("waiting",), "called"),
         "recalled": (("called",), "called"), "started": (("called",), "serving"),
         "finished": (("called", "serving"), "done"), "no_show": (("called",), "no_show"),
         "returned": (("no_show",), "waiting"), "transferred": (("called", "serving"), "waiting"),
         "expired": (("waiting", "called"), "expired"), "cancelled": (("waiting",), "cancelled")}


@dataclass
class Hall:
    store: Store
    service: QueueService
    commands: tuple[Any, Any]
    barrier: Any
    out: Any

    def race(self, first: tuple[str, tuple[Any, ...], dict[str, Any]],
             second: tuple[str, tuple[Any, ...], dict[str, Any]]) -> list[tuple[str, Any]]:
        self.commands[0].put(first)
        self.commands[1].put(second)
        return [self.out.get(timeout=60), self.out.get(timeout=60)]

    def replay(self, ticket_id: int) -> tuple[str, str | None]:
        """The ticket's state by its event log; fails on any change from a state that does not
        allow it (a second call, a no-show undone behind a counter…)."""
        with self.store.engine.connect() as conn:
            codes: dict[int, str] = dict(
                conn.execute(select(counter_t.c.id, counter_t.c.code)).all())
            log = conn.execute(select(event_t.c.kind, event_t.c.counter_id).where(
                event_t.c.ticket_id == ticket_id).order_by(event_t.c.id)).all()
            row = conn.execute(select(ticket_t).where(ticket_t.c.id == ticket_id)).one()
        state: str | None = None
        counter: str | None = None
        for kind, counter_id in log:
            if kind not in LEGAL:
                continue
            allowed, after = LEGAL[kind]
            assert state in allowed, f"{row.number}: {kind} logged while {state}: " \
                                     f"{[k for k, _ in log]}"
            if kind == "called":
                counter = codes[counter_id]
            elif kind in ("transferred", "returned"):
                counter = None
            state = after
        shown = codes.get(row.counter_id) if row.status in ("called", "serving") else None
        assert (row.status, shown) == (state, counter if state in ("called", "serving")
                                       else None), f"{row.number}: row disagrees with its log"
        return state or "", counter

    def clean_up(self) -> None:
        for code in ("1", "6"):
            view = self.service.counter(code)
            if view.paused_reason is not None:
                self.service.resume(code)
            if view.current is not None:
                self.service.finish(code)
        for field in ("A", "B"):  # each round starts with nobody waiting
            self.service.close_field(field, "Dọn", cancel_waiting=True)
            self.service.reopen_field(field)


@pytest.fixture
def hall(store: Store, db_url: str) -> Iterator[Hall]:
    clock = FrozenClock(MORNING)
    load_catalog(store, HALL, clock)
    service = QueueService(store, clock=clock)
    ctx = multiprocessing.get_context("spawn")
    commands = (ctx.Queue(), ctx.Queue())
    barrier, out = ctx.Barrier(2), ctx.Queue()
    workers = [ctx.Process(target=race_workers.act_on_command,
                           args=(db_url, MORNING, queue, barrier, out)) for queue in commands]
    for worker in workers:
        worker.start()
    try:
        yield Hall(store, service, commands, barrier, out)
    finally:
        for queue in commands:
            queue.put(None)
        for worker in workers:
            worker.join(timeout=30)


def op(method: str, *args: Any, **kwargs: Any) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
    return method, args, kwargs


def waiting(service: QueueService) -> str:
    return service.issue("B").number


def no_show(service: QueueService) -> str:
    number = service.issue("B").number
    service.call_number("1", number)
    service.no_show("1")
    return number


def called_at_1(service: QueueService) -> str:
    number = service.issue("B").number
    service.call_number("1", number)
    return number


def two_waiting(service: QueueService) -> str:
    number = service.issue("B").number
    service.issue("B")
    return number


# (setup, the two racing operations (given the number), how many may win at most)
SCENARIOS: dict[str, tuple[Callable[[QueueService], str], Callable[[str], Any], int]] = {
    "call-next@1 / call-number@6": (waiting, lambda n: (op("call_next", "1"),
                                                        op("call_number", "6", n)), 1),
    "call-number@1 / call-number@6": (waiting, lambda n: (op("call_number", "1", n),
                                                          op("call_number", "6", n)), 1),
    "return / call-number@6 (a no-show)": (no_show, lambda n: (op("return_ticket", n),
                                                               op("call_number", "6", n)), 2),
    "return / return": (no_show, lambda n: (op("return_ticket", n), op("return_ticket", n)), 1),
    "close-field cancelling / call-next@6": (
        waiting, lambda n: (op("close_field", "B", "Mất điện", cancel_waiting=True),
                            op("call_next", "6")), 2),
    "close-day / finish@1": (called_at_1, lambda n: (op("close_day"), op("finish", "1")), 2),
    "finish@1 / no-show@1 (two sessions)": (called_at_1, lambda n: (
        op("finish", "1"), op("no_show", "1")), 1),
    "transfer@1 / finish@1 (two sessions)": (called_at_1, lambda n: (
        op("transfer", "1", "A"), op("finish", "1")), 1),
    "recall@1 / start@1 (two sessions)": (called_at_1, lambda n: (
        op("recall", "1"), op("start", "1")), 2),
    # The claim itself checks the counter is idle: the loser is told the counter is busy.
    "call-next@1 / call-next@1 (two sessions)": (two_waiting, lambda n: (
        op("call_next", "1"), op("call_next", "1")), 1),
    "pause@6 / call-next@6 (two sessions)": (waiting, lambda n: (
        op("pause", "6", "Đi họp"), op("call_next", "6")), 1),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_racing_transitions_keep_every_ticket_consistent(hall: Hall, scenario: str) -> None:
    setup, racing, most_winners = SCENARIOS[scenario]
    for _ in range(ROUNDS):
        number = setup(hall.service)
        ticket_id = hall.service.ticket(number).id
        results = hall.race(*racing(number))
        state, counter = hall.replay(ticket_id)
        winners = [r for kind, r in results if kind == "ok" and r is not None]
        assert 1 <= len(winners) <= most_winners, (scenario, results)
        for kind, result in results:
            assert kind == "ok" or result in ("ticket.taken", "ticket.state", "counter.busy",
                                              "counter.paused", "counter.idle"), results
        if state == "called":  # whoever holds it is the counter that was told it does
            assert hall.service.current(counter or "").number == number  # type: ignore[union-attr]
        hall.clean_up()
