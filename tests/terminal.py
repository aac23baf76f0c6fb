"""A real terminal for tests: tmux on a private socket, typed into and read like a person would."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


class Terminal:
    """One tmux window running one command; `wait_for` polls what the screen shows."""

    def __init__(self, socket: str, name: str) -> None:
        self.socket, self.name = socket, name

    def _tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True, check=False).stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name)

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", self.name, *keys)

    def wait_for(self, text: str, seconds: float = 30) -> str:
        deadline = time.monotonic() + seconds
        while True:
            shown = self.screen()
            if text in shown:
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} did not appear within {seconds} s; the screen:"
                                     f"\n{shown}")
            time.sleep(0.2)


@contextmanager
def terminal(command: list[str], env: dict[str, str], cwd: str,
             size: tuple[int, int] = (120, 34)) -> Iterator[Terminal]:
    """Run `command` in a fresh tmux server; after it ends its exit code shows as `exit=N`
    (the shell then waits, so the last screen can still be read)."""
    if shutil.which("tmux") is None:
        reason = "tmux is not installed (apt-get install tmux)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI installs it from .ci/apt-packages")
        pytest.skip(reason)
    socket = f"qk-test-{uuid.uuid4().hex[:8]}"
    exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
    script = f"cd {shlex.quote(cwd)} && env -i {exports} {shlex.join(command)}; " \
             "echo exit=$?; sleep 120"
    subprocess.run(["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "t",
                    "-x", str(size[0]), "-y", str(size[1]), script], check=True)
    try:
        yield Terminal(socket, "t")
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, check=False)
