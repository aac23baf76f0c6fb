"""Provides when backups are taken and what guards a restore: the end-of-day backup with its
retention, the one before a schema upgrade, and a restore refused while screens run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from queue_kiosk.config.paths import backup_dir
from queue_kiosk.domain.errors import QueueError, Refused
from queue_kiosk.domain.views import DayClosedView
from queue_kiosk.ops.heartbeat import ScreenSeen, screens_seen
from queue_kiosk.service.day_end import close_day, summary
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.backup import KEEP, prune, restore, take_backup
from queue_kiosk.store.db import sqlite_path
from queue_kiosk.store.store import Store
from queue_kiosk.wording import say


@dataclass(frozen=True)
class Taken:
    file: Path
    pruned: list[Path]


def backup_now(store: Store, now: datetime, *, folder: Path | None = None,
               keep: int = KEEP) -> Taken:
    """A backup in `folder` (the data directory's backups by default), then the oldest daily
    ones beyond `keep` deleted."""
    if keep < 1:
        raise Refused("backup.bad_keep", keep=keep)
    folder = folder or backup_dir()
    file = take_backup(store, folder, now.astimezone())
    return Taken(file, prune(folder, keep))


def day_end_backup(store: Store, now: datetime, lang: str) -> tuple[Path | None, str | None]:
    """The backup close-day takes: its file, or why there is none (the day is closed all
    the same: a failed backup must not keep the queue open)."""
    try:
        return backup_now(store, now).file, None
    except QueueError as exc:
        return None, exc.message(lang)
    except OSError as exc:
        return None, f"{exc.filename}: {exc.strerror}"


def close_day_backed_up(service: QueueService, *, staff: str | None,
                        lang: str) -> tuple[DayClosedView, Path | None, str]:
    """End the day, as the command line and an administrator's counter both do, then take
    the day's backup; returns the day's view, the backup and the lines that say both."""
    view = close_day(service, staff=staff)
    file, problem = day_end_backup(service.store, service.clock.now(), lang)
    said = say("backup.day_end", lang, file=file) if file else \
        say("backup.day_end_failed", lang, detail=problem)
    return view, file, f"{summary(view, lang)}\n{said}"


def before_upgrade(store: Store, revision: str, now: datetime) -> Path:
    return take_backup(store, backup_dir(), now.astimezone(), label=f"before-{revision}")


def restore_guarded(store: Store, file: Path, now: datetime, *, force: bool) -> Path:
    """Restore `file` unless screens were seen running in the last two minutes (they would
    keep writing into what is replaced); returns where the current database was kept."""
    if not force:
        running = [s for s in _all_screens(store, now) if s.alive]
        if running:
            raise Refused("backup.screens_running", count=len(running),
                          screens=", ".join(s.name for s in running))
    stamp = f"{now.astimezone():%Y%m%d-%H%M%S}"
    database = sqlite_path(str(store.engine.url))
    if database is not None:
        aside = database.with_name(f"{database.name}.before-restore-{stamp}")
    else:
        backup_dir().mkdir(parents=True, exist_ok=True)
        aside = backup_dir() / f"queue-kiosk-before-restore-{stamp}.dump"
    restore(store, file, aside)
    return aside


def _all_screens(store: Store, now: datetime) -> list[ScreenSeen]:
    """Every site's screens; a database not yet migrated has none to ask."""
    try:
        return screens_seen(store, now)
    except QueueError:
        return []
