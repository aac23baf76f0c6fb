"""The admin screen served at /admin/ by `queue-kiosk serve`, in headless Chromium: it loads
and an administrator signs in (the refusals are the Pilot tests')."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.served import served_hall
from tests.web.test_browser import TerminalStream

pytestmark = pytest.mark.slow


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    with served_hall(tmp_path) as hall:
        yield hall


def add_staff(env: dict[str, str], code: str, pin: str, *role: str) -> None:
    subprocess.run([sys.executable, "-m", "queue_kiosk", "staff", "add", code, "--name",
                    "Trần Văn Quản", *role], env=env, check=True, capture_output=True,
                   input=f"{pin}\n{pin}\n", text=True)


def test_the_served_admin_screen_signs_an_administrator_in(browser: Any, served: Any) -> None:
    base, env = served
    add_staff(env, "quantri", "13579", "--role", "admin")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    stream = TerminalStream(page)
    page.goto(f"{base}/admin/")
    page.wait_for_selector("body.-first-byte", timeout=30_000)
    assert stream.wait_for("đăng nhập quản trị viên")
    page.mouse.click(640, 326)  # the code's field, once the terminal is drawn
    page.wait_for_timeout(500)
    page.keyboard.type("quantri", delay=30)
    page.keyboard.press("Tab")
    page.keyboard.type("13579", delay=30)
    page.keyboard.press("Enter")
    assert stream.wait_for("quantri – phiên bản")
    assert stream.wait_for("Nhật ký")
    page.screenshot(path=str(Path(env["HOME"]) / "admin-browser.png"))
    page.close()
