"""The kiosk reading cards: a scan (a scanner typing fast, then Enter) on any kiosk screen,
the keypad, the elderly priority offered, the held ticket shown on a refusal."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button

from queue_kiosk.config.hall import HallConfig
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.screens.app import AppOptions, make_app
from queue_kiosk.screens.dialogs.choice import ChoiceDialog
from queue_kiosk.screens.identity import KeypadDialog
from queue_kiosk.screens.kiosk import KioskHome
from queue_kiosk.screens.kiosk_steps import ConfirmScreen, TicketScreen
from queue_kiosk.screens.widgets.big_text import BigText
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.identity import make_key
from tests.identity.cards import card_text, number_for
from tests.ui.conftest import rendered, settle

ELDER = card_text(date(1950, 1, 1), serial=31, name="Lê Thị Mẫu")
SCANNER_GAP = 2.0
"""Pilot's keys come slower than a scanner's on a busy machine: the test widens the gap."""


def scanned(text: str) -> list[str]:
    """A card's text as the key presses a wedge scanner makes of it."""
    names = {" ": "space", "|": "vertical_line", ",": "comma"}
    return [names.get(char, char) for char in text] + ["enter"]


def kiosk(hall_service: Any, default_hall: HallConfig, tmp_path: Path) -> tuple[Any, Any]:
    data = default_hall.model_dump()
    data["identity"] = {"enabled": True}
    service: QueueService = hall_service(HallConfig.model_validate(data))
    make_key(tmp_path / "identity.key")  # next to the test's database
    app = make_app(service, AppOptions(modes=("kiosk",), clock_seconds=3600,
                                       marquee_seconds=3600))
    return service, app


def widen_gap(app: Any) -> None:
    app.key_filter.__self__.gap = SCANNER_GAP


async def take_the_elderly_offer(app: Any, pilot: Any) -> None:
    """The card holder is 60 or over: the kiosk offers the priority, and Enter takes it."""
    assert isinstance(app.screen, ChoiceDialog)
    assert "Quý khách từ đủ 60 tuổi" in app.screen.title_text
    await pilot.press("enter")  # the offer is the focused choice
    await settle(pilot)
    assert isinstance(app.screen, TicketScreen)


async def test_a_scan_offers_the_elderly_priority_and_a_second_is_refused(
        hall_service: Any, default_hall: HallConfig, tmp_path: Path) -> None:
    service, app = kiosk(hall_service, default_hall, tmp_path)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        assert "không lưu số, họ tên hay ảnh thẻ" in rendered(app, "#kiosk-identity")
        widen_gap(app)
        await pilot.press(*scanned(ELDER))  # at home, before a field is chosen
        await settle(pilot)
        assert isinstance(app.screen, KioskHome)
        assert "Đã đọc CCCD" in str(app.screen.query_one("#kiosk-keypad", Button).label)
        assert "Lê Thị Mẫu" not in app.export_screenshot()
        app.key_filter.__self__.gap = 0.01  # a person's key now
        await pilot.press("2")
        await pilot.pause(0.1)
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Đã đọc CCCD" in rendered(app, "#confirm-identity")
        await pilot.press("enter")
        await settle(pilot)
        await take_the_elderly_offer(app, pilot)
        first = app.screen.query_one(BigText).text
        # Priority, as on paper: the category is for the counter, not the hall to read.
        assert "ƯU TIÊN" in rendered(app, "#ticket-details").splitlines()
        assert app.service.ticket(first).priority == "elderly"
        await pilot.pause(2)
        await pilot.press("enter")
        await pilot.click("#field-B")  # a tap, then the card scanned on the confirm step
        await settle(pilot)
        widen_gap(app)
        await pilot.press(*scanned(number_for(1950, serial=31)))  # the number, same person
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#confirm-take")
        await settle(pilot)
        await pilot.click("#choice-2")  # declines the priority
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert f"Quý khách đã có số {first} cho Hộ tịch hôm nay" in rendered(
            app, "#confirm-status")
        held = app.screen.query_one("#confirm-held", Button)
        assert str(held.label) == f"Xem số {first}" and not held.has_class("-hidden")
        await pilot.click("#confirm-held")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        assert app.screen.query_one(BigText).text == first
    ticket = service.ticket(first)
    assert (ticket.priority, ticket.identity) == ("elderly", True)
    assert [t.number for t in service.waiting("1")].count(first) == 1


