"""The guided set-up screen: filled in and finished, a bad answer refused beside it, the
printer and the voice tried from it, and how it looks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, SelectionList

from queue_kiosk.config.hall import HallConfig, load_hall
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.screens.setup import SetupApp, SetupOptions, make_setup_app
from queue_kiosk.screens.widgets.plain import Plain
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.setup import Answers, SetupDone, apply_setup
from queue_kiosk.service.staff import StaffDirectory
from queue_kiosk.store.store import Store
from queue_kiosk.voice.announce import SystemPlayer
from tests.printing.loopback import LoopbackPrinter, decode
from tests.ui.conftest import settle


@pytest.fixture
def setup_app(tmp_path: Path, clock: FrozenClock, default_hall: HallConfig) -> SetupApp:
    store = Store(f"sqlite:///{tmp_path / 'queue.db'}")

    def save(answers: Answers, path: Path) -> SetupDone:
        return apply_setup(store, answers, default_hall, path, clock)

    return make_setup_app(SetupOptions(
        catalogue=default_hall, save=save, path=tmp_path / "data" / "hall.toml", clock=clock,
        player=SystemPlayer("/bin/true")))


def fill(app: SetupApp, **values: str) -> None:
    for key, value in values.items():
        app.screen.query_one(f"#{key}", Input).value = value


def note(app: App[Any], key: str) -> str:
    shown = app.screen.query_one(f"#{key}", Plain)
    return str(shown.render()) if shown.display else ""


async def click(pilot: Pilot[Any], selector: str) -> None:
    """Click as a person would, once the form is scrolled to show the target."""
    pilot.app.screen.query_one(selector).scroll_visible(animate=False)
    await pilot.pause()
    await pilot.click(selector)


async def shown(pilot: Pilot[Any], key: str, seconds: float = 10) -> str:
    """A note once it says how a try went (a print or a playback runs in a thread; while
    it runs the note says so, ending in "…")."""
    for _ in range(int(seconds / 0.05)):
        await settle(pilot, rounds=1)
        if note(pilot.app, key) and not note(pilot.app, key).endswith("…"):
            break
    return note(pilot.app, key)


async def type_admin(pilot: Pilot[Any]) -> None:
    """The administrator typed as a person types: click, keys, Tab."""
    await click(pilot, "#admin-code")
    await pilot.press(*"quantri", "tab")
    pilot.app.screen.query_one("#admin-name", Input).value = "Lê Văn Quản"
    await pilot.press("tab", *"246810", "tab", *"246810")


async def test_filling_the_form_and_saving_writes_the_file_and_loads_the_centre(
        setup_app: SetupApp, tmp_path: Path, clock: FrozenClock) -> None:
    async with setup_app.run_test(size=(120, 34)) as pilot:
        fill(setup_app, commune="xã An Bình")
        await pilot.pause()
        assert setup_app.screen.query_one("#code", Input).value == "an-binh"
        assert setup_app.screen.query_one("#name", Input).value == \
            "Trung tâm Phục vụ hành chính công xã An Bình"
        fields = setup_app.screen.query_one("#fields", SelectionList)
        for code in ("L", "N"):  # this commune receives no culture or education dossiers
            fields.deselect(code)
        fill(setup_app, **{"counter-4-fields": "F, G", "saturday": "07:30-11:30"})
        await type_admin(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    done = setup_app.return_value
    assert isinstance(done, SetupDone)
    assert (done.loaded.site, done.loaded.fields, done.loaded.counters) == ("an-binh", 11, 5)
    hall = load_hall(tmp_path / "data" / "hall.toml")
    assert hall.site.name == "Trung tâm Phục vụ hành chính công xã An Bình"
    assert hall.hours.sat == ["07:30-11:30"]
    service = QueueService(Store(f"sqlite:///{tmp_path / 'queue.db'}"), clock=clock)
    assert StaffDirectory(service).login("quantri", "246810", role="admin").role == "admin"


async def test_a_bad_answer_is_refused_beside_it_and_nothing_is_written(
        setup_app: SetupApp, tmp_path: Path) -> None:
    async with setup_app.run_test(size=(120, 34)) as pilot:
        fill(setup_app, commune="xã An Bình", **{"counter-2-fields": "C, H, Z"})
        await type_admin(pilot)
        await pilot.press("backspace", "9", "ctrl+s")  # the PIN typed again, wrongly
        await settle(pilot)
        assert note(setup_app, "err-pin-again") == "✗ Hai lần nhập PIN không khớp"
        assert note(setup_app, "err-counter-2-fields").startswith(
            "✗ Không có lĩnh vực 'Z' trong các lĩnh vực đã chọn")
        assert note(setup_app, "err-pin") == ""
        assert "Còn 2 mục chưa đúng" in note(setup_app, "setup-status")
        assert setup_app.is_running
        fill(setup_app, **{"counter-2-fields": "C, H", "pin-again": "246810"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert note(setup_app, "err-pin-again") == ""
    assert isinstance(setup_app.return_value, SetupDone)
    assert (tmp_path / "data" / "hall.toml").is_file()


async def test_the_test_page_goes_to_the_printer_and_the_test_call_plays(
        setup_app: SetupApp) -> None:
    printer = LoopbackPrinter()
    try:
        async with setup_app.run_test(size=(120, 34)) as pilot:
            fill(setup_app, printer="lpt1")
            await click(pilot, "#print-test")
            assert "lpt1" in note(setup_app, "err-printer")
            fill(setup_app, printer=printer.url)
            await click(pilot, "#print-test")
            assert (await shown(pilot, "printer-result")).startswith("Đã in thử ra 127.0.0.1:")
            assert note(setup_app, "err-printer") == ""
            await click(pilot, "#play-test")
            assert "true" in await shown(pilot, "voice-result")
    finally:
        printer.close()
    assert len(printer.jobs) == 1 and decode(printer.jobs[0]).cut


def test_setup_snapshot(snap_compare: Any, setup_app: SetupApp) -> None:
    async def answered(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        fill(setup_app, commune="xã An Bình", **{"public-url": "http://192.168.1.20:8080"})
        await pilot.pause()

    assert snap_compare(setup_app, terminal_size=(120, 34), run_before=answered)
