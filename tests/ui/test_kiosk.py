"""The kiosk through Textual's pilot: keys, taps, priority, printer failure, lock, outage."""

from __future__ import annotations

import socket
from datetime import datetime
from typing import Any

import pytest
from textual.widgets import Button, Static

from queue_kiosk.config.devices import PrinterConfig
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.domain.errors import StoreError
from queue_kiosk.printing.printers import TicketPrinter
from queue_kiosk.screens.kiosk import KioskHome
from queue_kiosk.screens.kiosk_steps import ConfirmScreen, TicketScreen
from queue_kiosk.screens.widgets.big_text import BigText
from queue_kiosk.screens.widgets.store_banner import StoreBanner
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.events import ChangeFeed
from tests.conftest import VN
from tests.ui.conftest import Factory, rendered, settle


def tickets(service: QueueService) -> list[str]:
    return [t.number for t in service.waiting("1")] + [t.number for t in service.waiting("2")]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_digit_and_enter_issue_a_ticket_shown_large(app_for: Factory,
                                                            service: QueueService) -> None:
    app = app_for("kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        assert app.screen.query_one(BigText).text == "B001"
        assert str(app.screen.query_one("#ticket-plain", Static).content) == "B001"
    assert service.ticket("B001").status == "waiting"


async def test_a_double_press_issues_one_ticket(app_for: Factory,
                                                service: QueueService) -> None:
    app = app_for("kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2", "enter", "enter", "enter")
        await settle(pilot)
        await pilot.press("enter")  # the ticket screen ignores taps for a moment
        assert isinstance(app.screen, TicketScreen)
    assert service.field_queues()[1].waiting == 1


async def test_taps_work_like_keys(app_for: Factory, service: QueueService) -> None:
    app = app_for("kiosk")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.click("#field-C")
        await pilot.click("#confirm-take")
        await settle(pilot)
        assert app.screen.query_one(BigText).text == "C001"


async def test_priority_needs_a_choice_and_a_confirmation(app_for: Factory,
                                                          service: QueueService) -> None:
    app = app_for("kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2", "asterisk", "1", "2")  # elderly, then "No"
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("asterisk", "1", "1")  # elderly, then "Yes"
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
    assert service.ticket("B001").priority == "elderly"


async def test_a_printer_failure_keeps_the_number_on_screen(app_for: Factory,
                                                            service: QueueService) -> None:
    printer = TicketPrinter(PrinterConfig(timeout_seconds=1), f"tcp://127.0.0.1:{closed_port()}")
    app = app_for("kiosk", printer=printer)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1", "enter")
        await settle(pilot, rounds=6)
        screen = app.screen
        assert isinstance(screen, TicketScreen)
        message = str(screen.query_one("#ticket-print", Static).content)
        assert "Quý khách vui lòng báo cán bộ hướng dẫn" in message and "vẫn có hiệu lực" in message
        assert "127.0.0.1" not in message and "tcp" not in message  # no device detail
        assert screen.query_one(BigText).text == "A001"
    assert service.ticket("A001").status == "waiting"
    assert service.board().printer_failed is not None


async def test_a_closed_field_cannot_be_chosen(app_for: Factory, service: QueueService) -> None:
    service.close_field("C", "Cán bộ đi họp")
    app = app_for("kiosk")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        button = app.screen.query_one("#field-C", Button)
        assert button.disabled and "Cán bộ đi họp" in str(button.label)
        await pilot.press("3")
        assert isinstance(app.screen, KioskHome)


async def test_outside_opening_hours_nothing_can_be_chosen(app_for: Factory,
                                                           clock: FrozenClock) -> None:
    clock.set(datetime(2026, 11, 25, 19, 0, tzinfo=VN))
    app = app_for("kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert all(b.disabled for b in app.screen.query(Button))
        said = str(app.screen.query_one("#kiosk-hours", Static).content)
        assert "hết giờ làm việc hôm nay" in said and "Thứ Năm 26/11/2026 từ 07:30" in said
        await pilot.press("2")
        assert isinstance(app.screen, KioskHome)


async def test_a_store_outage_shows_a_banner_and_clears(app_for: Factory,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    app = app_for("kiosk")
    real_wait = ChangeFeed.wait

    def down(self: ChangeFeed, after: int, timeout: float) -> int:
        raise StoreError("store.unreachable", url="test", detail="connection refused")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(ChangeFeed, "wait", down)
        await pilot.pause(1.5)
        banner = app.screen.query_one(StoreBanner)
        assert banner.has_class("-down") and "connection refused" in str(banner.content)
        monkeypatch.setattr(ChangeFeed, "wait", real_wait)
        await pilot.pause(2.5)
        assert not banner.has_class("-down")


async def test_a_locked_kiosk_needs_an_admin_pin_to_quit(app_for: Factory) -> None:
    app = app_for("kiosk", locked=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        assert type(app.screen).__name__ == "AdminExitDialog"
        await pilot.click("#admin-code")
        await pilot.press(*"lan", "tab", *"2468", "enter")
        await settle(pilot)
        assert "quản trị" in str(app.screen.query_one("#admin-error", Static).content)
        assert app.is_running
        await pilot.press("escape")
        await pilot.press("ctrl+q")
        await pilot.click("#admin-code")
        await pilot.press(*"admin", "tab", *"13579", "enter")
        await settle(pilot)
    assert app.return_code == 0


async def test_idle_returns_home(app_for: Factory, service: QueueService,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    app = app_for("kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        assert isinstance(app.screen, ConfirmScreen)
        home = app.screen_stack[0]
        assert isinstance(home, KioskHome)
        now = time.monotonic()
        home.state.clock = lambda: now + 3600
        home.tick()
        await pilot.pause()
        assert isinstance(app.screen, KioskHome)


async def test_english_on_request(app_for: Factory) -> None:
    app = app_for("kiosk", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Please choose" in str(app.screen.query_one("#kiosk-title", Static).content)
        assert "Civil status" in str(app.screen.query_one("#field-B", Button).label)


@pytest.mark.parametrize("size", [(120, 34), (80, 24), (200, 56)])
async def test_every_field_shows_its_waiting_count(app_for: Factory, service: QueueService,
                                                   size: tuple[int, int]) -> None:
    """At 120×34 the grid's first row is one line high: its buttons showed their names only
    (a name too long to share its line keeps it whole, as at 80×24)."""
    from queue_kiosk.screens.kiosk import FieldButton

    for code in "BBAC":
        service.issue(code)
    app = app_for("kiosk")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        labels = {b.field.code: str(b.label) for b in app.screen.query(FieldButton)}
    assert "2 người đang chờ" in labels["B"] and "1 người đang chờ" in labels["C"]
    assert all("người đang chờ" in label for code, label in labels.items()
               if size != (80, 24) or code in "ABC"), labels


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
def test_home_and_ticket_snapshots(snap_compare: Any, app_for: Factory, service: QueueService,
                                   size: tuple[int, int]) -> None:
    for code in "BBAC":
        service.issue(code)

    async def home(pilot: Any) -> None:
        await settle(pilot)
    assert snap_compare(app_for("kiosk"), terminal_size=size, run_before=home)

    async def ticket(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("2", "enter")
        await settle(pilot)
    assert snap_compare(app_for("kiosk"), terminal_size=size, run_before=ticket)


async def test_the_optional_procedure_step(hall_service: Any, default_hall: Any) -> None:
    from queue_kiosk.screens.app import AppOptions, make_app

    kiosk = default_hall.kiosk.model_copy(update={"ask_procedure": True})
    service = hall_service(default_hall.model_copy(update={"kiosk": kiosk}))
    app = make_app(service, AppOptions(modes=("kiosk",), clock_seconds=3600))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")  # Hộ tịch: its procedures are offered
        assert type(app.screen).__name__ == "ChoiceDialog"
        await pilot.press("4")  # Đăng ký kết hôn
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause(1.6)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("1", "escape")  # skipping is one key away
        assert type(app.screen).__name__ == "KioskHome"
    ticket = service.ticket("B001")
    assert (ticket.procedure, ticket.procedure_name) == ("B4", "Đăng ký kết hôn")


async def test_a_booked_citizen_checks_in_with_the_code_or_its_qr(
        app_for: Factory, service: QueueService, clock: FrozenClock) -> None:
    """"Tôi có lịch hẹn" (or +): the code typed, or the booking page's QR read by a scanner
    that types it, then Enter: the ticket, marked as booked. A wrong code says so and the
    citizen tries again."""
    from queue_kiosk.screens.kiosk_steps import CheckInScreen
    from queue_kiosk.service.appointments import Appointments

    desk = Appointments(service)
    first = desk.book("B", clock.now().date(), "08:30")
    second = desk.book("A", clock.now().date(), "08:30")
    clock.set(datetime(2026, 11, 25, 8, 20, tzinfo=VN))  # check-in opens at 08:15
    app = app_for("kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("+")
        assert isinstance(app.screen, CheckInScreen)
        await pilot.press(*"ZZZZZZ", "enter")
        await settle(pilot)
        assert "Không tìm thấy lịch hẹn mã ZZZZZZ" in rendered(app, "#checkin-status")
        await pilot.press(*first.code.lower(), "enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        assert f"LỊCH HẸN: {first.code}" in rendered(app, "#ticket-details")
        number = app.screen.query_one(BigText).text
        await pilot.pause(2)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.click("#kiosk-booked")
        await pilot.press(*f"http://192.168.1.10:8080/b/{second.code}", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
    assert service.ticket(number).appointment == first.code
    assert desk.find(second.code).status == "checked_in"


async def test_too_late_for_a_booking_a_normal_ticket_is_one_tap_away(
        app_for: Factory, service: QueueService, clock: FrozenClock) -> None:
    from queue_kiosk.screens.kiosk_steps import CheckInScreen
    from queue_kiosk.service.appointments import Appointments

    code = Appointments(service).book("B", clock.now().date(), "08:30").code
    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=VN))  # check-in closed at 08:45
    app = app_for("kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("+", *code, "enter")
        await settle(pilot)
        assert isinstance(app.screen, CheckInScreen)
        assert "đã quá giờ nhận (08:45)" in rendered(app, "#checkin-status")
        await pilot.click("#checkin-walk-in")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        number = app.screen.query_one(BigText).text
    assert service.ticket(number).appointment is None and number.startswith("B")
    assert Appointments(service).find(code).status == "missed"
