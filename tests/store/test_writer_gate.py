"""The SQLite writer gate: one writer at a time on this machine, whatever the processes."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

import pytest

from queue_kiosk.store import db
from queue_kiosk.store.store import Store


def _wait_for_the_gate(gate: Any, parent_holds: Event, out: Any) -> None:
    """`gate`: the object inherited from the parent across fork."""
    parent_holds.wait(10)
    began = time.monotonic()
    with gate.held(began + 0.3):  # give up quickly: the parent keeps it until we answer
        pass
    out.put(time.monotonic() - began)


@pytest.mark.skipif(db.fcntl is None, reason="the gate needs flock (not on Windows)")
def test_a_forked_child_waits_for_its_parents_write(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'queue.db'}")
    gate = store.gate
    assert gate is not None
    with gate.held(time.monotonic() + 10):  # the parent has written before: its files are open
        pass
    ctx = multiprocessing.get_context("fork")
    parent_holds, out = ctx.Event(), ctx.Queue()
    child = ctx.Process(target=_wait_for_the_gate,
                        args=(gate, parent_holds, out))
    child.start()
    with gate.held(time.monotonic() + 10):
        parent_holds.set()
        waited = out.get(timeout=30)
    child.join(timeout=30)
    # Sharing the parent's open lock files, the child would have "held" it at once.
    assert waited >= 0.25
    store.dispose()


@pytest.mark.skipif(db.fcntl is None, reason="the gate needs flock (not on Windows)")
def test_a_writer_stuck_in_line_gives_up_at_the_deadline_and_leaves_no_lock(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert db.fcntl is not None
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 200)
    store = Store(f"sqlite:///{tmp_path / 'queue.db'}")
    gate = store.gate
    assert gate is not None
    # Another process (here: another open file) is next in line and never moves.
    hung = os.open(gate.paths[0], os.O_RDWR | os.O_CREAT)
    db.fcntl.flock(hung, db.fcntl.LOCK_EX)
    began = time.monotonic()
    with gate.held(began + 0.2):  # past the deadline, SQLite's own lock decides
        waited = time.monotonic() - began
    assert 0.2 <= waited < 5
    assert gate.fds is None, "the abandoned wait owns its file; later writes open new ones"
    db.fcntl.flock(hung, db.fcntl.LOCK_UN)  # the hung one moves on at last
    os.close(hung)
    # The abandoned wait gets the line and lets it go; nothing stays locked.
    probe = os.open(gate.paths[0], os.O_RDWR)
    deadline = time.monotonic() + 5
    while True:
        try:
            db.fcntl.flock(probe, db.fcntl.LOCK_EX | db.fcntl.LOCK_NB)
            break
        except BlockingIOError:
            assert time.monotonic() < deadline, "the abandoned wait kept the lock"
            time.sleep(0.01)
    db.fcntl.flock(probe, db.fcntl.LOCK_UN)
    os.close(probe)
    began = time.monotonic()
    with gate.held(began + 5):
        assert time.monotonic() - began < 0.2  # the next write goes straight in
    store.dispose()


def _issue_as_another_account(url: str, out: Any) -> None:
    """A second account (the centre's counter PC user, say) writing the same database: this
    process was forked with everything imported, then drops to `nobody`."""
    from queue_kiosk.domain.clock import FrozenClock
    from queue_kiosk.service.facade import QueueService
    from tests.conftest import MORNING

    os.setgid(65534)
    os.setuid(65534)
    try:
        service = QueueService(Store(url), clock=FrozenClock(MORNING))
        out.put(("ok", service.issue("B").number))
    except Exception as exc:  # reported to the test, which names it
        out.put(("failed", f"{type(exc).__name__}: {exc}"))


def _two_accounts(folder: Path, prepare: Any = None) -> tuple[str, str]:
    from queue_kiosk.domain.clock import FrozenClock
    from queue_kiosk.service.catalog import load_catalog
    from queue_kiosk.service.facade import QueueService
    from queue_kiosk.store.migrate import upgrade
    from tests.conftest import MORNING, small_hall

    folder.chmod(0o777)  # the IT person shares the folder and the database file
    url = f"sqlite:///{folder / 'queue.db'}"
    store = Store(url)
    upgrade(store)
    (folder / "queue.db").chmod(0o666)
    for name in ("queue.db-wal", "queue.db-shm"):
        (folder / name).chmod(0o666)
    load_catalog(store, small_hall(), FrozenClock(MORNING))
    if prepare is not None:
        prepare(folder)
    QueueService(store, clock=FrozenClock(MORNING)).issue("B")  # root writes first
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    child = ctx.Process(target=_issue_as_another_account, args=(url, out))
    child.start()
    result = out.get(timeout=60)
    child.join(timeout=30)
    return result  # type: ignore[no-any-return]


needs_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="switching accounts needs root (CI runs as root)")


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """Outside pytest's own folders, which only root may enter."""
    folder = Path(tempfile.mkdtemp(prefix="queue-kiosk-shared-"))
    yield folder
    shutil.rmtree(folder)


@needs_root
def test_an_account_other_than_the_first_writer_can_write(shared_folder: Path) -> None:
    assert _two_accounts(shared_folder) == ("ok", "B002")
    for lock in ("queue.db-writer.next", "queue.db-writer.lock"):
        assert (shared_folder / lock).stat().st_mode & 0o777 == 0o666  # the database's own


@needs_root
def test_a_lock_file_another_account_cannot_open_falls_back_to_sqlite(
        shared_folder: Path) -> None:
    def locked_down(folder: Path) -> None:
        for lock in ("queue.db-writer.next", "queue.db-writer.lock"):
            (folder / lock).touch(mode=0o600)
    assert _two_accounts(shared_folder, locked_down) == ("ok", "B002")


def test_a_folder_where_a_lock_file_should_be_falls_back_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from queue_kiosk.domain.clock import FrozenClock
    from queue_kiosk.service.catalog import load_catalog
    from queue_kiosk.service.facade import QueueService
    from queue_kiosk.store.migrate import upgrade
    from tests.conftest import MORNING, small_hall

    (tmp_path / "queue.db-writer.lock").mkdir()
    store = Store(f"sqlite:///{tmp_path / 'queue.db'}")
    upgrade(store)
    load_catalog(store, small_hall(), FrozenClock(MORNING))
    service = QueueService(store, clock=FrozenClock(MORNING))
    assert [service.issue("B").number for _ in range(3)] == ["B001", "B002", "B003"]
    warnings = [r.getMessage() for r in caplog.records if "writer lock file" in r.getMessage()]
    assert len(warnings) == 1 and "queue.db-writer.lock" in warnings[0]
