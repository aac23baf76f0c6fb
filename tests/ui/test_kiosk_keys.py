"""Keys are never lost between citizens: a field's key and Enter on any step a citizen left
on screen give that field's ticket, at a human pace and in a burst; Esc always closes the
ticket screen."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from queue_kiosk.screens.kiosk import KioskHome
from queue_kiosk.screens.kiosk_steps import ConfirmScreen, TicketScreen
from queue_kiosk.service.facade import QueueService
from tests.ui.conftest import Factory, settle

CITIZENS = [("2", "B001"), ("1", "A001"), ("3", "C001"), ("2", "B002")]
"""Each citizen's key and the ticket it must give (fields 1 A, 2 B, 3 C in the hall)."""


def issued(service: QueueService) -> list[str]:
    return [t.number for t in sorted(
        (service.ticket(n) for n in ("A001", "B001", "B002", "C001", "C002", "B003")
         if _exists(service, n)), key=lambda t: t.id)]


def _exists(service: QueueService, number: str) -> bool:
    try:
        service.ticket(number)
    except Exception:  # noqa: BLE001 - an unknown number: not issued
        return False
    return True


@pytest.mark.parametrize("pace", [1.0, 0.0])
async def test_each_citizen_gets_the_field_they_pressed(app_for: Factory, service: QueueService,
                                                       pace: float) -> None:
    app = app_for("kiosk")
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        for key, _ in CITIZENS:
            for press in (key, "enter"):
                await pilot.press(press)
                await pilot.pause(pace)
        # The minimum gap between tickets (3 s) delays the later ones; none is lost.
        for _ in range(60):
            await settle(pilot)
            if len(issued(service)) == len(CITIZENS) and isinstance(app.screen, TicketScreen):
                break
            await pilot.pause(0.25)
        assert issued(service) == [number for _, number in CITIZENS]
        await settle(pilot)
        shown = str(app.screen.query_one("#ticket-plain", Static).content)
        assert shown == CITIZENS[-1][1]


async def test_a_choice_left_on_screen_gives_way_to_the_next_key(app_for: Factory,
                                                                service: QueueService) -> None:
    app = app_for("kiosk")
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        await pilot.press("2")  # a citizen chose Hộ tịch and walked away
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and app.screen.field.code == "B"
        await pilot.press("1", "enter")
        await settle(pilot)
        assert issued(service) == ["A001"]


async def test_escape_closes_the_ticket_screen_at_once(app_for: Factory) -> None:
    app = app_for("kiosk")
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        await pilot.press("2", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        await pilot.press("enter")  # a double tap: the number stays
        assert isinstance(app.screen, TicketScreen)
        await pilot.press("escape")  # within the first second all the same
        await settle(pilot)
        assert isinstance(app.screen, KioskHome)
