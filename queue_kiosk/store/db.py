"""Provides the database plumbing under `Store`: engines per URL, SQLite's writer gate, and
the translation of driver errors into one-line StoreErrors."""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError, OperationalError

from queue_kiosk.domain.errors import ConnectionLost, StoreError, first_line

fcntl: ModuleType | None
try:
    import fcntl
except ImportError:  # Windows: SQLite's own locking alone
    fcntl = None

SQLITE_BUSY_TIMEOUT_MS = 10_000
"""How long a write waits for a locked SQLite database, all told: the writer gate's line
and then SQLite's own lock share this one budget."""
_WRITE = "queue_kiosk_write"
_DEADLINE = "queue_kiosk_deadline"
log = logging.getLogger(__name__)


CATALOG_PAYLOAD = "catalog"
"""A notification's payload is the newest event id, or this when the catalogue changed."""


def channel(site_id: int, schema: str = "public") -> str:
    """One notification channel per site: a province's screens wake only for their own
    commune's events (one shared channel woke every screen for every event). Channels are
    server-wide, so a database in another schema of the same server names its own: else
    its followers woke for a stranger's events and read a site id that is not theirs."""
    if schema == "public":
        return f"queue_kiosk_site_{site_id}"
    name = f"queue_kiosk_{schema}_site_{site_id}"
    if len(name.encode()) > 63:  # PostgreSQL's identifier limit
        name = f"queue_kiosk_{hashlib.sha1(schema.encode()).hexdigest()[:16]}_site_{site_id}"
    return name


