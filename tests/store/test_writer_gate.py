"""The SQLite writer gate: one writer at a time on this machine, whatever the processes."""

from __future__ import annotations

import multiprocessing
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
