"""The hall TV as a web page (/board/): how soon a call shows in the page's DOM with 10 boards
open in Chromium, and what another open board costs the `serve` process in memory against
another terminal display served through textual-serve."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.harness import (
    MORNING,
    Result,
    answers,
    bench_database,
    percentile,
    stores,
    wait_for,
)
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.store import Store

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BOARDS = 10
COUNTERS = 10
CALL_PACE = 0.3
"""Seconds between calls: each shows on every board before the next (the lag is what is
measured, not a queue)."""
WATCH = """() => {
  window.seenAt = {};
  const list = document.querySelector("#recent ol");
  new MutationObserver(() => {
    const at = performance.timeOrigin + performance.now();
    for (const line of list.children) {
      if (!(line.dataset.number in window.seenAt)) window.seenAt[line.dataset.number] = at;
    }
  }).observe(list, {childList: true});
}"""
"""Every call gets a line in VỪA GỌI (the banner shows only the newest of a frame's)."""
STILL_NOTICE = {"notice_style": "line"}
"""The hall's notice stands still on the ten boards: a moving ticker is composited in software
in headless Chromium, and ten of them took 0.73 of this VM's two cores (0.12 standing still),
which a TV's own GPU does for itself; the lag measured is the call's."""


def _rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines()
                          if line.startswith("VmRSS:"))
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration):  # a process that just ended
            continue
    return total / 1024


@contextmanager
def _serve(url: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "QUEUE_KIOSK_DB": url, "QUEUE_KIOSK_NOW": MORNING.isoformat()}
    server = subprocess.Popen([sys.executable, "-m", "queue_kiosk", "serve", "--port",
                               str(port), "--max-boards-per-client", "500",
                               "--max-boards", "1000"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        if answers(f"{base}/health"):
            return True
        if server.poll() is not None:
            raise RuntimeError(f"serve exited with {server.returncode}")
        return False
    try:
        wait_for(up, 30)
        yield base, server
    finally:
        server.terminate()
        server.wait(timeout=10)


def _lags(service: QueueService, pages: list[Any], calls: range
          ) -> tuple[list[float], int]:
    """Makes the calls numbered `calls` round the counters (each finishes its last first);
    each call's lag on each page (ms), and how many (call, page) pairs never showed."""
    committed: dict[str, float] = {}
    for index in calls:
        counter = str(index % COUNTERS + 1)
        if index >= COUNTERS:
            service.finish(counter)
        ticket = service.call_next(counter)
        if ticket is None:
            raise RuntimeError("board_page: the queue ran dry")
        committed[ticket.number] = time.time() * 1000
        time.sleep(CALL_PACE)
    time.sleep(1)
    lags, missed = [], 0
    for page in pages:
        seen = page.evaluate("window.seenAt")
        for number, at in committed.items():
            if number in seen:
                lags.append(seen[number] - at)
            else:
                missed += 1
    return lags, missed


def _open(browser: Any, base: str) -> Any:
    # A context each: Chromium keeps six connections to a host per profile, and each open
    # board holds one.
    page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    page.goto(f"{base}/board/?voice=0")
    page.wait_for_selector(".tile")
    page.evaluate(WATCH)
    return page


def bench_board_page(quick: bool) -> list[Result]:
    if not Path(CHROMIUM).exists():
        print("board_page: no chromium; skipped", file=sys.stderr)
        return []
    from playwright.sync_api import sync_playwright

    calls = 20 if quick else 60
    results, failed = [], 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        for kind in stores():
            with bench_database(kind, COUNTERS, STILL_NOTICE) as url:
                service = QueueService(Store(url), clock=FrozenClock(MORNING))
                for _ in range(3 * calls + COUNTERS):
                    service.issue("B")
                with _serve(url) as (base, server):
                    pages = [_open(browser, base)]
                    alone, missed_alone = _lags(service, pages, range(calls // 2))
                    pages += [_open(browser, base) for _ in range(BOARDS - 1)]
                    lags, missed = _lags(service, pages, range(calls // 2, calls // 2 + calls))
                    failed += missed + missed_alone
                    for page in pages:
                        page.context.close()
                    if kind == "sqlite":
                        results += _memory(base, server)
                service.store.dispose()
            p99, base_p99 = percentile(lags, .99), percentile(alone, .99)
            results.append(Result(
                f"board_page_lag_p99_ms_{kind}", round(p99, 1), "ms", round(base_p99, 1),
                round(p99 / base_p99, 2),
                f"p50 {statistics.median(lags):.1f} ms over {len(lags)} (call, board) pairs, "
                f"{BOARDS} boards in Chromium; baseline: the same with 1 board open"))
        browser.close()
    results.append(Result("board_page_errors", failed, "calls", 0, 0,
                          "(call, board) pairs where the number never reached the DOM"))
    return results


def _memory(base: str, server: subprocess.Popen[bytes]) -> list[Result]:
    """Server memory per extra open board (100 event streams held open) against per extra
    terminal display through textual-serve (its websocket session, a process each)."""
    import aiohttp

    async def measure() -> tuple[float, float]:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
            first = await session.get(f"{base}/board/events")
            await first.content.readline()
            await asyncio.sleep(1)
            before = _rss_mib(server.pid)
            streams = [await session.get(f"{base}/board/events") for _ in range(100)]
            for stream in streams:
                await stream.content.readline()
            await asyncio.sleep(2)
            per_board = (_rss_mib(server.pid) - before) / 100
            for stream in [first, *streams]:
                stream.close()
            await asyncio.sleep(1)
            before = _rss_mib(server.pid)
            async with session.ws_connect(f"{base}/display/ws?width=200&height=56") as ws:
                painted = time.monotonic() + 8  # the app process starts and paints
                while time.monotonic() < painted:
                    try:
                        await ws.receive(timeout=0.5)
                    except TimeoutError:
                        continue
                per_display = _rss_mib(server.pid) - before
            return per_board, per_display
    with ThreadPoolExecutor(1) as thread:  # Playwright's own loop runs on this one
        per_board, per_display = thread.submit(asyncio.run, measure()).result()
    return [Result("board_page_server_mib_per_board", round(per_board, 3), "MiB",
                   round(per_display, 1), round(per_board / per_display, 4),
                   "RSS of serve and its children per extra open board (100 streams); "
                   "baseline: per extra /display/ session through textual-serve")]
