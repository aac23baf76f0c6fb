"""The counter through Textual's pilot: login, every action, rating, remapped keys."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, DataTable, Footer, Input, Label, Static

from queue_kiosk.config.hall import HallConfig
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.reports.centre import build_report
from queue_kiosk.screens.counter import CounterLoginScreen, CounterScreen
from queue_kiosk.screens.dialogs.choice import ChoiceDialog
from queue_kiosk.screens.display import DisplayScreen
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.staff import StaffDirectory
from queue_kiosk.voice.announce import Announcer, VoiceSettings
from tests.ui.conftest import Factory, rendered, settle, until


async def sign_in(pilot: Any, code: str = "lan", pin: str = "2468", *,
                  typed: bool = False) -> None:
    """Sign in; `typed` presses every key (Enter in the code field moves to the PIN)."""
    await settle(pilot)
    screen = pilot.app.screen
    if typed:
        for field in ("#login-code", "#login-pin"):
            screen.query_one(field, Input).value = ""
        await pilot.click("#login-code")
        await pilot.press(*code, "enter", *pin, "enter")
    else:
        screen.query_one("#login-code", Input).value = code
        screen.query_one("#login-pin", Input).value = pin
        await pilot.click("#login-ok")
    await settle(pilot)


async def call_first(pilot: Any) -> None:
    """Sign in and call the first waiting ticket."""
    await sign_in(pilot)
    await pilot.press("f1")
    await settle(pilot)


async def test_wrong_pins_are_refused_then_the_account_locks(app_for: Factory,
                                                             clock: FrozenClock) -> None:
    app = app_for("counter")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, pin="1111")
        await sign_in(pilot)  # straight after a failure: the terminal must wait a second
        assert "Vui lòng chờ 1 giây" in str(app.screen.query_one("#login-error",
                                                                   Static).content)
        for _ in range(4):
            clock.advance(timedelta(seconds=300))
            await sign_in(pilot, pin="1111")
            error = str(app.screen.query_one("#login-error", Static).content)
            assert "Mã cán bộ hoặc mã PIN không đúng, hoặc tài khoản đang tạm khóa" in error
        clock.advance(timedelta(seconds=300))
        await sign_in(pilot)  # the right PIN, but five wrong ones locked it
        assert isinstance(app.screen, CounterLoginScreen)
        clock.advance(timedelta(minutes=15))
        await sign_in(pilot)
        assert isinstance(app.screen, CounterScreen)


async def test_a_day_at_the_counter(app_for: Factory, service: QueueService,
                                    clock: FrozenClock) -> None:
    for code in ("B", "B", "B", "A"):
        service.issue(code)
    app = app_for("counter")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, typed=True)
        assert isinstance(app.screen, CounterScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 4
        await pilot.press("f1")
        await settle(pilot)
        assert service.current("1").number == "B001"  # type: ignore[union-attr]
        assert table.row_count == 3
        await pilot.press("f2")
        await settle(pilot)
        assert service.current("1").recalls == 1  # type: ignore[union-attr]
        await pilot.press("f8")
        await settle(pilot)
        clock.advance(minutes=9)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("1")  # the citizen rates: Rất hài lòng
        await settle(pilot)
        assert service.ticket("B001").status == "done"
        with pytest.raises(Exception, match="đã được đánh giá|already"):
            service.rate("B001", "3")
        await pilot.press("f1")
        await settle(pilot)
        await pilot.press("f4", "enter")  # Enter confirms the no-show
        await settle(pilot)
        assert service.ticket("B002").status == "no_show"
        await pilot.press("f1")
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        options = [str(b.label) for b in app.screen.query(Button)]
        assert any(label.startswith("C  Đất đai") for label in options)
        await pilot.press("c")  # every choice has a key: a field its code, a counter its own
        await settle(pilot)
        moved = service.ticket("B003")
        assert (moved.field, moved.status) == ("C", "waiting")
        await pilot.press("f6")  # the reasons come once the counter is known to be free
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        title = str(app.screen.query_one("#counter-title", Static).content)
        assert "TẠM DỪNG: Đi họp" in title
        await pilot.press("f6")
        await settle(pilot)
        assert "TẠM DỪNG" not in str(app.screen.query_one("#counter-title", Static).content)
        figures = str(app.screen.query_one("#counter-figures", Static).content)
        assert "đã phục vụ 1 · vắng mặt 1 · trung bình 9 phút" in figures


async def test_a_counter_outside_its_own_hours_says_so_and_still_calls(
        app_for: Factory, service: QueueService, clock: FrozenClock) -> None:
    """Counter 2 on Thursday mornings only; the clock stands on a Wednesday morning."""
    from queue_kiosk.service.admin import HallAdmin

    admin = HallAdmin(service, "admin")
    draft = admin.draft()

    def thursdays(data: dict[str, Any]) -> None:
        data["counters"][1]["hours"] = {"thu": ["07:30-11:30"]}
    admin.apply(draft, admin.edited(draft, thursdays))
    StaffDirectory(service).add("hoa", "Lê Thị Hoa", "1357", counters=["2"])
    service.issue("C")  # taken before the change, or by a citizen the official called over
    app = app_for("counter", counter="2")
    async with app.run_test(size=(100, 30)) as pilot:  # too narrow for the title in one line
        await sign_in(pilot, "hoa", "1357")

        def title() -> str:
            return str(app.screen.query_one("#counter-title", Static).content)
        assert "NGOÀI GIỜ CỦA QUẦY – vẫn gọi số được" in title()
        header = app.screen.query_one("#counter-title", Static)
        assert header.has_class("-outside") and header.size.height == 2  # nothing cut off
        await pilot.press("f1")
        await settle(pilot)
        assert service.counter("2").current is not None  # the window never refuses a call
        clock.advance(timedelta(days=1))  # Thursday 08:00, inside the window
        service.finish("2")  # another screen's change: this one reads the counter again
        await until(lambda: "NGOÀI GIỜ" not in title(), pilot)
        assert not header.has_class("-outside")


async def test_calling_next_with_a_ticket_at_the_counter_asks_first(
        app_for: Factory, service: QueueService) -> None:
    service.issue("B")
    service.issue("B")
    app = app_for("counter")
    async with app.run_test(size=(100, 30)) as pilot:
        await call_first(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert type(app.screen).__name__ == "ChoiceDialog"
        await pilot.press("1")  # finish B001, then call the next
        await settle(pilot)
        # The fastest path asks for the rating too, before the next citizen is called.
        assert type(app.screen).__name__ == "ChoiceDialog"
        assert service.current("1") is None
        await pilot.press("2")
        await settle(pilot)
    assert service.ticket("B001").status == "done"
    assert service.current("1").number == "B002"  # type: ignore[union-attr]
    assert build_report(service, service.today(), service.today()).totals.unrated == 0


async def test_call_a_specific_number_typed_or_scanned(app_for: Factory,
                                                       service: QueueService) -> None:
    service.issue("B")
    wanted = service.issue("B")
    app = app_for("counter")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        await pilot.press("f7")
        # A barcode reader types the code like a keyboard, ending with Enter.
        scanned = f"QK1:xa-mau:20261125:B002:{wanted.token}"
        app.screen.query_one("#prompt-input", Input).value = scanned
        await pilot.press("enter")
        await settle(pilot)
    assert service.current("1").number == "B002"  # type: ignore[union-attr]


async def test_keys_can_be_remapped_for_a_usb_keypad(
        hall_service: Any, default_hall: HallConfig) -> None:
    from queue_kiosk.screens.app import AppOptions, make_app

    counter = default_hall.counter.model_copy(update={"keys": {"call_next": "f11"}})
    service = hall_service(default_hall.model_copy(update={"counter": counter}))
    StaffDirectory(service).add("lan", "Lan", "2468")
    service.issue("B")
    app = make_app(service, AppOptions(modes=("counter",), counter="1", clock_seconds=3600))
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        await pilot.press("f11")
        await settle(pilot)
    assert service.current("1").number == "B001"


async def test_two_counters_calling_at_once_never_share_a_ticket(
        app_for: Factory, service: QueueService) -> None:
    StaffDirectory(service).add("tu", "Tú", "1357", counters=["5"])
    for _ in range(6):
        service.issue("A")  # served by counters 1 and 5
    first, second = app_for("counter", counter="1"), app_for("counter", counter="5")
    async with first.run_test(size=(100, 30)) as one, \
            second.run_test(size=(100, 30)) as two:
        await sign_in(one)
        await sign_in(two, "tu", "1357")
        for _ in range(3):
            await asyncio.gather(one.press("f1"), two.press("f1"))
            await settle(one)
            await settle(two)
            for _ in range(50):  # on a loaded machine a call's worker may start late
                a, b = service.current("1"), service.current("5")
                if a is not None and b is not None:
                    break
                await one.pause(0.1)
            assert a is not None and b is not None and a.number != b.number
            await asyncio.gather(one.press("f3", "escape"), two.press("f3", "escape"))
            await settle(one)
            await settle(two)
    served = sorted(t for t in ("A001", "A002", "A003", "A004", "A005", "A006")
                    if service.ticket(t).status == "done")
    assert served == ["A001", "A002", "A003", "A004", "A005", "A006"]


def test_login_and_counter_snapshots(snap_compare: Any, app_for: Factory,
                                     service: QueueService) -> None:
    assert snap_compare(app_for("counter"), terminal_size=(100, 30),
                        run_before=lambda pilot: settle(pilot))
    for code in ("B", "B", "A"):
        service.issue(code)
    service.issue("B", priority="elderly")

    async def working(pilot: Any) -> None:
        await call_first(pilot)
    assert snap_compare(app_for("counter"), terminal_size=(100, 30), run_before=working)


async def test_a_worker_that_fails_is_shown_not_swallowed(
        app_for: Factory, service: QueueService, monkeypatch: pytest.MonkeyPatch) -> None:
    app = app_for("counter")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        assert isinstance(app.screen, CounterScreen)

        def broken(counter: str) -> object:
            raise RuntimeError("the waiting list broke")
        monkeypatch.setattr(service, "waiting", broken)
        app.screen.load()
        await settle(pilot)
        shown = [n.message for n in app._notifications]
        assert any("Lỗi nội bộ" in m and "the waiting list broke" in m
                   and "counter.py" in m for m in shown), shown


async def test_the_counter_books_for_a_caller_and_sees_the_days_bookings(
        app_for: Factory, service: QueueService, clock: FrozenClock) -> None:
    """F9: a citizen on the phone gets a booking (field, day, time, phone) and its code on
    screen to read out; the day's list shows it with the phone; a booked citizen's ticket
    says so at the counter."""
    from datetime import datetime

    from queue_kiosk.service.appointments import Appointments
    from tests.conftest import VN

    app = app_for("counter", counter="1")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        await pilot.press("f9")
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("2")  # book for a caller
        await pilot.press("B")  # Hộ tịch
        await settle(pilot)
        await pilot.press("1")  # the first open day: today
        await pilot.press("1")  # its first free slot: 08:30
        await pilot.press(*"0901 234 567", "enter")
        await settle(pilot)
        booked = Appointments(service).day_list(service.today())
        assert [(b.slot_start, b.phone) for b in booked] == [("08:30", "0901234567")]
        assert any(f"mã {booked[0].code}" in str(n.message) for n in app._notifications)
        await pilot.press("f9", "1")  # today's bookings
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        listed = str(app.screen.query_one("#choice-1", Button).label)
        assert booked[0].code in listed and "0901234567" in listed and "08:30" in listed
        await pilot.press("escape")
        clock.set(datetime(2026, 11, 25, 8, 20, tzinfo=VN))
        ticket = Appointments(service).checkin(booked[0].code)
        await pilot.press("f1")
        await settle(pilot)
        current = service.current("1")
        assert current is not None and current.number == ticket.number
        assert f"Có lịch hẹn: {booked[0].code}" in rendered(app, "#current-details")


def footer_keys(app: Any) -> list[str]:
    """The footer's keys as drawn, e.g. "f10 Menu"."""
    return [str(key.render()).strip() for key in app.screen.query_one(Footer).children]


