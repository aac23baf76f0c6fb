"""Provides `queue-kiosk serve`: the three screens in a browser through textual-serve (one app
process per browser session, all on the same store) beside the citizens' status pages."""

from __future__ import annotations

import asyncio
import copy
import logging
import shlex
import sys
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from queue_kiosk.domain.errors import QueueError
from queue_kiosk.service.facade import QueueService
from queue_kiosk.web.board import BoardLimits
from queue_kiosk.web.common import TEMPLATE_FOLDER, TEMPLATES, off_loop
from queue_kiosk.web.pages import build_app

log = logging.getLogger("queue_kiosk.alerts")

SCREENS = {
    "kiosk": ("Kiosk lấy số", "Ticket kiosk", ["kiosk"]),
    "counter": ("Quầy (đăng nhập cán bộ)", "Counter (staff sign-in)", ["counter"]),
    "display": ("Màn hình phòng chờ", "Hall display", ["display"]),
    "admin": ("Quản trị trung tâm (quản trị viên)", "Centre administration (administrator)",
              ["admin"]),
}


def screen_command(mode: str, lang: str, voice: bool) -> str:
    """The shell command textual-serve runs for each browser session. textual-serve would run
    `python` from PATH; name the running interpreter so the served app is this install. The
    database URL travels in QUEUE_KIOSK_DB (inherited), never on a command line `ps` shows."""
    args = [sys.executable, "-m", "queue_kiosk", "--lang", lang, *SCREENS[mode][2]]
    if mode == "display" and not voice:
        args.append("--mute")  # the voice would play on the server's speakers, not the TV
    return shlex.join(args)


def index_page(site_name: str, public_url: str, *, bookings: bool = False) -> str:
    return TEMPLATES.get_template("serve_index.html").render(
        site=site_name, public_url=public_url, bookings=bookings,
        screens=[(mode, vi, en) for mode, (vi, en, _) in SCREENS.items()])




@dataclass
class SessionLimits:
    """Each browser session runs an app process (~75 MiB): open sessions are counted per
    client address and in total, and the ones past a limit are refused with a reason."""

    total: int = 16
    per_client: int = 4
    open: Counter[str] = field(default_factory=Counter)

    def refusal(self, client: str) -> web.Response | None:
        if sum(self.open.values()) >= self.total:
            return _refused(503, f"Máy chủ đã mở đủ {self.total} màn hình; vui lòng đóng bớt "
                                 f"rồi thử lại · The server already runs {self.total} screens; "
                                 "close one and try again")
        if self.open[client] >= self.per_client:
            return _refused(429, f"Máy này đã mở {self.per_client} màn hình; vui lòng đóng bớt "
                                 f"· This device already has {self.per_client} screens open; "
                                 "close one first")
        return None

    @web.middleware
    async def middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        mode, _, rest = request.path.strip("/").partition("/")
        if mode not in SCREENS or rest not in ("", "ws"):  # the status pages, static files
            return await handler(request)  # type: ignore[no-any-return]
        client = request.remote or "?"
        refusal = self.refusal(client)
        if refusal is not None:
            return refusal
        if rest != "ws":  # the page: refused early with a reason a person can read
            return await handler(request)  # type: ignore[no-any-return]
        self.open[client] += 1
        try:
            return await handler(request)  # type: ignore[no-any-return]
        finally:
            self.open[client] -= 1
            if not self.open[client]:
                del self.open[client]


