"""A loopback TCP "network printer" that captures what it is sent, and an ESC/POS decoder."""

from __future__ import annotations

import socket
import struct
import threading
from dataclasses import dataclass, field

from PIL import Image


class LoopbackPrinter:
    """Listens on 127.0.0.1. Modes: `ok` reads every job; `stall` accepts and never reads;
    `reset` reads a little then resets the connection. Answers DLE EOT status queries with
    `online_status` / `paper_status` bytes when given."""

    def __init__(self, mode: str = "ok", *, online_status: int | None = None,
                 paper_status: int | None = None, reset_after: int = 2048) -> None:
        self.mode = mode
        self.online_status = online_status
        self.paper_status = paper_status
        self.reset_after = reset_after
        self.jobs: list[bytes] = []
        self._done = threading.Event()
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if mode in ("stall", "reset"):
            # A tiny receive window, so the sender really blocks (stall) or is still sending
            # when the reset comes (reset), instead of the kernel buffering the whole job.
            self._server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(4)
        self._server.settimeout(0.2)
        self.port = self._server.getsockname()[1]
        self.url = f"tcp://127.0.0.1:{self.port}"
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._done.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            if self.mode == "stall":
                self._held.append(conn)
                continue
            self._handle(conn)

    def _handle(self, conn: socket.socket) -> None:
        data = bytearray()
        conn.settimeout(10)
        with conn:
            while True:
                try:
                    chunk = conn.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                data += chunk
                self._answer_status(conn, chunk)
                if self.mode == "reset" and len(data) >= self.reset_after:
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                    struct.pack("ii", 1, 0))
                    break
        self.jobs.append(bytes(data))

    def _answer_status(self, conn: socket.socket, chunk: bytes) -> None:
        if b"\x10\x04\x01" in chunk and self.online_status is not None:
            conn.sendall(bytes((self.online_status,)))
        if b"\x10\x04\x04" in chunk and self.paper_status is not None:
            conn.sendall(bytes((self.paper_status,)))

    def close(self) -> None:
        self._done.set()
        self._thread.join(timeout=5)
        for conn in self._held:
            conn.close()
        self._server.close()


@dataclass
class Decoded:
    images: list[Image.Image] = field(default_factory=list)
    """Each run of GS v 0 raster blocks stitched into one image (black = 0, as rendered)."""
    qr_payloads: list[str] = field(default_factory=list)
    cut: bool = False
    text: bytes = b""
    """Bytes outside any recognised command: text-mode content."""


COMMAND_LENGTHS = {
    b"\x1b@": 2, b"\x1b2": 2,  # initialise; default line spacing
    b"\x1bt": 3, b"\x1ba": 3, b"\x1b!": 3, b"\x1bE": 3, b"\x1b-": 3, b"\x1bM": 3,
    b"\x1bG": 3, b"\x1b{": 3, b"\x1b3": 3, b"\x1bd": 3, b"\x1d!": 3, b"\x1dB": 3,
    b"\x1db": 3, b"\x10\x04": 3,
}
"""Byte lengths of the fixed-size commands python-escpos and our text mode emit."""


def decode(data: bytes) -> Decoded:
    """Walk an ESC/POS byte stream and rebuild what the printer would put on paper."""
    out = Decoded()
    strips: list[Image.Image] = []
    text = bytearray()
    i = 0

    def flush() -> None:
        if strips:
            width = strips[0].width
            image = Image.new("1", (width, sum(s.height for s in strips)), 1)
            y = 0
            for strip in strips:
                image.paste(strip, (0, y))
                y += strip.height
            out.images.append(image)
            strips.clear()

    while i < len(data):
        if data.startswith(b"\x1dv0", i):
            width_bytes = data[i + 4] | data[i + 5] << 8
            height = data[i + 6] | data[i + 7] << 8
            size = width_bytes * height
            raw = data[i + 8:i + 8 + size]
            # The printer's 1 bits are ink; PIL's "1" mode uses 0 for black.
            strip = Image.frombytes("1", (width_bytes * 8, height), bytes(b ^ 0xFF for b in raw))
            strips.append(strip)
            i += 8 + size
            continue
        flush()
        if data.startswith(b"\x1d(k", i):
            length = data[i + 3] | data[i + 4] << 8
            body = data[i + 5:i + 5 + length]
            if body[:2] == b"\x31\x50":  # store QR data: cn=49, fn=80, m=48
                out.qr_payloads.append(body[3:].decode("utf-8"))
            i += 5 + length
            continue
        if data.startswith(b"\x1dV", i):
            out.cut = True
            i += 4 if data[i + 2] in (65, 66) else 3  # GS V A n / GS V m
            continue
        command = COMMAND_LENGTHS.get(data[i:i + 2])
        if command is not None:
            i += command
            continue
        if data[i] in (0x1B, 0x1D, 0x10):
            raise ValueError(f"unknown ESC/POS command {data[i:i + 3]!r} at byte {i}")
        text.append(data[i])
        i += 1
    flush()
    out.text = bytes(text)
    return out
