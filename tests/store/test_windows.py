"""Counters keeping hours of their own, on both databases: a counter outside its window serves
no estimate, no field state, no booking slot and raises no alert, yet still calls; the clock
frozen inside and outside the windows. The hall: small_hall's counter 2 (Đất đai, field C)
on Tuesday and Thursday mornings, and a counter 3 for Hộ tịch (B) on weekday afternoons."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from queue_kiosk.config.hall import AppointmentsConfig, HallConfig, check_hall
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.domain.errors import Refused
from queue_kiosk.service.alerts import evaluate
from queue_kiosk.service.appointments import Appointments
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.store import Store
from queue_kiosk.web.board import counter_state
from tests.conftest import MORNING, VN, make_service, small_hall

WED = MORNING.date()
THU = WED + timedelta(days=1)


def windowed_hall(**appointments: Any) -> HallConfig:
    data = small_hall().model_dump(mode="json")
    data["counters"][1]["hours"] = {"tue": ["07:30-11:30"], "thu": ["07:30-11:30"]}
    data["counters"].append({"code": "3", "name": "Một cửa buổi chiều", "fields": ["B"],
                             "hours": {day: ["13:30-17:00"]
                                       for day in ("mon", "tue", "wed", "thu", "fri")}})
    if appointments:
        data["appointments"] = AppointmentsConfig(enabled=True, **appointments).model_dump()
    return check_hall(data)


@pytest.fixture
def windowed(store: Store, clock: FrozenClock) -> QueueService:
    return make_service(store, clock, windowed_hall())


def at(clock: FrozenClock, day: date, hhmm: str) -> None:
    clock.set(datetime.combine(day, time.fromisoformat(hhmm), VN))


def field(service: QueueService, code: str) -> Any:
    return next(q for q in service.field_queues() if q.field == code)


def outside(service: QueueService) -> dict[str, bool]:
    return {c.code: c.outside_hours for c in service.board().counters}


def test_a_field_whose_counters_are_all_outside_their_windows_says_when_it_opens(
        windowed: QueueService, clock: FrozenClock) -> None:
    service = windowed  # Wednesday 08:00
    land = field(service, "C")
    assert (land.state, land.opens) == ("no_counter", datetime(2026, 11, 26, 7, 30,
                                                               tzinfo=VN))
    assert land.why_not("vi", service.today()) == "Tiếp nhận từ 07:30 thứ Năm"
    assert land.why_not("en", service.today()) == "Open from 07:30 on Thursday"
    assert outside(service) == {"1": False, "2": True, "3": True}
    assert service.counter("2").outside_hours
    assert service.issue("C").eta_minutes is None  # the kiosk offers it not; nothing lost
    at(clock, WED, "12:00")  # lunch: the centre is closed, a window closes nothing more
    assert outside(service) == {"1": False, "2": False, "3": False}
    at(clock, THU, "08:00")
    assert (field(service, "C").state, field(service, "C").opens) == ("open", None)
    assert service.issue("C").eta_minutes == 0
    assert field(service, "C").eta_minutes == 18
    assert service.issue("C").eta_minutes == 18
    at(clock, THU, "14:00")
    land = field(service, "C")
    assert land.state == "no_counter"
    assert land.why_not("vi", service.today()) == "Tiếp nhận từ 07:30 thứ Ba"


def test_estimates_count_only_the_counters_within_their_window(
        windowed: QueueService, clock: FrozenClock) -> None:
    """Hộ tịch (12 minutes): counter 1 all day, counter 3 from 13:30."""
    service = windowed
    for _ in range(3):
        service.issue("B")
    assert service.issue("B").eta_minutes == 36  # 3 ahead, one counter
    assert field(service, "B").eta_minutes == 48
    at(clock, WED, "14:00")
    assert service.issue("B").eta_minutes == 24  # 4 ahead, two counters
    assert service.ticket("B004").eta_minutes == 18
    assert field(service, "B").eta_minutes == 30
    service.pause("1", "Đi họp")
    assert service.issue("B").eta_minutes == 60  # counter 3 alone
    at(clock, WED, "10:00")
    queue = field(service, "B")  # counter 1 paused, counter 3 outside: the pause is why
    assert (queue.state, queue.opens) == ("no_counter", None)
    assert queue.why_not("vi", service.today()) == "Chưa có quầy mở"


def test_an_official_outside_the_window_still_calls_and_the_tile_says_so(
        windowed: QueueService, clock: FrozenClock) -> None:
    service = windowed
    ticket = service.issue("C")
    idle = service.counter("2")
    assert counter_state(idle, "vi") == ("Ngoài giờ tiếp nhận", "idle")
    assert counter_state(idle, "en") == ("Closed now", "idle")
    called = service.call_next("2")
    assert called is not None and called.number == ticket.number
    assert counter_state(service.counter("2"), "vi")[1] == "calling"
    service.finish("2")
    assert service.ticket(ticket.number).status == "done"
    assert counter_state(service.counter("1"), "vi") == ("—", "idle")


def test_no_alert_for_a_counter_outside_its_window_and_time_counts_from_its_start(
        windowed: QueueService, clock: FrozenClock) -> None:
    service = windowed

    def raised() -> list[tuple[str, str]]:
        return sorted((a.kind, a.subject) for a in evaluate(service).raised
                      if a.kind != "wait")
    service.issue("C")
    service.pause("2", "Không có cán bộ")
    service.pause("3", "Chưa đến ca")
    at(clock, WED, "11:00")
    assert raised() == []  # both outside their windows: expected away, C closed by them
    at(clock, WED, "13:59")
    assert raised() == []  # counter 3's window opened at 13:30
    at(clock, WED, "14:01")
    assert raised() == [("paused", "3")]
    at(clock, THU, "07:31")
    service.issue("C")
    at(clock, THU, "07:36")  # counter 2's window: C has a counter again, paused
    assert raised() == [("no_counter", "C")]
    at(clock, THU, "08:01")
    assert raised() == [("paused", "2")]


def test_booking_slots_count_the_counters_whose_window_covers_them(
        store: Store, clock: FrozenClock) -> None:
    desk = Appointments(make_service(store, clock, windowed_hall(share=1.0)))
    # Hộ tịch: 2.5 a slot for counter 1 alone in the morning, 5 with counter 3 afternoons.
    slots = desk.slots("B", THU)
    morning = [s.capacity for s in slots if s.slot_start < "12:00"]
    afternoon = [s.capacity for s in slots if s.slot_start > "12:00"]
    assert morning == [2, 3, 2, 3, 2, 3, 2, 3] and afternoon == [5] * 7
    # Đất đai (18 minutes, 1.67 a slot): Thursday morning only; none on a Wednesday.
    land = desk.slots("C", THU)
    assert [s.capacity for s in land] == [1, 2, 2, 1, 2, 2, 1, 2]
    assert land[-1].slot_end == "11:30"
    with pytest.raises(Refused) as refused:
        desk.slots("C", WED + timedelta(days=7))
    assert refused.value.code == "booking.no_capacity"
    assert [d for d, _ in desk.open_days("C")] == [THU, date(2026, 12, 1)]
