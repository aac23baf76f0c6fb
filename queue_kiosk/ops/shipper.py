"""Provides the commune's shipper, `queue-kiosk ship --to URL`: a process of its own that
sends the change log (see `store.shiplog`) to the province's `serve` (`POST /api/ship`) in
batches, in order, and takes from its answers the bookings made at the province for this
centre (`take_bookings`), so that they can be checked in while the link is down. The hall
never waits for it: the screens only write their change and its log entry locally; whether
the province answers is this process's business alone.

- It keeps no state the province does not confirm: each batch says the seq it follows
  (`after`), the province skips what it applied already and answers its own last seq. So a
  kill -9 mid-batch (sent, not acknowledged) resends the batch, which the province skips, and
  a province restarted mid-batch either committed the batch or not: nothing lost, nothing
  applied twice.
- A failure (no answer, refused, 5xx) is tried again after a back-off that doubles from
  `BACKOFF_SECONDS` to `MAX_BACKOFF_SECONDS`; with nothing to send it still calls every
  `HEARTBEAT_SECONDS`, so the province knows the link is up in a quiet hall.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from queue_kiosk.domain.errors import QueueError, Refused
from queue_kiosk.store import shiplog
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import booking_t, site_t

BATCH = 500
POLL_SECONDS = 0.05
"""How often the log is looked at (a max() on its key): the lag in a busy hall."""
HEARTBEAT_SECONDS = 30.0
BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 60.0
TIMEOUT_SECONDS = 30.0
PATH = "/api/ship"
log = logging.getLogger("queue_kiosk.ops.shipper")


class Unreachable(Exception):
    """The province did not answer, or answered with a failure worth trying again."""


@dataclass(frozen=True, slots=True)
class Answer:
    applied: int
    accepted: bool
    bookings: list[dict[str, Any]]


def site_code(store: Store) -> str:
    """The one centre this database holds: a commune ships exactly one."""
    with store.read() as conn:
        codes = list(conn.execute(select(site_t.c.code).order_by(site_t.c.code)).scalars())
    if len(codes) != 1:
        raise Refused("ship.one_site", count=len(codes), codes=", ".join(codes) or "—")
    return str(codes[0])


class Shipper:
    """Ships one commune's log. `serve` until `stop`, or `ship_pending` once."""

    def __init__(self, store: Store, url: str, token: str, *, batch: int = BATCH,
                 poll: float = POLL_SECONDS, heartbeat: float = HEARTBEAT_SECONDS,
                 backoff: float = BACKOFF_SECONDS, max_backoff: float = MAX_BACKOFF_SECONDS,
                 timeout: float = TIMEOUT_SECONDS) -> None:
        if not url.startswith(("http://", "https://")):
            raise Refused("ship.bad_url", url=url)
        self.store, self.token = store, token
        self.url = url.rstrip("/") + PATH
        self.batch, self.poll, self.heartbeat, self.timeout = batch, poll, heartbeat, timeout
        self.backoff, self.max_backoff = backoff, max_backoff
        self.code = site_code(store)
        self.stopping = threading.Event()
        self.after = 0

    def prepare(self) -> None:
        """The capture triggers in place (a snapshot of every row the first time)."""
        if shiplog.install(self.store):
            log.info("ship: capture installed, snapshot written")
        self.after = shiplog.acked(self.store)

    def ship_pending(self) -> int:
        """Sends every pending entry, batch after batch, then returns the province's last
        applied seq; a failure raises `Unreachable` (or a QueueError for a refusal)."""
        self.prepare()
        self._send_all()
        return self.after

    def serve(self) -> None:
        """Ships until `stop`, waiting out failures with a growing back-off."""
        self.prepare()
        failures = 0
        last_call = 0.0
        while not self.stopping.is_set():
            try:
                if shiplog.newest(self.store) > self.after \
                        or time.monotonic() - last_call >= self.heartbeat:
                    self._send_all()
                    last_call = time.monotonic()
                failures = 0
                self.stopping.wait(self.poll)
            except (Unreachable, QueueError) as exc:
                failures += 1
                wait = min(self.max_backoff, self.backoff * 2 ** (failures - 1))
                log.warning("ship: %s; again in %.0f s", exc, wait)
                self.stopping.wait(wait)

    def stop(self) -> None:
        self.stopping.set()

    def _send_all(self) -> None:
        while True:
            entries = shiplog.pending(self.store, self.after, self.batch)
            answer = self._post(entries)
            if not answer.accepted:
                self._behind(answer.applied)
                continue
            if answer.applied != self.after:
                shiplog.acknowledge(self.store, answer.applied)
                self.after = answer.applied
            taken = take_bookings(self.store, answer.bookings)
            if len(entries) < self.batch and not taken:
                return

    def _behind(self, applied: int) -> None:
        """The province has less than we thought (restored from a backup): send again from
        its last seq, or from a fresh snapshot if the log no longer reaches back there."""
        log.warning("ship: the province has applied up to %s only, sending again", applied)
        oldest = shiplog.oldest(self.store)
        if oldest and oldest > applied + 1:
            shiplog.install(self.store, again=True)
        shiplog.acknowledge(self.store, applied)
        self.after = applied

    def _post(self, entries: list[shiplog.Entry]) -> Answer:
        body = json.dumps({"site": self.code, "after": self.after,
                           "changes": [[e.seq, e.tbl, e.op, e.row] for e in entries]},
                          ensure_ascii=False).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                value = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace")[:200]
            if exc.code == 409:
                return Answer(int(json.loads(detail)["applied"]), False, [])
            if exc.code in (401, 403, 422):
                raise Refused("ship.refused", status=exc.code, detail=detail) from None
            raise Unreachable(f"HTTP {exc.code}: {detail}") from None
        except (OSError, ValueError) as exc:  # no route, refused, reset, timed out, garbled
            raise Unreachable(str(exc)) from None
        return Answer(int(value["applied"]), True, list(value.get("bookings", [])))


def take_bookings(store: Store, bookings: list[dict[str, Any]]) -> int:
    """Adds the bookings the province sent down (in this centre's ids) that are not here
    yet; returns how many were new. Each insert is logged and goes back up, which tells the
    province that this centre has it."""
    if not bookings:
        return 0
    with store.write() as conn:
        site_id = conn.execute(select(site_t.c.id)).scalar_one()
        rows = [shiplog.decode(booking_t, json.dumps(booking)) | {
            "site_id": site_id, "near_sent": False} for booking in bookings]
        inserted = conn.execute(store.insert(booking_t).values(rows)
                                .on_conflict_do_nothing(index_elements=["code"]))
    return int(inserted.rowcount or 0)
