"""Provides where a printer is: its URL (usb, tcp, serial, file, preview or none) parsed and
checked. Apart from the printing itself, so that checking a hall file's printer costs no
imaging library."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

from queue_kiosk.domain.errors import ConfigError

DEFAULT_TCP_PORT = 9100


@dataclass(frozen=True)
class Target:
    scheme: str
    """usb, tcp, serial, file, preview or none."""
    location: str
    port: int = DEFAULT_TCP_PORT
    baudrate: int = 9600

    @property
    def label(self) -> str:
        return {"tcp": f"{self.location}:{self.port}", "none": "none"}.get(
            self.scheme, f"{self.scheme}:{self.location}")


def parse_printer_url(url: str) -> Target:
    url = url.strip()
    if url in ("", "none"):
        return Target("none" if url else "preview", "")
    try:
        parsed = urlparse(url)  # "tcp://[::1" is a ValueError here already
        if parsed.scheme == "tcp" and parsed.hostname:
            return Target("tcp", parsed.hostname, parsed.port or DEFAULT_TCP_PORT)
        if parsed.scheme == "usb" and len(url[6:].split(":")) == 2:
            vid, pid = url[6:].split(":")
            int(vid, 16), int(pid, 16)
            return Target("usb", f"{vid.lower()}:{pid.lower()}")
        if parsed.scheme == "serial" and parsed.path:
            rate = int(parse_qs(parsed.query).get("baudrate", ["9600"])[0])
            return Target("serial", parsed.path, baudrate=rate)
        if parsed.scheme in ("file", "preview") and (parsed.path or parsed.netloc):
            return Target(parsed.scheme, parsed.netloc + parsed.path)
    except ValueError:
        pass
    raise ConfigError("print.bad_url", url=url)
