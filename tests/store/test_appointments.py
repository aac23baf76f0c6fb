"""Bookings on both databases: slots and their room, check-in and its window, the ticket's
place in line, personal data, and booking or checking in from many processes at once."""

from __future__ import annotations

import multiprocessing
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from queue_kiosk.config.hall import AppointmentsConfig, HallConfig
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.domain.errors import IllegalTransition, NotFound, Refused
from queue_kiosk.service.appointments import Appointments
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import booking_slot_t, booking_t, ticket_t
from tests.conftest import MORNING, VN, make_service, small_hall
from tests.store import race_workers

DAY = MORNING.date()  # a Wednesday


def booking_hall(**settings: Any) -> HallConfig:
    """small_hall with bookings: Hộ tịch (B, 12 min, one counter) takes 2.5 bookings a
    30-minute slot at share 1, spread as 2, 3, 2, 3, …"""
    return small_hall().model_copy(update={"appointments": AppointmentsConfig(
        enabled=True, share=1.0, **settings)})


@pytest.fixture
def desk(store: Store, clock: FrozenClock) -> Appointments:
    return Appointments(make_service(store, clock, booking_hall()))


def at(clock: FrozenClock, hhmm: str, day: date = DAY) -> None:
    hour, minute = (int(part) for part in hhmm.split(":"))
    clock.set(datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN))


def test_slots_spread_the_share_and_close_before_they_start(desk: Appointments,
                                                           clock: FrozenClock) -> None:
    slots = desk.slots("B", DAY)
    # 08:00 now, cut-off 30 min: 08:30 is the first slot still open; 11:00–11:30 the last
    # of the morning; the afternoon from 13:30; none crosses lunch or closing.
    assert [s.slot_start for s in slots][:3] == ["08:30", "09:00", "09:30"]
    assert "11:00" in [s.slot_start for s in slots] and "11:30" not in [
        s.slot_start for s in slots]
    assert slots[-1].slot_end == "17:00"
    tomorrow = desk.slots("B", DAY + timedelta(days=1))
    assert [s.capacity for s in tomorrow[:4]] == [2, 3, 2, 3]
    assert sum(s.capacity for s in tomorrow) == int(2.5 * len(tomorrow))
    with pytest.raises(Refused, match="bookings are open from 2026-11-25 to 2026-12-02"):
        desk.slots("B", DAY + timedelta(days=8))
    with pytest.raises(Refused, match="from 2026-11-25"):
        desk.slots("B", DAY - timedelta(days=1))


def test_a_slot_takes_its_room_and_no_more_and_a_cancel_frees_it(desk: Appointments) -> None:
    tomorrow = DAY + timedelta(days=1)
    first = desk.book("B", tomorrow, "07:30")
    second = desk.book("B", tomorrow, "7:30")
    assert (first.slot_start, first.slot_end, first.status) == ("07:30", "08:00", "booked")
    assert first.code != second.code and len(first.code) == 6
    with pytest.raises(Refused, match="07:30 slot on 2026-11-26 has just filled up"):
        desk.book("B", tomorrow, "07:30")
    assert [s.booked for s in desk.slots("B", tomorrow)][:2] == [2, 0]
    assert desk.cancel(first.code.lower()).status == "cancelled"
    assert desk.book("B", tomorrow, "07:30").slot_start == "07:30"
    with pytest.raises(IllegalTransition, match="can no longer be used"):
        desk.cancel(first.code)
    with pytest.raises(NotFound, match="No booking with the code"):
        desk.find("AAAAAA")


def test_without_a_time_the_next_free_slot_today(desk: Appointments) -> None:
    codes = [desk.book("B", DAY) for _ in range(4)]
    assert [b.slot_start for b in codes] == ["08:30", "08:30", "09:00", "09:00"]


