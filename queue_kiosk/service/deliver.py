"""Provides the deliverer of the notification hook's notices (see `notify`): it runs inside
`serve` and the display (a background thread) and as `queue-kiosk notify`, any number of
them at once.

- A notice is claimed under a lease (`LEASE_SECONDS` past the call's timeout): one deliverer
  holds it at a time, and one that dies (kill -9, a power cut) loses it when the lease ends;
  another, or the same after its restart, sends it again. So each notice is delivered at
  least once; a hook may now and then hear one twice.
- A booking's notices go in order: one is claimed only once every earlier one of its
  booking is done (a cancellation never reaches the citizen before the booking).
- At most `workers` hooks run at once; each gets `timeout` seconds. The hook runs in a
  session of its own, and its whole process group is killed when it ends or times out, so
  nothing it leaves behind outlives the call. Of its output the first `OUTPUT_CAP` bytes of
  each stream are kept (for the log), the rest read and thrown away.
- A failure (cannot start, non-zero exit, timeout) is tried again after a back-off that
  doubles (`BACKOFF_SECONDS`, then twice that…); after `ATTEMPTS` attempts the notice is
  recorded as failed. Every attempt is recorded in order, with its outcome.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import selectors
import shlex
import signal
import subprocess
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import timedelta
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy import exists, insert, or_, select, update

from queue_kiosk.domain.clock import Clock, SystemClock
from queue_kiosk.service.notify import FAILED, PENDING, SENT
from queue_kiosk.store.tables import notice_attempt_t, notice_t

if TYPE_CHECKING:
    from queue_kiosk.service.reading import QueueReader

TIMEOUT_SECONDS = 20.0
LEASE_SECONDS = 30.0
"""Beyond the call's timeout: how long a claim outlives a deliverer that died."""
WORKERS = 4
ATTEMPTS = 6
BACKOFF_SECONDS = 15.0
"""15 s, 30 s, 1, 2, 4 min: a gateway down for a few minutes still gets the notice."""
OUTPUT_CAP = 4096
POLL_SECONDS = 1.0
log = logging.getLogger("queue_kiosk.service.notify")


@dataclass(frozen=True, slots=True)
class Outcome:
    sent: bool
    detail: str
    """"sent", "exit 3: …", "timed out after 20 s", "cannot start: …"."""


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    lease: str
    attempt: int
    event: str
    payload: str


def run_hook(argv: list[str], payload: bytes, *, timeout: float = TIMEOUT_SECONDS,
             cap: int = OUTPUT_CAP, running: set[int] | None = None) -> Outcome:
    """Runs the hook once with `payload` on its standard input (`running`: where its process
    group stays listed while it runs, for a deliverer that stops to kill)."""
    deadline = time.monotonic() + timeout
    try:
        process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, start_new_session=True,
                                   close_fds=True)
    except OSError as exc:
        return Outcome(False, f"cannot start: {exc.strerror or exc}")
    if running is not None:
        running.add(process.pid)
    kept: dict[int, bytearray] = {}
    err = process.stderr.fileno() if process.stderr else -1
    try:
        _feed(process.stdin, payload)
        status = _wait(process, deadline, cap, kept)
    finally:
        _kill_group(process.pid)  # what it left running goes with it
        process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
        if running is not None:
            running.discard(process.pid)
    if status is None:
        return Outcome(False, f"timed out after {timeout:g} s")
    if status != 0:
        said = bytes(kept.get(err, b"")).decode(errors="replace").strip()
        return Outcome(False, (f"exit {status}: {said}" if said else f"exit {status}")[:200])
    return Outcome(True, "sent")


def _feed(stdin: IO[bytes] | None, payload: bytes) -> None:
    """The event, then end of input (a hook that does not read it is no failure of ours).
    An event is far smaller than a pipe's buffer: the write never waits."""
    if stdin is None:
        return
    try:
        stdin.write(payload)
        stdin.close()
    except BrokenPipeError:
        pass


def _wait(process: subprocess.Popen[bytes], deadline: float, cap: int,
          kept: dict[int, bytearray]) -> int | None:
    """Reads both output streams (keeping `cap` bytes of each) until the hook has exited and
    its streams are quiet, or the deadline passes (None). Its exit, not the end of its
    output, ends the call: a background child holding the streams open does not."""
    with selectors.DefaultSelector() as selector:
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                selector.register(stream, selectors.EVENT_READ)
                kept[stream.fileno()] = bytearray()
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            if not selector.get_map():
                try:
                    return process.wait(timeout=left)
                except subprocess.TimeoutExpired:
                    return None
            ready = selector.select(timeout=min(left, 0.2))
            for key, _ in ready:
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fileobj)
                    continue
                room = cap - len(kept[key.fd])
                if room > 0:
                    kept[key.fd] += chunk[:room]
            if not ready and process.poll() is not None:
                return process.returncode


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # the group is gone already


