"""Backups: taken while a screen writes, checked, restored whole, refused over running
screens, taken before an upgrade and at the end of the day, pruned."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from queue_kiosk.config.hall import default_hall_path, load_hall
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.domain.errors import Refused
from queue_kiosk.ops.backups import backup_now, close_day_backed_up, restore_guarded
from queue_kiosk.ops.heartbeat import Heartbeat
from queue_kiosk.service.appointments import Appointments
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.staff import StaffDirectory
from queue_kiosk.store.backup import verify
from queue_kiosk.store.migrate import SCHEMA_REVISIONS, upgrade
from queue_kiosk.store.store import Store
from tests.conftest import MORNING


@pytest.fixture
def centre(tmp_path: Path) -> QueueService:
    store = Store(f"sqlite:///{tmp_path / 'centre.db'}")
    upgrade(store)
    clock = FrozenClock(MORNING)
    load_catalog(store, load_hall(default_hall_path()), clock)
    return QueueService(store, clock=clock)


def contents(service: QueueService) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Every ticket (number, status), booking and staff account."""
    from sqlalchemy import select

    from queue_kiosk.store.tables import booking_t, staff_t, ticket_t

    with service.store.read() as conn:
        return ([(r.number, r.status) for r in conn.execute(
                    select(ticket_t.c.number, ticket_t.c.status).order_by(ticket_t.c.id))],
                [r.code for r in conn.execute(select(booking_t.c.code).order_by(booking_t.c.id))],
                [r.code for r in conn.execute(select(staff_t.c.code).order_by(staff_t.c.id))])


def test_backup_then_restore_keeps_every_ticket_booking_and_staff_account(
        centre: QueueService, tmp_path: Path) -> None:
    StaffDirectory(centre).add("boss", "Trưởng", "2468", role="admin")
    StaffDirectory(centre).add("lan", "Lan", "1357")
    for what in ("A", "B", "B", "C"):
        centre.issue(what)
    centre.call_next("1")
    Appointments(centre).book("B", date(2026, 11, 26), "08:00")
    before = contents(centre)
    taken = backup_now(centre.store, centre.clock.now(), folder=tmp_path / "b")
    check = verify(taken.file)
    assert check.ok and check.revision == SCHEMA_REVISIONS[-1]
    assert (check.counts["ticket"], check.counts["booking"], check.counts["staff"]) == (4, 1, 2)

    centre.issue("A")  # after the backup: gone once restored
    StaffDirectory(centre).add("extra", "Thêm", "9999")
    aside = restore_guarded(centre.store, taken.file, centre.clock.now(), force=False)
    assert contents(centre) == before
    assert aside.exists() and verify(aside).counts["ticket"] == 5  # what was replaced is kept
    assert centre.issue("A").number == "A002"  # numbering goes on from the restored day


def test_restore_is_refused_while_screens_run_unless_forced(
        centre: QueueService, tmp_path: Path) -> None:
    taken = backup_now(centre.store, centre.clock.now(), folder=tmp_path / "b")
    Heartbeat(centre, "display").beat()
    with pytest.raises(Refused, match="display @"):
        restore_guarded(centre.store, taken.file, centre.clock.now(), force=False)
    later = centre.clock.now() + timedelta(minutes=3)  # the display stopped beating
    restore_guarded(centre.store, taken.file, later, force=False)
    restore_guarded(centre.store, taken.file, centre.clock.now(), force=True)


