"""Provides the province's overview on the web: `/province/` for province accounts (signed in
with their code and PIN, live over server-sent events like `/board/`), and the read-only JSON
API `/api/province/…` for the operations centre, behind bearer tokens. One follower thread
per server keeps every commune's summary; each page and each call reads it filtered by what
its account or token may see. Numbers only: no names, phones or booking codes."""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from aiohttp import web

from queue_kiosk.domain.dates import day_from_text
from queue_kiosk.domain.errors import QueueError
from queue_kiosk.ops.province import POLL_SECONDS, STATES, ProvinceOverview
from queue_kiosk.reports.comparison import compare
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.province_access import ProvinceAccess, Scope
from queue_kiosk.service.staff import READ_ONLY, StaffDirectory
from queue_kiosk.web.board import HEARTBEAT_SECONDS, PING, RETRY_SECONDS, frame
from queue_kiosk.web.common import off_loop, read_form, render
from queue_kiosk.wording import WORDING, say

COOKIE = "qk_province"
SESSION_SECONDS = 8 * 3600
"""A working day: a province officer signs in once in the morning."""
REFUSED = {"error": "unauthorized",
           "message": "Mã truy cập không hợp lệ · The token is not valid"}
"""Every refusal of the API reads alike: an unknown, a revoked and a missing token."""
WORDS = ("waiting", "served", "counters", "ratings", "printer", "screens", "printer_ok",
         "printer_unknown", "nothing", "alerts", "counters_title", "fields_title",
         "calls_title", "screens_title", "back", "lost", "any", "none")


@dataclass
class Sessions:
    """Signed-in province accounts, in memory: a restarted server asks them to sign in."""

    open: dict[str, tuple[Scope, float]] = field(default_factory=dict)

    def start(self, scope: Scope) -> str:
        token = secrets.token_urlsafe(32)
        self.open[token] = (scope, time.monotonic() + SESSION_SECONDS)
        return token

    def scope(self, request: web.Request) -> Scope | None:
        found = self.open.get(request.cookies.get(COOKIE, ""))
        if found is None or found[1] < time.monotonic():
            return None
        return found[0]

    def end(self, request: web.Request) -> None:
        self.open.pop(request.cookies.get(COOKIE, ""), None)


class ProvinceHub:
    """One overview of every commune, stepped on a thread; the pages wait on `changed`."""

    def __init__(self, overview: ProvinceOverview) -> None:
        self.overview = overview
        self.problem: QueueError | None = None
        self.changed: asyncio.Condition | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self.changed = asyncio.Condition()
        self._thread = threading.Thread(target=self._follow, name="province-feed", daemon=True)
        self._thread.start()

    async def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            await asyncio.get_running_loop().run_in_executor(None, self._thread.join, 5)

    def _follow(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                moved = self.overview.step()
                self.problem = None
            except QueueError as exc:
                self.problem, moved = exc, True
                failures += 1
            else:
                failures = 0
            if moved:
                self._wake()
            self._stop.wait(RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)]
                            if failures else POLL_SECONDS)

    def _wake(self) -> None:
        assert self._loop is not None

        async def notify() -> None:
            assert self.changed is not None
            async with self.changed:
                self.changed.notify_all()
        try:
            asyncio.run_coroutine_threadsafe(notify(), self._loop)
        except RuntimeError:  # the loop closed while the server stopped
            self._stop.set()

    def view(self, scope: Scope) -> dict[str, Any]:
        tiles = self.overview.summaries(scope)
        return {"sites": [t.to_json() for t in tiles],
                "districts": sorted({t.district for t in tiles if t.district}),
                "version": self.overview.version}


MAX_COMPARED = timedelta(days=30)
"""A month at most a request: the comparison builds each commune's report of the period."""


HUB_KEY: web.AppKey[ProvinceHub] = web.AppKey("province_hub", ProvinceHub)