def test_the_daily_cap_counts_in_the_database(store: Store, clock: FrozenClock) -> None:
    desk = Appointments(make_service(store, clock, booking_hall(daily_cap=3)))
    tomorrow = DAY + timedelta(days=1)
    for hhmm in ("07:30", "08:00", "08:00"):
        desk.book("B", tomorrow, hhmm)
    with pytest.raises(Refused, match="has its 3 bookings for 2026-11-26"):
        desk.book("B", tomorrow, "09:00")
    assert desk.slots("B", tomorrow) == []  # the pages offer nothing more that day
    with store.read() as conn:  # the refused booking left no trace
        assert conn.execute(select(booking_slot_t.c.slot, booking_slot_t.c.booked).where(
            booking_slot_t.c.day == tomorrow).order_by(booking_slot_t.c.slot)).all() == [
            ("*", 3), ("07:30", 1), ("08:00", 2)]


def test_check_in_opens_before_the_slot_and_the_slot_puts_the_citizen_first(
        desk: Appointments, clock: FrozenClock) -> None:
    service = desk.service
    booking = desk.book("B", DAY, "09:00")
    service.issue("B")  # 08:00
    with pytest.raises(Refused, match="please come back to check in from 08:45"):
        desk.checkin(booking.code)
    at(clock, "08:50")
    early = service.issue("B")
    at(clock, "08:55")
    ticket = desk.checkin(booking.code)
    assert ticket.appointment == booking.code
    # Before its slot, a booked citizen waits like a walk-in who came at 09:00 ...
    assert [t.number for t in service.waiting("1")] == ["B001", early.number, ticket.number]
    at(clock, "09:05")
    late_walk_in = service.issue("B")
    # ... from 09:00, ahead of the walk-ins (two booked at most, then a walk-in).
    assert [t.number for t in service.waiting("1")] == [
        ticket.number, "B001", early.number, late_walk_in.number]
    called = service.call_next("1")
    assert called is not None and called.number == ticket.number  # as the list showed
    assert desk.find(booking.code).status == "checked_in"
    assert desk.find(booking.code).ticket == ticket.number
    with pytest.raises(IllegalTransition, match="can no longer be used"):
        desk.checkin(booking.code)
    with service.store.read() as conn:
        queue_at = conn.execute(select(ticket_t.c.queue_at).where(
            ticket_t.c.id == ticket.id)).scalar_one()
    assert queue_at == datetime(2026, 11, 25, 9, 0, tzinfo=VN)


def test_too_late_the_booking_is_missed_and_a_normal_ticket_remains(
        desk: Appointments, clock: FrozenClock) -> None:
    booking = desk.book("B", DAY, "09:00")
    at(clock, "09:16")
    with pytest.raises(Refused, match=r"passed its check-in time \(09:15\).*normal ticket"):
        desk.checkin(booking.code)
    assert desk.find(booking.code).status == "missed"
    assert desk.service.issue("B").appointment is None


def test_close_day_marks_the_missed_and_old_phone_numbers_go(
        desk: Appointments, clock: FrozenClock) -> None:
    kept = desk.book("B", DAY, "10:00", phone="0901 234 567")
    assert desk.find(kept.code).phone is None  # never on a page
    assert [b.phone for b in desk.day_list(DAY)] == ["0901234567"]
    with pytest.raises(Refused, match="is not a phone number"):
        desk.book("B", DAY, "10:30", phone="call me")
    assert desk.end_of_day(DAY) == 1
    assert desk.find(kept.code).status == "missed"
    at(clock, "08:00", DAY + timedelta(days=30))
    desk.end_of_day(DAY + timedelta(days=30))
    assert [b.phone for b in desk.day_list(DAY)] == ["0901234567"]  # 30 days: kept
    at(clock, "08:00", DAY + timedelta(days=31))
    desk.end_of_day(DAY + timedelta(days=31))
    assert [b.phone for b in desk.day_list(DAY)] == [None]  # then deleted
    assert desk.day_list(DAY)[0].status == "missed"  # the booking stays, for the reports


def test_a_hall_without_bookings_refuses_them(service: QueueService) -> None:
    with pytest.raises(Refused, match=r"takes no bookings: set \[appointments\] enabled"):
        Appointments(service).book("B", DAY, "09:00")