async def test_the_footer_shows_every_key_at_once_after_sign_in(app_for: Factory) -> None:
    """Right after sign-in at the kiosk PC's 120×34, before any key: the footer was blank
    until a repaint, and cut at F9 at 120 columns."""
    app = app_for("counter")
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        app.screen.query_one("#login-code", Input).value = "lan"
        app.screen.query_one("#login-pin", Input).value = "2468"
        await pilot.click("#login-ok")
        # Waited for without `pilot.pause`, which repaints and so would hide a blank footer.
        for _ in range(250):
            if isinstance(app.screen, CounterScreen) and app.screen.state is not None:
                break
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.3)
        keys = footer_keys(app)
        assert keys[0] == "f1 Gọi số tiếp" and "f10 Menu" in keys, keys
        footer = app.screen.query_one(Footer)
        assert all(key.region.right <= footer.region.right for key in footer.children)


async def test_no_show_asks_first(app_for: Factory, service: QueueService) -> None:
    service.issue("B")
    app = app_for("counter")
    async with app.run_test(size=(100, 30)) as pilot:
        await call_first(pilot)
        await pilot.press("f4")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        assert "Báo vắng mặt số B001?" in str(dialog.query_one(Label).content)
        await pilot.press("escape")
        await settle(pilot)
        assert service.ticket("B001").status == "called"
        await pilot.press("f4", "enter")
        await settle(pilot)
        assert service.ticket("B001").status == "no_show"


