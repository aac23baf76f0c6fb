"""Screens heal themselves on PostgreSQL: the hall display's connections terminated under it, or
the whole server restarted (one this test starts in a temporary folder), and the board shows
the calls made meanwhile within seconds, without anyone touching it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.screens.app import AppOptions, QueueApp, make_app
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.migrate import upgrade
from queue_kiosk.store.store import Store
from tests.conftest import small_hall
from tests.ui.conftest import called, settle

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
HEAL_SECONDS = 10


def _display(service: QueueService) -> QueueApp:
    return make_app(service, AppOptions(modes=("display",), clock_seconds=3600,
                                        marquee_seconds=3600))


async def _shows(app: QueueApp, pilot: Any, wanted: str, seconds: float = HEAL_SECONDS) -> float:
    """Seconds until the display's call banner shows `wanted`; fails past `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        banner = called(app)
        if wanted in banner and app.store_problem is None:
            return time.monotonic() - started
        await pilot.pause(0.2)
    raise AssertionError(f"the display did not show {wanted!r} within {seconds} s "
                         f"(store problem: {app.store_problem!r})")


def _hall(url: str, clock: FrozenClock) -> QueueService:
    store = Store(url)
    upgrade(store)
    load_catalog(store, small_hall(), clock)
    return QueueService(store, clock=clock)


async def test_the_display_heals_after_its_connections_are_terminated(
        pg_url: str, clock: FrozenClock) -> None:
    official = _hall(pg_url, clock)
    screen = QueueService(Store(f"{pg_url}&application_name=qk_display"), clock=clock)
    for _ in range(3):
        official.issue("B")
    app = _display(screen)
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        official.call_next("1")
        await _shows(app, pilot, "B001")
        official.finish("1")
        with official.store.begin() as conn:
            killed = conn.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = 'qk_display'")).scalar_one()
        assert killed >= 1  # the LISTEN connection at least
        official.call_next("1")  # called while the display has no connection
        await _shows(app, pilot, "B002")
        official.finish("1")
        official.call_next("1")  # and it follows again as before
        await _shows(app, pilot, "B003", seconds=3)


@pytest.fixture
def own_postgres() -> Iterator[tuple[str, Callable[[], None]]]:
    """A PostgreSQL server of the test's own (Debian's binaries, run as the postgres user),
    so that it can be restarted under a running screen."""
    binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not binaries or shutil.which("runuser") is None:
        reason = "no PostgreSQL server binaries (apt-get install postgresql) or no runuser"
        if os.environ.get("QUEUE_KIOSK_REQUIRE_PG"):
            pytest.fail(reason)
        pytest.skip(reason)
    bin_dir = binaries[-1].parent
    # Outside pytest's own folders, which only root may enter.
    folder = Path(tempfile.mkdtemp(prefix="queue-kiosk-pg-"))
    shutil.chown(folder, "postgres", "postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    def as_postgres(*args: str) -> None:
        # No pipes: the server would inherit them and hold them open.
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
    data = folder / "data"
    as_postgres(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    log = str(folder / "server.log")

    def restart() -> None:
        as_postgres(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", log,
                    "-m", "fast", "-w", "restart")
    try:
        as_postgres(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", log, "-w",
                    "start")
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres", restart
    finally:
        # Stopped even when the start failed half-way: no server outlives the test.
        subprocess.run(["runuser", "-u", "postgres", "--", str(bin_dir / "pg_ctl"), "-D",
                        str(data), "-m", "immediate", "stop"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        shutil.rmtree(folder)


async def test_the_display_heals_after_the_server_restarts(
        own_postgres: tuple[str, Callable[[], None]], clock: FrozenClock) -> None:
    url, restart = own_postgres
    official = _hall(url, clock)
    for _ in range(3):
        official.issue("B")
    app = _display(QueueService(Store(url), clock=clock))
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        official.call_next("1")
        await _shows(app, pilot, "B001")
        restart()
        # The official's own pool reconnects too: the first call after the restart works.
        official.finish("1")
        official.call_next("1")
        took = await _shows(app, pilot, "B002")
        print(f"healed {took:.1f} s after the restart")  # the README's figure (pytest -s)
        assert took < HEAL_SECONDS
