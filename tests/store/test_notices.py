"""The notification hook's outbox: an operation writes its notice and returns at once;
deliverers send each notice at least once, one deliverer at a time, in a booking's order,
with a timeout that kills the hook's whole process group, a cap on what is read of its
output, retries with back-off, and a record of every attempt."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from queue_kiosk.config.hall import NotifyConfig
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.service.appointments import Appointments
from queue_kiosk.service.deliver import Deliverer, run_hook, started
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import notice_attempt_t, notice_t
from tests.conftest import MORNING, make_service
from tests.store import race_workers
from tests.store.test_appointments import booking_hall

TOMORROW = MORNING.date() + timedelta(days=1)
SLOTS = ["07:30", "08:00", "08:30", "09:00", "09:30", "10:00", "10:30", "11:00"]
HOOK = '''
import json, os, subprocess, sys, time
event = json.load(sys.stdin)
mode, log = sys.argv[1], sys.argv[2]
def note(what):
    with open(log, "a") as out:
        out.write(f"{what} {event['event']} {event['code']}\\n")
note("start")
if mode == "hang":
    time.sleep(300)
elif mode in ("child", "child-and-hang"):
    # A background child holding the hook's output streams, as `cmd &` in a script.
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    with open(log + ".pid", "a") as out:
        out.write(f"{child.pid}\\n")
    if mode == "child-and-hang":
        time.sleep(300)
elif mode == "flood":
    chunk = b"x" * (1 << 20)
    for _ in range(100):
        sys.stdout.buffer.write(chunk)
        sys.stderr.buffer.write(chunk)
elif mode == "slow":
    time.sleep(float(sys.argv[3]))
elif mode == "fail-once" and not os.path.exists(log + ".failed"):
    open(log + ".failed", "w").close()
    note("fail")
    sys.exit(3)
note("done")
'''


def hook(tmp_path: Path, mode: str, *more: str) -> tuple[str, Path]:
    script = tmp_path / "hook.py"
    script.write_text(HOOK, encoding="utf-8")
    log = tmp_path / "hook.log"
    return " ".join([sys.executable, str(script), mode, str(log), *more]), log


def lines(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def desk_with(store: Store, command: str) -> Appointments:
    hall = booking_hall().model_copy(update={"notify": NotifyConfig(command=command)})
    return Appointments(make_service(store, FrozenClock(MORNING), hall))


def attempts(store: Store) -> list[tuple[int, int, str | None]]:
    with store.read() as conn:
        return [tuple(row) for row in conn.execute(select(
            notice_attempt_t.c.notice_id, notice_attempt_t.c.attempt,
            notice_attempt_t.c.outcome).order_by(notice_attempt_t.c.id))]


def notices(store: Store) -> list[tuple[str, str, int]]:
    with store.read() as conn:
        return [tuple(row) for row in conn.execute(select(
            notice_t.c.event, notice_t.c.status, notice_t.c.attempts).order_by(notice_t.c.id))]


def gone(pid: int) -> bool:
    """Killed: no such process, or a zombie nobody reaped yet."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def test_book_returns_at_once_whatever_the_hook(tmp_path: Path) -> None:
    """`queue-kiosk book` with a hook that hangs: the command returns at once (it took
    20.8 s when it ran the hook itself), and the notice waits in the outbox."""
    command, log = hook(tmp_path, "hang")
    fragment = tmp_path / "notify.toml"
    fragment.write_text(f"[notify]\ncommand = {json.dumps(command)}\n", encoding="utf-8")
    env = {**os.environ, "QUEUE_KIOSK_DB": f"sqlite:///{tmp_path / 'q.db'}",
           "QUEUE_KIOSK_NOW": "2026-11-25T08:00:00+07:00"}

    def qk(*args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "queue_kiosk", *args], env=env,
                              capture_output=True, text=True, timeout=120)
        return time.monotonic() - started, done

    for args in (("init",), ("init", "--config", str(fragment))):
        assert qk(*args)[1].returncode == 0
    board_took, _ = qk("board")  # a one-shot command's own start-up, on this machine now
    took, done = qk("book", "A", "--time", "09:00", "--phone", "0901234567")
    assert done.returncode == 0, done.stderr
    assert took < 2 * board_took + 2, (took, board_took)  # not the hook's 20 s
    assert lines(log) == []  # nothing ran the hook
    store = Store(env["QUEUE_KIOSK_DB"])
    assert notices(store) == [("booked", "pending", 0)]


