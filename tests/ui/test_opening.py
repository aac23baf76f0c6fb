"""Launching from the command line: the app paints before the store opens, then shows its
mode; a store that cannot be used closes it and goes back to the launcher."""

from __future__ import annotations

import threading
from typing import Any

from queue_kiosk.domain.errors import StoreError
from queue_kiosk.screens.app import AppOptions, OpeningScreen, make_app
from queue_kiosk.screens.kiosk import KioskHome
from queue_kiosk.service.facade import QueueService
from tests.ui.conftest import settle


async def test_the_first_paint_comes_before_the_store_and_the_mode_after(
        service: QueueService) -> None:
    may_open = threading.Event()
    opened_on: list[str] = []

    def open_store() -> tuple[QueueService, dict[str, Any]]:
        may_open.wait(10)
        opened_on.append(threading.current_thread().name)
        return service, {"locked": True}

    app = make_app(open_store, AppOptions(modes=("kiosk",), clock_seconds=3600))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)
        assert "Đang khởi động" in str(app.screen.query_one("Static").render())
        may_open.set()
        await settle(pilot)
        assert isinstance(app.screen, KioskHome)
        assert app.options.locked  # what the opener chose reached the options
        assert opened_on and opened_on[0] != threading.main_thread().name


async def test_a_store_that_cannot_be_opened_closes_the_app_with_the_reason(
        service: QueueService) -> None:
    refusal = StoreError("store.not_initialised", url="sqlite:///nowhere.db")

    def open_store() -> tuple[QueueService, dict[str, Any]]:
        raise refusal

    app = make_app(open_store, AppOptions(modes=("kiosk",)))
    async with app.run_test() as pilot:
        await settle(pilot)
    assert app.startup_error is refusal
    assert app.return_code == 1