def test_verify_refuses_a_damaged_file(centre: QueueService, tmp_path: Path) -> None:
    taken = backup_now(centre.store, centre.clock.now(), folder=tmp_path / "b")
    damaged = tmp_path / "queue-kiosk-damaged.db"
    data = bytearray(taken.file.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    damaged.write_bytes(bytes(data))
    assert not verify(damaged).ok
    with pytest.raises(Refused, match="not a usable backup"):
        restore_guarded(centre.store, damaged, centre.clock.now(), force=True)


WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from queue_kiosk.domain.clock import FrozenClock
    from queue_kiosk.service.facade import QueueService
    from queue_kiosk.store.store import Store
    from datetime import datetime
    service = QueueService(Store(sys.argv[1]),
                           clock=FrozenClock(datetime.fromisoformat(sys.argv[2])))
    Path(sys.argv[3]).touch()  # ready: the backups start now
    stop = time.monotonic() + float(sys.argv[4])
    for _ in range(990):  # a field's day holds 999 numbers
        if time.monotonic() > stop:
            break
        service.issue("B")
""")


@pytest.mark.slow
def test_a_backup_taken_while_a_kiosk_issues_is_whole(centre: QueueService,
                                                      tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(centre.store.engine.url),
                               MORNING.isoformat(), str(ready), "3"])
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert time.monotonic() < deadline and writer.poll() is None
            time.sleep(0.05)
        files, committed = [], []
        while writer.poll() is None:
            committed.append(centre.board().waiting)  # what a backup started now must hold
            files.append(backup_now(centre.store, centre.clock.now(),
                                    folder=tmp_path / "b", keep=100).file)
    finally:
        writer.wait(timeout=30)
    assert writer.returncode == 0 and len(files) >= 3
    import sqlite3

    counts = []
    for file, board in zip(files, committed, strict=True):
        check = verify(file)
        assert check.ok, check.problem
        with sqlite3.connect(file) as conn:  # numbers 1..n with no gap: a consistent moment
            n, top = conn.execute("SELECT count(*), max(seq) FROM ticket").fetchone()
        assert n == (top or 0)
        # A copy of the database file alone misses what sits in the WAL (91 of 100 such
        # copies did, measured beside this test).
        assert n >= sum(q.waiting for q in board)
        counts.append(n)
    assert counts == sorted(counts) and counts[-1] > counts[0]


def test_close_day_takes_a_backup_and_keeps_the_newest(centre: QueueService,
                                                       tmp_path: Path) -> None:
    folder = tmp_path / "b"
    for day in range(3):
        backup_now(centre.store, datetime(2026, 11, 20 + day, 17, 30).astimezone(),
                   folder=folder, keep=2)
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == ["queue-kiosk-20261121-173000.db", "queue-kiosk-20261122-173000.db"]
    centre.issue("B")
    view, file, text = close_day_backed_up(centre, staff=None, lang="vi")
    assert view.expired == 1 and file is not None and file.exists()
    assert "Sao lưu cuối ngày" in text and verify(file).counts["ticket"] == 1


def test_init_backs_up_a_database_before_upgrading_it(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from alembic import command

    from queue_kiosk.cli.main import main
    from queue_kiosk.config.paths import backup_dir
    from queue_kiosk.store.migrate import alembic_config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = Store(url)
    config = alembic_config()
    with store.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0008")
    store.dispose()
    monkeypatch.setenv("QUEUE_KIOSK_DB", url)
    assert main(["init"]) == 0
    [saved] = backup_dir().iterdir()
    assert saved.name.startswith("queue-kiosk-before-0008-") and verify(saved).revision == "0008"
    assert main(["init"]) == 0 and len(list(backup_dir().iterdir())) == 1  # up to date now


@pytest.mark.postgres
def test_a_postgres_backup_is_a_pg_dump_that_verifies(pg_url: str, tmp_path: Path) -> None:
    store = Store(pg_url)
    upgrade(store)
    load_catalog(store, load_hall(default_hall_path()), FrozenClock(MORNING))
    taken = backup_now(store, MORNING, folder=tmp_path)
    store.dispose()
    check = verify(taken.file)
    assert taken.file.suffix == ".dump" and check.ok and check.counts["entries"] > 10


def test_without_pg_dump_the_message_says_what_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from queue_kiosk.store import backup

    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(Refused, match="postgresql-client"):
        backup._pg_tool("pg_dump", "--version")
    assert os.environ["PATH"] == str(tmp_path)


@pytest.fixture
def pg_database() -> Iterator[str]:
    """A database of its own: pg_restore --clean replaces a whole database, and the shared
    one holds every other test's schema."""
    import uuid

    import psycopg

    from tests.conftest import PG_BASE

    try:
        admin = psycopg.connect(PG_BASE, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL server: {exc}")
    name = f"qk_restore_{uuid.uuid4().hex[:10]}"
    with admin:
        admin.execute(f"CREATE DATABASE {name}")
        try:
            yield PG_BASE.rsplit("/", 1)[0] + f"/{name}"
        finally:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.mark.postgres
def test_a_postgres_backup_restores_every_ticket_booking_and_staff_account(
        pg_database: str, tmp_path: Path) -> None:
    store = Store(pg_database)
    upgrade(store)
    clock = FrozenClock(MORNING)
    load_catalog(store, load_hall(default_hall_path()), clock)
    centre = QueueService(store, clock=clock)
    StaffDirectory(centre).add("boss", "Trưởng", "2468", role="admin")
    centre.issue("B")
    centre.issue("A")
    Appointments(centre).book("B", date(2026, 11, 26), "08:00")
    before = contents(centre)
    taken = backup_now(store, clock.now(), folder=tmp_path)
    centre.issue("C")
    aside = restore_guarded(store, taken.file, clock.now(), force=False)
    assert contents(centre) == before and aside.exists()
    assert centre.issue("C").number == "C001"
    store.dispose()