def _at_once(target: Any, args_of: list[tuple[Any, ...]]) -> list[tuple[str, str]]:
    ctx = multiprocessing.get_context("spawn")
    out, barrier = ctx.Queue(), ctx.Barrier(len(args_of))
    processes = [ctx.Process(target=target, args=(*args, barrier, out)) for args in args_of]
    for process in processes:
        process.start()
    results = [out.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    return results


@pytest.mark.slow
def test_many_phones_booking_one_slot_never_overbook_it(store: Store, db_url: str,
                                                        clock: FrozenClock) -> None:
    """Eight citizens book the 07:30 slot (room for 2) at the same instant; then the
    08:00 slot (room for 3)."""
    make_service(store, clock, booking_hall())
    tomorrow = DAY + timedelta(days=1)
    for hhmm, room in (("07:30", 2), ("08:00", 3)):
        results = _at_once(race_workers.book_at_once,
                           [(db_url, MORNING, "B", tomorrow, hhmm)] * 8)
        assert sorted(kind for kind, _ in results) == ["ok"] * room + ["refused"] * (8 - room)
        assert {code for kind, code in results if kind == "refused"} == {"booking.slot_full"}
        with store.read() as conn:
            assert conn.execute(select(booking_t.c.code).where(
                booking_t.c.slot == hhmm)).scalars().all().__len__() == room
            assert conn.execute(select(booking_slot_t.c.booked).where(
                booking_slot_t.c.slot == hhmm)).scalar_one() == room


@pytest.mark.slow
def test_two_kiosks_scanning_one_booking_give_one_ticket(store: Store, db_url: str,
                                                          clock: FrozenClock) -> None:
    desk = Appointments(make_service(store, clock, booking_hall()))
    code = desk.book("B", DAY, "08:30").code
    opened = MORNING + timedelta(minutes=20)  # check-in opens 15 min before 08:30
    results = _at_once(race_workers.check_in_at_once, [(db_url, opened, code)] * 4)
    assert sorted(kind for kind, _ in results) == ["ok", "refused", "refused", "refused"]
    assert {code for kind, code in results if kind == "refused"} <= {"booking.used",
                                                                     "booking.not_booked"}
    with store.read() as conn:
        assert conn.execute(select(ticket_t.c.number).where(
            ticket_t.c.appointment == code)).scalars().all() == [
            number for kind, number in results if kind == "ok"]



def test_reports_count_bookings_and_the_wait_from_the_slot(desk: Appointments,
                                                           clock: FrozenClock) -> None:
    from queue_kiosk.reports.centre import BookingFigures, build_report

    service = desk.service
    kept = desk.book("B", DAY, "09:00")
    desk.cancel(desk.book("B", DAY, "09:00").code)
    desk.book("B", DAY, "10:00")
    at(clock, "08:50")
    desk.checkin(kept.code)
    at(clock, "09:07")
    service.call_next("1")
    desk.end_of_day(DAY)
    report = build_report(service, DAY, DAY)
    assert report.bookings == [BookingFigures(
        day=DAY, field="B", name="Hộ tịch", booked=3, checked_in=1, cancelled=1, missed=1,
        waiting_median=7.0, waiting_p90=7.0)]
    assert report.to_json()["bookings"][0]["checked_in"] == 1
    from queue_kiosk.reports.tables import bookings_line

    assert bookings_line(report, "vi") == (
        "Lịch hẹn: đã đặt 3, đã lấy số 1, đã hủy 1, lỡ hẹn 1; chờ từ giờ hẹn (trung vị, ngày "
        "và lĩnh vực chờ lâu nhất) 7,0 phút")


def test_the_notification_hook_hears_bookings_and_calls(store: Store, clock: FrozenClock,
                                                         tmp_path: Any) -> None:
    """The bundled example script as the hook: a booking, a cancellation, the turn coming
    near (once), the call; a hook that cannot run changes nothing for the queue."""
    import sys
    import threading
    from pathlib import Path

    from queue_kiosk.config.hall import NotifyConfig
    from queue_kiosk.config.paths import asset_path

    log = tmp_path / "sent.log"
    hall = booking_hall().model_copy(update={"notify": NotifyConfig(
        command=f"{sys.executable} {asset_path('notify_example.py')} {log}", near=2)})
    service = make_service(store, clock, hall)
    desk = Appointments(service)

    def settle() -> list[str]:
        for thread in threading.enumerate():
            if thread.name == "notify":
                thread.join(timeout=30)
        return Path(log).read_text(encoding="utf-8").splitlines() if log.exists() else []

    kept = desk.book("B", DAY, "09:00", phone="0901234567")
    gone = desk.book("B", DAY, "09:00", phone="0907654321")
    desk.cancel(gone.code)
    assert [line.split("\t", 1)[1] for line in settle()] == [
        f"0901234567\tLịch hẹn {kept.code}: ngày 2026-11-25 lúc 09:00. Mời đến trước ít "
        "phút, chọn \"Tôi có lịch hẹn\" ở máy lấy số.",
        f"0907654321\tLịch hẹn {gone.code}: ngày 2026-11-25 lúc 09:00. Mời đến trước ít "
        "phút, chọn \"Tôi có lịch hẹn\" ở máy lấy số.",
        f"0907654321\tLịch hẹn {gone.code} đã hủy."]
    for _ in range(3):
        service.issue("B")
    at(clock, "08:50")
    ticket = desk.checkin(kept.code)  # behind B001–B003 until 09:00
    service.call_next("1")  # B001 called: B002, B003 are the next two
    assert len(settle()) == 3
    service.finish("1")
    service.call_next("1")  # B002 called: B003, then the booked citizen
    assert settle()[-1].endswith(f"Sắp đến lượt số {ticket.number}: còn 1 người trước "
                                 "Quý khách.")
    service.finish("1")
    at(clock, "09:01")
    called = service.call_next("1")  # 09:00 has come: the booked citizen goes first
    assert called is not None and called.number == ticket.number
    lines = settle()
    assert lines[-1].endswith(f"Mời số {ticket.number} đến quầy 1.")
    assert sum("Sắp đến lượt" in line for line in lines) == 1  # once only


def test_a_hook_that_fails_holds_nothing_up(store: Store, clock: FrozenClock,
                                            caplog: pytest.LogCaptureFixture) -> None:
    import threading

    from queue_kiosk.config.hall import NotifyConfig

    hall = booking_hall().model_copy(update={"notify": NotifyConfig(
        command="/nonexistent/sms-gateway --send")})
    desk = Appointments(make_service(store, clock, hall))
    with caplog.at_level("WARNING", logger="queue_kiosk.service.notify"):
        booking = desk.book("B", DAY, "09:00", phone="0901234567")
        for thread in threading.enumerate():
            if thread.name == "notify":
                thread.join(timeout=30)
    assert desk.find(booking.code).status == "booked"
    assert "notify: /nonexistent/sms-gateway --send failed for booked" in caplog.text


def test_a_walk_ins_estimate_counts_the_booked_due_before_its_turn(
        desk: Appointments) -> None:
    service = desk.service
    for _ in range(2):
        desk.book("B", DAY, "08:30")
    desk.book("B", DAY, "11:00")  # due long after: not counted
    first = service.issue("B")
    assert (first.ahead, first.eta_minutes) == (0, 0)  # called before 08:30 comes
    for _ in range(2):
        service.issue("B")
    fourth = service.issue("B")
    # Three walk-ins ahead (36 min at 12 each): the two booked for 08:30 come first.
    assert (fourth.ahead, fourth.eta_minutes) == (5, 60)
    assert service.ticket(fourth.number).ahead == 5  # the status page says the same
    kiosk = {q.field: q for q in service.field_queues()}["B"]
    assert kiosk.eta_minutes == 72  # four walk-ins and the two booked before the next one