async def test_the_keypad_and_a_bad_scan(hall_service: Any, default_hall: HallConfig,
                                         tmp_path: Path) -> None:
    service, app = kiosk(hall_service, default_hall, tmp_path)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        widen_gap(app)
        await pilot.press(*scanned("0010|Thử|31021950|Nam|Giả|x"))
        await settle(pilot)
        assert isinstance(app.screen, KioskHome)  # nothing chosen by the scan's digits
        assert "Đã đọc CCCD" not in str(app.screen.query_one("#kiosk-keypad", Button).label)
        await pilot.click("#kiosk-keypad")
        assert isinstance(app.screen, KeypadDialog)
        for digit in number_for(1990, serial=5):
            await pilot.click(f"#keypad-{digit}")
            await pilot.pause(0.25)  # a button takes one press at a time (its active effect)
        await pilot.click("#keypad-ok")
        await settle(pilot)
        assert "Đã đọc CCCD" in str(app.screen.query_one("#kiosk-keypad", Button).label)
        await pilot.click("#field-A")
        await settle(pilot)
        await pilot.click("#confirm-take")  # no offer: not 60
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        number = app.screen.query_one(BigText).text
    assert service.ticket(number).identity and service.ticket(number).priority is None


async def test_the_counter_sees_the_verified_ticket_and_checks_the_holder(
        hall_service: Any, default_hall: HallConfig, tmp_path: Path) -> None:
    from textual.widgets import Input

    from queue_kiosk.screens.identity import reader
    from queue_kiosk.service.staff import StaffDirectory
    from tests.ui.test_counter import sign_in

    service, _ = kiosk(hall_service, default_hall, tmp_path)
    StaffDirectory(service).add("lan", "Nguyễn Thị Lan", "2468", counters=["1"])
    service.issue("B", identity=reader(service).read(ELDER))
    app = make_app(service, AppOptions(modes=("counter",), counter="1", clock_seconds=3600))
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        await pilot.press("f1")  # call next
        await settle(pilot)
        assert "Đã xác thực CCCD" in rendered(app, "#current-details")
        for card, said in ((ELDER, "Đúng người lấy số B001"),
                           (card_text(date(1980, 2, 2), serial=99),
                            "Cảnh báo: CCCD vừa quét không phải của người đã lấy số B001")):
            await pilot.press("f7")  # the prompt a scanner types into
            app.screen.query_one("#prompt-input", Input).value = card
            await pilot.press("enter")
            await settle(pilot)
            assert said in [n.message for n in app._notifications]
    assert service.current("1").number == "B001"


async def test_a_booking_made_with_an_elderly_card_offers_the_priority_at_check_in(
        hall_service: Any, default_hall: HallConfig, tmp_path: Path) -> None:
    """Checked in at the kiosk, a booking made with a card gives a ticket taken with it: the
    elderly priority offered, as a scan offers it, and the ticket verified."""
    from datetime import datetime

    from queue_kiosk.screens.identity import reader
    from queue_kiosk.service.appointments import Appointments
    from tests.conftest import VN

    service, app = kiosk(hall_service, default_hall, tmp_path)
    clock = service.clock
    assert isinstance(clock, FrozenClock)
    desk = Appointments(service)
    booked = desk.book("B", clock.now().date(), "08:30", identity=reader(service).read(ELDER))
    clock.set(datetime(2026, 11, 25, 8, 20, tzinfo=VN))  # the window is open
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.click("#kiosk-booked")
        await pilot.press(*booked.code, "enter")
        await settle(pilot)
        await take_the_elderly_offer(app, pilot)
        number = app.screen.query_one(BigText).text
    ticket = service.ticket(number)
    assert (ticket.priority, ticket.identity, ticket.appointment) == ("elderly", True,
                                                                      booked.code)


YOUNG = card_text(date(1990, 5, 17), serial=32, name="Trần Văn Giả")


@pytest.mark.parametrize("step", ["read", "keypad", "elderly", "held"])
def test_identity_snapshots(snap_compare: Any, hall_service: Any, default_hall: HallConfig,
                            tmp_path: Path, step: str) -> None:
    """Home with a card read (the notice of what is kept), the keypad, the elderly offer,
    and the refusal that names the number already held with the button that shows it."""
    from queue_kiosk.screens.identity import CardScanned, reader

    service, app = kiosk(hall_service, default_hall, tmp_path)
    if step == "held":
        service.issue("B", identity=reader(service).read(YOUNG))

    async def run(pilot: Any) -> None:
        await settle(pilot)
        if step == "keypad":
            await pilot.press("#", *"0010950000")
        else:
            app.screen.post_message(CardScanned(YOUNG if step == "held" else ELDER))
            await settle(pilot)
        if step in ("elderly", "held"):
            await pilot.click("#field-B")
            await settle(pilot)
            await pilot.press("enter")
        await settle(pilot)
    assert snap_compare(app, terminal_size=(100, 34), run_before=run)
