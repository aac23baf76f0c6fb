"""/board/'s event stream over real HTTP on loopback: the first frame is the whole board, in
public fields only; open boards are limited per client and in all; only calls the board
showed have a voice."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from queue_kiosk.service.facade import QueueService
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