class Deliverer:
    """Delivers one site's notices. Thread-safe; `serve` and `deliver_pending` are its two
    ways of running."""

    def __init__(self, service: QueueReader, *, workers: int = WORKERS,
                 timeout: float = TIMEOUT_SECONDS, lease: float = LEASE_SECONDS,
                 attempts: int = ATTEMPTS, backoff: float = BACKOFF_SECONDS,
                 cap: int = OUTPUT_CAP, clock: Clock | None = None) -> None:
        self.service = service
        self.workers, self.timeout, self.cap = workers, timeout, cap
        self.lease = timedelta(seconds=timeout + lease)
        self.attempts, self.backoff = attempts, backoff
        # Leases and back-off are about real time, whatever the queue's clock says.
        self.clock: Clock = clock or SystemClock()
        self.stopping = threading.Event()
        self._running: set[int] = set()

    def serve(self, poll: float = POLL_SECONDS) -> None:
        """Delivers until `stop`."""
        self._loop(poll, until_idle=False)

    def deliver_pending(self) -> int:
        """Delivers the notices due now (each attempted once at most), then returns how many
        were attempted: `queue-kiosk notify --once`, for tests and cron."""
        return self._loop(0, until_idle=True)

    def stop(self) -> None:
        """Stops: the hooks running are killed, their notices left to their leases (sent
        again once they end), and nothing more is claimed."""
        self.stopping.set()
        for pid in list(self._running):
            _kill_group(pid)

    def _loop(self, poll: float, *, until_idle: bool) -> int:
        attempted = 0
        seen: set[int] = set()
        with ThreadPoolExecutor(self.workers, thread_name_prefix="notify") as pool:
            running: set[Future[None]] = set()
            while not self.stopping.is_set():
                free = self.workers - len(running)
                claimed = self._claim(free, seen) if free else []
                seen.update(c.id for c in claimed)
                attempted += len(claimed)
                running |= {pool.submit(self._deliver, c) for c in claimed}
                if running and (not claimed or len(running) == self.workers):
                    running = wait(running, timeout=poll or None,
                                   return_when=FIRST_COMPLETED).not_done
                elif not claimed:
                    if until_idle:
                        break
                    self.stopping.wait(poll)
        return attempted

    def _command(self) -> list[str]:
        self.service.refresh()  # a new hall may have another command
        return shlex.split(self.service.catalog.hall.notify.command)

    def _claim(self, limit: int, seen: set[int]) -> list[Claimed]:
        """Up to `limit` notices due now, leased to this deliverer; none of `seen` (those
        this run attempted already)."""
        now = self.clock.now()
        site_id = self.service.site_id
        earlier = notice_t.alias("earlier")
        free = or_(notice_t.c.lease_until.is_(None), notice_t.c.lease_until < now)
        claimed = []
        with self.service.store.write() as conn:
            due = conn.execute(select(notice_t.c.id).where(
                notice_t.c.site_id == site_id, notice_t.c.status == PENDING, free,
                notice_t.c.id.not_in(seen),
                or_(notice_t.c.due_at.is_(None), notice_t.c.due_at <= now),
                ~exists().where(earlier.c.site_id == site_id,
                                earlier.c.subject == notice_t.c.subject,
                                earlier.c.status == PENDING, earlier.c.id < notice_t.c.id),
            ).order_by(notice_t.c.id).limit(limit)).scalars().all()
            for notice_id in due:
                lease = secrets.token_hex(16)
                # Guarded as a ticket's change: of two deliverers, the second claims nothing.
                row = conn.execute(update(notice_t).where(
                    notice_t.c.id == notice_id, notice_t.c.status == PENDING, free).values(
                    lease=lease, lease_until=now + self.lease,
                    attempts=notice_t.c.attempts + 1).returning(
                    notice_t.c.attempts, notice_t.c.event, notice_t.c.payload)).first()
                if row is None:
                    continue
                conn.execute(insert(notice_attempt_t).values(
                    notice_id=notice_id, attempt=row.attempts, started_at=now, outcome=""))
                claimed.append(Claimed(notice_id, lease, row.attempts, row.event, row.payload))
        return claimed

    def _deliver(self, notice: Claimed) -> None:
        try:
            outcome = run_hook(self._command(), notice.payload.encode(), timeout=self.timeout,
                               cap=self.cap, running=self._running)
        except Exception as exc:  # a deliverer thread must outlive any one notice
            outcome = Outcome(False, f"{type(exc).__name__}: {exc}"[:200])
        if self.stopping.is_set():
            return  # killed by stop(), not the hook's fault: the lease will run out
        self._record(notice, outcome)

    def _record(self, notice: Claimed, outcome: Outcome) -> None:
        now = self.clock.now()
        done = outcome.sent or notice.attempt >= self.attempts
        values: dict[str, Any] = {"lease": None, "lease_until": None}
        if done:
            values.update(status=SENT if outcome.sent else FAILED, done_at=now,
                          payload=_without_phone(notice.payload))
        else:
            values["due_at"] = now + timedelta(
                seconds=self.backoff * 2 ** (notice.attempt - 1))
        if not outcome.sent:
            # The notice's id and event only: the payload holds a phone number.
            log.warning("notify: notice %s (%s), attempt %s: %s", notice.id, notice.event,
                        notice.attempt, outcome.detail)
        with self.service.store.write() as conn:
            conn.execute(update(notice_t).where(notice_t.c.id == notice.id,
                                                notice_t.c.lease == notice.lease).values(values))
            conn.execute(update(notice_attempt_t).where(
                notice_attempt_t.c.notice_id == notice.id,
                notice_attempt_t.c.attempt == notice.attempt).values(
                finished_at=now, outcome=outcome.detail[:200]))


def _without_phone(payload: str) -> str:
    event = json.loads(payload)
    event.pop("phone", None)
    return json.dumps(event, ensure_ascii=False)


def started(service: QueueReader, **options: Any) -> Deliverer | None:
    """A deliverer serving in a daemon thread of its own, where the hall has a hook; the
    caller stops it on its way out."""
    if not service.catalog.hall.notify.command.strip():
        return None
    # A reader of its own: it refreshes its catalogue without touching the caller's.
    from queue_kiosk.service.reading import QueueReader

    deliverer = Deliverer(QueueReader(service.store, site=service.catalog.site_code),
                          **options)
    threading.Thread(target=deliverer.serve, name="notify-deliverer", daemon=True).start()
    return deliverer