async def test_pause_with_a_citizen_at_the_counter_says_so_before_asking_why(
        app_for: Factory, service: QueueService) -> None:
    service.issue("B")
    app = app_for("counter")
    async with app.run_test(size=(100, 30)) as pilot:
        await call_first(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, CounterScreen)  # no reason asked
        shown = [str(n.message) for n in app._notifications]
        assert any("Quầy số 1 đang có số B001" in m for m in shown), shown
        assert service.counter("1").paused_reason is None


async def checked(pilot: Any) -> None:
    """What the counter's timer does every few seconds, now, in its own app (with two apps
    in one test, a call made from the test itself would act on the other)."""
    pilot.app.call_later(pilot.app.screen.check_idle)
    await settle(pilot)


async def test_a_second_official_at_a_held_counter_is_warned_and_the_first_signed_out(
        app_for: Factory, service: QueueService) -> None:
    """Two counter programs on one store, both for counter 1: the second official is told who
    holds it and must confirm; the first is then signed out with a notice saying why."""
    StaffDirectory(service).add("hoa", "Lê Thị Hoa", "1357", counters=["1"])
    first, second = app_for("counter", counter="1"), app_for("counter", counter="1")
    async with first.run_test(size=(100, 30)) as one, \
            second.run_test(size=(100, 30)) as two:
        await sign_in(one)
        await settle(one)
        assert isinstance(first.screen, CounterScreen)
        await sign_in(two, "hoa", "1357")
        dialog = second.screen
        assert isinstance(dialog, ChoiceDialog)
        warning = str(dialog.query_one(Label).render())
        assert "Quầy số 1 đang do cán bộ Nguyễn Thị Lan đăng nhập từ" in warning
        assert "cán bộ đó sẽ bị đăng xuất" in warning
        await two.press("escape")  # not confirmed: nothing changes for the first
        await settle(two)
        assert isinstance(second.screen, CounterLoginScreen)
        await checked(one)
        assert isinstance(first.screen, CounterScreen)

        await sign_in(two, "hoa", "1357")
        await two.press("1")  # Đăng nhập thay
        await settle(two)
        assert isinstance(second.screen, CounterScreen)
        assert "Lê Thị Hoa" in str(second.screen.query_one("#counter-title", Static).content)
        await checked(one)
        assert isinstance(first.screen, CounterLoginScreen)
        shown = [n.message for n in first._notifications]
        assert ("Cán bộ Lê Thị Hoa đã đăng nhập Quầy số 1 ở máy khác: phiên làm việc tại đây "
                "đã đăng xuất") in shown

        # Signed out on purpose, the counter is free: the next official is not asked.
        second.screen.sign_out("")
        await settle(two)
        assert StaffDirectory(service).holder("1") is None
        await sign_in(one)
        assert isinstance(first.screen, CounterScreen)


