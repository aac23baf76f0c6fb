"""Provides printer transports from a URL and sends rendered tickets through python-escpos.

Hazards handled here: python-escpos opens a device on first attribute access and its network
default timeout is 60 s; we open and close explicitly, with a timeout of a few seconds, and
every failure becomes a PrintError with a reason a citizen-facing screen can show.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from queue_kiosk.config.devices import PrinterConfig
from queue_kiosk.config.printer_target import Target, parse_printer_url
from queue_kiosk.domain.errors import ConfigError, QueueError, first_line
from queue_kiosk.printing.content import TicketContent
from queue_kiosk.printing.render import RenderedTicket, render_ticket, width_for
from queue_kiosk.printing.textmode import text_footer, text_ticket

SEND_BUFFER = 16 * 1024
"""A small send buffer, so a printer that accepts but never reads is noticed by the timeout
instead of the kernel silently buffering the whole ticket."""


class PrintError(QueueError):
    """The ticket stays issued and valid; the printer failed for `code`'s reason."""

    exit_code = 4

    @property
    def reason(self) -> str:
        return self.code.removeprefix("print.")


def _device(target: Target, config: PrinterConfig) -> Any:
    from escpos import printer

    profile = {"profile": config.profile} if config.profile else {}
    timeout = config.timeout_seconds
    if target.scheme == "tcp":
        return printer.Network(target.location, target.port, timeout=timeout, **profile)
    if target.scheme == "usb":
        vid, pid = (int(part, 16) for part in target.location.split(":"))
        return printer.Usb(vid, pid, timeout=int(timeout * 1000), **profile)
    if target.scheme == "serial":
        return printer.Serial(target.location, baudrate=target.baudrate, timeout=timeout,
                              **profile)
    return printer.File(target.location, **profile)


def profile_width(config: PrinterConfig) -> int:
    """The raster width: the paper's printable dots, narrowed by a known printer profile."""
    width = width_for(config.paper_mm)
    if not config.profile:
        return width
    from escpos.capabilities import CAPABILITIES

    known = CAPABILITIES["profiles"]
    if config.profile not in known:
        raise ConfigError("print.bad_profile", profile=config.profile)
    pixels = known[config.profile].get("media", {}).get("width", {}).get("pixels")
    return min(width, int(pixels)) if str(pixels).isdigit() else width


def classify(exc: BaseException, target: Target, timeout: float) -> PrintError:
    """Name the cause in words a citizen and the centre's IT person both understand."""
    cause = exc.__context__ if type(exc).__name__ == "DeviceNotFoundError" and \
        exc.__context__ is not None else exc
    where = {"target": target.label}
    if isinstance(cause, ConnectionRefusedError):
        return PrintError("print.refused", **where)
    if isinstance(cause, TimeoutError):
        return PrintError("print.timeout", seconds=f"{timeout:g}", **where)
    if isinstance(cause, ConnectionResetError | BrokenPipeError | ConnectionAbortedError):
        return PrintError("print.reset", **where)
    if isinstance(cause, socket.gaierror) or (isinstance(cause, OSError) and
                                              target.scheme == "tcp"):
        return PrintError("print.unreachable", detail=first_line(cause), **where)
    if type(exc).__name__ in ("DeviceNotFoundError", "USBNotFoundError") or isinstance(
            cause, FileNotFoundError | PermissionError):
        return PrintError("print.not_found", detail=first_line(cause), **where)
    return PrintError("print.failed", detail=first_line(cause), **where)


@dataclass(frozen=True)
class PrintOutcome:
    target: str
    preview: Path | None = None
    """The PNG written by a preview printer."""


