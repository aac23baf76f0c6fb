"""The hall TV as a web page (/board/) in real headless Chromium: every screen size filled
without overflow, calls and recalls arriving live, the feed cut and healed, the voice queue
under a burst on a virtual clock, nothing fetched from elsewhere, and a screenshot OCR reads."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from aiohttp import web

from queue_kiosk.config.hall import parse_hall
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.domain.errors import StoreError
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.events import ChangeFeed
from queue_kiosk.store.migrate import upgrade
from queue_kiosk.store.store import Store
from queue_kiosk.web.pages import build_app
from tests.conftest import MORNING, make_service, sqlite_url

pytestmark = pytest.mark.slow

SIZES = [(1366, 768), (1920, 1080), (3840, 2160), (1080, 1920)]
LONG_NAME = ("Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã (Tư pháp – Hộ tịch – "
             "Chứng thực – Bảo trợ xã hội)")


def hall_text(counters: int) -> str:
    """A hall of `counters` counters, every one named at length, serving three fields."""
    lines = ['[site]\ncode = "tv"\nname = "Trung tâm Phục vụ hành chính công xã Thử"',
             "[hours]\nenforce = false", '[display]\nespeak = false\nnotice = "Xin giữ trật tự"']
    for code, name in (("A", "Chứng thực"), ("B", "Hộ tịch"), ("C", "Đất đai")):
        lines.append(f'[[fields]]\ncode = "{code}"\nprefix = "{code}"\nname = "{name}"\n'
                     "minutes = 5")
    for number in range(1, counters + 1):
        lines.append(f'[[counters]]\ncode = "{number}"\nname = "{LONG_NAME} {number}"\n'
                     'fields = ["A", "B", "C"]')
    return "\n".join(lines)


def board_service(store: Store, counters: int) -> QueueService:
    return make_service(store, FrozenClock(MORNING), parse_hall(hall_text(counters)))


class Served:
    """The citizens' app (and so /board/) in this process, on its own event loop thread,
    stoppable and restartable on the same port."""

    def __init__(self, service: QueueService) -> None:
        self.service = service
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.port = 0
        self.runner: web.AppRunner | None = None

    def start(self) -> str:
        async def up() -> int:
            self.runner = web.AppRunner(build_app(self.service), shutdown_timeout=1)
            await self.runner.setup()
            site = web.TCPSite(self.runner, "127.0.0.1", self.port)
            await site.start()
            return int(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
        self.port = asyncio.run_coroutine_threadsafe(up(), self.loop).result(10)
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.runner is not None:
            asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(15)
            self.runner = None

    def close(self) -> None:
        self.stop()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


@contextmanager
def serving(service: QueueService) -> Iterator[tuple[Served, str]]:
    served = Served(service)
    try:
        yield served, served.start()
    finally:
        served.close()


def open_board(browser: Any, base: str, size: tuple[int, int], query: str = "",
               init: str | None = None) -> tuple[Any, set[str]]:
    """The board in a new page of `size`; every host a request went to is recorded."""
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    hosts: set[str] = set()

    def record(route: Any) -> None:
        hosts.add(urlsplit(route.request.url).netloc)
        route.continue_()
    context.route("**/*", record)
    if init:
        context.add_init_script(init)
    page = context.new_page()
    page.goto(f"{base}/board/{query}")
    page.wait_for_selector(".tile")
    page.evaluate("document.fonts.ready")
    return page, hosts


OVERFLOWS = """() => {
  const out = [];
  const root = document.documentElement;
  if (root.scrollWidth > innerWidth || root.scrollHeight > innerHeight) out.push("page");
  const inside = (a, b) => a.left >= b.left - 1 && a.right <= b.right + 1 &&
                           a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
  for (const tile of document.querySelectorAll(".tile")) {
    const box = tile.getBoundingClientRect();
    if (!inside(box, {left: 0, top: 0, right: innerWidth, bottom: innerHeight}))
      out.push("tile " + tile.dataset.code);
    for (const part of tile.children) {
      if (!inside(part.getBoundingClientRect(), box))
        out.push(tile.dataset.code + " " + part.className);
    }
    const number = tile.querySelector(".number");
    if (number.scrollWidth > number.clientWidth + 1) out.push(tile.dataset.code + " number");
  }
  for (const id of ["call-number", "call-counter", "recent", "waiting", "clock"]) {
    const node = document.getElementById(id);
    const box = node.getBoundingClientRect();
    if (!inside(box, {left: 0, top: 0, right: innerWidth, bottom: innerHeight})
        || node.scrollWidth > node.clientWidth + 1) out.push(id);
  }
  return out;
}"""


def wait_for_text(page: Any, selector: str, text: str) -> None:
    page.wait_for_function("([s, t]) => (document.querySelector(s) || {}).textContent === t",
                           arg=[selector, text], timeout=10_000)


@pytest.mark.parametrize("counters", [2, 24])
def test_the_board_fills_every_screen_without_overflow(browser: Any, tmp_path: Path,
                                                        counters: int) -> None:
    store = Store(sqlite_url(tmp_path))
    upgrade(store)
    service = board_service(store, counters)
    for number in range(1, counters + 1):
        service.issue("A")
        service.call_next(str(number))
    with serving(service) as (_, base):
        for size in SIZES:
            page, _ = open_board(browser, base, size)
            wait_for_text(page, "#call-number", f"A{counters:03d}")
            tiles = page.eval_on_selector_all(".tile .number",
                                              "ns => ns.map(n => n.textContent)")
            assert len(tiles) == counters and all(tiles)
            assert page.evaluate(OVERFLOWS) == [], size
            # The numbers are large: with 24 counters on the smallest TV still over 45 px.
            height = page.eval_on_selector(".tile .number",
                                           "n => n.getBoundingClientRect().height")
            assert height > (45 if counters == 24 else min(size) / 6), (size, height)
            page.context.close()
    store.dispose()


def test_a_call_appears_and_a_recall_is_marked(browser: Any, store: Store) -> None:
    service = board_service(store, 2)
    ticket = service.issue("B")
    with serving(service) as (served, base):
        page, hosts = open_board(browser, base, (1920, 1080))
        assert page.inner_text("#call-number") == ""
        service.call_next("2")
        wait_for_text(page, "#call-number", ticket.number)
        assert page.inner_text("#call-counter") == "2"
        assert "active" in page.get_attribute("#banner", "class")
        assert page.inner_text(".tile[data-code='2'] .number") == ticket.number
        # The call's numbers come first; its tile's state with the whole board after them.
        wait_for_text(page, ".tile[data-code='2'] .state", "ĐANG MỜI")
        assert page.inner_text("#recent li") == f"{ticket.number} → 2"
        service.recall("2")
        page.wait_for_selector("#recent li.recalled", timeout=10_000)
        assert page.inner_text("#recent li.recalled .note") == "(gọi lại)"
        assert page.inner_text("#ticker") == "Xin giữ trật tự"
        page.wait_for_timeout(300)
        assert hosts == {f"127.0.0.1:{served.port}"}, hosts  # the font and script included
        stream = urllib.request.urlopen(f"{base}/board/events", timeout=5)
        body = next(line for line in stream if line.startswith(b"data:")).decode()
        assert ticket.number in body
        # The payload: numbers, counters and fields, never a token or a booking code.
        assert ticket.token not in body and "token" not in body and "appointment" not in body


def test_the_feed_is_cut_and_heals_with_the_overlay_between(browser: Any, store: Store,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    service = board_service(store, 2)
    first, second = service.issue("A"), service.issue("A")
    with serving(service) as (served, base):
        page, _ = open_board(browser, base, (1366, 768))
        overlay = page.locator("#offline")
        assert not overlay.is_visible()
        # The store goes down while the server runs: the follower's reads fail.
        healthy = ChangeFeed.wait

        def down(*_: Any) -> int:
            raise StoreError("store.unreachable", url="test", detail="stopped")
        monkeypatch.setattr(ChangeFeed, "wait", down)
        service.call_next("1")
        overlay.wait_for(state="visible", timeout=10_000)
        assert overlay.inner_text() == "Mất kết nối – đang kết nối lại…"
        monkeypatch.setattr(ChangeFeed, "wait", healthy)
        overlay.wait_for(state="hidden", timeout=15_000)
        wait_for_text(page, ".tile[data-code='1'] .number", first.number)
        # The server itself stops: the page sees the connection go, says so, retries with
        # back-off and catches up on the call made while it was away.
        served.stop()
        overlay.wait_for(state="visible", timeout=10_000)
        service.call_next("2")
        served.start()
        overlay.wait_for(state="hidden", timeout=20_000)
        wait_for_text(page, ".tile[data-code='2'] .number", second.number)


VIRTUAL_CLOCK = """
window.fakeNow = Date.now();
window.played = [];
window.finish = [];
window.boardTestHooks = {
  now: () => window.fakeNow,
  play: (url) => url.startsWith("data:") ? Promise.resolve() :
    new Promise((resolve) => { window.played.push(url); window.finish.push(resolve); }),
};
"""


def said(urls: list[str]) -> list[tuple[str, str]]:
    """The calls in the voice URLs a page played, in order (a burst names several)."""
    out: list[tuple[str, str]] = []
    for url in urls:
        if url.startswith("/board/voice/burst.wav?"):
            calls = parse_qs(urlsplit(url).query)["calls"][0].split(",")
        else:
            calls = [url.removeprefix("/board/voice/").removesuffix(".wav")]
        out += [(number, counter) for number, _, counter in (c.partition("/") for c in calls)]
    return out


BROKEN_SOUND = """
window.boardTestHooks = {
  play: (url) => url.startsWith("data:") ? Promise.resolve() :
    Promise.reject(new Error("no sound device")),
};
"""


def test_the_voice_says_a_burst_in_one_breath_within_the_delay(browser: Any,
                                                               tmp_path: Path) -> None:
    """Calls that queue up while one is said follow it in one breath, rendered by the server
    as the terminal display says a burst; one already past voice_max_delay is left to the
    screen; a call that cannot be played shows the display's voice alert."""
    store = Store(sqlite_url(tmp_path))
    upgrade(store)
    service = board_service(store, 5)
    tickets = [service.issue("C") for _ in range(6)]
    with serving(service) as (_, base):
        page, _ = open_board(browser, base, (1920, 1080), init=VIRTUAL_CLOCK)
        sound = page.locator("#sound")
        page.wait_for_timeout(300)
        if sound.is_visible():  # the browser blocked autoplay: someone presses once
            sound.click()
        assert not sound.is_visible()
        for code in ("1", "2", "3"):  # three counters call at once
            service.call_next(code)
        page.wait_for_function("document.querySelectorAll('#recent li').length === 3")
        page.wait_for_function("window.played.length === 1")
        page.evaluate("window.fakeNow += 4000; window.finish.shift()()")
        page.wait_for_function("window.boardVoiceLog.length === 3")
        page.wait_for_timeout(300)
        played = page.evaluate("window.played")
        # However the frames grouped them: each said once, in order, in two breaths at most;
        # a burst that followed another call comes without the chime (a lone call has its
        # own voice).
        assert said(played) == [(t.number, c) for t, c in zip(tickets, "123", strict=False)]
        assert len(played) <= 2
        assert all("fresh=0" in url for url in played[1:] if "burst" in url)
        assert all(e["heard"] for e in page.evaluate("window.boardVoiceLog"))
        burst = next((url for url in played if "burst" in url), None) or (
            "/board/voice/burst.wav?fresh=1&calls=" + ",".join(
                f"{t.number}/{c}" for t, c in zip(tickets, "123", strict=False)))
        wav = urllib.request.urlopen(f"{base}{burst}").read()
        assert wav[:4] == b"RIFF" and len(wav) > 10_000  # the chime at least
        page.evaluate("while (window.finish.length) window.finish.shift()()")
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{base}/board/voice/A999/1.wav")
        assert missing.value.code == 404  # only calls the board showed are spoken
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{base}/board/voice/burst.wav?calls=A999/1")
        assert missing.value.code == 404

        service.call_next("4")  # alone after the burst: its own voice, heard
        page.wait_for_function(f"window.played.at(-1) === '/board/voice/{tickets[3].number}/4.wav'")
        service.finish("1")
        service.call_next("1")  # while the voice is busy with the last one …
        page.wait_for_function(f"window.boardVoiceLog.length === 4 && "
                               f"document.querySelector('#recent li').dataset.number === "
                               f"'{tickets[4].number}'")
        page.evaluate("window.fakeNow += 11000; window.finish.shift()()")  # … too long
        page.wait_for_function("window.boardVoiceLog.length === 5")
        assert page.evaluate("window.boardVoiceLog.at(-1)")["heard"] is False
        assert said(page.evaluate("window.played"))[-1] == (tickets[3].number, "4")

        muted, _ = open_board(browser, base, (1920, 1080), query="?voice=0",
                              init=VIRTUAL_CLOCK)
        broken, _ = open_board(browser, base, (1920, 1080), init=BROKEN_SOUND)
        broken.wait_for_timeout(300)
        if broken.locator("#sound").is_visible():
            broken.locator("#sound").click()
        assert not broken.locator("#voice-problem").is_visible()
        service.call_next("5")
        wait_for_text(muted, "#call-number", tickets[5].number)
        assert not muted.locator("#sound").is_visible()
        assert muted.evaluate("window.played") == []
        broken.locator("#voice-problem").wait_for(state="visible", timeout=10_000)
        assert broken.inner_text("#voice-problem").startswith("⚠ Loa gọi số đang gặp sự cố")
    store.dispose()