async def test_a_voice_the_hall_cannot_hear_is_told_at_the_counter(
        app_for: Factory, service: QueueService) -> None:
    """The display records that its calls are not heard; the official, whose citizens now
    only see the number, is told on the counter screen, and the line goes once it works."""
    def no_device(path: Path) -> None:
        raise OSError("aplay: audio open error")

    announcer = Announcer(VoiceSettings(use_espeak=False), no_device)
    service.issue("B")
    display, counter = app_for("display", announcer=announcer), app_for("counter")
    async with display.run_test(size=(120, 34)) as board, \
            counter.run_test(size=(120, 34)) as desk:
        await call_first(desk)
        assert announcer.wait_idle(5) and announcer.problem is not None
        board_screen, desk_screen = display.screen, counter.screen
        assert isinstance(board_screen, DisplayScreen) and isinstance(desk_screen, CounterScreen)
        board.app.call_later(board_screen.record_voice)  # what its timer does
        await settle(board)
        assert service.voice_problem() == "aplay: audio open error"
        desk.app.call_later(desk_screen.check_voice)
        await settle(desk)
        line = counter.screen.query_one("#counter-voice", Static)
        assert line.has_class("-shown") and line.display
        assert "Loa gọi số ở phòng chờ đang gặp sự cố" in rendered(counter, "#counter-voice")
        assert any("Hãy mời công dân bằng lời" in n.message for n in counter._notifications)

        announcer.player = lambda path: None  # the speakers plugged back in
        service.recall("1")
        # The display hears of the recall at its next feed wake-up: on a loaded machine that
        # is later than any fixed pause.
        for _ in range(100):
            await board.pause(0.1)
            if announcer.wait_idle(0.1) and announcer.problem is None:
                break
        assert announcer.problem is None
        board.app.call_later(board_screen.record_voice)
        await settle(board)
        assert service.voice_problem() is None
        desk.app.call_later(desk_screen.check_voice)
        await settle(desk)
        assert not line.has_class("-shown") and not line.display
    announcer.close()


async def test_the_demo_notes_leave_when_a_dialog_opens(app_for: Factory,
                                                        service: QueueService) -> None:
    """The demo's notes (a minute-long toast) covered the no-show dialog's buttons."""
    from textual.widgets._toast import Toast

    service.issue("B")
    notes = [f"Ghi chú {n}: " + "thư mục demo " * 6 for n in range(5)]
    app = app_for("counter", notes=notes)
    async with app.run_test(size=(120, 34), notifications=True) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        assert app.screen.query(Toast)  # shown at start, over the sign-in
        await call_first(pilot)
        await pilot.press("f4")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        toasts = [t.region for t in dialog.query(Toast)]
        for button in dialog.query(Button):
            assert not any(button.region.overlaps(toast) for toast in toasts), toasts
        assert not app._notifications
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f4")  # later dialogs: the notes stay gone, nothing else changes
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
