"""Provides `queue-kiosk serve`: the three screens in a browser through textual-serve (one app
process per browser session, all on the same store) beside the citizens' status pages."""

from __future__ import annotations

import html
import shlex
import sys
from typing import Any

from aiohttp import web

from queue_kiosk.paths import asset_path
from queue_kiosk.service import QueueService
from queue_kiosk.web import build_app

SCREENS = {
    "kiosk": ("Kiosk lấy số", "Ticket kiosk", ["kiosk"]),
    "counter": ("Quầy (đăng nhập cán bộ)", "Counter (staff sign-in)", ["counter"]),
    "display": ("Màn hình phòng chờ", "Hall display", ["display"]),
}


def screen_command(mode: str, lang: str, voice: bool) -> str:
    """The shell command textual-serve runs for each browser session. textual-serve would run
    `python` from PATH; name the running interpreter so the served app is this install. The
    database URL travels in QUEUE_KIOSK_DB (inherited), never on a command line `ps` shows."""
    args = [sys.executable, "-m", "queue_kiosk", "--lang", lang, *SCREENS[mode][2]]
    if mode == "display" and not voice:
        args.append("--mute")  # the voice would play on the server's speakers, not the TV
    return shlex.join(args)


def index_page(site_name: str, public_url: str) -> str:
    links = "\n".join(
        f'<li><a href="{public_url}/{mode}/">{html.escape(vi)}</a> · {html.escape(en)}</li>'
        for mode, (vi, en, _) in SCREENS.items())
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><title>queue-kiosk</title></head>'
            f'<body style="font-family: system-ui, sans-serif; padding: 2rem">'
            f"<h1>{html.escape(site_name)}</h1><ul>{links}</ul>"
            f"<p>Trang theo dõi phiếu: /t/&lt;mã phiếu&gt; · Kiểm tra: "
            f'<a href="{public_url}/health">/health</a></p></body></html>')


async def make_root(service: QueueService, *, host: str, port: int, public_url: str,
                    lang: str = "vi", voice: bool = False) -> web.Application:
    from textual_serve.server import Server

    root = build_app(service, index_html=index_page(service.catalog.hall.site.name,
                                                    public_url))
    for mode, (vi, en, _) in SCREENS.items():
        server = Server(screen_command(mode, lang, voice), host=host, port=port,
                        title=vi if lang == "vi" else en,
                        public_url=public_url,  # sub-app routes carry the prefix
                        templates_path=asset_path("serve"))
        # textual-serve has no public way to share a server; its app is mounted whole, so
        # the screens, the status pages and /health answer on one port.
        sub: Any = await server._make_app()
        sub.on_startup.clear()  # its start-up banner would print once per screen
        root.add_subapp(f"/{mode}/", sub)
    return root
