"""A served screen whose server stops answering says so over its last frame, and a display
comes back by itself: in real headless Chromium, like test_browser."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.served import served_hall, served_processes

pytestmark = pytest.mark.slow


def test_a_served_display_shows_the_lost_connection_then_comes_back(
        browser: Any, tmp_path: Path) -> None:
    with served_hall(tmp_path) as (base, _):
        page = browser.new_page(viewport={"width": 1280, "height": 760})
        page.goto(f"{base}/display/")
        page.wait_for_selector("body.-first-byte", timeout=30_000)
        assert not page.is_visible(".offline")
        page.route("**/health", lambda route: route.abort())  # the network drops
        page.wait_for_selector("body.-offline", timeout=15_000)
        assert page.is_visible(".offline")
        assert "MẤT KẾT NỐI VỚI MÁY CHỦ" in page.inner_text(".offline")
        page.unroute("**/health")
        page.wait_for_selector("body:not(.-offline)", timeout=15_000)


def _display_pids(home: Path) -> list[int]:
    # Whole arguments: a parent naming the command in one argument (a shell) is not the screen.
    return [pid for pid, args in served_processes(home).items()
            if {"queue_kiosk", "display", "--client"} <= set(args)]


def test_a_served_display_whose_process_is_killed_comes_back_by_itself(
        browser: Any, tmp_path: Path) -> None:
    import os
    import signal

    with served_hall(tmp_path) as (base, _):
        page = browser.new_page(viewport={"width": 1280, "height": 760})
        page.goto(f"{base}/display/")
        page.wait_for_selector("body.-first-byte", timeout=30_000)
        [first] = _display_pids(tmp_path)
        os.kill(first, signal.SIGKILL)  # the TV's screen process dies
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # the page reloads: a new process, a new session
            page.wait_for_timeout(500)
            again = [pid for pid in _display_pids(tmp_path) if pid != first]
            if again:
                break
        assert again, "the display did not come back"
        page.wait_for_selector("body.-first-byte", timeout=30_000)
        assert not page.is_visible(".ended")
