"""Provides the province's ingest, `POST /api/ship`: a commune's shipper sends its change log
here with its token (see `ops.shipping`)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from queue_kiosk.domain.clock import Clock
from queue_kiosk.domain.errors import QueueError, Refused
from queue_kiosk.ops.shipping import ingest
from queue_kiosk.store.store import Store
from queue_kiosk.web.common import off_loop

MAX_BODY = 16 * 1024 * 1024
"""A batch of 500 entries is a few hundred kilobytes (a ticket's row is ~600 bytes), more
with a hall's configuration in it: above aiohttp's 1 MiB default, far below this."""


def add_ship_routes(app: web.Application, store: Store, clock: Clock) -> None:
    async def ship(request: web.Request) -> web.Response:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        try:
            body: dict[str, Any] = json.loads(
                await request.clone(client_max_size=MAX_BODY).read())
            code, after = str(body["site"]), int(body["after"])
            changes = [(int(seq), str(tbl), str(op), str(row))
                       for seq, tbl, op, row in body["changes"]]
        except (ValueError, KeyError, TypeError):
            return web.json_response({"error": "unreadable batch"}, status=400)
        if scheme.lower() != "bearer" or not token:
            return web.json_response({"error": "no token"}, status=401)
        try:
            # Liveness is about real time, whatever the queue's clock says.
            done = await off_loop(ingest, store, code, token, after, changes,
                                  datetime.now(UTC), clock.now())
        except Refused as exc:
            return web.json_response({"error": exc.message("en")}, status=403)
        except QueueError as exc:  # a broken log: refused until someone looks
            status = 503 if exc.code.startswith("store.") else 422
            return web.json_response({"error": exc.message("en")}, status=status)
        return web.json_response({"applied": done.applied, "bookings": done.bookings},
                                 status=200 if done.accepted else 409)

    app.add_routes([web.post("/api/ship", ship)])