def test_tesseract_reads_the_called_number_and_counter(browser: Any, tmp_path: Path) -> None:
    if shutil.which("tesseract") is None:
        if os.environ.get("QUEUE_KIOSK_REQUIRE_OCR"):
            pytest.fail("tesseract is not installed")
        pytest.skip("tesseract is not installed")
    store = Store(sqlite_url(tmp_path))
    upgrade(store)
    service = make_service(store, FrozenClock(MORNING), parse_hall(
        hall_text(5).replace(LONG_NAME, "Tư pháp – Hộ tịch")))
    for _ in range(3):
        service.issue("B")
    service.call_next("1")
    service.call_next("3")
    with serving(service) as (_, base):
        page, _ = open_board(browser, base, (1920, 1080), query="?voice=0")
        wait_for_text(page, "#call-number", "B002")
        page.wait_for_timeout(300)
        shot = Path(os.environ.get("QUEUE_KIOSK_TEST_SHOTS", tmp_path)) / "board-1920.png"
        page.screenshot(path=str(shot))
    text = subprocess.run(["tesseract", str(shot), "-", "-l", "vie"], capture_output=True,
                          text=True, check=True).stdout
    assert "B002" in text and "B001" in text
    assert "ĐẾN QUẦY SỐ" in text and "QUẦY SỐ 3" in text, text
    store.dispose()