def display_font(font_size: int, public_url: str) -> Any:
    """/display/ opens at the hall's font size (textual-serve reads it from `fontsize`); a
    link that already names one keeps it."""
    @web.middleware
    async def middleware(request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path == "/display/" and "fontsize" not in request.query:
            raise web.HTTPFound(f"{public_url}/display/?fontsize={font_size}")
        return await handler(request)  # type: ignore[no-any-return]
    return middleware


def _refused(status: int, text: str) -> web.Response:
    return web.Response(status=status, text=text, headers={"Retry-After": "30"})


def _session_server(command: str, **options: Any) -> Any:
    """textual-serve's server, starting each browser session's process with the browser's
    address (`--client`): sign-in failures are counted per device, and each screen's
    heartbeat names the device (two TVs are two screens, either may stop)."""
    from textual_serve.server import Server

    class ClientServer(Server):
        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            # textual-serve builds the session's process from `self.command` (its only
            # per-process setting): a copy of the server per session carries the address.
            session = copy.copy(self)
            session.command = f"{command} --client {shlex.quote(request.remote or '?')}"
            return await Server.handle_websocket(session, request)

        async def _process_messages(self, websocket: web.WebSocketResponse,
                                    app_service: Any) -> None:
            # textual-serve leaves the browser's socket open when the app's process dies
            # (kill -9, a crash): the page kept its last frame, a TV a call long gone. The
            # socket is closed then, so the page says the session ended (and a display's
            # page opens a new one). `_task` is the process reader: no public handle exists.
            async def close_when_gone() -> None:
                await asyncio.wait({app_service._task})  # waits, never cancels it
                await websocket.close()
            watcher = asyncio.create_task(close_when_gone())
            try:
                await Server._process_messages(self, websocket, app_service)
            finally:
                watcher.cancel()

    return ClientServer(command, **options)


async def make_root(service: QueueService, *, host: str, port: int, public_url: str,
                    lang: str = "vi", voice: bool = False,
                    limits: SessionLimits | None = None,
                    boards: BoardLimits | None = None) -> web.Application:
    hall = service.catalog.hall
    root = build_app(service, index_html=index_page(
        hall.site.name, public_url, bookings=hall.appointments.enabled), board_limits=boards)
    root.middlewares.append((limits or SessionLimits()).middleware)
    root.middlewares.append(display_font(service.catalog.hall.display.browser_font_size,
                                         public_url))
    for mode, (vi, en, _) in SCREENS.items():
        server = _session_server(screen_command(mode, lang, voice),
                                 host=host, port=port, title=vi if lang == "vi" else en,
                                 public_url=public_url,  # sub-app routes carry the prefix
                                 templates_path=TEMPLATE_FOLDER)
        # textual-serve has no public way to share a server; its app is mounted whole, so
        # the screens, the status pages and /health answer on one port.
        sub: Any = await server._make_app()
        sub.on_startup.clear()  # its start-up banner would print once per screen
        root.add_subapp(f"/{mode}/", sub)
    root.cleanup_ctx.append(_heartbeat(service, _local_address(host, port)))
    return root


def _local_address(host: str, port: int) -> str:
    """Where this PC reaches the server (what `doctor` asks for /health)."""
    local = {"0.0.0.0": "127.0.0.1", "::": "[::1]", "": "127.0.0.1"}.get(host, host)
    return f"http://{local}:{port}"


def _heartbeat(service: QueueService, address: str) -> Any:
    """serve says it is alive like every screen, from a timer off the event loop, and
    evaluates its site's alerts (it runs all day beside the display: either raises them)."""
    from queue_kiosk.ops.heartbeat import TIMER_SECONDS, Heartbeat

    async def beating(_: web.Application) -> AsyncIterator[None]:
        heartbeat = Heartbeat(service, "serve", address=address)

        async def beat() -> None:
            while True:
                await off_loop(heartbeat.beat)
                await asyncio.sleep(TIMER_SECONDS)
        tasks = [asyncio.create_task(beat()), asyncio.create_task(_alerts(service))]
        yield
        for task in tasks:
            task.cancel()
        await off_loop(heartbeat.stop)
    return beating


async def _alerts(service: QueueService) -> None:
    from queue_kiosk.service.alerts import EVALUATE_SECONDS, evaluate

    while True:
        await asyncio.sleep(EVALUATE_SECONDS)
        try:
            await off_loop(evaluate, service)
        except QueueError as exc:  # the store is down: the next round tries again
            log.info("alerts not evaluated: %s", exc.message("en"))
