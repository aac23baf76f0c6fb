"""`queue-kiosk serve` under abuse: browser sessions limited per device and in all, and a
served sign-in counted under the browser's own address, over real HTTP on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.served import screen_text, served_hall, served_processes

pytestmark = pytest.mark.slow


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    with served_hall(tmp_path, "--host", "0.0.0.0", "--max-sessions", "3",
                     "--max-sessions-per-client", "2") as hall:
        yield hall


async def _open(base: str, mode: str, source: str) -> tuple[aiohttp.ClientSession, Any]:
    """A browser session from the loopback address `source` (127.0.0.x: another device)."""
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(source, 0)))
    url = base.replace("http://", "ws://") + \
        f"/{mode}/ws?width=100&height=30"
    try:
        return session, await session.ws_connect(url)
    except BaseException:
        await session.close()
        raise


async def _refused(base: str, mode: str, source: str) -> int:
    try:
        session, ws = await _open(base, mode, source)
    except aiohttp.WSServerHandshakeError as exc:
        return exc.status
    await ws.close()
    await session.close()
    return 101


async def _limits(base: str) -> None:
    first = [await _open(base, "display", "127.0.0.1") for _ in range(2)]
    assert await _refused(base, "display", "127.0.0.1") == 429  # this device has two open
    other = await _open(base, "display", "127.0.0.2")
    assert await _refused(base, "kiosk", "127.0.0.3") == 503  # three in all
    async with aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(local_addr=("127.0.0.3", 0))) as page:
        async with page.get(f"{base}/kiosk/") as answer:
            assert answer.status == 503 and "đóng bớt" in await answer.text()
        async with page.get(f"{base}/health") as answer:
            assert answer.status == 200  # the status pages are not screens: never refused
    session, ws = first.pop()
    await ws.close()
    await session.close()
    for _ in range(50):  # the closed session's slot frees once its process has stopped
        status = await _refused(base, "kiosk", "127.0.0.3")
        if status == 101:
            break
        await asyncio.sleep(0.2)
    assert status == 101
    for session, ws in [*first, other]:
        await ws.close()
        await session.close()


def test_sessions_are_limited_per_device_and_in_all(served: tuple[str, dict[str, str]]
                                                     ) -> None:
    asyncio.run(_limits(served[0]))


async def _screen_process(base: str, mode: str, source: str, shows: str) -> list[str]:
    """The processes of a served screen opened from `source`, once it shows `shows`."""
    session, ws = await _open(base, mode, source)
    try:
        if shows not in await screen_text(ws, shows):
            return []
        lines = [" ".join(args) for args in served_processes().values()]
        return [line for line in lines if f"--client {source}" in line and f" {mode} " in line]
    finally:
        await ws.close()
        await session.close()


def test_a_served_counter_counts_sign_ins_under_the_browsers_address(
        served: tuple[str, dict[str, str]]) -> None:
    # The counter a browser opens is started with that browser's address, so that its
    # wrong PINs lock that device only (the rules: tests/store/test_staff.py).
    running = asyncio.run(_screen_process(served[0], "counter", "127.0.0.5", "Đăng nhập quầy"))
    assert running and all("queue_kiosk" in line for line in running)
    # A display too: its heartbeat names the TV, so that one of two TVs stopping is seen.
    assert asyncio.run(_screen_process(served[0], "display", "127.0.0.6", "QUẦY"))
