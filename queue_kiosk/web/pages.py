"""Provides the citizens' web app: the ticket status page behind the QR code, its JSON twin,
the rating form and a health check, with the booking pages added from `booking`. Plain aiohttp
and the templates in `templates/`; no Textual."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from queue_kiosk.domain.errors import QueueError
from queue_kiosk.domain.views import TicketView
from queue_kiosk.service.facade import QueueService
from queue_kiosk.web.board import BoardLimits, add_board_routes
from queue_kiosk.web.booking import add_booking_routes
from queue_kiosk.web.common import (
    RateLimiter,
    UnreadableForm,
    language,
    message_page,
    off_loop,
    read_form,
    render,
)
from queue_kiosk.web.province import add_province_routes
from queue_kiosk.web.ship import add_ship_routes
from queue_kiosk.wording import say, status_word, wait_words

__all__ = ["RateLimiter", "StatusPage", "build_app"]
"""RateLimiter too: whoever builds the app may pass its own limits."""

TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")
REFRESH_SECONDS = 15
SERVICE_KEY: web.AppKey[QueueService] = web.AppKey("service", QueueService)
BOOKINGS_PER_HOUR = 5
"""Bookings and cancellations one client address may make in an hour."""


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

    def response(self) -> web.Response:
        t, lang = self.ticket, self.lang
        rows = [(say("page.field", lang), t.field_label(lang)),
                (say("page.state", lang), self.state())]
        if t.status == "waiting":
            if t.ahead is not None:
                rows.append((say("page.ahead", lang), str(t.ahead)))
            if t.eta_minutes is not None:
                rows.append((say("page.eta", lang),
                             wait_words("page.minutes", lang, t.eta_minutes)))
        finished = t.status in ("done", "no_show", "expired", "cancelled")
        # What to do now, and where: the page may be opened long after the day.
        advice = say(f"page.advice_{t.status}", lang, centre=self.centre) \
            if t.status in ("expired", "no_show", "cancelled") else ""
        done = t.status == "done"
        return render("status.html", lang, number=t.number, token=t.token, rows=rows,
                      refresh=None if finished else REFRESH_SECONDS, advice=advice,
                      rated=done and self.rated,
                      levels=self.levels if done and not self.rated else [],
                      body_class="status called" if t.status == "called" else "status")


def build_app(service: QueueService, *, limiter: RateLimiter | None = None,
              booking_limiter: RateLimiter | None = None,
              index_html: str | None = None,
              board_limits: BoardLimits | None = None) -> web.Application:
    limiter = limiter or RateLimiter()

    @web.middleware
    async def guard(request: web.Request,
                    handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                    ) -> web.StreamResponse:
        lang = language(request)
        # A commune's shipper is not a citizen: its token, not a rate, guards it.
        if request.path.startswith(("/t/", "/api/", "/b/", "/book")) and \
                request.path != "/api/ship" and not limiter.allow(request.remote or "?"):
            response = message_page(429, say("page.too_many", lang), lang)
            response.headers["Retry-After"] = str(int(limiter.window))
            return response
        try:
            return await handler(request)
        except web.HTTPException:
            raise
        except UnreadableForm:  # the client's fault: said plainly, no traceback in the log
            return message_page(400, say("page.bad_request", lang), lang)
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
        return StatusPage(ticket, lang, levels, rated,
                          service.catalog.hall.site.label(lang)).response()

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
        form = await read_form(request)
        try:
            await off_loop(service.rate, ticket.token, form.get("level", ""))
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
    add_booking_routes(app, service, booking_limiter or RateLimiter(
        limit=BOOKINGS_PER_HOUR, window=3600))
    add_board_routes(app, service, limits=board_limits)
    add_province_routes(app, service)
    add_ship_routes(app, service.store, service.clock)
    return app


def _dumps(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
