"""A working day at the desk, through Textual's pilot: keys that mean what they say, sign-out,
the paused counter, the kiosk with no administrator, the demo's modes."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Button, Input, Label, Static

from queue_kiosk.screens.counter import CounterLoginScreen, CounterScreen
from queue_kiosk.screens.kiosk import KioskHome
from queue_kiosk.screens.kiosk_step import KioskStep
from queue_kiosk.screens.kiosk_steps import TicketScreen
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.staff import StaffDirectory
from tests.ui.conftest import Factory, settle
from tests.ui.test_counter import sign_in


def labels(app: Any) -> list[str]:
    return [str(b.label) for b in app.screen.query(Button)]


def notices(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


def footer(app: Any) -> list[str]:
    return [b.binding.description for b in app.screen.active_bindings.values()
            if b.binding.show and b.enabled]


async def test_the_counter_chooser_keys_are_the_counter_codes(
        app_for: Factory, service: QueueService) -> None:
    StaffDirectory(service).add("tu", "Tú", "1357", counters=["2", "5"])
    app = app_for("counter")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "tu", "1357")
        assert [label[:12] for label in labels(app)[:2]] == ["2  Quầy số 2", "5  Quầy số 5"]
        await pilot.press("2")  # the second in the list, but counter 2: not counter 5
        await settle(pilot)
        assert isinstance(app.screen, CounterScreen) and app.screen.counter == "2"


async def test_every_transfer_choice_has_a_key(app_for: Factory,
                                               service: QueueService) -> None:
    service.issue("B")
    app = app_for("counter")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        await pilot.press("f1", "f5")
        await settle(pilot)
        choices = [label for label in labels(app) if not label.startswith("Esc")]
        assert len(choices) >= 14
        keys = [label.split("  ", 1)[0] for label in choices]
        assert all(keys) and len(set(keys)) == len(keys)
        assert "3  Quầy số 3 – Đất đai - Xây dựng" in choices or any(
            label.startswith("3  Quầy số 3") for label in choices)
        await pilot.press("3")
        await settle(pilot)
    moved = service.ticket("B001")
    assert (moved.status, moved.counters) == ("waiting", ["3"])


async def test_a_paused_counter_offers_resume_and_says_so_in_vietnamese(
        app_for: Factory, service: QueueService) -> None:
    service.issue("B")
    app = app_for("counter")
    async with app.run_test(size=(160, 30)) as pilot:
        await sign_in(pilot)
        assert "Tạm dừng" in footer(app) and "Tiếp tục" not in footer(app)
        await pilot.press("f6")  # the reasons come once the counter is known to be free
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert "Tiếp tục" in footer(app) and "Tạm dừng" not in footer(app)
        await pilot.press("f1")
        await settle(pilot)
        refused = [n for n in notices(app) if "tạm dừng" in n]
        assert refused and "resume" not in refused[-1] and "chọn Tiếp tục" in refused[-1]
        await pilot.press("f6")  # the same key resumes
        await settle(pilot)
        assert service.counter("1").paused_reason is None


async def test_sign_out_from_the_menu_and_after_idle_time(app_for: Factory,
                                                          service: QueueService) -> None:
    app = app_for("counter")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        await pilot.press("f10", "1")
        await settle(pilot)
        assert isinstance(app.screen, CounterLoginScreen)
        assert app.screen.query_one("#login-code", Input).value == ""
        await sign_in(pilot)
        screen = app.screen
        assert isinstance(screen, CounterScreen)
        now = [1000.0]
        screen.idle_clock = lambda: now[0]
        screen.last_activity = now[0]
        await pilot.press("f5", "escape")  # a dialog left open when the official walked away
        now[0] += 19 * 60
        screen.check_idle()
        assert app.screen is not screen.app.screen_stack[0]  # still signed in at 19 min
        now[0] += 2 * 60
        screen.check_idle()
        await settle(pilot)
        assert isinstance(app.screen, CounterLoginScreen)
        assert any("không thao tác" in n for n in notices(app))


async def test_ctrl_c_says_how_to_quit_in_the_halls_language(app_for: Factory) -> None:
    app = app_for("counter")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+c")
        await settle(pilot)
        assert app.is_running
        assert notices(app)[-1] == "Bấm Ctrl+Q để thoát"


async def test_a_burst_of_typing_lands_each_part_in_its_field(app_for: Factory) -> None:
    app = app_for("counter")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        # What a fast typist (or a password manager) sends in one go: all the keys queued
        # before the app handles the first (Pilot.press would wait after each).
        for key in [*"lan", "tab", *"2468", "enter"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(pilot)
        await pilot.pause(0.2)
        await settle(pilot)
        assert isinstance(app.screen, CounterScreen)


async def test_the_screen_ticket_of_a_priority_citizen_says_so(
        app_for: Factory, service: QueueService) -> None:
    app = app_for("kiosk")
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, KioskStep)
        await pilot.press("2", "asterisk")
        await settle(pilot)
        # The choice says who qualifies (issue 18.12); the ticket names the category only.
        assert any(label.startswith("1  Người cao tuổi (từ đủ 60 tuổi)") for label in labels(app))
        await pilot.press("1")  # Người cao tuổi
        await settle(pilot)
        await pilot.press("1")  # yes
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        details = str(app.screen.query_one("#ticket-details", Static).content)
        # Which category is for the counter screen, not for the hall to read.
        assert "ƯU TIÊN" in details and "Người cao tuổi" not in details


async def test_a_kiosk_with_no_administrator_says_how_to_make_one(
        hall_service: Any) -> None:
    from queue_kiosk.screens.app import AppOptions, make_app

    service = hall_service(None)  # a fresh init: nobody yet
    app = make_app(service, AppOptions(modes=("kiosk",), locked=True, clock_seconds=3600))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        # Whoever sets the kiosk up also hears that phones cannot open the QR yet.
        assert any("Chưa đặt site.public_url" in n for n in notices(app))
        await pilot.press("ctrl+c")
        await settle(pilot)
        text = str(app.screen.query_one("#admin-none", Static).content)
        assert "queue-kiosk staff add" in text and "--role admin" in text
        await pilot.click("#admin-leave")
        await settle(pilot)
    assert not app.is_running


async def test_the_kiosk_leaves_the_other_modes_alone_when_idle(
        app_for: Factory, service: QueueService) -> None:
    app = app_for("kiosk", "counter", sign_in_hint="Đăng nhập quầy: mã lan, PIN 2468")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, KioskHome)
        await pilot.press("f12")
        await settle(pilot)
        hint = str(app.screen.query_one("#login-hint", Static).content)
        assert hint == "Đăng nhập quầy: mã lan, PIN 2468"  # the demo's, on the sign-in itself
        await sign_in(pilot)
        assert isinstance(app.screen, CounterScreen)
        home.state.clock = lambda: 10_000.0  # long past the kiosk's idle time
        home.tick()
        await settle(pilot)
        assert isinstance(app.screen, CounterScreen)


async def test_keys_typed_while_the_store_opens_reach_the_sign_in(
        service: QueueService) -> None:
    import threading

    from queue_kiosk.screens.app import AppOptions, OpeningScreen, make_app

    may_open = threading.Event()

    def open_store() -> tuple[QueueService, dict[str, Any]]:
        may_open.wait(10)
        return service, {}

    app = make_app(open_store, AppOptions(modes=("counter",), clock_seconds=3600))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)
        await pilot.press(*"lan", "tab", *"2468")
        may_open.set()
        await settle(pilot)
        await pilot.pause(0.2)
        assert isinstance(app.screen, CounterLoginScreen)
        assert (app.screen.query_one("#login-code", Input).value,
                app.screen.query_one("#login-pin", Input).value) == ("lan", "2468")


async def test_an_administrator_ends_the_day_from_the_counter_menu(
        app_for: Factory, service: QueueService) -> None:
    service.issue("B")
    service.issue("B")
    app = app_for("counter")

    def dialog_text() -> str:
        return " ".join([str(label.render()) for label in app.screen.query(Label)]
                        + [str(button.label) for button in app.screen.query(Button)])

    async with app.run_test(size=(120, 30)) as pilot:
        await sign_in(pilot)  # an official: no such choice
        await pilot.press("f10")
        await settle(pilot)
        assert "Đăng xuất" in dialog_text() and "Kết thúc ngày" not in dialog_text()
        await pilot.press("1")
        await settle(pilot)
        await sign_in(pilot, "admin", "13579")
        await pilot.press("1")  # any counter: which one
        await settle(pilot)
        await pilot.press("f10", "3")
        await settle(pilot)
        assert "Các số còn chờ" in dialog_text()  # asked before anything ends
        assert service.ticket("B001").status == "waiting"
        await pilot.press("1")
        await settle(pilot)
        assert any(n.startswith("Đã kết thúc ngày Thứ Tư 25/11/2026: 2 số hết hạn")
                   for n in notices(app))
    assert service.ticket("B001").status == "expired"
