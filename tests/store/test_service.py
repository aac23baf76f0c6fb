"""Every queue operation and illegal transition, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import random
import threading
import unicodedata
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from queue_kiosk.config.hall import CounterConfig
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.domain.errors import IllegalTransition, NotFound, Refused
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.events import ChangeFeed
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import event_t, ticket_t
from tests.conftest import VN, make_service, small_hall


def events(store: Store, kind: str) -> list[dict[str, object]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(event_t.c.detail).where(event_t.c.kind == kind)
                            .order_by(event_t.c.id)).scalars().all()
    return [json.loads(d) if d else {} for d in rows]


def count_tickets(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(ticket_t)).scalar_one())


# ----- issuing ---------------------------------------------------------------------------

def test_numbers_run_per_field_with_prefix_or_block(service: QueueService) -> None:
    issued = [service.issue(code).number for code in ["B", "B", "A", "C", "C", "B"]]
    assert issued == ["B001", "B002", "A001", "1001", "1002", "B003"]


def test_issued_ticket_tells_where_to_go_and_how_long(service: QueueService) -> None:
    first = service.issue("B")
    second = service.issue("Hộ tịch")
    assert (first.ahead, second.ahead) == (0, 1)
    assert second.counters == ["1"]
    assert second.eta_minutes == 12  # one citizen ahead, 12 configured minutes, one counter
    assert second.status == "waiting"
    assert len(second.token) >= 22 and second.token != first.token  # >= 128 bits


def test_the_field_list_the_ticket_and_its_page_give_one_estimate(
        service: QueueService, clock: FrozenClock) -> None:
    """Issuing computes its estimate in one fused query; the ticket page and the kiosk's
    field list ask on their own. Over a seeded mix of priority tickets, services of varying
    length and pauses, all must always agree."""
    rng = random.Random(7)
    checked: set[tuple[bool, bool, int | None]] = set()
    for _ in range(160):
        clock.advance(seconds=rng.randint(5, 400))
        step = rng.random()
        counter = rng.choice(["1", "2"])
        if step < 0.5:
            field = rng.choice(["A", "B", "C"])
            foreseen = {q.field: q.eta_minutes for q in service.field_queues()}[field]
            try:
                issued = service.issue(field, priority="elderly" if rng.random() < 0.3 else None)
            except Refused:  # A's daily cap, or C while counter 2 is paused
                continue
            again = service.ticket(issued.number)
            assert (issued.ahead, issued.eta_minutes) == (again.ahead, again.eta_minutes)
            if issued.priority is None:  # the kiosk's field list foresees a normal ticket
                assert issued.eta_minutes == foreseen
            checked.add((issued.priority is not None, bool(issued.ahead), issued.eta_minutes))
            continue
        desk = service.counter(counter)
        if desk.paused_reason is not None:
            service.resume(counter)
        elif desk.current is not None:
            service.finish(counter)
        elif step < 0.85:
            if service.call_next(counter) is not None:
                service.start(counter)
        else:
            service.pause(counter, "Đi họp")
    priority_seen = {p for p, _, _ in checked}
    assert priority_seen == {False, True} and any(ahead for _, ahead, _ in checked)
    assert None in {eta for *_, eta in checked}  # issued while its only counter was paused
    assert len({eta for *_, eta in checked}) > 5  # and the estimate did move


@pytest.mark.parametrize("mode", ["interleave", "strict"])
def test_the_count_ahead_is_each_ticket_s_place_when_its_counter_calls(
        store: Store, clock: FrozenClock, mode: str) -> None:
    """Counter 2 alone serves field C. Whatever the mix of classes and the counter's streak,
    the "ahead" a waiting ticket shows is how many the counter then calls before it."""
    service = make_service(store, clock, small_hall(priority_mode=mode))
    service.issue("C")
    service.call_next("2")
    service.finish("2")  # a normal ticket called: the counter's streak is now 1
    mix = [None, None, "elderly", None, "elderly", "elderly", None, None, "elderly", None]
    numbers = []
    for priority in mix:
        clock.advance(seconds=30)
        numbers.append(service.issue("C", priority=priority).number)
    ahead = {number: service.ticket(number).ahead for number in numbers}
    called = []
    while (ticket := service.call_next("2")) is not None:
        called.append(ticket.number)
        service.finish("2")
    assert sorted(called) == sorted(numbers)
    assert ahead == {number: called.index(number) for number in numbers}
    assert called != numbers  # the priority mode did reorder the line


def test_procedure_and_accentless_names_resolve(service: QueueService) -> None:
    by_procedure = service.issue("A1")
    assert (by_procedure.field, by_procedure.procedure) == ("A", "A1")
    assert by_procedure.procedure_name == "Chứng thực chữ ký"
    assert service.issue("ho tich").field == "B"
    assert service.issue(unicodedata.normalize("NFD", "Đất đai")).field == "C"


def test_unknown_field_and_priority_are_refused(service: QueueService, store: Store) -> None:
    with pytest.raises(NotFound, match="No field or procedure 'Z'"):
        service.issue("Z")
    with pytest.raises(NotFound, match="No priority category 'vip'"):
        service.issue("B", priority="vip")
    assert count_tickets(store) == 0


def test_daily_cap_refuses_cleanly_and_resets_next_day(service: QueueService, store: Store,
                                                      clock: FrozenClock) -> None:
    for _ in range(5):
        service.issue("A")
    with pytest.raises(Refused) as refused:
        service.issue("A")
    assert "reached today's limit of 5" in refused.value.message("en")
    assert count_tickets(store) == 5
    assert [q.state for q in service.field_queues() if q.field == "A"] == ["capped"]
    clock.advance(days=1)
    assert service.issue("A").number == "A001"


def test_outside_opening_hours_nothing_is_issued(store: Store, clock: FrozenClock) -> None:
    service = make_service(store, clock, small_hall())
    clock.set(datetime(2026, 11, 25, 12, 15, tzinfo=VN))  # lunch break
    with pytest.raises(Refused, match="Closed now"):
        service.issue("B")
    clock.set(datetime(2026, 11, 28, 9, 0, tzinfo=VN))  # Saturday
    with pytest.raises(Refused, match="Today, Saturday 28/11/2026, the centre is closed"):
        service.issue("B")
    assert count_tickets(store) == 0


def test_hours_not_enforced_when_configured_off(store: Store, clock: FrozenClock) -> None:
    hall = small_hall().model_copy(update={"hours": small_hall().hours.model_copy(
        update={"enforce": False})})
    service = make_service(store, clock, hall)
    clock.set(datetime(2026, 11, 28, 22, 0, tzinfo=VN))
    assert service.issue("B").number == "B001"


def test_numbering_resumes_after_a_restart(store: Store, clock: FrozenClock,
                                           db_url: str) -> None:
    from queue_kiosk.store.store import Store

    make_service(store, clock, small_hall()).issue("B")
    store.dispose()  # the power cut: a new process, a new store
    again = QueueService(Store(db_url), clock=clock)
    assert again.issue("B").number == "B002"


def test_the_day_turns_at_local_midnight_not_utc(service: QueueService,
                                                 clock: FrozenClock) -> None:
    clock.set(datetime(2026, 11, 25, 16, 0, tzinfo=VN))
    assert service.issue("B").day.isoformat() == "2026-11-25"
    # 07:31 local on the 26th is 00:31 UTC: a new local day, so numbers start again.
    clock.set(datetime(2026, 11, 26, 7, 31, tzinfo=VN))
    fresh = service.issue("B")
    assert (fresh.number, fresh.day.isoformat()) == ("B001", "2026-11-26")


def test_yesterdays_waiting_ticket_is_not_called_today(service: QueueService,
                                                       clock: FrozenClock) -> None:
    service.issue("B")
    clock.advance(days=1)
    assert service.call_next("1") is None


def test_closed_field_issues_nothing_until_reopened(service: QueueService) -> None:
    waiting = service.issue("B")
    assert service.close_field("B", "Mất điện", cancel_waiting=True) == 1
    assert service.ticket(waiting.number).status == "cancelled"
    with pytest.raises(Refused, match="not taking tickets now: Mất điện"):
        service.issue("B")
    assert [q.state for q in service.field_queues() if q.field == "B"] == ["closed"]
    service.reopen_field("B")
    assert service.issue("B").number == "B002"


# ----- calling and serving -----------------------------------------------------------------

def test_calls_follow_issue_order_and_an_empty_queue_returns_none(
        service: QueueService) -> None:
    numbers = [service.issue("B").number for _ in range(3)]
    called = []
    for _ in range(3):
        ticket = service.call_next("1")
        assert ticket is not None and ticket.status == "called" and ticket.counter == "1"
        called.append(ticket.number)
        service.finish("1")
    assert called == numbers
    assert service.call_next("1") is None


def test_primary_field_first_unless_secondary_waited_too_long(
        service: QueueService, clock: FrozenClock) -> None:
    service.issue("A")
    clock.advance(minutes=1)
    service.issue("B")
    first = service.call_next("1")
    assert first is not None and first.number == "B001"  # B is counter 1's primary field
    service.finish("1")
    service.issue("B")
    clock.advance(minutes=25)  # A001 has now waited beyond the 20-minute bound
    second = service.call_next("1")
    assert second is not None and second.number == "A001"


def test_interleave_calls_one_priority_after_every_two_normal(service: QueueService,
                                                              clock: FrozenClock) -> None:
    for _ in range(4):
        service.issue("B")
    for _ in range(2):
        service.issue("B", priority="elderly")
    order = []
    for _ in range(6):
        ticket = service.call_next("1")
        assert ticket is not None
        order.append((ticket.number, ticket.priority))
        service.finish("1")
    assert order == [("B001", None), ("B002", None), ("B005", "elderly"),
                     ("B003", None), ("B004", None), ("B006", "elderly")]


def test_strict_priority_jumps_the_queue(store: Store, clock: FrozenClock) -> None:
    service = make_service(store, clock, small_hall(priority_mode="strict"))
    service.issue("B")
    service.issue("B", priority="Người cao tuổi")
    ticket = service.call_next("1")
    assert ticket is not None and ticket.number == "B002"


def test_a_counter_holds_one_ticket_at_a_time(service: QueueService) -> None:
    service.issue("B")
    service.issue("B")
    service.call_next("1")
    with pytest.raises(IllegalTransition, match="still has B001"):
        service.call_next("1")


def test_recall_limit_turns_the_ticket_into_a_no_show(store: Store,
                                                      clock: FrozenClock) -> None:
    service = make_service(store, clock, small_hall(recall_limit=2))
    service.issue("B")
    service.call_next("1")
    assert service.recall("1").recalls == 1
    assert service.recall("1").recalls == 2
    final = service.recall("1")
    assert (final.status, final.recalls) == ("no_show", 2)
    assert service.current("1") is None
    assert events(store, "no_show") == [{"after_recalls": 2}]


def test_illegal_transitions_are_refused(service: QueueService) -> None:
    with pytest.raises(IllegalTransition, match="no ticket called"):
        service.finish("1")
    service.issue("B")
    service.call_next("1")
    service.start("1")
    with pytest.raises(IllegalTransition, match="B001 is Being served: cannot mark it absent"):
        service.no_show("1")
    with pytest.raises(IllegalTransition, match="cannot start serving it"):
        service.start("1")
    with pytest.raises(IllegalTransition, match="cannot recall it"):
        service.recall("1")
    with pytest.raises(IllegalTransition, match="cannot put it back in line"):
        service.return_ticket("B001")
    with pytest.raises(NotFound, match="No counter '9'"):
        service.call_next("9")


def test_finish_records_times_and_a_single_rating(service: QueueService,
                                                  clock: FrozenClock) -> None:
    service.issue("B")
    clock.advance(minutes=3)
    service.call_next("1")
    clock.advance(minutes=1)
    service.start("1")
    clock.advance(minutes=9)
    done = service.finish("1", rating="Rất hài lòng")
    assert done.status == "done"
    assert done.finished_at is not None and done.started_at is not None
    assert done.finished_at - done.started_at == timedelta(minutes=9)
    with pytest.raises(Refused, match="already been rated"):
        service.rate("B001", "1")


def test_rating_needs_a_finished_ticket_and_a_known_level(service: QueueService) -> None:
    ticket = service.issue("B")
    with pytest.raises(Refused, match="not finished"):
        service.rate(ticket.number, "3")
    service.call_next("1")
    service.finish("1")
    with pytest.raises(NotFound, match="not on the scale"):
        service.rate(ticket.token, "10")
    assert service.rate(ticket.token, "hai long").number == "B001"


@pytest.mark.parametrize(("return_after", "order"), [
    (2, ["B002", "B003", "B001", "B004", "B005"]),
    (0, ["B001", "B002", "B003", "B004", "B005"]),  # "behind none": first in line
    (9, ["B002", "B003", "B004", "B005", "B001"]),  # fewer wait: at the back
])
def test_a_returning_no_show_goes_behind_the_first_return_after_waiting(
        store: Store, clock: FrozenClock, return_after: int, order: list[str]) -> None:
    service = make_service(store, clock, small_hall(return_after=return_after))
    for _ in range(5):
        service.issue("B")
        clock.advance(seconds=30)
    service.call_next("1")
    service.no_show("1")
    returned = service.return_ticket("b1")
    assert (returned.status, returned.ahead) == ("waiting", order.index("B001"))
    assert [t.number for t in service.waiting("1")] == order


def test_call_a_specific_number_brings_back_a_no_show(service: QueueService) -> None:
    service.issue("B")
    service.issue("B")
    service.call_next("1")
    service.no_show("1")
    again = service.call_number("1", "B001")
    assert (again.number, again.status, again.counter) == ("B001", "called", "1")
    service.issue("C")
    service.finish("1")
    with pytest.raises(IllegalTransition, match="does not serve Đất đai"):
        service.call_number("1", "1001")


def test_a_scanned_ticket_qr_calls_that_ticket(service: QueueService) -> None:
    service.issue("B")
    wanted = service.issue("B")
    called = service.call_number("1", f"QK1:test:20261125:B002:{wanted.token}")
    assert (called.number, called.status) == ("B002", "called")


def test_transfer_to_a_field_keeps_number_and_place(service: QueueService, store: Store,
                                                    clock: FrozenClock) -> None:
    service.issue("B")
    clock.advance(minutes=5)
    service.issue("C")
    service.call_next("1")
    moved = service.transfer("1", "C")
    assert (moved.number, moved.field, moved.status, moved.transfers) == ("B001", "C",
                                                                          "waiting", 1)
    assert moved.issued_at == datetime(2026, 11, 25, 8, 0, tzinfo=VN)
    first_at_2 = service.call_next("2")
    assert first_at_2 is not None and first_at_2.number == "B001"  # issued before 1001
    assert events(store, "transferred") == [{"from_field": "B", "to_field": "C",
                                              "from_counter": "1", "to_counter": None}]


def test_transfer_to_a_counter_only_that_counter_calls_it(service: QueueService) -> None:
    service.issue("C")
    service.call_next("2")
    service.transfer("2", "counter:1")
    ticket = service.call_next("1")
    assert ticket is not None and ticket.number == "1001"
    with pytest.raises(IllegalTransition, match="already at"):
        service.transfer("1", "1")
    with pytest.raises(NotFound, match="No field or counter 'X'"):
        service.transfer("1", "X")


def test_paused_counter_calls_nothing_and_drops_out_of_estimates(
        service: QueueService) -> None:
    service.issue("C")
    paused = service.pause("2", "Đi họp")
    assert paused.paused_reason == "Đi họp"
    with pytest.raises(IllegalTransition, match="paused"):
        service.call_next("2")
    assert service.issue("C").eta_minutes is None
    assert [q.state for q in service.field_queues() if q.field == "C"] == ["no_counter"]
    service.resume("2")
    with pytest.raises(IllegalTransition, match="not paused"):
        service.resume("2")
    assert service.call_next("2") is not None


def test_one_counter_in_one_read(service: QueueService) -> None:
    service.issue("B")
    service.call_next("1")
    service.pause("2", "Đi họp")
    one, two = service.counter("1"), service.counter("2")
    assert (one.current and one.current.number, one.paused_reason) == ("B001", None)
    assert (two.current, two.paused_reason) == (None, "Đi họp")


def test_the_board_reads_as_many_statements_for_twelve_counters_as_for_two(
        store: Store, clock: FrozenClock) -> None:
    """The TV's board is read after every call: a read per counter or per field (40 for ten
    counters) kept the next call off the TV while it ran."""
    hall = small_hall()
    codes = [f.code for f in hall.fields]
    counted: list[int] = []
    for counters in (2, 12):
        service = make_service(store, clock, hall.model_copy(update={"counters": [
            CounterConfig(code=str(n), name=f"Quầy {n}", fields=codes)
            for n in range(1, counters + 1)]}))
        for n in range(1, counters + 1):
            service.issue("B")
            service.call_next(str(n))
        service.finish("1")
        counted.append(0)

        def count(*_: object) -> None:
            counted[-1] += 1
        event.listen(store.engine, "before_cursor_execute", count)
        board = service.board()
        event.remove(store.engine, "before_cursor_execute", count)
        assert len(board.counters) == counters and board.counters[-1].current is not None
        for n in range(2, counters + 1):  # the next hall may then change every counter
            service.finish(str(n))
    assert counted[0] == counted[1] <= 12


def test_a_serving_counter_cannot_pause(service: QueueService) -> None:
    service.check_idle("2")  # nobody at the counter: it may pause
    service.issue("C")
    service.call_next("2")
    # Asked before the pause (the counter screen does, before asking the reason).
    with pytest.raises(IllegalTransition, match="still has 1001"):
        service.check_idle("2")
    with pytest.raises(IllegalTransition, match="still has 1001"):
        service.pause("2", "Nghỉ")


def test_close_day_expires_the_waiting_and_the_called(service: QueueService,
                                                      store: Store) -> None:
    for _ in range(3):
        service.issue("B")
    service.issue("C")
    service.call_next("1")
    service.call_next("2")
    service.start("2")
    closed = service.close_day()
    assert (closed.expired, closed.carried_over, closed.still_serving) == (3, 0, ["1001"])
    assert service.current("1") is None
    assert len(events(store, "expired")) == 3


def test_carry_over_keeps_the_waiting_for_tomorrow(store: Store, clock: FrozenClock) -> None:
    service = make_service(store, clock, small_hall(carry_over=True))
    service.issue("B")
    closed = service.close_day()
    assert (closed.expired, closed.carried_over) == (0, 1)
    clock.advance(days=1)
    ticket = service.call_next("1")
    assert ticket is not None and ticket.number == "B001"


def test_every_change_is_in_the_event_log(service: QueueService, store: Store) -> None:
    service.issue("B")
    service.call_next("1")
    service.recall("1")
    service.start("1")
    service.finish("1", rating="3")
    with store.engine.connect() as conn:
        kinds = conn.execute(select(event_t.c.kind).where(event_t.c.ticket_id.is_not(None))
                             .order_by(event_t.c.id)).scalars().all()
    assert kinds == ["issued", "called", "recalled", "started", "finished", "rated"]


def test_board_shows_counters_calls_queues_and_printer_state(service: QueueService) -> None:
    ticket = service.issue("B")
    service.issue("B")
    service.issue("C")
    service.call_next("1")
    service.pause("2", "Đi họp")
    service.record_print(ticket.id, ok=False, detail="hết giấy")
    board = service.board()
    one, two = board.counters
    assert one.current is not None and one.current.number == "B001"
    assert (two.paused_reason, two.current) == ("Đi họp", None)
    assert [(c.number, c.counter) for c in board.recent_calls] == [("B001", "1")]
    assert {q.field: q.waiting for q in board.waiting} == {"A": 0, "B": 1, "C": 1}
    assert board.printer_failed == "hết giấy"
    service.record_print(ticket.id, ok=True)
    assert service.board().printer_failed is None


def test_change_feed_wakes_a_follower(service: QueueService, store: Store) -> None:
    feed = ChangeFeed(store, service.site_id)
    start = feed.last_id()
    assert feed.wait(start, timeout=0.2) == start
    timer = threading.Timer(0.2, lambda: service.issue("B"))
    timer.start()
    try:
        newest = feed.wait(start, timeout=10)
    finally:
        timer.join()
        feed.close()
    assert newest > start
    change = feed.changes(start)[-1]
    assert (change.kind, change.number) == ("issued", "B001")


def test_counter_figures_for_today(service: QueueService, clock: FrozenClock) -> None:
    for _ in range(3):
        service.issue("B")
    for minutes in (6, 10):
        service.call_next("1")
        service.start("1")
        clock.advance(minutes=minutes)
        service.finish("1")
    service.call_next("1")
    service.no_show("1")
    figures = service.counter_figures("1")
    assert (figures.served, figures.no_shows, figures.average_service_minutes) == (2, 1, 8.0)


def test_a_refused_change_names_the_action_in_the_users_language(service: QueueService) -> None:
    service.issue("B")
    service.call_next("1")
    with pytest.raises(IllegalTransition) as refused:
        service.return_ticket("B001")
    assert refused.value.message("vi") == \
        "Số B001 đã được gọi tại quầy 1 (Đang mời): không thể đưa lại vào hàng chờ"
