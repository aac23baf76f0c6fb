"""/board/'s event stream over real HTTP on loopback: the first frame is the whole board, in
public fields only; open boards are limited per client and in all; only calls the board
showed have a voice."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from queue_kiosk.domain.views import BoardView
from queue_kiosk.service.facade import QueueService
from queue_kiosk.web import board as board_module
from queue_kiosk.web.board import BoardLimits
from queue_kiosk.web.pages import build_app


async def first_frame(response: ClientResponse) -> tuple[str, dict[str, object]]:
    lines: dict[str, str] = {}
    while True:
        line = (await response.content.readline()).decode().rstrip("\n")
        if not line:
            return lines["event"], json.loads(lines["data"])
        key, _, value = line.partition(": ")
        lines[key] = value


async def test_boards_are_limited_per_client_and_in_all(service: QueueService) -> None:
    ticket = service.issue("B")
    service.call_next("1")
    app = build_app(service, board_limits=BoardLimits(total=2, per_client=1))
    async with TestClient(TestServer(app)) as client:
        board = await client.get("/board/events")
        event, data = await first_frame(board)
        assert event == "board" and data["latest"] == {"number": ticket.number, "counter": "1"}
        raw = json.dumps(data)
        assert ticket.token not in raw and "token" not in raw and "phone" not in raw
        assert "calls" not in data  # a board switched on announces nothing made before
        second = await client.get("/board/events")
        assert second.status == 429 and "1 bảng gọi số" in await second.text()
        board.close()
        unknown = await client.get(f"/board/voice/{ticket.number}/1.wav")
        assert unknown.status == 404  # seen at start-up, not as a call while following
        page = await client.get("/board/?lang=en")
        assert "RECENT CALLS" in await page.text()


async def test_past_the_total_every_client_is_refused(service: QueueService) -> None:
    app = build_app(service, board_limits=BoardLimits(total=1, per_client=5))
    async with TestClient(TestServer(app)) as client:
        board = await client.get("/board/events?lang=en")
        assert (await first_frame(board))[0] == "board"
        full = await client.get("/board/events?lang=en")
        assert full.status == 503 and "1 calling boards are open" in await full.text()
        board.close()


async def test_a_call_is_sent_first_then_the_whole_board(service: QueueService) -> None:
    """The numbers of new calls go out the moment the feed shows them (the page draws and
    speaks them); the board, a few reads more, follows."""
    ticket = service.issue("B")
    async with TestClient(TestServer(build_app(service))) as client:
        board = await client.get("/board/events")
        assert (await first_frame(board))[0] == "board"
        service.call_next("1")
        event, data = await first_frame(board)
        calls: Any = data["calls"]
        assert event == "call"
        assert calls == [{"id": calls[0]["id"], "number": ticket.number, "counter": "1",
                          "made": calls[0]["made"], "recalled": False, "note": "",
                          "audio": f"/board/voice/{ticket.number}/1.wav"}]
        event, data = await first_frame(board)
        assert event == "board" and data["latest"] == {"number": ticket.number, "counter": "1"}
        service.recall("1")
        event, data = await first_frame(board)
        calls = data["calls"]
        assert event == "call" and calls[0]["recalled"] and calls[0]["note"] == "(gọi lại)"
        board.close()


async def test_a_call_made_while_the_board_is_read_is_not_kept_waiting(
        service: QueueService) -> None:
    """Reading the whole board takes some forty statements; a call committed meanwhile goes
    out at once, and the board read before it never takes its number off the page."""
    first, second = service.issue("B"), service.issue("C")
    read, release, slow = threading.Event(), threading.Event(), threading.Event()
    board_now = service.board

    def board_slowly() -> BoardView:
        board = board_now()
        if slow.is_set():
            read.set()
            release.wait(10)
        return board
    service.board = board_slowly  # type: ignore[method-assign]
    async with TestClient(TestServer(build_app(service))) as client:
        stream = await client.get("/board/events")
        assert (await first_frame(stream))[0] == "board"
        slow.set()
        service.call_next("1")
        assert (await first_frame(stream))[0] == "call"
        try:
            assert await asyncio.to_thread(read.wait, 10)  # the board of the first call
            service.call_next("2")
            event, data = await asyncio.wait_for(first_frame(stream), 5)
            assert event == "call"  # before the fix: a ping, the call held behind the read
            calls: Any = data["calls"]
            assert calls[0]["number"] == second.number
        finally:
            slow.clear()
            release.set()
        event, data = await first_frame(stream)
        assert event == "board" and data["latest"] == {"number": second.number, "counter": "2"}
        assert first.number in json.dumps(data["recent"])
        stream.close()


async def test_a_call_right_after_a_finish_goes_out_before_one_board_of_both(
        service: QueueService, monkeypatch: pytest.MonkeyPatch) -> None:
    """An official's finish then call: every page draws the call's number first, then one
    board with both (it drew the finish's board first, then the call behind its layout)."""
    monkeypatch.setattr(board_module, "BOARD_SETTLE_SECONDS", 1.0)  # a slow official's pace
    first, second = service.issue("B"), service.issue("B")
    service.call_next("1")
    async with TestClient(TestServer(build_app(service))) as client:
        stream = await client.get("/board/events")
        assert (await first_frame(stream))[0] == "board"
        service.finish("1")
        await asyncio.sleep(0.3)
        service.call_next("1")
        event, data = await first_frame(stream)
        calls: Any = data.get("calls")
        assert event == "call" and calls[0]["number"] == second.number
        event, data = await first_frame(stream)
        assert event == "board" and data["latest"] == {"number": second.number, "counter": "1"}
        assert first.number in json.dumps(data["recent"])
        stream.close()
