"""End to end in real headless Chromium (Debian's package; never a downloaded browser):
`queue-kiosk serve` in its own process, tickets issued and called through the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.served import ESCAPES, served_hall

pytestmark = pytest.mark.slow


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    with served_hall(tmp_path) as hall:
        yield hall


def cli(env: dict[str, str], *args: str) -> str:
    return subprocess.run([sys.executable, "-m", "queue_kiosk", *args], env=env, check=True,
                          capture_output=True, text=True).stdout


class TerminalStream:
    """What the served app sends the browser's terminal: xterm draws on a canvas, so the
    page holds no text; the websocket frames do (terminal output, escape codes removed)."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.chunks: list[bytes] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self.received))

    def received(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            self.chunks.append(payload)

    def text(self) -> str:
        raw = b"".join(self.chunks).decode("utf-8", errors="replace")
        return ESCAPES.sub("", raw)

    def wait_for(self, wanted: str, seconds: float = 20) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if wanted in self.text():
                return True
            self.page.wait_for_timeout(300)  # Playwright delivers frames only while it runs
        return False


def open_screen(browser: Any, base: str, mode: str) -> TerminalStream:
    """A served screen in a new page, once its app has sent its first output."""
    page = browser.new_page(viewport={"width": 1280, "height": 760})
    stream = TerminalStream(page)
    page.goto(f"{base}/{mode}/")
    page.wait_for_selector("body.-first-byte", timeout=30_000)
    return stream


def test_the_display_page_shows_a_call_made_at_the_cli(browser: Any, served: Any) -> None:
    base, env = served
    cli(env, "issue", "B")
    stream = open_screen(browser, base, "display")
    page = stream.page
    assert stream.wait_for("QUẦY SỐ 1")
    cli(env, "call", "1")
    # The banner's words as text, its number in large glyphs; the recent calls as text.
    assert stream.wait_for("MỜI CÔNG DÂN CÓ SỐ") and stream.wait_for("B001 → 1")
    page.screenshot(path=str(Path(env["HOME"]) / "display.png"))
    page.close()


def test_the_status_page_changes_from_waiting_to_called(browser: Any, served: Any) -> None:
    import json

    base, env = served
    ticket = json.loads(cli(env, "issue", "A", "--json"))
    phone = browser.new_page(viewport={"width": 390, "height": 720}, locale="vi-VN")
    phone.goto(f"{base}/t/{ticket['token']}")
    assert phone.inner_text("#number") == "A001"
    assert "Đang chờ" in phone.inner_text("#details")
    cli(env, "call", "1")
    phone.reload()
    assert "Mời đến quầy số 1" in phone.inner_text("#details")
    english = browser.new_page(locale="en-US", extra_http_headers={"Accept-Language": "en"})
    english.goto(f"{base}/t/{ticket['token']}")
    assert "Please go to counter 1" in english.inner_text("#details")


def test_a_citizen_books_on_a_phone_then_checks_in(browser: Any, served: Any) -> None:
    """On a 390×844 phone: the field, a slot, the code with its QR; at the centre the code
    checks in (the CLI stands in for the kiosk) and the page shows the ticket."""
    import json

    base, env = served
    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="vi-VN")
    phone.goto(f"{base}/book")
    phone.click("text=Chứng thực")
    phone.click("button[value='09:00']")
    phone.wait_for_url(f"{base}/b/*")
    code = phone.inner_text("#code")
    assert len(code) == 6 and phone.is_visible("svg.qr")
    assert "09:00–09:30" in phone.inner_text("#details")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    ticket = json.loads(cli({**env, "QUEUE_KIOSK_NOW": "2026-11-25T08:50:00+07:00"},
                            "checkin", code, "--json"))
    assert ticket["appointment"] == code
    phone.reload()
    details = phone.inner_text("#details")
    assert "Đã lấy số" in details and ticket["number"] in details


