"""The SQLite writer gate: one writer at a time on this machine, whatever the processes."""

from __future__ import annotations

import multiprocessing
import os
import time
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

import pytest

from queue_kiosk import db


def _wait_for_the_gate(path: Path, parent_holds: Event, out: Any) -> None:
    db.SQLITE_BUSY_TIMEOUT_MS = 300  # give up quickly: the parent keeps it until we answer
    gate = db._gates[path]  # the object inherited from the parent across fork
    parent_holds.wait(10)
    began = time.monotonic()
    with gate.held():
        pass
    out.put(time.monotonic() - began)


@pytest.mark.skipif(db.fcntl is None, reason="the gate needs flock (not on Windows)")
def test_a_forked_child_waits_for_its_parents_write(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'queue.db'}")
    gate = db._gate(engine)
    assert gate is not None
    with gate.held():  # the parent has written before: its lock files are open
        pass
    ctx = multiprocessing.get_context("fork")
    parent_holds, out = ctx.Event(), ctx.Queue()
    child = ctx.Process(target=_wait_for_the_gate,
                        args=(tmp_path / "queue.db", parent_holds, out))
    child.start()
    with gate.held():
        parent_holds.set()
        waited = out.get(timeout=30)
    child.join(timeout=30)
    # Sharing the parent's open lock files, the child would have "held" it at once.
    assert waited >= 0.25
    engine.dispose()


@pytest.mark.skipif(db.fcntl is None, reason="the gate needs flock (not on Windows)")
def test_a_writer_stuck_in_line_gives_up_at_the_deadline_and_leaves_no_lock(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert db.fcntl is not None
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 200)
    engine = db.make_engine(f"sqlite:///{tmp_path / 'queue.db'}")
    gate = db._gate(engine)
    assert gate is not None
    # Another process (here: another open file) is next in line and never moves.
    hung = os.open(gate.paths[0], os.O_RDWR | os.O_CREAT)
    db.fcntl.flock(hung, db.fcntl.LOCK_EX)
    began = time.monotonic()
    with gate.held():  # past the deadline, SQLite's own lock decides
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
    with gate.held():
        assert time.monotonic() - began < 0.2  # the next write goes straight in
    engine.dispose()