def normalise_url(url: str) -> str:
    """Accept plain `postgresql://` and a bare file path; use psycopg 3 for PostgreSQL."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser()}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        raise StoreError("store.bad_url", url=url) from None
    if backend == "sqlite":
        return _sqlite_engine(url)
    if backend == "postgresql":
        return _postgres_engine(url)
    raise StoreError("store.bad_url", url=url)


POOL_SIZE_VARIABLE = "QUEUE_KIOSK_POOL_SIZE"
POOL_SIZE = 1
"""Connections a process keeps to PostgreSQL. A screen's work is a few milliseconds at a time
and its threads take turns; with its change feed's listening connection a screen holds two,
so 800 screens of a province fit one server's (or one PgBouncer's) budget."""
PING_AFTER_IDLE_SECONDS = 10.0
"""A pooled connection idle this long is checked before use (a restarted server dropped it);
one used more recently is trusted, saving a round trip on every transaction."""


def pool_size() -> int:
    value = os.environ.get(POOL_SIZE_VARIABLE, "")
    if not value:
        return POOL_SIZE
    if not value.isdigit() or int(value) < 1:
        raise StoreError("store.bad_pool", variable=POOL_SIZE_VARIABLE, value=value)
    return int(value)


LISTEN_URL_VARIABLE = "QUEUE_KIOSK_LISTEN_DB"
"""Where screens listen for notifications when the database URL goes through a pooler in
transaction mode (PgBouncer): LISTEN needs a session of its own, straight to PostgreSQL."""


def listen_url() -> str | None:
    value = os.environ.get(LISTEN_URL_VARIABLE, "")
    return normalise_url(value) if value else None


def _postgres_engine(url: str) -> Engine:
    connect_args: dict[str, Any] = {"connect_timeout": 5}
    if listen_url():  # behind a transaction pooler: no statement outlives its transaction
        connect_args["prepare_threshold"] = None
    engine = create_engine(url, pool_size=pool_size(), max_overflow=0, pool_timeout=30,
                           connect_args=connect_args)

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _check_if_idle(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError(first_line(exc)) from exc  # the pool reconnects

    return engine


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Take transaction control from pysqlite: its implicit BEGIN DEFERRED lets two
        # processes read the same "next" row and both claim it.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # a ticket must survive a power cut
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the lock up front (no lock upgrade, so no deadlock); readers stay
        # deferred so the hall display never blocks a kiosk.
        # Straight to the driver: SQLAlchemy's execution machinery cost a tenth of issuing.
        options = conn.get_execution_options()
        driver = conn.connection.dbapi_connection
        assert driver is not None
        if options.get(_WRITE, False):
            _wait_no_longer_than(conn, driver, options[_DEADLINE])
        driver.execute("BEGIN IMMEDIATE" if options.get(_WRITE, False) else "BEGIN")

    return engine


def _wait_no_longer_than(conn: Connection, driver: Any, deadline: float) -> None:
    """SQLite's own wait gets what the writer gate's line left of the budget. Set only when
    that moved by more than a tenth of a second: an uncontended write pays nothing."""
    left = max(0, int((deadline - time.monotonic()) * 1000))
    info = conn.connection.info
    if abs(info.get("busy_ms", SQLITE_BUSY_TIMEOUT_MS) - left) > 100:
        driver.execute(f"PRAGMA busy_timeout={left}")
        info["busy_ms"] = left


class _WriterGate:
    """Queues this machine's SQLite writers on lock files before BEGIN IMMEDIATE.

    SQLite's own busy handler sleeps with growing back-off, so with many counter processes
    the lock sits idle while waiters sleep. Here waiters block in flock and the kernel wakes
    them the moment the lock frees. Two locks make a turnstile: only the holder of the first
    may wait for the second, and lets the first go once it has it, so a writer that just
    finished cannot cut back in front of the one already next (polling let it, and the
    slowest calls waited several times longer: the README's contention figures). A
    deadline keeps a hung process from freezing every kiosk: past it, SQLite's own lock
    decides, as without the gate."""

    def __init__(self, path: Path) -> None:
        self.database = path
        self.paths = (path.with_name(path.name + "-writer.next"),
                      path.with_name(path.name + "-writer.lock"))
        self.local = threading.Lock()  # flock does not separate the threads of one process
        self.fds: tuple[int, int] | None = None
        self.pid = 0
        self.unusable: str | None = None
        """Why the lock files cannot be used (said once); SQLite's own locking then."""

    def _open(self) -> tuple[int, int] | None:
        """Our own open files: a forked child sharing its parent's would share its locks
        too, and both would write at once."""
        opened: list[int] = []
        try:
            for path in self.paths:
                opened.append(_open_like(path, self.database))
        except OSError as exc:
            for fd in opened:
                os.close(fd)
            if self.unusable is None:
                self.unusable = f"{exc.filename}: {exc.strerror}"
                log.warning("queue-kiosk: the writer lock file %s cannot be used; SQLite's own "
                            "locking serves instead (give every account that runs queue-kiosk "
                            "write access to the database's folder)", self.unusable)
            return None
        return opened[0], opened[1]

    @contextmanager
    def held(self, deadline: float) -> Iterator[None]:
        assert fcntl is not None
        with self.local:
            if self.fds is None or self.pid != os.getpid():
                self.fds, self.pid = self._open(), os.getpid()
                if self.fds is None:
                    yield
                    return
            next_fd, lock_fd = self.fds
            locked = False
            in_line = self._take(next_fd, deadline)
            if in_line:
                try:
                    locked = self._take(lock_fd, deadline)
                finally:
                    fcntl.flock(next_fd, fcntl.LOCK_UN)
            if not locked:
                # A helper thread still waits on the file given up on, and will close it.
                self.fds = None
                os.close(next_fd if in_line else lock_fd)
            try:
                yield
            finally:
                if locked:
                    fcntl.flock(lock_fd, fcntl.LOCK_UN)

    @staticmethod
    def _take(fd: int, deadline: float) -> bool:
        """Takes a lock, blocking in the kernel's line for it. flock cannot time out, so a
        helper thread blocks; past the deadline it is left to let the lock go when it gets
        it (False: the file is the helper's now)."""
        assert fcntl is not None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            pass
        wait = _BlockedWait(fd)
        threading.Thread(target=wait.block, name="writer-gate", daemon=True).start()
        return wait.until(deadline)


class _BlockedWait:
    """One blocking flock, in its own thread so that the waiter can give up on it."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.decided = threading.Lock()
        self.taken = threading.Event()
        self.abandoned = False

    def block(self) -> None:
        assert fcntl is not None
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        with self.decided:
            if not self.abandoned:
                self.taken.set()
                return
        os.close(self.fd)  # closing the file lets the lock go

    def until(self, deadline: float) -> bool:
        """True once the lock is taken; False, for good, past the deadline."""
        if self.taken.wait(max(0.0, deadline - time.monotonic())):
            return True
        with self.decided:
            self.abandoned = not self.taken.is_set()
            return not self.abandoned


def _open_like(path: Path, database: Path) -> int:
    """Opens (creating) a lock file with the database's own permissions and, for root, its
    owner, as SQLite does for its -wal and -shm files: whichever account writes first, every
    account that may write the database may take the lock."""
    try:
        like = database.stat()
    except FileNotFoundError:  # the first write creates the database: the usual mode
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return os.open(path, os.O_RDWR)
    os.fchmod(fd, like.st_mode & 0o666)
    if os.geteuid() == 0:
        os.fchown(fd, like.st_uid, like.st_gid)
    return fd


def writer_gate(engine: Engine) -> _WriterGate | None:
    """The gate of an SQLite file, where the platform has flock; None: no gate needed (a
    server database, or SQLite in memory) or none possible (Windows)."""
    path = sqlite_path(str(engine.url))
    if path is None or fcntl is None or not path.parent.is_dir():
        return None
    return _WriterGate(path)


@contextmanager
def write_transaction(engine: Engine, gate: _WriterGate | None) -> Iterator[Connection]:
    """One write transaction: committed on success, rolled back on any error."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    with translated(engine), gate.held(deadline) if gate else nullcontext(), \
            engine.connect() as conn:
        conn.execution_options(**{_WRITE: True, _DEADLINE: deadline})
        with conn.begin(), _lost_before_commit(engine):
            yield conn


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    with translated(engine), engine.connect() as conn, conn.begin(), \
            _lost_before_commit(engine):
        yield conn


@contextmanager
def _lost_before_commit(engine: Engine) -> Iterator[None]:
    """A connection that dies inside the transaction's body (not at its COMMIT, whose outcome
    would be unknown) took the transaction with it: said as ConnectionLost, which operations
    run once more on a fresh connection (the pool has dropped the dead ones)."""
    try:
        yield
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
        raise ConnectionLost("store.unreachable", url=safe_url(engine),
                             detail=first_line(exc.orig or exc)) from exc


@contextmanager
def translated(engine: Engine) -> Iterator[None]:
    """Database failures become one-line StoreErrors; the transaction has been rolled back."""
    try:
        yield
    except DBAPIError as exc:
        detail = first_line(exc.orig or exc)
        if any(sign in detail for sign in ("file is not a database", "malformed")):
            raise StoreError("store.corrupt", url=safe_url(engine), detail=detail) from exc
        if isinstance(exc, OperationalError) and (
                exc.connection_invalidated or "connect" in detail.lower()):
            raise StoreError("store.unreachable", url=safe_url(engine), detail=detail) from exc
        raise StoreError("store.failed", detail=detail) from exc
    except sqlite3.Error as exc:  # from BEGIN, which goes to the driver directly
        raise StoreError("store.failed", detail=first_line(exc)) from exc


def safe_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)
