"""The warm start of one-shot commands (QUEUE_KIOSK_WARM=1): each call a separate process, as
a script makes them, served by the helper the first call started."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from queue_kiosk.cli import warm

CALLER = """
import sys
from queue_kiosk.cli.launch import main
sys.argv = ["queue-kiosk", *sys.argv[1:]]
status = main()
# Whether this process did the command's work itself: a warm call never imports SQLAlchemy.
sys.stderr.write("\\n[did it here: %s]\\n" % ("sqlalchemy" in sys.modules))
raise SystemExit(status)
"""


class Caller:
    def __init__(self, folder: Path, home: Path) -> None:
        self.folder = folder
        self.env = {**os.environ, "QUEUE_KIOSK_WARM": "1", "QUEUE_KIOSK_WARM_DIR": str(folder),
                    "QUEUE_KIOSK_DB": "hall.db", "QUEUE_KIOSK_NOW": "2026-11-25T08:00:00+07:00"}
        self.home = home

    def run(self, *args: str, cwd: Path | None = None, **env: str
            ) -> tuple[int, str, str, bool]:
        done = subprocess.run([sys.executable, "-c", CALLER, *args], capture_output=True,
                              text=True, cwd=cwd or self.home,
                              env={**self.env, **env}, timeout=60)
        err, _, marker = done.stderr.rpartition("\n[did it here: ")
        return done.returncode, done.stdout, err.strip(), marker.startswith("True")

    def helpers(self) -> list[int]:
        return [int(lock.read_text()) for lock in self.folder.glob("*/*.lock")
                if lock.read_text().strip()]

    def wait_for_helper(self) -> None:
        deadline = time.monotonic() + 30
        while not list(self.folder.glob("*/*.sock")):
            assert time.monotonic() < deadline, "no helper started"
            time.sleep(0.05)


@pytest.fixture
def caller(tmp_path: Path) -> Iterator[Caller]:
    home = tmp_path / "home"
    home.mkdir()
    # A short folder: a socket's path must fit in 107 bytes, and pytest's are long.
    with tempfile.TemporaryDirectory(prefix="qk-warm-") as folder:
        made = Caller(Path(folder), home)
        yield made
        for pid in made.helpers():
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass


def test_a_warm_call_is_the_command_itself(caller: Caller) -> None:
    assert caller.run("init")[0] == 0  # set-up is never warm
    code, out, _, here = caller.run("--json", "issue", "B")
    assert code == 0 and here and json.loads(out)["number"] == "B001"  # starts the helper
    caller.wait_for_helper()

    code, out, err, here = caller.run("--json", "issue", "B",
                                      QUEUE_KIOSK_NOW="2026-11-25T09:30:00+07:00")
    ticket = json.loads(out)
    assert (code, err, here) == (0, "", False)
    # The caller's folder (the relative database), and its environment (the clock).
    assert ticket["number"] == "B002" and ticket["issued_at"].startswith("2026-11-25T02:30")  # UTC
    assert (caller.home / "hall.db").exists()

    code, out, err, here = caller.run("issue", "ZZ")
    assert (code, out, here) == (2, "", False)
    assert err.startswith("queue-kiosk: ") and "'ZZ'" in err and len(err.splitlines()) == 1

    elsewhere = caller.home / "elsewhere"
    elsewhere.mkdir()
    code, out, _, here = caller.run("--json", "--db", str(caller.home / "hall.db"), "board",
                                    cwd=elsewhere)
    waiting = {line["field"]: line["waiting"] for line in json.loads(out)["waiting"]}
    assert code == 0 and not here and waiting["B"] == 2
    assert len(caller.helpers()) == 1  # one helper, whichever folder calls


def test_commands_that_start_a_screen_or_ask_never_go_to_the_helper() -> None:
    assert warm.command_of(["--db", "x.db", "--json", "issue", "B"]) == "issue"
    assert warm.command_of(["--site", "issue", "board"]) == "board"
    assert warm.command_of(["--json"]) is None
    for command in ("kiosk", "counter", "display", "serve", "demo", "staff", "init", "report"):
        assert command not in warm.ONE_SHOT


def test_without_the_setting_nothing_is_started(caller: Caller) -> None:
    caller.run("init")
    code, _, _, here = caller.run("--json", "issue", "B", QUEUE_KIOSK_WARM="0")
    assert code == 0 and here
    code, _, err, _ = caller.run("--json", "issue", "B", QUEUE_KIOSK_WARM="maybe")
    assert code == 2 and err.startswith("queue-kiosk: QUEUE_KIOSK_WARM: 'maybe' is not")
    assert not list(caller.folder.iterdir())


def test_the_helper_leaves_when_idle_and_a_second_one_at_once(caller: Caller) -> None:
    path = caller.folder / "h.sock"
    helper = [sys.executable, "-c", "import sys; from pathlib import Path; "
              "from queue_kiosk.cli.warm import serve_calls; serve_calls(Path(sys.argv[1]), 1.0)",
              str(path)]
    first = subprocess.Popen(helper)
    deadline = time.monotonic() + 30
    while not path.exists():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    second = subprocess.run(helper, timeout=30)  # the lock is taken: it leaves at once
    assert second.returncode == 0 and first.poll() is None
    assert first.wait(timeout=30) == 0
    assert not path.exists()


def test_the_socket_folder_must_be_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    monkeypatch.setenv("QUEUE_KIOSK_WARM_DIR", str(tmp_path))
    folder = tmp_path / f"queue-kiosk-{os.getuid()}"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    assert warm.socket_path() is None
    folder.chmod(0o700)
    assert warm.socket_path() is not None


def test_a_helper_that_cannot_serve_is_not_started_on_every_call(caller: Caller) -> None:
    caller.run("init")
    where = subprocess.run([sys.executable, "-c", "from queue_kiosk.cli import warm; "
                            "print(warm.socket_path())"], capture_output=True, text=True,
                           cwd=caller.home, env=caller.env, check=True).stdout.strip()
    Path(where).mkdir()  # a folder where its socket should go: the helper cannot bind
    lock = Path(where).with_suffix(".lock")
    assert caller.run("--json", "issue", "B")[0] == 0
    deadline = time.monotonic() + 30
    while not (lock.exists() and lock.read_text().strip()):
        assert time.monotonic() < deadline, "no helper tried"
        time.sleep(0.05)
    tried = lock.read_text()
    for _ in range(3):
        code, _, _, here = caller.run("--json", "issue", "B")
        assert code == 0 and here  # served here, as without the setting
    time.sleep(3)  # time enough for another helper to have written its process id
    assert lock.read_text() == tried


@pytest.mark.parametrize(("args", "lang"), [(["board"], "vi"), (["--lang", "en", "board"], "en"),
                                            (["board", "--json"], "vi")])
def test_a_worker_killed_mid_command_is_told_in_the_callers_terms(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        args: list[str], lang: str) -> None:
    """A helper whose worker dies after starting (kill -9): the caller says so in its own
    language, and as JSON with --json (it said it in English, as text, whatever was asked)."""
    import socket
    import threading

    monkeypatch.setenv("QUEUE_KIOSK_WARM", "1")
    monkeypatch.setenv("QUEUE_KIOSK_WARM_DIR", str(tmp_path))
    path = warm.socket_path()
    assert path is not None
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(os.fspath(path))
    listener.listen(1)

    def dying_worker() -> None:
        conn, _ = listener.accept()
        with conn:
            warm._receive(conn)
            conn.sendall(warm._SIZE.pack(os.getpid()))  # started, then gone: no status

    helper = threading.Thread(target=dying_worker)
    helper.start()
    handlers = {number: signal.getsignal(number)
                for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        assert warm.call(args) == 70
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
        helper.join(timeout=10)
        listener.close()
    err = capsys.readouterr().err
    if "--json" in args:
        said = json.loads(err)
        assert said["error"] == "warm.lost" and "QUEUE_KIOSK_WARM=0" in said["message"]
    else:
        assert err.startswith("queue-kiosk: ") and err.count("\n") == 1
        assert ("dừng giữa chừng" in err) == (lang == "vi")
