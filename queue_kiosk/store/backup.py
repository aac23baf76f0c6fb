"""Provides backups of the queue's database, their check and their restore: SQLite through its
online backup API (a consistent copy while screens write, no `sqlite3` program needed),
PostgreSQL through `pg_dump`/`pg_restore` where they are installed."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from queue_kiosk.domain.errors import Refused, StoreError, first_line
from queue_kiosk.store.db import sqlite_path
from queue_kiosk.store.store import Store

KEEP = 14
"""Backups kept by default: two working weeks of daily ones."""
DAILY = re.compile(r"queue-kiosk-\d{8}-\d{6}\.(db|dump)$")
"""The names retention prunes; backups taken before an upgrade or a removal are kept."""
BACKUP_NAME = re.compile(r"queue-kiosk-.*\.(db|dump)$")
COUNTED = ("site", "ticket", "booking", "staff", "rating")
PG_TIMEOUT_SECONDS = 600


def take_backup(store: Store, folder: Path, now: datetime, *, label: str = "") -> Path:
    """A copy of the whole database in `folder`, named by the (local) time it was taken."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = f"{label}-" if label else ""
    source = sqlite_path(str(store.engine.url))
    if source is None:
        target = _unused(folder / f"queue-kiosk-{stamp}{now:%Y%m%d-%H%M%S}.dump")
        _pg_tool("pg_dump", "--format=custom", f"--file={target}", _pg_url(store))
        return target
    target = _unused(folder / f"queue-kiosk-{stamp}{now:%Y%m%d-%H%M%S}.db")
    _snapshot(source, target)
    return target


def _snapshot(source: Path, target: Path) -> None:
    """A copy that is one self-contained file: in WAL mode every reader (verify too) would
    leave -wal and -shm files beside it."""
    copy_sqlite(source, target)
    with closing(sqlite3.connect(target)) as copy:
        copy.execute("PRAGMA journal_mode=DELETE")


def copy_sqlite(source: Path, target: Path) -> None:
    """SQLite's online backup: one consistent copy, taken in one step (readers never block
    writers in WAL mode, so the screens keep issuing meanwhile). Into a live database too:
    SQLite locks it and rewrites every page, its WAL included, which moving files under
    open connections would not do."""
    try:
        with closing(_open(source)) as src, closing(sqlite3.connect(target, timeout=10)) as dst:
            src.backup(dst)
    except sqlite3.Error as exc:
        raise StoreError("backup.copy_failed", detail=first_line(exc)) from exc


def _open(path: Path, *, read_only: bool = True) -> sqlite3.Connection:
    if not path.exists():
        raise Refused("backup.no_file", path=str(path))
    mode = "ro" if read_only else "rw"
    return sqlite3.connect(f"file:{path}?mode={mode}", uri=True, timeout=10)


def _unused(path: Path) -> Path:
    """Two backups within a second (a test, a double click) never overwrite each other."""
    candidate, n = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete the oldest daily backups beyond `keep` (at least 1); returns what was deleted."""
    daily = sorted((p for p in folder.glob("queue-kiosk-*") if DAILY.match(p.name)),
                   key=lambda p: p.name, reverse=True)
    for old in daily[keep:]:
        old.unlink()
    return daily[keep:]


def newest_backup(folder: Path) -> Path | None:
    found = [p for p in folder.glob("queue-kiosk-*") if BACKUP_NAME.match(p.name)] \
        if folder.is_dir() else []
    return max(found, key=lambda p: p.stat().st_mtime, default=None)


@dataclass
class BackupCheck:
    """What `backup verify` found in a file."""

    path: str
    ok: bool
    kind: str
    """sqlite or pg_dump."""
    revision: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    problem: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "ok": self.ok, "kind": self.kind,
                "revision": self.revision, "counts": self.counts, "problem": self.problem}


def verify(path: Path) -> BackupCheck:
    """Integrity, schema revision and row counts of a backup file."""
    if path.suffix == ".dump":
        listed = _pg_tool("pg_restore", "--list", str(path))
        return BackupCheck(str(path), True, "pg_dump",
                           counts={"entries": sum(1 for line in listed.splitlines()
                                                  if line and not line.startswith(";"))})
    try:
        with _open(path) as conn:
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if integrity != "ok":
                return BackupCheck(str(path), False, "sqlite", problem=str(integrity))
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            counts = {name: int(conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0])
                      for name in COUNTED}
    except sqlite3.Error as exc:
        return BackupCheck(str(path), False, "sqlite", problem=first_line(exc))
    return BackupCheck(str(path), True, "sqlite", revision=revision[0] if revision else None,
                       counts=counts)


def restore(store: Store, path: Path, aside: Path) -> None:
    """Put a backup in the database's place; the current database is copied to `aside`
    first (a file path for SQLite, a pg_dump file for PostgreSQL)."""
    check = verify(path)
    if not check.ok:
        raise Refused("backup.bad_file", path=str(path), problem=check.problem)
    target = sqlite_path(str(store.engine.url))
    if target is None:
        if check.kind != "pg_dump":
            raise Refused("backup.wrong_kind", path=str(path))
        _pg_tool("pg_dump", "--format=custom", f"--file={aside}", _pg_url(store))
        store.dispose()
        _pg_tool("pg_restore", "--clean", "--if-exists", "--no-owner",
                 f"--dbname={_pg_url(store)}", str(path))
        return
    if check.kind != "sqlite":
        raise Refused("backup.wrong_kind", path=str(path))
    if target.exists():
        _snapshot(target, aside)
    store.dispose()  # no pooled connection keeps reading the pages being replaced
    copy_sqlite(path, target)


def _pg_url(store: Store) -> str:
    """The URL for libpq's tools: the driver's suffix dropped, the password kept."""
    url = store.engine.url.render_as_string(hide_password=False)
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _pg_tool(name: str, *args: str) -> str:
    binary = shutil.which(name)
    if binary is None:
        raise Refused("backup.no_pg_tool", tool=name)
    try:
        done = subprocess.run([binary, *args], capture_output=True, text=True,
                              timeout=PG_TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise StoreError("backup.tool_failed", tool=name, detail=first_line(exc)) from exc
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"exit {done.returncode}"]
        raise StoreError("backup.tool_failed", tool=name, detail=lines[0])
    return done.stdout
