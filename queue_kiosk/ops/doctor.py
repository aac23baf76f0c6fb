"""Provides `doctor`: each thing a centre needs checked in turn, said in the user's language
with what to do about it. A check that cannot run says why instead of failing the others."""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from queue_kiosk.config.paths import backup_dir, data_dir
from queue_kiosk.domain.clock import Clock
from queue_kiosk.domain.errors import QueueError
from queue_kiosk.ops.heartbeat import screens_seen
from queue_kiosk.ops.logs import log_target
from queue_kiosk.ops.sites import list_sites
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.db import sqlite_path
from queue_kiosk.store.store import Store
from queue_kiosk.wording import WORDING, say

MIN_FREE_BYTES = 1_000_000_000
"""Below 1 GB free a day's backups and logs may not fit."""
BACKUP_MAX_DAYS = 3.0
"""A Friday evening's backup is still fresh on Monday; older means close-day stopped."""
HTTP_TIMEOUT_SECONDS = 3.0


@dataclass(frozen=True)
class Check:
    check: str
    ok: bool
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"check": self.check, "ok": self.ok, "message": self.message}


CALENDAR_DAYS = 60
"""How far ahead the calendar check looks for the next closed day."""


class Doctor:
    """The checks of one database (and site) from this PC."""

    def __init__(self, store: Store, *, site: str | None, lang: str, clock: Clock,
                 printer: str | None = None) -> None:
        self.store = store
        self.site = site
        self.lang = lang
        self.clock = clock
        self.printer = printer
        self.service: QueueService | None = None

    def say(self, key: str, **params: Any) -> str:
        return say(f"doctor.{key}", self.lang, **params)

    def run(self) -> list[Check]:
        checks = [self.database()]
        if checks[0].ok:
            checks.append(self.sites())
        if self.service is not None:
            for name, check in (("clock", self.clock_and_zone), ("printer", self.printer_status),
                                ("sound_player", self.sound_player), ("voice", self.voice),
                                ("public_url", self.public_url), ("serve", self.serve),
                                ("admin", self.admin), ("screens", self.screens),
                                ("calendar", self.calendar)):
                checks.append(self._guarded(name, check))
        checks += [self.disk(), self.backup(), self.log()]
        return checks

    def _guarded(self, name: str, check: Callable[[], Check]) -> Check:
        """A check that meets the store's or a device's failure reports it as its result."""
        try:
            return check()
        except QueueError as exc:
            message = exc.message(self.lang)
            if f"operator.{exc.code}" in WORDING:  # what the operator can do about it
                message += " · " + say(f"operator.{exc.code}", self.lang)
            return Check(name, False, message)
        except OSError as exc:
            return Check(name, False, self.say("failed", detail=exc.strerror or str(exc)))

    def database(self) -> Check:
        from queue_kiosk.store.migrate import check_schema, current_revision

        try:
            check_schema(self.store)
            revision = current_revision(self.store)
        except QueueError as exc:
            return Check("database", False, exc.message(self.lang))
        return Check("database", True, self.say("database_ok", url=self.store.url,
                                                 revision=revision))

    def sites(self) -> Check:
        sites = list_sites(self.store)
        codes = ", ".join(s.code for s in sites)
        try:
            self.service = QueueService(self.store, site=self.site, clock=self.clock)
        except QueueError as exc:
            if len(sites) > 1 and not self.site:
                return Check("sites", False, self.say("sites_many", codes=codes))
            return Check("sites", False, exc.message(self.lang))
        cat = self.service.catalog
        return Check("sites", True, self.say("sites_ok", code=cat.site_code,
                                              name=cat.hall.site.name))

    def clock_and_zone(self) -> Check:
        assert self.service is not None
        hall_tz = self.service.catalog.tz
        now = datetime.now().astimezone()
        here, hall = now.utcoffset(), now.astimezone(hall_tz).utcoffset()
        if here != hall:
            return Check("clock", False, self.say("clock_zone", here=_offset(here),
                                                   hall=_offset(hall), zone=str(hall_tz)))
        synced = _timedatectl("NTPSynchronized")
        if synced == "no":
            return Check("clock", False, self.say("clock_unsynced"))
        key = "clock_ok" if synced == "yes" else "clock_ok_unknown_sync"
        return Check("clock", True, self.say(key, zone=str(hall_tz),
                                             time=now.strftime("%H:%M %d/%m/%Y")))

    def disk(self) -> Check:
        database = sqlite_path(str(self.store.engine.url))
        folder = database.parent if database is not None else data_dir()
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        free = shutil.disk_usage(folder).free
        gb = round(free / 1e9, 1)
        if free < MIN_FREE_BYTES:
            return Check("disk", False, self.say("disk_low", gb=gb, folder=str(folder)))
        return Check("disk", True, self.say("disk_ok", gb=gb, folder=str(folder)))

    def printer_status(self) -> Check:
        from queue_kiosk.printing.job import printer_for

        assert self.service is not None
        printer = printer_for(self.service.catalog, self.printer)
        try:
            answered = printer.status()
        except QueueError as exc:
            return Check("printer", False, f"{exc.message(self.lang)} · "
                                           f"{self.say('printer_fix')}")
        if not answered:
            return Check("printer", True, self.say("printer_not_queried",
                                                   target=printer.target.label))
        return Check("printer", True, self.say("printer_ok", target=printer.target.label))

    def sound_player(self) -> Check:
        from queue_kiosk.voice.announce import system_player

        player = system_player()
        if player is None:
            return Check("sound_player", False, self.say("no_player"))
        return Check("sound_player", True, self.say("player_ok", player=player.name))

    def voice(self) -> Check:
        assert self.service is not None
        display = self.service.catalog.hall.display
        if display.voice_pack and not Path(display.voice_pack).is_dir():
            return Check("voice", False, self.say("no_voice_pack", folder=display.voice_pack))
        if display.voice_pack:
            return Check("voice", True, self.say("voice_pack_ok", folder=display.voice_pack))
        if not display.espeak:
            return Check("voice", True, self.say("voice_chime_only"))
        if shutil.which("espeak-ng") is None:
            return Check("voice", False, self.say("no_espeak"))
        return Check("voice", True, self.say("espeak_ok"))

    def public_url(self) -> Check:
        assert self.service is not None
        url = self.service.catalog.hall.site.public_url
        if not url:
            return Check("public_url", False, say("cli.no_public_url", self.lang))
        problem = _http_problem(f"{url.rstrip('/')}/health")
        if problem:
            return Check("public_url", False, self.say("public_url_down", url=url,
                                                        detail=problem))
        return Check("public_url", True, self.say("public_url_ok", url=url))

    def serve(self) -> Check:
        assert self.service is not None
        served = [s for s in screens_seen(self.store, self.clock.now(), self.service.site_id)
                  if s.role == "serve" and s.alive]
        if not served:
            return Check("serve", True, self.say("serve_none"))
        problems = [f"{s.address}: {p}" for s in served
                    if (p := _http_problem(f"{s.address}/health"))]
        if problems:
            return Check("serve", False, self.say("serve_down", detail="; ".join(problems)))
        return Check("serve", True, self.say("serve_ok", urls=", ".join(s.address
                                                                          for s in served)))

    def backup(self) -> Check:
        from queue_kiosk.store.backup import newest_backup

        folder = backup_dir()
        newest = newest_backup(folder)
        if newest is None:
            return Check("backup", False, self.say("backup_none", folder=str(folder)))
        days = round((time.time() - newest.stat().st_mtime) / 86400, 1)
        if days > BACKUP_MAX_DAYS:
            return Check("backup", False, self.say("backup_stale", days=days,
                                                    file=str(newest)))
        return Check("backup", True, self.say("backup_ok", days=days, file=str(newest)))

    def admin(self) -> Check:
        from queue_kiosk.service.staff import StaffDirectory

        assert self.service is not None
        if not StaffDirectory(self.service).has_admin():
            return Check("admin", False, say("cli.no_admin", self.lang))
        return Check("admin", True, self.say("admin_ok"))

    def screens(self) -> Check:
        assert self.service is not None
        seen = screens_seen(self.store, self.clock.now(), self.service.site_id)
        dead = [s for s in seen if not s.alive]
        if dead:
            return Check("screens", False, self.say("screens_dead", screens="; ".join(
                self.say("screen_minutes", name=s.name, minutes=s.age_seconds // 60)
                for s in dead)))
        if not seen:
            return Check("screens", True, self.say("screens_none"))
        return Check("screens", True, self.say("screens_ok", count=len(seen),
                                                screens=", ".join(s.name for s in seen)))

    def calendar(self) -> Check:
        """The next day the centre is closed other than a weekly day off: a holiday or a day
        the hall or an administrator closed, so the notice to citizens is not forgotten."""
        from queue_kiosk.domain.calendar import Kind
        from queue_kiosk.service.calendar import CentreCalendar

        assert self.service is not None
        today = self.clock.now().astimezone(self.service.catalog.tz).date()
        ahead = CentreCalendar(self.service).calendar().days(today, CALENDAR_DAYS)
        closed = next((d for d in ahead if d.kind in (Kind.HOLIDAY, Kind.CLOSED)), None)
        if closed is None:
            return Check("calendar", True, self.say("calendar_none", days=CALENDAR_DAYS))
        return Check("calendar", True, self.say("calendar_next", day=closed.day,
                                                reason=closed.reason))

    def log(self) -> Check:
        path = log_target()
        return Check("log", True, self.say("log_journal") if path is None
                     else self.say("log_file", file=str(path)))


def _offset(offset: Any) -> str:
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _timedatectl(prop: str) -> str | None:
    """systemd's view of the clock ("yes"/"no"), None where it cannot tell (no systemd)."""
    binary = shutil.which("timedatectl")
    if binary is None:
        return None
    try:
        done = subprocess.run([binary, "show", "-p", prop, "--value"], capture_output=True,
                              text=True, timeout=5, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    value = done.stdout.strip()
    return value if done.returncode == 0 and value in ("yes", "no") else None


def _http_problem(url: str) -> str | None:
    """Why a GET of `url` from this PC fails, or None when it answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=HTTP_TIMEOUT_SECONDS) as answer:  # noqa: S310
            return None if answer.status == 200 else f"HTTP {answer.status}"
    except OSError as exc:  # URLError, HTTPError, timeouts, refused connections
        reason = getattr(exc, "reason", None) or exc
        return str(reason)
