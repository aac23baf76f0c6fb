"""Provides the hall TV as a web page, `/board/`: one follower thread reads the site's change
feed and fans each new board out to every open page over server-sent events (a TV costs a
connection, not a process); each call's voice is rendered once, on the server, for every TV
to play. Read-only: numbers, counters and fields, never a name, phone or booking code."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from aiohttp import web

from queue_kiosk.config.paths import asset_path
from queue_kiosk.domain.errors import QueueError
from queue_kiosk.domain.views import BoardView, CounterView
from queue_kiosk.service.facade import QueueService
from queue_kiosk.voice.announce import (
    Announcement,
    Pending,
    Voice,
    VoiceSettings,
    one_breath,
    render_call,
    voice_settings,
)
from queue_kiosk.web.common import render
from queue_kiosk.wording import say

log = logging.getLogger(__name__)

LANGS = ("vi", "en")
CALL_KINDS = ("called", "recalled")
FEED_WAIT_SECONDS = 0.25
"""Also how long stopping the server may wait for the follower."""
BOARD_SETTLE_SECONDS = 0.05
RETRY_SECONDS = (0.5, 1, 2, 5)
HEARTBEAT_SECONDS = 5.0
"""A page that hears nothing (not even this ping) for three of these takes the board for
dead, says so and reconnects: a TV never shows a frozen board that looks live."""
QUEUED_FRAMES = 32
"""Frames waiting for one slow page; past that its oldest are dropped (each board frame is
the whole board, so the newest one is all it needs)."""
VOICES_KEPT = 64
BURST_MOST = 8
"""Calls a page may ask to hear in one breath (each is rendered for the request)."""
FONT = "DejaVuSansCondensed-Bold.ttf"


@dataclass
class BoardLimits:
    """Open boards per client address and in all: each is a connection and a queue."""

    total: int = 200
    per_client: int = 8
    open: Counter[str] = field(default_factory=Counter)

    def refusal(self, client: str, lang: str) -> web.Response | None:
        if sum(self.open.values()) >= self.total:
            return _refused(503, say("board.too_many", lang, limit=self.total))
        if self.open[client] >= self.per_client:
            return _refused(429, say("board.too_many", lang, limit=self.per_client))
        return None


def _refused(status: int, text: str) -> web.Response:
    return web.Response(status=status, text=text, headers={"Retry-After": "30"})


def frame(event: str, data: dict[str, Any], event_id: int | None = None) -> bytes:
    """One server-sent event."""
    head = f"id: {event_id}\n" if event_id is not None else ""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"{head}event: {event}\ndata: {payload}\n\n".encode()


PING = b"event: ping\ndata: {}\n\n"


def _millis(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def voice_path(number: str, counter: str) -> str:
    return f"/board/voice/{number}/{counter}.wav"


def counter_state(counter: CounterView, lang: str) -> tuple[str, str]:
    """The tile's state line and its class, as the terminal display says them."""
    current = counter.current
    if counter.paused_reason is not None:
        return say("display.paused", lang, reason=counter.paused_reason or "—"), "paused"
    if current is None:
        return say("display.outside_hours" if counter.outside_hours else "display.idle",
                   lang), "idle"
    if current.status == "serving":
        return say("display.serving", lang), "serving"
    return say("display.calling_state", lang), "calling"


