"""A counting proxy in front of PostgreSQL: how many round trips an operation makes.

Each client message that waits for the server's answer (a simple Query, or the Sync that ends
an extended-protocol exchange) is one round trip; the proxy counts them as it passes the bytes
on unchanged."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager

SSL_REQUEST = 80877103
GSS_REQUEST = 80877104
ROUND_TRIP_MESSAGES = (b"Q", b"S")


class WireCounter:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.lock = threading.Lock()
        self.round_trips = 0
        self.connections = 0
        self.open = 0
        self.peak = 0
        """Connections open now, and the most open at once since the last `reset_peak`."""
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self) -> int:
        with self.lock:
            trips, self.round_trips = self.round_trips, 0
        return trips

    def reset_peak(self) -> None:
        with self.lock:
            self.peak = self.open

    def close(self) -> None:
        self.closed = True
        self.listener.close()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            with self.lock:
                self.connections += 1
                self.open += 1
                self.peak = max(self.peak, self.open)
            threading.Thread(target=self._client_to_server, args=(client, server),
                             daemon=True).start()
            threading.Thread(target=_pump, args=(server, client), daemon=True).start()

    def _client_to_server(self, client: socket.socket, server: socket.socket) -> None:
        try:
            startup = True
            buffer = b""
            while True:
                data = client.recv(65536)
                if not data:
                    break
                server.sendall(data)
                buffer += data
                while True:
                    if startup:  # untyped: length, then a code
                        if len(buffer) < 8:
                            break
                        length, code = struct.unpack("!ii", buffer[:8])
                        if len(buffer) < length:
                            break
                        buffer = buffer[length:]
                        startup = code in (SSL_REQUEST, GSS_REQUEST)  # the real one follows
                        continue
                    if len(buffer) < 5:
                        break
                    kind, length = buffer[:1], struct.unpack("!i", buffer[1:5])[0]
                    if len(buffer) < 1 + length:
                        break
                    buffer = buffer[1 + length:]
                    if kind in ROUND_TRIP_MESSAGES:
                        with self.lock:
                            self.round_trips += 1
        except OSError:
            pass
        finally:
            _close(client, server)
            with self.lock:
                self.open -= 1


def _pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    finally:
        _close(source, target)


def _close(*sockets: socket.socket) -> None:
    for sock in sockets:
        try:
            sock.close()
        except OSError:
            pass


@contextmanager
def counting(host: str = "127.0.0.1", port: int = 5432) -> Iterator[WireCounter]:
    counter = WireCounter((host, port))
    try:
        yield counter
    finally:
        counter.close()
