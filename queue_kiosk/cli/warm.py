"""Provides the warm start of one-shot commands (`QUEUE_KIOSK_WARM=1`): a helper process
that has imported the command line once forks a fresh worker for each call, so a script
calling `queue-kiosk issue` per ticket does not pay every time for importing SQLAlchemy and
the hall's models (0.2 s and more of a 0.4 s call, however few of them a command uses).

The first call starts the helper and runs as usual; the next ones are handed to it. A worker
is the calling command with the caller's arguments, environment, folder, umask and standard
streams (passed as open files over the socket), so it reads and writes what the command
would; its exit status is the command's. Ctrl-C and termination reach the worker.

Safety: the helper runs as the caller's user, listens in a folder only that user may open,
serves only that user (checked on every connection), and leaves after IDLE_SECONDS without
a call. The socket's name carries a digest of the installed code and interpreter, so an
upgrade starts a new helper instead of running old code. Screens, set-up and anything that
asks at a prompt always run in the calling process."""

from __future__ import annotations

import array
import hashlib
import json
import os
import select
import signal
import socket
import stat
import struct
import sys
import time
from pathlib import Path
from typing import Any

WARM_VARIABLE = "QUEUE_KIOSK_WARM"
FOLDER_VARIABLE = "QUEUE_KIOSK_WARM_DIR"
"""Where the helper's socket lives (default: $XDG_RUNTIME_DIR, else the temporary folder)."""
IDLE_SECONDS = 600
RETRY_SECONDS = 60
ONE_SHOT = frozenset({
    "catalog", "issue", "reprint", "call", "recall", "start", "finish", "no-show",
    "transfer", "return", "ticket", "rate", "pause", "resume", "waiting", "board", "book",
    "checkin", "close-day", "close-field", "reopen-field"})
"""Commands a worker may run: none starts a screen or asks at a prompt."""
_VALUED = frozenset({"--db", "--site", "--lang"})
_PRELOAD = ("queue_kiosk.cli.main", "queue_kiosk.service.facade", "queue_kiosk.store.migrate",
            "queue_kiosk.service.appointments", "queue_kiosk.service.staff",
            "queue_kiosk.service.calendar", "holidays.countries.vietnam",
            "queue_kiosk.printing.job", "queue_kiosk.printing.content",
            "sqlalchemy.dialects.sqlite", "sqlalchemy.dialects.postgresql", "psycopg")
"""What the commands import when they run: once here, shared by every worker."""
_SIZE = struct.Struct("!i")
_STREAMS = (0, 1, 2)


def command_of(argv: list[str]) -> str | None:
    """The command word of a command line (after the global options), if any."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word in _VALUED:
            skip = True
        elif not word.startswith("-"):
            return word
    return None


def _folder() -> Path | None:
    """The user's own folder for the socket; None where it is not safely private."""
    base = (os.environ.get(FOLDER_VARIABLE) or os.environ.get("XDG_RUNTIME_DIR")
            or os.environ.get("TMPDIR") or "/tmp")
    folder = Path(base) / f"queue-kiosk-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        found = folder.lstat()
    except OSError:
        return None
    private = found.st_uid == os.getuid() and not found.st_mode & 0o077
    return folder if private and stat.S_ISDIR(found.st_mode) else None  # lstat: no symlink


def _code_digest() -> str:
    """Names the code a helper runs: the interpreter, its import path, and every module file
    of this package (name, size, time), so a changed installation gets a helper of its own."""
    digest = hashlib.blake2b(digest_size=8)
    # Not sys.path[0], the script's or current folder: one helper serves every folder.
    digest.update("\0".join([sys.executable, sys.version, *sys.path[1:]]).encode())
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # queue_kiosk/
    for root, folders, files in os.walk(package):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                found = os.stat(os.path.join(root, name))
                digest.update(f"{root}/{name}:{found.st_size}:{found.st_mtime_ns}".encode())
    return digest.hexdigest()


def socket_path() -> Path | None:
    folder = _folder()
    if folder is None:
        return None
    path = folder / f"{_code_digest()}.sock"
    return path if len(os.fsencode(path)) < 108 else None  # AF_UNIX's limit


def wanted() -> bool:
    return os.name == "posix" and os.environ.get(WARM_VARIABLE, "").strip().lower() in (
        "1", "true", "yes", "on")


# ----- the calling side ------------------------------------------------------------------