def calls_data(calls: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """The new calls alone, sent the moment the feed shows them: the page draws their numbers
    and speaks them before the whole board (a few reads more) follows."""
    return {"calls": [{**call, "note": say("display.recalled", lang) if call["recalled"]
                       else ""} for call in calls]}


def board_data(board: BoardView, lang: str) -> dict[str, Any]:
    """What a page needs to draw the board: public fields only (numbers, counter codes and
    names, fields' names and counts)."""
    tiles = []
    for counter in board.counters:
        state, kind = counter_state(counter, lang)
        tiles.append({"code": counter.code, "title": say("display.counter", lang,
                                                         code=counter.code),
                      "name": counter.short_label(lang), "state": state, "kind": kind,
                      "number": counter.current.number if counter.current else ""})
    recent, shown = [], set()
    for made in board.recent_calls:  # newest first: a recall replaces its call's line
        if (made.number, made.counter) in shown:
            continue
        shown.add((made.number, made.counter))
        again = made.kind == "recalled"
        recent.append({"number": made.number, "counter": made.counter, "recalled": again,
                       "note": say("display.recalled", lang) if again else (
                           say("display.booked", lang) if made.booked else "")})
    latest = board.recent_calls[0] if board.recent_calls else None
    return {"id": board.last_event_id, "site": board.site_name, "now": _millis(board.at),
            "counters": tiles, "recent": recent,
            "latest": {"number": latest.number, "counter": latest.counter} if latest else None,
            "waiting": [{"label": q.label(lang), "count": q.waiting}
                        for q in board.waiting if q.waiting],
            "printer": say("display.printer_failed", lang) if board.printer_failed else ""}


class Subscriber:
    """One open page: the frames waiting for it, in its language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.frames: asyncio.Queue[bytes] = asyncio.Queue(QUEUED_FRAMES)

    def put(self, data: bytes) -> None:
        if self.frames.full():
            self.frames.get_nowait()
        self.frames.put_nowait(data)


class BoardHub:
    """Follows the site's feed on one thread and fans each change out to every open page on
    the event loop. Catching up is sending the current board: it is the whole state."""

    def __init__(self, service: QueueService, voice: VoiceSettings | None = None) -> None:
        self.service = service
        self.voice = voice or voice_settings(service.catalog.hall.display)
        self.subscribers: set[Subscriber] = set()
        self.frames: dict[str, bytes] = {}
        """What a page that joins gets first, per language: the board (never the calls
        before it: a TV switched on must not announce them), or that the store is down."""
        self.voices: OrderedDict[tuple[str, str], Future[bytes] | None] = OrderedDict()
        """The last calls seen, with their voice once a page asked for it: rendered once for
        every TV, and never while no TV plays sound (espeak-ng takes a core for a moment)."""
        self.made: dict[tuple[str, str], float] = {}
        """When each of those calls was made (the service's clock, seconds)."""
        self._renderer = ThreadPoolExecutor(1, thread_name_prefix="board-voice")
        self._stop = threading.Event()
        self._board_wanted = threading.Event()
        self._feed_down = False
        """Set by the feed thread before it says the store is down, cleared when it heals: a
        board read in between must not lift the page's overlay."""
        self._called_through = 0
        """The newest call sent (on the event loop): a board read before it is dropped, so a
        call's number never flickers off its tile (a fresher board is on its way)."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._threads: list[threading.Thread] = []

    # ----- on the event loop --------------------------------------------------------------

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._threads = [threading.Thread(target=self._follow, name="board-feed", daemon=True),
                         threading.Thread(target=self._refresh_boards, name="board-read",
                                          daemon=True)]
        for thread in self._threads:
            thread.start()

    async def stop(self) -> None:
        self._stop.set()
        self._board_wanted.set()
        for thread in self._threads:
            await asyncio.get_running_loop().run_in_executor(None, thread.join, 5)
        self._renderer.shutdown(wait=False, cancel_futures=True)

    def subscribe(self, lang: str) -> Subscriber:
        subscriber = Subscriber(lang)
        self.subscribers.add(subscriber)
        if lang in self.frames:
            subscriber.put(self.frames[lang])
        return subscriber

    def _publish(self, frames: dict[str, bytes], kind: str, event_id: int) -> None:
        if kind == "call":
            self._called_through = max(self._called_through, event_id)
        elif kind == "board" and (self._feed_down or event_id < self._called_through):
            return
        if kind != "call":  # a TV switched on must not announce the calls before it
            self.frames = frames
        for subscriber in self.subscribers:
            subscriber.put(frames[subscriber.lang])

    def audio(self, number: str, counter: str) -> Future[bytes] | None:
        """A call's voice, rendered on the first page's request; None for a call the board
        never showed, so nobody can make the server speak anything else."""
        key = (number, counter)
        if key not in self.voices:
            return None
        rendering = self.voices[key]
        if rendering is None:
            call, settings = Announcement(number, counter), self.voice
            rendering = self.voices[key] = self._renderer.submit(
                lambda: render_call(call, settings)[0].to_wav())
        return rendering

    def burst(self, keys: list[tuple[str, str]], fresh: bool) -> Future[bytes] | None:
        """Calls that queued up on a page, said in one breath as the terminal display says a
        burst (`one_breath`: no chime or intro again, the late ones left to the screen);
        None unless every one is a call the board showed."""
        if not 0 < len(keys) <= BURST_MOST or any(key not in self.made for key in keys):
            return None
        calls = [Pending(Announcement(*key), self.made[key]) for key in keys]
        settings, clock = self.voice, self.service.clock
        return self._renderer.submit(lambda: one_breath(
            Voice(settings), calls, fresh, lambda: clock.now().timestamp())[0].to_wav())

    # ----- on the follower threads --------------------------------------------------------

    def _post(self, kind: str, data: Callable[[str], dict[str, Any]],
              event_id: int = 0) -> None:
        """Sends a `kind` frame to every open page, in each page's language; a board or an
        outage also to the pages that join later."""
        assert self._loop is not None
        frames = {lang: frame(kind, data(lang), event_id if kind == "board" else None)
                  for lang in LANGS}
        try:
            self._loop.call_soon_threadsafe(self._publish, frames, kind, event_id)
        except RuntimeError:  # the loop closed while the server stopped
            self._stop.set()
            self._board_wanted.set()

    def _down(self, exc: QueueError, failures: int) -> None:
        self._post("down", lambda lang: {"message": exc.message(lang)})
        self._stop.wait(RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)])

    def _follow(self) -> None:
        """Waits on the feed and sends each new call's number the moment it is seen; the
        whole board (ten reads) is another thread's, so a call committed while the
        board is read is not kept waiting for that read."""
        service = self.service
        feed = service.feed()
        last, failures = -1, 0
        try:
            while not self._stop.is_set():
                try:
                    newest = feed.last_id() if last < 0 else feed.wait(last, FEED_WAIT_SECONDS)
                    if feed.catalog_version != service.catalog.version:
                        service.refresh()
                    if newest == last and not failures:
                        continue
                    seen = [] if last < 0 else feed.changes(last)
                except QueueError as exc:
                    feed.close()
                    self._feed_down = True
                    self._down(exc, failures)
                    failures += 1
                    continue
                failures, self._feed_down = 0, False
                calls: list[dict[str, Any]] = [
                    {"id": c.id, "number": c.number, "counter": c.counter,
                     "made": _millis(c.at), "recalled": c.kind == "recalled",
                     "audio": self._render(c.number, c.counter, c.at)}
                    for c in seen if c.kind in CALL_KINDS and c.number and c.counter]
                if calls:
                    self._post("call", partial(calls_data, calls), int(calls[-1]["id"]))
                # Changes read after `wait` answered may be newer than what it named.
                last = max(newest, seen[-1].id if seen else newest)
                self._board_wanted.set()
        finally:
            feed.close()
            self._board_wanted.set()  # lets the board thread see the stop

    def _refresh_boards(self) -> None:
        """Reads the whole board whenever the feed moved (changes that came during a read
        fold into the next one) and sends it to every page."""
        failures = 0
        while True:
            self._board_wanted.wait()
            # What follows at once (the call after a finish) folds into this read: every
            # page then draws one board, after the call's number, not before it.
            if self._stop.wait(BOARD_SETTLE_SECONDS):
                return
            self._board_wanted.clear()
            try:
                board = self.service.board()
            except QueueError as exc:
                self._down(exc, failures)
                failures += 1
                self._board_wanted.set()
                continue
            failures = 0
            self._post("board", partial(board_data, board), board.last_event_id)

    def _render(self, number: str, counter: str, made: datetime) -> str:
        """Lets pages ask for a call's voice (the last calls' only) and names its URL."""
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._allow, (number, counter), made.timestamp())
        return voice_path(number, counter)

    def _allow(self, key: tuple[str, str], made: float) -> None:
        self.voices.setdefault(key, None)
        self.made[key] = made
        while len(self.voices) > VOICES_KEPT:
            self.made.pop(self.voices.popitem(last=False)[0], None)


HUB_KEY: web.AppKey[BoardHub] = web.AppKey("board_hub", BoardHub)


def add_board_routes(app: web.Application, service: QueueService, *,
                     limits: BoardLimits | None = None,
                     hub_factory: Callable[[QueueService], BoardHub] = BoardHub) -> None:
    limits = limits or BoardLimits()
    hub = hub_factory(service)
    app[HUB_KEY] = hub
    display = service.catalog.hall.display

    async def running(_: web.Application) -> Any:
        hub.start()
        yield
        await hub.stop()

    app.cleanup_ctx.append(running)

    async def page(request: web.Request) -> web.Response:
        # A TV's browser locale says nothing of the hall: Vietnamese unless the link asks.
        lang = request.query.get("lang", "vi")
        lang = lang if lang in LANGS else "vi"
        hall = service.catalog.hall
        config = {"stream": f"/board/events?lang={lang}",
                  "voice": request.query.get("voice") != "0",
                  "maxDelay": display.voice_max_delay, "highlight": display.highlight_seconds,
                  "heartbeat": HEARTBEAT_SECONDS, "retry": list(RETRY_SECONDS),
                  "tz": hall.site.timezone}
        notice = hall.display.notice_at(service.clock.now().astimezone(service.catalog.tz))
        return render("board.html", lang, site=hall.site.label(lang), notice=notice,
                      config=config)

    async def events(request: web.Request) -> web.StreamResponse:
        lang = request.query.get("lang", "vi")
        lang = lang if lang in LANGS else "vi"
        client = request.remote or "?"
        refusal = limits.refusal(client, lang)
        if refusal is not None:
            return refusal
        response = web.StreamResponse(headers={
            "Content-Type": "text/event-stream", "Cache-Control": "no-cache",
            "X-Accel-Buffering": "no"})  # a proxy in front must not hold the events back
        limits.open[client] += 1
        subscriber = hub.subscribe(lang)
        try:
            await response.prepare(request)
            # A page that reconnects (Last-Event-ID) gets the current board first: it is the
            # whole state, so nothing missed stays missing.
            while True:
                try:
                    data = await asyncio.wait_for(subscriber.frames.get(), HEARTBEAT_SECONDS)
                except TimeoutError:
                    data = PING
                await response.write(data)
        except (ConnectionError, asyncio.CancelledError):
            return response
        finally:
            hub.subscribers.discard(subscriber)
            limits.open[client] -= 1
            if not limits.open[client]:
                del limits.open[client]

    async def voice(request: web.Request) -> web.Response:
        rendering = hub.audio(request.match_info["number"], request.match_info["counter"])
        if rendering is None:
            raise web.HTTPNotFound()
        wav = await asyncio.wrap_future(rendering)
        return web.Response(body=wav, content_type="audio/wav",
                            headers={"Cache-Control": "max-age=3600"})

    async def burst(request: web.Request) -> web.Response:
        calls = [call.partition("/") for call in request.query.get("calls", "").split(",")]
        rendering = hub.burst([(number, counter) for number, _, counter in calls],
                              request.query.get("fresh") == "1")
        if rendering is None:
            raise web.HTTPNotFound()
        return web.Response(body=await asyncio.wrap_future(rendering),
                            content_type="audio/wav")

    async def font(_: web.Request) -> web.FileResponse:
        return web.FileResponse(asset_path("fonts", FONT),
                                headers={"Cache-Control": "max-age=86400"})

    app.add_routes([web.get("/board/", page), web.get("/board/events", events),
                    web.get("/board/voice/burst.wav", burst),
                    web.get("/board/voice/{number}/{counter}.wav", voice),
                    web.get("/board/font.ttf", font)])
