"""Provides the screens' heartbeats: each screen process (kiosk, counter, display, serve) says
it is alive, at most once a minute, so that `doctor`, an administrator's counter and
`restore` can tell a screen that died from one that runs; and what a screen warns of as it
starts."""

from __future__ import annotations

import logging
import os
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, select

from queue_kiosk.domain.errors import QueueError
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import heartbeat_t, site_t
from queue_kiosk.wording import say

if TYPE_CHECKING:
    from queue_kiosk.printing.printers import TicketPrinter
    from queue_kiosk.voice.announce import Announcer

BEAT_SECONDS = 60.0
"""At most one write a minute per screen: a province's 800 screens cost the store little."""
TIMER_SECONDS = 20.0
"""How often a screen asks to beat: a write lands within 80 s of the last one."""
STALE = timedelta(minutes=2)
"""Not seen for this long: the screen is reported as stopped."""
FORGOTTEN = timedelta(hours=12)
"""Seen longer ago (a browser tab closed yesterday): no longer reported."""
log = logging.getLogger(__name__)


def program_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("queue-kiosk")
    except PackageNotFoundError:
        return "?"


class Heartbeat:
    """One screen process's heartbeat. `beat` from a timer, off the UI thread; `stop` on a
    clean exit, so that a screen closed on purpose is not reported as dead."""

    def __init__(self, service: QueueService, role: str, *, counter: str = "",
                 client: str = "local", address: str = "") -> None:
        self.store = service.store
        self.clock = service.clock
        self.key = {"site_id": service.site_id, "role": role, "counter": counter or "",
                    "host": socket.gethostname()[:100], "client": client[:64]}
        self.values = {"pid": os.getpid(), "version": program_version()[:32],
                       "address": address[:200], "started_at": self.clock.now()}
        self.written: float | None = None
        """When this process last wrote its row (monotonic seconds)."""

    def beat(self) -> bool:
        """Record that the screen is alive, unless it did within the last minute. A store
        that does not answer is left to the screen's own outage banner: False then."""
        if self.written is not None and time.monotonic() - self.written < BEAT_SECONDS:
            return False
        row = {**self.key, **self.values, "seen_at": self.clock.now()}
        statement = self.store.insert(heartbeat_t).values(**row)
        try:
            with self.store.write() as conn:
                conn.execute(statement.on_conflict_do_update(
                    index_elements=list(self.key),
                    set_={name: statement.excluded[name] for name in (*self.values, "seen_at")}))
        except QueueError as exc:
            log.info("heartbeat not recorded: %s", exc.message("en"))
            return False
        self.written = time.monotonic()
        return True

    def stop(self) -> None:
        """Forget this screen (its row, if no newer process of the same screen took it)."""
        match = and_(*(heartbeat_t.c[name] == value for name, value in self.key.items()),
                     heartbeat_t.c.pid == self.values["pid"])
        try:
            with self.store.write() as conn:
                conn.execute(delete(heartbeat_t).where(match))
        except QueueError as exc:
            log.info("heartbeat not removed: %s", exc.message("en"))


@dataclass(frozen=True)
class ScreenSeen:
    site: str
    role: str
    counter: str
    host: str
    client: str
    version: str
    address: str
    seen_at: datetime
    age_seconds: int

    @property
    def alive(self) -> bool:
        return self.age_seconds <= STALE.total_seconds()

    @property
    def name(self) -> str:
        """`counter 3 @ pc-quay3`, `display @ tv-pc (192.168.1.20)`: which screen, where."""
        what = f"{self.role} {self.counter}".strip()
        where = self.host if self.client == "local" else f"{self.host} ({self.client})"
        return f"{what} @ {where}"

    def to_json(self) -> dict[str, Any]:
        return {"site": self.site, "role": self.role, "counter": self.counter or None,
                "host": self.host, "client": self.client, "version": self.version,
                "address": self.address or None, "seen_at": self.seen_at.isoformat(),
                "age_seconds": self.age_seconds, "alive": self.alive}


def screens_seen(store: Store, now: datetime, site_id: int | None = None) -> list[ScreenSeen]:
    """The screens seen in the last hours, of one site or all, the longest silent first."""
    query = (select(heartbeat_t, site_t.c.code.label("site"))
             .join(site_t, site_t.c.id == heartbeat_t.c.site_id)
             .where(heartbeat_t.c.seen_at >= now - FORGOTTEN)
             .order_by(heartbeat_t.c.seen_at, heartbeat_t.c.role, heartbeat_t.c.counter))
    if site_id is not None:
        query = query.where(heartbeat_t.c.site_id == site_id)
    with store.read() as conn:
        rows = conn.execute(query).all()
    return [ScreenSeen(r.site, r.role, r.counter, r.host, r.client, r.version, r.address,
                       r.seen_at, max(0, int((now - r.seen_at).total_seconds())))
            for r in rows]


def stopped_note(service: QueueService, lang: str) -> str | None:
    """For an administrator's counter: the site's screens not seen for two minutes, in one
    line, or None when every screen seen lately still runs."""
    stopped = [s.name for s in screens_seen(service.store, service.clock.now(),
                                            service.site_id) if not s.alive]
    return say("screens.stopped", lang, screens=", ".join(stopped)) if stopped else None


def start_warnings(role: str, *, printer: TicketPrinter | None, announcer: Announcer | None,
                   lang: str) -> list[str]:
    """What a screen shows as it starts, beside logging it: what the centre must act on
    before the first citizen comes (the hall cannot hear calls; the printer is offline)."""
    warnings = []
    if announcer is not None and announcer.player is None and announcer.problem:
        warnings.append(say("doctor.no_player", lang))
    if role == "kiosk" and printer is not None:
        try:
            printer.status()
        except QueueError as exc:
            warnings.append(exc.message(lang))
    return warnings