def test_the_served_pages_fetch_nothing_from_the_internet(browser: Any, served: Any) -> None:
    base, _ = served
    page = browser.new_page()
    outside: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(
        (base, "ws://127.0.0.1", "data:")) else outside.append(request.url))
    page.goto(f"{base}/kiosk/")
    page.wait_for_selector("body.-first-byte", timeout=30_000)
    assert outside == []


def test_a_served_counter_asks_for_the_staff_sign_in(browser: Any, served: Any) -> None:
    base, env = served
    cli(env, "issue", "B")
    stream = open_screen(browser, base, "counter")
    assert stream.wait_for("Đăng nhập quầy")
    assert "B001" not in stream.text()  # nothing of the queue before signing in


def test_the_display_fills_a_1920_by_1080_tv(browser: Any, served: Any) -> None:
    """The hall TV in a browser: opened at the hall's font size (24 px), the called number in
    the banner and its counter's tile drawn in large glyphs, the words in readable text. The
    screenshot is kept for review (QUEUE_KIOSK_TEST_SCREENSHOTS names a folder)."""
    base, env = served
    cli(env, "issue", "B")
    cli(env, "issue", "C")
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    stream = TerminalStream(page)
    page.goto(f"{base}/display/")
    assert page.url.endswith("/display/?fontsize=24")
    page.wait_for_selector("body.-first-byte", timeout=30_000)
    assert stream.wait_for("QUẦY SỐ 5")
    cli(env, "call", "1")
    cli(env, "call", "2")
    assert stream.wait_for("MỜI CÔNG DÂN CÓ SỐ") and stream.wait_for("ĐẾN QUẦY SỐ")
    assert stream.wait_for("C001 → 2")
    page.wait_for_timeout(1500)  # the last frames reach the canvas
    glyph_rows = [line for line in stream.text().split("\n") if line.count("█") >= 6]
    assert len(glyph_rows) >= 10, stream.text()[-3000:]
    folder = Path(os.environ.get("QUEUE_KIOSK_TEST_SCREENSHOTS") or env["HOME"])
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / "display-browser-1920x1080.png"))
    page.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_booking_calendar_at_a_phone_and_a_desktop_width(browser: Any, served: Any,
                                                             width: int) -> None:
    """The days to choose from as dates are written elsewhere (weekday, dd/mm/yyyy), every
    button inside the card; the code inside the card even at its widest letters."""
    base, env = served
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="vi-VN")
    page.goto(f"{base}/book/A")
    days = page.locator(".days a.choice").all_inner_texts()
    # Wednesday 25/11/2026 at 08:00: today and the working days after it (not the weekend).
    assert days[:3] == ["Thứ Tư 25/11/2026", "Thứ Năm 26/11/2026", "Thứ Sáu 27/11/2026"]
    assert "Thứ Bảy 28/11/2026" not in days and "Chủ nhật 29/11/2026" not in days
    card = page.locator("main").bounding_box()
    for box in (page.locator(".days a.choice").nth(n).bounding_box() for n in range(len(days))):
        assert box["x"] >= card["x"] and box["x"] + box["width"] <= card["x"] + card["width"]
    page.screenshot(path=str(Path(env["HOME"]) / f"book-days-{width}.png"), full_page=True)
    page.click("button[value='09:00']")
    page.wait_for_url(f"{base}/b/*")
    page.evaluate("document.getElementById('code').textContent = 'WWWWWW'")  # widest letters
    card = page.locator("main").bounding_box()
    lines = page.evaluate("""(() => { const r = document.createRange();
        r.selectNodeContents(document.getElementById('code'));
        return [...r.getClientRects()].map(line => [line.left, line.right]); })()""")
    assert len(lines) == 1  # on one line, not broken in two
    assert card["x"] <= lines[0][0] and lines[0][1] <= card["x"] + card["width"]
    assert "Thứ Tư 25/11/2026 09:00–09:30" in page.inner_text("#details")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(Path(env["HOME"]) / f"booking-{width}.png"), full_page=True)
    page.close()
