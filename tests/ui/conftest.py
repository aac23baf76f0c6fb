"""UI fixtures: a service over a fresh SQLite file with the bundled hall, frozen in time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from textual.worker import WorkerCancelled, WorkerFailed

from queue_kiosk.config.hall import CounterConfig, HallConfig
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.screens.app import AppOptions, QueueApp, make_app
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.staff import StaffDirectory
from tests.conftest import migrated_store

Factory = Callable[..., QueueApp]


@pytest.fixture(autouse=True)
def _steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """A focused input's cursor blinks every 0.5 s, and a snapshot taken later than that on
    a loaded machine caught it dark (test_setup_snapshot, in a CI run). In tests it stays lit,
    as the snapshots show it."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def hall_service(tmp_path: Path, clock: FrozenClock, default_hall: HallConfig,
                 migrated_sqlite: Path) -> Callable[[HallConfig | None], QueueService]:
    def build(hall: HallConfig | None = None) -> QueueService:
        store = migrated_store(f"sqlite:///{tmp_path / 'ui.db'}", migrated_sqlite)
        load_catalog(store, hall or default_hall, clock)
        service = QueueService(store, clock=clock)
        return service
    return build


@pytest.fixture
def service(hall_service: Callable[[HallConfig | None], QueueService]) -> QueueService:
    service = hall_service(None)
    directory = StaffDirectory(service)
    directory.add("lan", "Nguyễn Thị Lan", "2468", counters=["1"])
    directory.add("admin", "Trần Văn Quản", "13579", role="admin")
    return service


@pytest.fixture
def app_for(service: QueueService) -> Factory:
    def build(*modes: str, **options: object) -> QueueApp:
        # The clock stays still in tests; a long tick keeps snapshots stable.
        return make_app(service, AppOptions(modes=modes, clock_seconds=3600,
                                            marquee_seconds=3600,
                                            **options))  # type: ignore[arg-type]
    return build


async def until(condition: Callable[[], bool], pilot: Pilot[Any], seconds: float = 10) -> None:
    """Waits for what a screen shows once its workers and paints have run: a loaded machine
    takes longer than `settle`'s few rounds; what never shows fails after `seconds`."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"not reached in {seconds} s")


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    """Let thread workers finish and their results reach the widgets (the change-feed
    follower never finishes: it is left out)."""
    for _ in range(rounds):
        pending = [w for w in pilot.app.workers if w.group != "feed" and not w.is_finished]
        for worker in pending:
            try:
                await worker.wait()
            except (WorkerCancelled, WorkerFailed):
                pass  # superseded by a newer exclusive worker, or reported by the app

        await pilot.pause(0.05)


def many_counters(hall: HallConfig, count: int) -> HallConfig:
    fields = [f.code for f in hall.fields]
    counters = [CounterConfig(code=str(n), name=f"Quầy dịch vụ {n}",
                              fields=[fields[(n - 1) % len(fields)]])
                for n in range(1, count + 1)]
    return hall.model_copy(update={"counters": counters})


def rendered(app: QueueApp, selector: str) -> str:
    """What a widget draws, as plain text (a markup slip would show here)."""
    return str(app.screen.query_one(selector).render())


def called(app: QueueApp) -> str:
    """The display's call banner read as one sentence, and the recent calls, one per line."""
    from queue_kiosk.screens.display import CallBanner, RecentCalls

    banner = app.screen.query_one(CallBanner)
    shown = banner.sentence(app.lang) if banner.has_class("-active") else ""
    return "\n".join([shown, *app.screen.query_one(RecentCalls).lines()])