def test_a_hung_hook_and_what_it_left_behind_are_killed(store: Store, tmp_path: Path) -> None:
    command, log = hook(tmp_path, "child-and-hang")
    desk = desk_with(store, command)
    desk.book("B", TOMORROW, "07:30")
    started = time.monotonic()
    assert Deliverer(desk.service, timeout=1.5).deliver_pending() == 1
    assert time.monotonic() - started < 5
    pids = [int(p) for p in Path(f"{log}.pid").read_text().split()]
    assert [gone(pid) for pid in pids] == [True]
    assert attempts(store) == [(1, 1, "timed out after 1.5 s")]
    assert notices(store) == [("booked", "pending", 1)]  # tried again after its back-off


def test_a_hook_that_exits_leaving_a_child_is_sent_at_once(store: Store,
                                                           tmp_path: Path) -> None:
    """It was "timed out" after 20 s: its child held the output streams open."""
    command, log = hook(tmp_path, "child")
    desk = desk_with(store, command)
    desk.book("B", TOMORROW, "07:30")
    started = time.monotonic()
    Deliverer(desk.service, timeout=20).deliver_pending()
    assert time.monotonic() - started < 5
    assert notices(store) == [("booked", "sent", 1)]
    assert all(gone(int(pid)) for pid in Path(f"{log}.pid").read_text().split())


def test_a_flood_of_output_is_read_and_thrown_away(tmp_path: Path) -> None:
    """100 MB on each stream: the deliverer keeps 4 KiB of each (it took `book` to 480 MB
    when the whole output was kept). Measured in a fresh process: its peak memory."""
    command, _ = hook(tmp_path, "flood")
    measure = tmp_path / "measure.py"
    measure.write_text(
        "import json, resource, shlex, sys\n"
        "from queue_kiosk.service.deliver import run_hook\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "event = json.dumps({'event': 'booked', 'code': 'X'}).encode()\n"
        "outcome = run_hook(shlex.split(sys.argv[1]), event, timeout=60)\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(outcome.sent, (after - before) // 1024)\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(measure), command], capture_output=True,
                          text=True, timeout=120)
    sent, grown_mib = done.stdout.split()
    assert sent == "True", done.stderr
    assert int(grown_mib) < 10, grown_mib


def test_a_failure_is_tried_again_after_its_back_off(store: Store, tmp_path: Path) -> None:
    command, log = hook(tmp_path, "fail-once")
    desk = desk_with(store, command)
    desk.book("B", TOMORROW, "07:30", phone="0901234567")
    deliverer = Deliverer(desk.service, backoff=0.5)
    assert deliverer.deliver_pending() == 1
    assert Deliverer(desk.service, backoff=0.5).deliver_pending() == 0  # not due yet
    time.sleep(0.6)
    assert Deliverer(desk.service).deliver_pending() == 1
    assert attempts(store) == [(1, 1, "exit 3"), (1, 2, "sent")]
    assert notices(store) == [("booked", "sent", 2)]
    with store.read() as conn:  # done: the phone number leaves the outbox
        assert "phone" not in json.loads(conn.execute(select(notice_t.c.payload)).scalar_one())


def test_a_hook_that_never_works_is_recorded_failed(store: Store, tmp_path: Path) -> None:
    desk = desk_with(store, f"{sys.executable} -c 'import sys; sys.exit(2)'")
    desk.book("B", TOMORROW, "07:30")
    for _ in range(3):
        Deliverer(desk.service, attempts=3, backoff=0).deliver_pending()
    assert notices(store) == [("booked", "failed", 3)]
    assert [a[1] for a in attempts(store)] == [1, 2, 3]


def test_a_bookings_notices_go_in_order(store: Store, tmp_path: Path) -> None:
    """Four at once, yet a cancellation is never delivered before its booking."""
    command, log = hook(tmp_path, "slow", "0.3")
    desk = desk_with(store, command)
    codes = [desk.book("B", TOMORROW, slot).code for slot in SLOTS[:3]]
    for code in codes:
        desk.cancel(code)
    Deliverer(desk.service, workers=4).deliver_pending()
    done = [line.split()[1:] for line in lines(log) if line.startswith("done")]
    for code in codes:
        assert [event for event, of in done if of == code] == ["booked", "cancelled"]


