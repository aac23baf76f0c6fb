"""The hall display through Textual's pilot, and its snapshots for 5 and 20 counters."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from queue_kiosk.config.hall import HallConfig
from queue_kiosk.screens.app import AppOptions, QueueApp, make_app
from queue_kiosk.screens.display import CounterTile
from queue_kiosk.screens.widgets.big_text import BigText, big_lines
from queue_kiosk.service.facade import QueueService
from queue_kiosk.voice.announce import Announcement, Announcer, VoiceSettings
from tests.ui.conftest import Factory, called, many_counters, rendered, settle, until


class RecordingAnnouncer(Announcer):
    """The real queue, with a player that only notes what it was asked to play."""

    def __init__(self) -> None:
        self.heard: list[Announcement] = []
        self.lock = threading.Lock()
        super().__init__(VoiceSettings(use_espeak=False), self._play_nothing)

    def announce(self, call: Announcement) -> None:
        with self.lock:
            self.heard.append(call)
        super().announce(call)

    def _play_nothing(self, path: Path) -> None:
        assert path.stat().st_size > 44  # a real WAV with audio frames


def heard_display(app_for: Factory, service: QueueService,
                  *fields: str) -> tuple[RecordingAnnouncer, QueueApp]:
    """A ticket for each of `fields`, and a display whose voice notes what it says."""
    for code in fields:
        service.issue(code)
    announcer = RecordingAnnouncer()
    return announcer, app_for("display", announcer=announcer)


def text(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


async def test_a_call_appears_is_highlighted_and_announced(app_for: Factory,
                                                           service: QueueService) -> None:
    announcer, app = heard_display(app_for, service, "B", "B", "C")
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        service.call_next("1")
        await pilot.pause(1.0)
        await settle(pilot)
        banner, *recent = called(app).split("\n")
        assert banner == "MỜI CÔNG DÂN CÓ SỐ B001 ĐẾN QUẦY SỐ 1"
        assert app.screen.query_one("#call-number", BigText).text == "B001"
        assert rendered(app, "#call-before") == "MỜI CÔNG DÂN CÓ SỐ"
        tile = app.screen.query_one("#tile-1", CounterTile)
        assert tile.has_class("-flash") and tile.query_one(BigText).text == "B001"
        assert recent == ["B001 → 1"]
        waiting = rendered(app, "#display-waiting")
        assert "Hộ tịch" in waiting and "Đất đai" in waiting
        service.call_next("2")
        service.recall("1")
        await pilot.pause(1.0)
        await settle(pilot)
        assert [(c.number, c.counter) for c in announcer.heard] == [
            ("B001", "1"), ("C001", "2"), ("B001", "1")]
        assert "Đất đai" not in rendered(app, "#display-waiting")
        # A recall shows once, marked, not as a second line of the same call.
        assert called(app).split("\n")[1:] == ["B001 → 1 (gọi lại)", "C001 → 2"]
    assert announcer.wait_idle(10)
    announcer.close()


async def test_a_call_is_heard_once_when_the_next_change_comes_during_a_slow_read(
        app_for: Factory, service: QueueService, monkeypatch: pytest.MonkeyPatch) -> None:
    """A loaded machine: the display's read of the new calls takes 0.3 s, and the recall
    commits while it runs. Each call is heard once, in order (C001 and the recall were heard
    twice: the second read started from the cursor the first had not yet moved)."""
    from queue_kiosk.store.events import ChangeFeed

    announcer, app = heard_display(app_for, service, "B", "C")
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        service.call_next("1")
        await until(lambda: len(announcer.heard) == 1, pilot)
        changes = ChangeFeed.changes

        def slow_changes(feed: ChangeFeed, after: int, limit: int = 200) -> Any:
            time.sleep(0.3)
            return changes(feed, after, limit)
        monkeypatch.setattr(ChangeFeed, "changes", slow_changes)
        service.call_next("2")
        await pilot.pause(0.1)  # the display's read has begun
        service.recall("1")
        await until(lambda: len(announcer.heard) >= 3, pilot)
        await pilot.pause(1.0)  # a second hearing would come within the next read
        await settle(pilot)
        assert [(c.number, c.counter) for c in announcer.heard] == [
            ("B001", "1"), ("C001", "2"), ("B001", "1")]
    assert announcer.wait_idle(10)
    announcer.close()


async def test_a_booked_citizens_call_is_marked_on_the_board(
        app_for: Factory, service: QueueService, clock: Any) -> None:
    from datetime import datetime

    from queue_kiosk.service.appointments import Appointments
    from tests.conftest import VN

    desk = Appointments(service)
    code = desk.book("B", service.today(), "08:30").code
    clock.set(datetime(2026, 11, 25, 8, 30, tzinfo=VN))
    booked = desk.checkin(code)
    service.issue("C")
    app = app_for("display")
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        service.call_next("1")
        service.call_next("2")
        await pilot.pause(1.0)
        await settle(pilot)
        assert called(app).split("\n")[1:] == ["C001 → 2", f"{booked.number} → 1 (lịch hẹn)"]
    assert service.board().recent_calls[1].booked


async def test_paused_counters_and_printer_failures_show(app_for: Factory,
                                                         service: QueueService) -> None:
    service.pause("3", "Đi họp")
    ticket = service.issue("B")
    service.record_print(ticket.id, ok=False, detail="hết giấy")
    app = app_for("display")
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        tile = app.screen.query_one("#tile-3", CounterTile)
        assert tile.has_class("-paused")
        assert "Quầy tạm dừng: Đi họp" in str(tile.query_one(".tile-state").render())
        assert "MÁY IN PHIẾU ĐANG LỖI" in text(app, "#display-printer")


async def test_a_counter_outside_its_own_hours_says_so_on_its_tile(
        app_for: Factory, service: QueueService) -> None:
    """Counter 2 on Tuesday and Thursday mornings; the clock stands on a Wednesday."""
    from queue_kiosk.service.admin import HallAdmin

    admin = HallAdmin(service, "admin")
    draft = admin.draft()

    def land_official(data: dict[str, Any]) -> None:
        data["counters"][1]["hours"] = {"tue": ["07:30-11:30"], "thu": ["07:30-11:30"]}
    admin.apply(draft, admin.edited(draft, land_official))
    app = app_for("display")
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        tiles = {code: app.screen.query_one(f"#tile-{code}", CounterTile) for code in "12"}
        assert str(tiles["2"].query_one(".tile-state").render()) == "Ngoài giờ tiếp nhận"
        assert tiles["2"].has_class("-idle") and not tiles["2"].has_class("-paused")
        assert str(tiles["1"].query_one(".tile-state").render()) == "—"


async def test_the_board_survives_a_store_outage(app_for: Factory, service: QueueService,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from queue_kiosk.domain.errors import StoreError

    service.issue("B")
    service.call_next("1")
    app = app_for("display")
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)

        def down(self: QueueService) -> None:
            raise StoreError("store.unreachable", url="x", detail="gone")
        monkeypatch.setattr(QueueService, "board", down)
        app.screen.load_board(announce=True)  # type: ignore[attr-defined]
        await settle(pilot)
        assert app.screen.query_one("#tile-1", CounterTile).query_one(BigText).text == "B001"
        assert app.is_running


@pytest.mark.parametrize(("size", "counters"), [((80, 24), 5), ((120, 34), 5), ((200, 56), 5),
                                                 ((120, 34), 20), ((200, 56), 20)])
def test_display_snapshots(snap_compare: Any, hall_service: Any, default_hall: HallConfig,
                           size: tuple[int, int], counters: int) -> None:
    """A desk monitor, a small hall screen and a hall TV (200×56 is 1920×1080 at 16 px), with
    a call in the banner: the SVGs are there for a reviewer to open."""
    service = hall_service(many_counters(default_hall, counters) if counters != 5
                           else default_hall)
    for code in ("B", "B", "A", "C", "T", "V", "K"):
        service.issue(code)
    service.call_next("1")
    service.start("1")
    service.call_next("2")
    service.pause("3", "Đi họp")
    app = make_app(service, AppOptions(modes=("display",), clock_seconds=3600,
                                       marquee_seconds=3600))

    async def a_call_in_the_banner(pilot: Any) -> None:
        await settle(pilot)
        service.recall("2")
        await pilot.pause(1.0)
        await settle(pilot)
        assert called(pilot.app).startswith("MỜI CÔNG DÂN CÓ SỐ")

    assert snap_compare(app, terminal_size=size, run_before=a_call_in_the_banner)


async def test_a_call_the_hall_cannot_hear_shows_on_the_display(
        app_for: Factory, service: QueueService) -> None:
    def no_device(path: Path) -> None:
        raise OSError("aplay: audio open error")

    announcer = Announcer(VoiceSettings(use_espeak=False), no_device)
    service.issue("B")
    app = app_for("display", announcer=announcer)
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        service.call_next("1")
        await pilot.pause(1.0)
        assert announcer.wait_idle(5)
        service.recall("1")  # the next change repaints the board
        await pilot.pause(1.0)
        await settle(pilot)
        assert "Loa gọi số đang gặp sự cố" in text(app, "#display-printer")
    announcer.close()


def drawn_rows(widget: BigText) -> int:
    """Rows of large glyphs the widget draws (1 when it falls back to plain text)."""
    width, height = widget.content_size
    return len([line for line in big_lines(widget.text, width, height) if line.strip()])


@pytest.mark.parametrize(("size", "number_rows", "banner_rows"),
                         [((80, 24), 1, 1), ((120, 34), 6, 4), ((200, 56), 11, 7)])
async def test_the_board_uses_the_screen_it_has(app_for: Factory, service: QueueService,
                                                size: tuple[int, int], number_rows: int,
                                                banner_rows: int) -> None:
    """The called number grows with the screen (8 rows at 200×56 before); on a desk monitor
    it is plain text, never a block of half-letters; names are never cut inside a word."""
    service.issue("B")
    service.issue("C")
    app = app_for("display")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        service.call_next("1")
        service.call_next("2")
        await pilot.pause(1.0)
        await settle(pilot)
        tile = app.screen.query_one("#tile-1", CounterTile)
        number = tile.query_one(BigText)
        assert number.text == "B001"
        assert drawn_rows(number) >= number_rows
        if number_rows == 1:
            assert "B001" in str(number.render())
        assert drawn_rows(app.screen.query_one("#call-number", BigText)) >= banner_rows
        for code, counter in service.catalog.counters.items():
            name = str(app.screen.query_one(f"#tile-{code}").query_one(".tile-name").render())
            words = (counter.short_name or counter.name).split()
            assert all(word in words or word == "…" for word in name.split()), name