class TicketPrinter:
    """Renders and sends tickets to one printer. Blocking: call it from a worker thread."""

    def __init__(self, config: PrinterConfig, url: str | None = None,
                 preview_dir: Path | None = None) -> None:
        self.config = config
        self.target = parse_printer_url(url if url is not None else config.url)
        if self.target.scheme == "preview" and not self.target.location:
            from queue_kiosk.config.paths import data_dir

            default = preview_dir or data_dir() / "tickets-preview"
            self.target = Target("preview", str(default))
        self.width = profile_width(config)

    def render(self, content: TicketContent) -> RenderedTicket:
        qr = "raster" if self.target.scheme == "preview" and self.config.qr == "printer" \
            else self.config.qr
        logo = Path(self.config.logo) if self.config.logo else None
        return render_ticket(content, self.width, qr=qr, logo=logo)

    def print(self, content: TicketContent) -> PrintOutcome:
        if self.target.scheme == "none":
            return PrintOutcome("none")
        if self.target.scheme == "preview":
            return PrintOutcome(self.target.label, self._preview(content))
        device = _device(self.target, self.config)
        _set_width(device, self.width)
        try:
            device.open()
            self._tune(device)
            if self.config.check_status:
                self._check_status(device)
            if self.config.mode == "text":
                self._send_text(device, content)
            else:
                self._send_raster(device, self.render(content))
            device.cut()
            self._check_not_reset(device)
        except QueueError:
            raise
        except Exception as exc:  # every transport raises its own kinds; classify names them
            raise classify(exc, self.target, self.config.timeout_seconds) from exc
        finally:
            _close_quietly(device)
        return PrintOutcome(self.target.label)

    def _tune(self, device: Any) -> None:
        sock = getattr(device, "_device", None)
        if isinstance(sock, socket.socket):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)

    def _check_not_reset(self, device: Any) -> None:
        """A reset that arrived while the last bytes sat in the send buffer would otherwise
        pass for a printed ticket; look without waiting."""
        sock = getattr(device, "_device", None)
        if isinstance(sock, socket.socket):
            timeout = sock.gettimeout()
            sock.setblocking(False)  # a timeout socket would poll for the whole timeout
            try:
                sock.recv(1, socket.MSG_PEEK)
            except BlockingIOError:
                pass  # nothing to read: the printer is quietly printing
            finally:
                sock.settimeout(timeout)

    def _check_status(self, device: Any) -> None:
        """DLE EOT: a printer that answers can say it is out of paper or offline; one that
        stays silent is given the benefit of the doubt."""
        sock = getattr(device, "_device", None)
        if isinstance(sock, socket.socket):
            sock.settimeout(min(1.0, self.config.timeout_seconds))
        try:
            online = device.query_status(b"\x10\x04\x01")
            paper = device.query_status(b"\x10\x04\x04")
        except TimeoutError:
            return
        finally:
            if isinstance(sock, socket.socket):
                sock.settimeout(self.config.timeout_seconds)
        if paper and paper[0] & 0x60 == 0x60:
            raise PrintError("print.paper_out", target=self.target.label)
        if online and online[0] & 0x08:
            raise PrintError("print.offline", target=self.target.label)

    def _send_raster(self, device: Any, rendered: RenderedTicket) -> None:
        for part in rendered.parts:
            if isinstance(part, Image.Image):
                device.image(part, impl="bitImageRaster", center=False)
            else:
                device.set(align="center")
                device.qr(part.payload, size=min(16, max(3, part.module_dots)), native=True)

    def _send_text(self, device: Any, content: TicketContent) -> None:
        columns = 48 if self.config.paper_mm >= 80 else 32
        device._raw(text_ticket(content, self.config.codepage, columns))
        if self.config.qr != "none":
            device.qr(content.qr_payload, size=6, native=True)
        device._raw(text_footer(content, columns))

    def _preview(self, content: TicketContent) -> Path:
        folder = Path(self.target.location)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{content.issued_at:%Y%m%d}-{content.number}.png"
            copy = 2
            while path.exists():  # a reprint keeps the first preview
                path = folder / f"{content.issued_at:%Y%m%d}-{content.number}-{copy}.png"
                copy += 1
            self.render(content).image.save(path)
        except OSError as exc:
            raise PrintError("print.failed", target=self.target.label,
                             detail=first_line(exc)) from exc
        return path


def _set_width(device: Any, width: int) -> None:
    """Tell python-escpos the paper width (it prints a warning to stdout without one, which
    would corrupt JSON output). A copy: profile data is shared between instances."""
    data = dict(device.profile.profile_data)
    data["media"] = {**data.get("media", {}), "width": {"mm": "?", "pixels": width}}
    device.profile.profile_data = data


def _close_quietly(device: Any) -> None:
    # A device that never opened has nothing to close; closing must not hide the real error.
    try:
        if getattr(device, "_device", False):
            device.close()
    except OSError:
        pass