def test_two_deliverers_never_send_one_notice_twice(store: Store, db_url: str,
                                                    tmp_path: Path) -> None:
    """Two `notify --once` processes started at a barrier over 16 notices: each notice
    claimed by one of them only, so each sent exactly once (nothing crashed)."""
    command, log = hook(tmp_path, "slow", "0.05")
    desk = desk_with(store, command)
    for slot in SLOTS:
        for _ in range(2):
            desk.book("B", TOMORROW, slot)
    ctx = multiprocessing.get_context("spawn")
    out, barrier = ctx.Queue(), ctx.Barrier(2)
    workers = [ctx.Process(target=race_workers.deliver_at_once, args=(db_url, barrier, out))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    counts = [out.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    started = [line for line in lines(log) if line.startswith("start")]
    assert (sum(counts), len(started), len(set(started))) == (16, 16, 16)
    assert {status for _, status, _ in notices(store)} == {"sent"}


def test_a_deliverer_killed_mid_delivery_is_taken_over(store: Store, db_url: str,
                                                       tmp_path: Path) -> None:
    """kill -9 of a deliverer with hooks running: once its leases end, another deliverer
    (or the same one, restarted) sends what it held; every notice at least once, and the
    attempts recorded in order (the dead one's without an outcome)."""
    command, log = hook(tmp_path, "slow", "1")
    desk = desk_with(store, command)
    for slot in SLOTS[:3]:
        desk.book("B", TOMORROW, slot)
    ctx = multiprocessing.get_context("spawn")
    worker = ctx.Process(target=race_workers.deliver_forever, args=(db_url, 2.0, 1.0))
    worker.start()
    deadline = time.monotonic() + 60
    while not lines(log) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert worker.pid is not None
    os.kill(worker.pid, signal.SIGKILL)
    worker.join(timeout=30)
    held = [(n, a) for n, a, outcome in attempts(store) if outcome == ""]
    assert held, "the deliverer died holding nothing"
    time.sleep(3.5)  # its leases (2 s timeout + 1 s) run out
    Deliverer(desk.service, timeout=2.0, lease=1.0).deliver_pending()
    assert {status for _, status, _ in notices(store)} == {"sent"}
    done = {line.split()[2] for line in lines(log) if line.startswith("done")}
    assert len(done) == 3
    recorded = attempts(store)
    for notice_id, attempt in held:  # taken over: the next attempt is the one that sent
        assert (notice_id, attempt + 1, "sent") in recorded
    assert [a for n, a, _ in recorded if n == held[0][0]] == [1, 2]


def test_run_hook_reports_what_went_wrong() -> None:
    assert run_hook(["/nonexistent/gateway"], b"{}").detail.startswith("cannot start:")
    failed = run_hook([sys.executable, "-c", "import sys; print('no credit', "
                                             "file=sys.stderr); sys.exit(4)"], b"{}")
    assert (failed.sent, failed.detail) == (False, "exit 4: no credit")


def test_a_background_deliverer_stops_at_once_killing_its_hooks(store: Store,
                                                                 tmp_path: Path) -> None:
    """As `serve` and the display run it: stopped (SIGTERM) with a hook hanging, the hook's
    group is killed at once and its notice left to its lease, to be sent again (`serve`
    lingered 113 s after SIGTERM, and a SIGKILL then would have lost the queued notices)."""
    command, log = hook(tmp_path, "child-and-hang")
    desk = desk_with(store, command)
    desk.book("B", TOMORROW, "07:30")
    deliverer = started(desk.service, timeout=60)
    assert deliverer is not None
    deadline = time.monotonic() + 30
    while not Path(f"{log}.pid").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    begun = time.monotonic()
    deliverer.stop()
    child = int(Path(f"{log}.pid").read_text())
    while not gone(child) and time.monotonic() - begun < 5:
        time.sleep(0.05)
    assert gone(child) and time.monotonic() - begun < 1
    assert notices(store) == [("booked", "pending", 1)]
    assert attempts(store) == [(1, 1, "")]  # under its lease, no outcome: sent again later
    assert started(Appointments(make_service(store, FrozenClock(MORNING),
                                             booking_hall())).service) is None  # no hook