def call(argv: list[str]) -> int | None:
    """The command's exit status, run by a warm worker; None: run it here (warm start not
    asked for, not for this command, or no helper yet: one is started for the next call)."""
    if not wanted() or command_of(argv) not in ONE_SHOT:
        return None
    path = socket_path()
    if path is None:
        return None
    try:
        request = json.dumps({"argv": argv, "env": dict(os.environ), "cwd": os.getcwd(),
                              "umask": _umask(), "streams": _encodings()}).encode()
        for fd in _STREAMS:
            os.fstat(fd)  # a closed standard stream: nothing to pass
    except (OSError, AttributeError):
        return None
    helper = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        helper.connect(os.fspath(path))
    except OSError:
        helper.close()
        if _no_helper_lately(path):
            _start_helper(path)
        return None
    with helper:
        helper.sendmsg([_SIZE.pack(len(request)) + request], [
            (socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", _STREAMS))])
        worker = _read_int(helper)
        if worker is None:
            return None  # the helper refused before forking: nothing ran
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, lambda number, _frame: _forward(worker, number))
        status = _read_int(helper)
    return _lost(argv) if status is None else status


def _lost(argv: list[str]) -> int:
    """The worker died mid-command (kill -9, out of memory): said as the command would say
    a failure, in the caller's language and, with --json, as JSON."""
    from queue_kiosk.cli.main import fail, lang_hint
    from queue_kiosk.config.settings import Settings, SettingsError
    from queue_kiosk.wording import say

    try:
        default = Settings.from_env().lang
    except SettingsError:
        default = "vi"
    lang = lang_hint(argv, default)
    return fail("warm.lost", say("warm.lost", lang, variable=WARM_VARIABLE), 70,
                "--json" in argv)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _encodings() -> list[list[str]]:
    return [[stream.encoding, stream.errors or "strict"]
            for stream in (sys.stdin, sys.stdout, sys.stderr)]


def _forward(worker: int, number: int) -> None:
    try:
        os.kill(worker, number)
    except ProcessLookupError:
        pass


def _read_int(conn: socket.socket) -> int | None:
    data = b""
    while len(data) < _SIZE.size:
        chunk = conn.recv(_SIZE.size - len(data))
        if not chunk:
            return None
        data += chunk
    return int(_SIZE.unpack(data)[0])


def _no_helper_lately(path: Path) -> bool:
    """Whether no helper started (or tried to) in the last RETRY_SECONDS: one that cannot
    serve (a folder without sockets, say) is not started again on every call."""
    try:
        started = os.stat(path.with_suffix(".lock")).st_mtime
    except FileNotFoundError:
        return True
    return time.time() - started > RETRY_SECONDS


def _start_helper(path: Path) -> None:
    """Starts the helper in a session of its own, holding none of the caller's files (a
    caller reading this command's output must see it end)."""
    import subprocess

    subprocess.Popen([sys.executable, "-m", "queue_kiosk.cli.warm", os.fspath(path)],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True,
                     cwd="/")  # holding no folder open (a USB stick stays removable)


# ----- the helper ------------------------------------------------------------------------


def serve_calls(path: Path, idle_seconds: float = IDLE_SECONDS) -> None:
    """Answers calls on `path` until idle for `idle_seconds`. One helper per path: a second
    one finds the lock (a file beside the socket, holding the helper's process id) taken and
    leaves."""
    import fcntl
    import importlib

    lock = os.open(path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(lock)
        return
    os.ftruncate(lock, 0)
    os.write(lock, f"{os.getpid()}\n".encode())  # which process the helper is, for its user
    for module in _PRELOAD:
        importlib.import_module(module)
    importlib.import_module("queue_kiosk.cli.main").build_parser()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped by the kernel
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    path.unlink(missing_ok=True)  # a helper that died left it; the lock says none runs
    listener.bind(os.fspath(path))
    listener.listen(64)
    helper = os.getpid()
    try:
        while select.select([listener], [], [], idle_seconds)[0]:
            conn, _ = listener.accept()
            with conn:
                if _caller_uid(conn) != os.getuid():
                    continue
                if os.fork() == 0:
                    _work(conn, listener, lock)
    finally:
        if os.getpid() == helper:
            path.unlink(missing_ok=True)
            listener.close()
            os.ftruncate(lock, 0)
            os.utime(lock, (0, 0))  # gone on purpose: the next call may start one at once
            os.close(lock)


def _caller_uid(conn: socket.socket) -> int:
    credentials = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                  struct.calcsize("3i"))
    return int(struct.unpack("3i", credentials)[1])


def _receive(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    header, ancillary, _flags, _address = conn.recvmsg(
        _SIZE.size, socket.CMSG_SPACE(len(_STREAMS) * array.array("i").itemsize))
    fds = array.array("i")
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[:len(data) - len(data) % fds.itemsize])
    size = int(_SIZE.unpack(header)[0])
    body = b""
    while len(body) < size:
        chunk = conn.recv(size - len(body))
        if not chunk:
            raise ConnectionError("the caller left")
        body += chunk
    return json.loads(body), list(fds)


def _work(conn: socket.socket, listener: socket.socket, lock: int) -> None:
    """The forked worker: becomes the calling command, runs it, reports its status."""
    status = 70
    try:
        listener.close()
        os.close(lock)  # the helper's alone: a worker outliving it must not keep it
        request, fds = _receive(conn)
        if len(fds) != len(_STREAMS):
            os._exit(status)
        _become_caller(request, fds)
        conn.sendall(_SIZE.pack(os.getpid()))
        status = _run(request["argv"])
        conn.sendall(_SIZE.pack(status))
    except KeyboardInterrupt:
        status = 130
    except BaseException:  # what an uncaught error would show: the traceback
        import traceback

        traceback.print_exc()
    finally:
        os._exit(status)


def _become_caller(request: dict[str, Any], fds: list[int]) -> None:
    import locale

    for number in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for target, fd in zip(_STREAMS, fds, strict=True):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()
    try:
        locale.setlocale(locale.LC_CTYPE, "")  # the caller's, as a fresh process reads it
    except locale.Error:
        pass
    os.umask(request["umask"])
    # The caller's streams as a fresh process would wrap them: line by line to a terminal.
    (in_enc, in_err), (out_enc, out_err), (err_enc, err_err) = request["streams"]
    sys.stdin = open(0, encoding=in_enc, errors=in_err, closefd=False)
    sys.stdout = open(1, "w", buffering=1 if os.isatty(1) else -1, encoding=out_enc,
                      errors=out_err, closefd=False)
    sys.stderr = open(2, "w", buffering=1, encoding=err_enc, errors=err_err, closefd=False)
    sys.argv = ["queue-kiosk", *request["argv"]]


def _run(argv: list[str]) -> int:
    """The command, as the process `queue-kiosk ARGV` would run it to its end: with its
    non-daemon threads (the notification hook's) finished and its output flushed."""
    import threading

    from queue_kiosk.cli.main import main

    try:
        status = main(argv)
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):
            pass
    return status


if __name__ == "__main__":
    serve_calls(Path(sys.argv[1]))
