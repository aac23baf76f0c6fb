"""Provides the citizens' web pages: the ticket status page behind the QR code, its JSON twin,
the rating form, and a health check. Plain aiohttp; no Textual."""

from __future__ import annotations

import asyncio
import html
import re
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from aiohttp import web

from queue_kiosk.domain.errors import QueueError
from queue_kiosk.domain.views import TicketView
from queue_kiosk.service.facade import QueueService
from queue_kiosk.wording import say, status_word, wait_words

T = TypeVar("T")
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")
REFRESH_SECONDS = 15
SERVICE_KEY: web.AppKey[QueueService] = web.AppKey("service", QueueService)
BOOKINGS_PER_HOUR = 5
"""Bookings and cancellations one client address may make in an hour."""

def language(request: web.Request) -> str:
    """Vietnamese unless the browser prefers English over Vietnamese."""
    for part in request.headers.get("Accept-Language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("vi"):
            return "vi"
        if tag.startswith("en"):
            return "en"
    return "vi"


class RateLimiter:
    """A sliding window per client address: enough for a phone refreshing its status page,
    too little to walk through tokens."""

    def __init__(self, limit: int = 60, window: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self.hits: dict[str, deque[float]] = defaultdict(deque)

    def allow(self, client: str) -> bool:
        now = self.clock()
        hits = self.hits[client]
        while hits and now - hits[0] > self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        return True


async def off_loop(function: Callable[..., T], *args: Any) -> T:
    """Store calls block (SQLAlchemy); keep them off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(None, partial(function, *args))


@dataclass(frozen=True)
class StatusPage:
    ticket: TicketView
    lang: str
    levels: list[tuple[str, str]]
    rated: bool
    centre: str
    """The centre's name: a page the citizen opens days later says where it was."""

    def state(self) -> str:
        ticket = self.ticket
        if ticket.status == "called" and ticket.counter:
            return say("page.called", self.lang, counter=ticket.counter)
        if ticket.status == "serving" and ticket.counter:
            return say("page.serving", self.lang, counter=ticket.counter)
        return status_word(ticket.status, self.lang)

    def render(self) -> str:
        t, lang = self.ticket, self.lang
        field = t.field_label(lang)
        rows = [(say("page.field", lang), field), (say("page.state", lang), self.state())]
        if t.status == "waiting":
            if t.ahead is not None:
                rows.append((say("page.ahead", lang), str(t.ahead)))
            if t.eta_minutes is not None:
                rows.append((say("page.eta", lang),
                             wait_words("page.minutes", lang, t.eta_minutes)))
        table = "\n".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
                          for k, v in rows)
        finished = t.status in ("done", "no_show", "expired", "cancelled")
        refresh = "" if finished else \
            f'<meta http-equiv="refresh" content="{REFRESH_SECONDS}">'
        footer = "" if finished else \
            f"<p class=note>{say('page.refresh', lang, seconds=REFRESH_SECONDS)}</p>"
        if t.status in ("expired", "no_show", "cancelled"):
            # What to do now, and where: the page may be opened long after the day.
            footer = (f"<p class=advice id=advice>"
                      f"{html.escape(say(f'page.advice_{t.status}', lang, centre=self.centre))}"
                      f"</p>")
        rating = ""
        if t.status == "done":
            if self.rated:
                rating = f"<p class=thanks>{say('page.rated', lang)}</p>"
            else:
                buttons = "".join(
                    f'<button name="level" value="{html.escape(code)}">{html.escape(name)}'
                    f"</button>" for code, name in self.levels)
                rating = (f'<form method="post" action="/t/{t.token}/rate">'
                          f"<p>{say('page.rate', lang)}</p>{buttons}</form>")
        called = " called" if t.status == "called" else ""
        return citizen_page(lang, say("page.title", lang, number=t.number),
                            f'<h1 class="number" id="number">{html.escape(t.number)}</h1>\n'
                            f'<table id="details">{table}</table>\n{rating}{footer}',
                            head=refresh, body_class=f"status{called}")


STYLE = """
body { font-family: system-ui, sans-serif; margin: 0; padding: 1rem; background: #f6f7f9;
       color: #1b1f24; }
main { max-width: 28rem; margin: auto; background: #fff; border-radius: .75rem;
       padding: 1.25rem; box-shadow: 0 1px 4px rgba(0,0,0,.08); }
h1, h2 { text-align: center; }
.number { font-size: 4rem; font-weight: 800; text-align: center; margin: .25rem 0;
          letter-spacing: .05em; }
.called .number { color: #b45309; }
table { width: 100%; border-collapse: collapse; font-size: 1.1rem; }
th { text-align: left; font-weight: 500; color: #555; padding: .4rem 0; }
td { text-align: right; font-weight: 700; padding: .4rem 0; }
button, a.choice { display: block; width: 100%; box-sizing: border-box; margin: .4rem 0;
          padding: .8rem; font-size: 1.1rem; border: 0; border-radius: .5rem;
          background: #0b5cad; color: #fff; text-align: center; text-decoration: none; }
a.choice.quiet, button.quiet { background: #e5e9f0; color: #1b1f24; }
.slots a.choice { margin: 0; padding: .6rem .2rem; font-size: 1rem; }
.slots { display: grid; grid-template-columns: repeat(3, 1fr); gap: .4rem; }
.slots button { margin: 0; padding: .7rem .2rem; }
label, select, input { display: block; width: 100%; box-sizing: border-box; font-size: 1.1rem;
          margin: .3rem 0; }
select, input { padding: .6rem; border: 1px solid #ccd; border-radius: .4rem; }
.qr { display: block; width: 12rem; height: 12rem; margin: .5rem auto; }
.note { color: #777; font-size: .85rem; text-align: center; }
.thanks { color: #166534; font-weight: 700; text-align: center; }
.advice { color: #92400e; font-weight: 600; text-align: center; }
"""


def citizen_page(lang: str, title: str, main: str, *, head: str = "",
                 body_class: str = "") -> str:
    """A citizen's page: phone-sized, no script, nothing fetched from elsewhere. `main` is
    HTML already escaped by its maker."""
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">{head}\n'
            f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style></head>\n"
            f'<body class="{body_class}"><main>\n{main}\n</main></body></html>\n')

