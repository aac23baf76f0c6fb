"""The kiosk obeys the centre's calendar: closed on a public holiday with what and when,
open on a Saturday the Government made a working day."""

from __future__ import annotations

from datetime import datetime

from textual.widgets import Button, Static

from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.screens.kiosk_steps import TicketScreen
from tests.conftest import VN
from tests.ui.conftest import Factory, settle


async def test_the_kiosk_on_quoc_khanh_and_on_a_make_up_saturday(
        app_for: Factory, clock: FrozenClock) -> None:
    clock.set(datetime(2026, 9, 2, 8, 0, tzinfo=VN))
    app = app_for("kiosk")
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        said = str(app.screen.query_one("#kiosk-hours", Static).content)
        assert said.startswith("Hôm nay, Thứ Tư 02/09/2026 (Quốc khánh)")
        assert "quay lại Thứ Năm 03/09/2026 từ 07:30" in said
        assert all(b.disabled for b in app.screen.query(Button))
    clock.set(datetime(2026, 8, 22, 8, 0, tzinfo=VN))
    app = app_for("kiosk")
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        assert str(app.screen.query_one("#kiosk-hours", Static).content) == ""
        await pilot.press("2", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        assert str(app.screen.query_one("#ticket-plain", Static).content) == "B001"


async def test_the_ticket_screen_says_a_late_dossier_is_settled_next_working_day(
        app_for: Factory, clock: FrozenClock) -> None:
    clock.set(datetime(2026, 8, 28, 15, 30, tzinfo=VN))
    app = app_for("kiosk")
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        await pilot.press("2", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        details = str(app.screen.query_one("#ticket-details", Static).content)
        assert "Hồ sơ nhận từ 15:00 được giải quyết vào Thứ Năm 03/09/2026." in details