def add_province_routes(app: web.Application, service: QueueService) -> None:
    hub = ProvinceHub(ProvinceOverview(service.store, service.clock))
    access = ProvinceAccess(service.store, service.clock)
    sessions = Sessions()
    app[HUB_KEY] = hub

    async def running(_: web.Application) -> AsyncIterator[None]:
        hub.start()
        yield
        await hub.stop()

    app.cleanup_ctx.append(running)

    def bearer(request: web.Request) -> str:
        kind, _, token = request.headers.get("Authorization", "").partition(" ")
        return token.strip() if kind.lower() == "bearer" else ""

    async def token_scope(request: web.Request) -> Scope:
        scope = await off_loop(access.token_scope, bearer(request))
        if scope is None:
            raise web.HTTPUnauthorized(text=json.dumps(REFUSED, ensure_ascii=False),
                                       content_type="application/json",
                                       headers={"WWW-Authenticate": 'Bearer realm="province"'})
        return scope

    def not_found() -> web.Response:
        # The same answer for a commune unknown and one outside the token's sites.
        return web.json_response({"error": "not found"}, status=404)

    async def api_overview(request: web.Request) -> web.Response:
        scope = await token_scope(request)
        return web.json_response({"sites": hub.view(scope)["sites"]}, dumps=_dumps)

    async def api_site(request: web.Request) -> web.Response:
        scope = await token_scope(request)
        detail = hub.overview.detail(request.match_info["code"], scope)
        return not_found() if detail is None else web.json_response(detail.to_json(),
                                                                    dumps=_dumps)

    async def api_alerts(request: web.Request) -> web.Response:
        scope = await token_scope(request)
        return web.json_response({"alerts": [
            {"site": t["site"], **alert} for t in hub.view(scope)["sites"]
            for alert in t["alerts"]]}, dumps=_dumps)

    def words(lang: str) -> dict[str, str]:
        found = {key: WORDING[f"overview.{key}"][lang == "en"] for key in WORDS}
        found |= {f"state.{s}": WORDING[f"overview.state.{s}"][lang == "en"] for s in STATES}
        found |= {f"counter.{s}": WORDING[f"overview.counter.{s}"][lang == "en"]
                  for s in ("serving", "calling", "idle", "paused", "closed")}
        found |= {f"col.{c}": WORDING[f"overview.col.{c}"][lang == "en"]
                  for c in ("counter", "name", "state", "number", "field", "waiting",
                            "longest", "open", "screen", "seen")}
        found |= {f"screen.{s}": WORDING[f"overview.screen.{s}"][lang == "en"]
                  for s in ("alive", "down")}
        return found

    def sign_in_page(lang: str, refused: str = "", status: int = 200) -> web.Response:
        return render("province_sign_in.html", lang, status=status, refused=refused)

    async def page(request: web.Request) -> web.Response:
        lang = _lang(request)
        if sessions.scope(request) is None:
            return sign_in_page(lang)
        config = {"stream": f"/province/events?lang={lang}", "detail": "/province/sites/",
                  "words": words(lang), "states": list(STATES), "lang": lang,
                  "heartbeat": HEARTBEAT_SECONDS}
        return render("province.html", lang, config=config, count=len(hub.overview.sites))

    async def sign_in(request: web.Request) -> web.Response:
        lang = _lang(request)
        form = await read_form(request)
        code = form.get("code", "")
        try:
            await off_loop(lambda: StaffDirectory(service).login(
                code, form.get("pin", ""), role=READ_ONLY, client=request.remote or "?"))
            scope = await off_loop(access.account_scope, service.site_id, code)
        except QueueError as exc:
            return sign_in_page(lang, exc.message(lang), 403)
        if scope is None:
            return sign_in_page(lang, say("overview.refused", lang), 403)
        response = web.HTTPSeeOther(f"/province/?lang={lang}")
        response.set_cookie(COOKIE, sessions.start(scope), httponly=True, samesite="Strict",
                            path="/province", max_age=SESSION_SECONDS)
        raise response

    async def sign_out(request: web.Request) -> web.Response:
        sessions.end(request)
        response = web.HTTPSeeOther(f"/province/?lang={_lang(request)}")
        response.del_cookie(COOKIE, path="/province")
        raise response

    async def events(request: web.Request) -> web.StreamResponse:
        scope = sessions.scope(request)
        if scope is None:
            raise web.HTTPForbidden()
        assert hub.changed is not None
        response = web.StreamResponse(headers={
            "Content-Type": "text/event-stream", "Cache-Control": "no-cache",
            "X-Accel-Buffering": "no"})
        await response.prepare(request)
        lang = _lang(request)
        try:
            while sessions.scope(request) is not None:
                problem = hub.problem
                await response.write(
                    frame("down", {"message": problem.message(lang)}) if problem is not None
                    else frame("overview", hub.view(scope)))
                try:
                    async with hub.changed:
                        await asyncio.wait_for(hub.changed.wait(), HEARTBEAT_SECONDS)
                except TimeoutError:
                    await response.write(PING)
        except (ConnectionError, asyncio.CancelledError):
            pass
        return response

    async def site(request: web.Request) -> web.Response:
        scope = sessions.scope(request)
        if scope is None:
            raise web.HTTPForbidden()
        code = request.match_info["code"]
        detail = hub.overview.detail(code, scope)
        if detail is None:
            return not_found()
        calls = await off_loop(hub.overview.calls, code)
        return web.json_response({**detail.to_json(), "calls": [
            {"number": c.number, "counter": c.counter} for c in calls]}, dumps=_dumps)

    async def api_comparison(request: web.Request) -> web.Response:
        """`?from=D&to=D` (dd/mm/yyyy or yyyy-mm-dd; to defaults to from): the communes of
        the token's sites ranked, with each one's bottleneck (`province report --json`)."""
        scope = await token_scope(request)
        try:
            start = day_from_text(request.query.get("from", ""))
            end = day_from_text(request.query["to"]) if request.query.get("to") else start
        except QueueError as exc:
            return _bad_request(exc.message("vi"), exc.message("en"))
        if not start <= end <= start + MAX_COMPARED:
            days = MAX_COMPARED.days + 1
            return _bad_request(say("overview.api_period", "vi", days=days),
                                say("overview.api_period", "en", days=days))
        sites = None if scope.sites is None else sorted(scope.sites)
        comparison = await off_loop(lambda: compare(service.store, service.clock, start, end,
                                                    sites=sites))
        return web.json_response(comparison.to_json(), dumps=_dumps)

    app.add_routes([
        web.get("/province/", page), web.post("/province/sign-in", sign_in),
        web.post("/province/sign-out", sign_out), web.get("/province/events", events),
        web.get("/province/sites/{code}", site),
        web.get("/api/province/overview", api_overview),
        web.get("/api/province/sites/{code}", api_site),
        web.get("/api/province/alerts", api_alerts),
        web.get("/api/province/comparison", api_comparison)])


def _bad_request(error: str, error_en: str) -> web.Response:
    return web.json_response({"error": error, "error_en": error_en}, status=400)


def _lang(request: web.Request) -> str:
    """Vietnamese unless the link asks for English (an office PC's browser is often set to
    English by whoever installed it)."""
    return "en" if request.query.get("lang") == "en" else "vi"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
