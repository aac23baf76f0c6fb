"""`queue-kiosk serve` in its own process for tests, and what its screens send a browser."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

NOW = "2026-11-25T08:00:00+07:00"
"""A Wednesday morning: inside the bundled hall's opening hours."""
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>]")


@contextmanager
def served_hall(folder: Path, *options: str) -> Iterator[tuple[str, dict[str, str]]]:
    """The bundled hall in a fresh database under `folder`, served by this checkout."""
    env = {**os.environ, "QUEUE_KIOSK_DB": f"sqlite:///{folder / 'served.db'}",
           "QUEUE_KIOSK_NOW": NOW, "HOME": str(folder)}
    command = [sys.executable, "-m", "queue_kiosk"]
    subprocess.run([*command, "init"], env=env, check=True, capture_output=True)
    with serving(command, env, *options) as base:
        yield base, env


@contextmanager
def serving(command: list[str], env: dict[str, str], *options: str,
            cwd: str | None = None) -> Iterator[str]:
    """Runs `command serve` on a free port (plus `options`) until the block ends; yields its
    base URL once /health answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([*command, "serve", "--port", str(port), *options], env=env,
                              cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                urllib.request.urlopen(f"{base}/health", timeout=1)
                break
            except OSError:
                assert server.poll() is None, f"serve exited with {server.returncode}"
                assert time.monotonic() < deadline, "serve did not answer /health in 30 s"
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def served_processes(home: Path | None = None) -> dict[int, list[str]]:
    """Running processes by pid, with their arguments; with `home`, only those started
    under a served_hall in that folder (they carry its HOME), not another test's at once."""
    found = {}
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
            environ = (cmdline.parent / "environ").read_bytes().split(b"\0") if home else []
        except OSError:
            continue
        if home is None or f"HOME={home}".encode() in environ:
            found[int(cmdline.parent.name)] = [a.decode(errors="replace") for a in args]
    return found


async def screen_text(ws: Any, wanted: str, seconds: float = 30) -> str:
    """What a served screen sends a browser's terminal over the open websocket `ws`, escape
    codes removed, read until `wanted` shows (or `seconds` pass, or it closes)."""
    import aiohttp

    received = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            message = await ws.receive(timeout=0.5)
        except TimeoutError:
            continue
        if message.type == aiohttp.WSMsgType.BINARY:
            received += message.data
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            break
        text = ESCAPES.sub("", received.decode("utf-8", errors="replace"))
        if wanted in text:
            return text
    return ESCAPES.sub("", received.decode("utf-8", errors="replace"))