def message_page(status: int, message: str, lang: str) -> web.Response:
    return web.Response(status=status, content_type="text/html", charset="utf-8",
                        text=citizen_page(lang, str(status),
                                          f"<p class=advice>{html.escape(message)}</p>"))


def build_app(service: QueueService, *, limiter: RateLimiter | None = None,
              booking_limiter: RateLimiter | None = None,
              index_html: str | None = None) -> web.Application:
    limiter = limiter or RateLimiter()

    @web.middleware
    async def guard(request: web.Request,
                    handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                    ) -> web.StreamResponse:
        lang = language(request)
        if request.path.startswith(("/t/", "/api/", "/b/", "/book")) and \
                not limiter.allow(request.remote or "?"):
            response = message_page(429, say("page.too_many", lang), lang)
            response.headers["Retry-After"] = str(int(limiter.window))
            return response
        try:
            return await handler(request)
        except web.HTTPException:
            raise
        except QueueError:
            return message_page(503, say("page.error", lang), lang)
        except Exception:  # never a traceback page; the server log keeps the details
            request.app.logger.exception("request failed: %s", request.path)
            return message_page(500, say("page.error", lang), lang)

    app = web.Application(middlewares=[guard])
    app[SERVICE_KEY] = service

    async def find(request: web.Request) -> TicketView | None:
        token = request.match_info["token"]
        # The same lookup happens for any token shape, so a miss takes as long as a hit.
        ticket = await off_loop(service.ticket_by_token, token if TOKEN_SHAPE.fullmatch(token)
                                else "-")
        return ticket

    async def status_page(request: web.Request) -> web.Response:
        lang = language(request)
        ticket = await find(request)
        if ticket is None:
            return message_page(404, say("page.not_found", lang), lang)
        levels = [(lv.code, lv.label(lang)) for lv in service.catalog.hall.rating.levels]
        rated = await off_loop(service.is_rated, ticket.id)
        return web.Response(content_type="text/html", charset="utf-8",
                            text=StatusPage(ticket, lang, levels, rated,
                                            service.catalog.hall.site.label(lang)).render())

    async def status_json(request: web.Request) -> web.Response:
        ticket = await find(request)
        if ticket is None:
            return web.json_response({"error": "not found"}, status=404)
        public = {key: value for key, value in ticket.to_json().items()
                  if key not in ("id", "token")}
        return web.json_response(public, dumps=_dumps)

    async def rate(request: web.Request) -> web.Response:
        lang = language(request)
        ticket = await find(request)
        if ticket is None:
            return message_page(404, say("page.not_found", lang), lang)
        form = await request.post()
        try:
            await off_loop(service.rate, ticket.token, str(form.get("level", "")))
        except QueueError as exc:
            return message_page(409, exc.message(lang), lang)
        raise web.HTTPSeeOther(f"/t/{ticket.token}")

    async def health(_: web.Request) -> web.Response:
        try:
            last = await off_loop(service.last_event_id)
        except QueueError as exc:
            return web.json_response({"status": "error", "detail": exc.message("en")},
                                     status=503)
        return web.json_response({"status": "ok", "site": service.catalog.site_code,
                                  "last_event_id": last})

    async def index(_: web.Request) -> web.Response:
        return web.Response(content_type="text/html", charset="utf-8",
                            text=index_html or "queue-kiosk")

    app.add_routes([web.get("/t/{token}", status_page), web.post("/t/{token}/rate", rate),
                    web.get("/api/tickets/{token}", status_json), web.get("/health", health),
                    web.get("/", index)])
    from queue_kiosk.web.booking import add_booking_routes

    add_booking_routes(app, service, booking_limiter or RateLimiter(
        limit=BOOKINGS_PER_HOUR, window=3600))
    return app


def _dumps(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
