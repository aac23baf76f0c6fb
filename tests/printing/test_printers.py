"""Printing through python-escpos' real printer classes to a loopback "network printer"."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import ImageChops
from sqlalchemy import select

from queue_kiosk.config.devices import PrinterConfig
from queue_kiosk.config.printer_target import parse_printer_url
from queue_kiosk.domain.errors import ConfigError
from queue_kiosk.domain.views import TicketView
from queue_kiosk.printing.content import ticket_content
from queue_kiosk.printing.job import print_ticket
from queue_kiosk.printing.printers import PrintError, PrintOutcome, TicketPrinter
from queue_kiosk.printing.textmode import from_cp1258
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import event_t
from tests.printing.loopback import LoopbackPrinter, decode


def print_issued(service: QueueService, ticket: TicketView, printer: TicketPrinter,
                 lang: str = "vi") -> PrintOutcome:
    """Print as the kiosk does: the catalogue and the service's print record."""
    return print_ticket(service.catalog, service.record_print, ticket, printer, lang)


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    """Printing does not depend on the database kind: SQLite only here."""
    yield f"sqlite:///{tmp_path / 'print.db'}"


@pytest.fixture
def loopback() -> Iterator[LoopbackPrinter]:
    printer = LoopbackPrinter()
    yield printer
    printer.close()


def wait_for_job(printer: LoopbackPrinter) -> bytes:
    deadline = time.monotonic() + 5
    while not printer.jobs and time.monotonic() < deadline:
        time.sleep(0.02)
    assert printer.jobs, "the printer received nothing"
    return printer.jobs[-1]


def failures(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(event_t.c.detail).where(
            event_t.c.kind == "print_failed")).scalars())


def test_raster_ticket_arrives_intact_with_qr_and_cut(service: QueueService,
                                                      loopback: LoopbackPrinter) -> None:
    ticket = service.issue("B", priority="elderly")
    printer = TicketPrinter(PrinterConfig(), loopback.url)
    print_issued(service, ticket, printer)
    sent = decode(wait_for_job(loopback))
    expected = printer.render(ticket_content(service.catalog, ticket))
    assert len(sent.images) == 1 and sent.cut
    assert ImageChops.difference(sent.images[0].convert("L"),
                                 expected.image.convert("L")).getbbox() is None
    assert sent.qr_payloads == []  # drawn into the raster


def test_printer_drawn_qr_sends_the_payload(service: QueueService,
                                            loopback: LoopbackPrinter) -> None:
    ticket = service.issue("B")
    printer = TicketPrinter(PrinterConfig(qr="printer"), loopback.url)
    print_issued(service, ticket, printer)
    sent = decode(wait_for_job(loopback))
    assert sent.qr_payloads == [f"QK1:test:20261125:B001:{ticket.token}"]
    assert len(sent.images) == 2 and sent.cut


def test_58mm_profile_narrows_the_raster(service: QueueService,
                                         loopback: LoopbackPrinter) -> None:
    ticket = service.issue("B")
    print_issued(service, ticket, TicketPrinter(PrinterConfig(paper_mm=58, profile="NT-5890K"),
                                                loopback.url))
    assert decode(wait_for_job(loopback)).images[0].width == 384


def test_text_mode_sends_cp1258_with_split_tones(service: QueueService,
                                                 loopback: LoopbackPrinter) -> None:
    ticket = service.issue("A1")
    print_issued(service, ticket, TicketPrinter(PrinterConfig(mode="text", codepage=27),
                                                loopback.url))
    data = wait_for_job(loopback)
    assert b"\x1bt\x1b" in data  # ESC t 27: the configured code page slot
    sent = decode(data)
    text = from_cp1258(sent.text)
    for line in ("SỐ THỨ TỰ", "A001", "Lĩnh vực: Chứng thực", "Chứng thực chữ ký",
                 "Quầy số 1 - Tư pháp - Hộ tịch", "Phiếu chỉ có giá trị trong ngày",
                 "Cảm ơn Quý khách!", "Quầy giải quyết:"):
        assert line in text
    assert sent.qr_payloads and sent.cut


def test_text_mode_at_58mm_breaks_lines_between_words_in_plain_punctuation(
        service: QueueService, loopback: LoopbackPrinter) -> None:
    ticket = service.issue("A1")
    print_issued(service, ticket, TicketPrinter(
        PrinterConfig(mode="text", codepage=27, paper_mm=58), loopback.url))
    sent = decode(wait_for_job(loopback))
    assert "–".encode("cp1258") not in sent.text  # the en dash many clone tables lack
    lines = [line for line in from_cp1258(sent.text).split("\n") if line.strip()]
    assert all(len(line) <= 32 for line in lines), [ln for ln in lines if len(ln) > 32]
    words = set(from_cp1258(sent.text).split())
    # Every word arrives whole: none of the long lines was cut inside a word.
    for expected in ("Phiếu chỉ có giá trị trong ngày", "Số người chờ trước Quý khách:",
                     "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"):
        assert set(expected.split()) <= words


def test_a_closed_port_is_refused_and_the_ticket_stands(service: QueueService,
                                                        store: Store) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    ticket = service.issue("B")
    with pytest.raises(PrintError) as failed:
        print_issued(service, ticket, TicketPrinter(PrinterConfig(), f"tcp://127.0.0.1:{port}"))
    assert failed.value.reason == "refused"
    assert service.ticket("B001").status == "waiting"
    assert failures(store) == [f'{{"error": "máy in 127.0.0.1:{port} từ chối kết nối '
                                f'(máy in tắt hoặc sai cổng)"}}']
    assert service.board().printer_failed is not None


def test_a_printer_that_never_reads_times_out(service: QueueService) -> None:
    stalled = LoopbackPrinter("stall")
    try:
        ticket = service.issue("B")
        started = time.monotonic()
        with pytest.raises(PrintError) as failed:
            print_ticket(service.catalog, service.record_print, ticket,
                         TicketPrinter(PrinterConfig(timeout_seconds=1), stalled.url))
        assert time.monotonic() - started < 4
        assert failed.value.reason == "timeout"
        assert "did not respond within 1 s" in failed.value.message("en")
    finally:
        stalled.close()
    assert service.ticket("B001").status == "waiting"


def test_a_connection_reset_mid_job_is_named(service: QueueService) -> None:
    resetting = LoopbackPrinter("reset", reset_after=4096)
    try:
        ticket = service.issue("B")
        with pytest.raises(PrintError) as failed:
            print_ticket(service.catalog, service.record_print, ticket,
                         TicketPrinter(PrinterConfig(timeout_seconds=2), resetting.url))
        assert failed.value.reason in ("reset", "timeout")
    finally:
        resetting.close()


@pytest.mark.parametrize(("online", "paper", "reason"), [
    (0x12, 0x72, "paper_out"), (0x1A, 0x12, "offline")])
def test_status_query_reports_paper_out_and_offline(service: QueueService, online: int,
                                                    paper: int, reason: str) -> None:
    reporting = LoopbackPrinter(online_status=online, paper_status=paper)
    try:
        ticket = service.issue("B")
        with pytest.raises(PrintError) as failed:
            print_issued(service, ticket, TicketPrinter(PrinterConfig(check_status=True),
                                                        reporting.url))
        assert failed.value.reason == reason
    finally:
        reporting.close()


def test_a_silent_status_query_still_prints(service: QueueService,
                                            loopback: LoopbackPrinter) -> None:
    ticket = service.issue("B")
    print_issued(service, ticket, TicketPrinter(
        PrinterConfig(check_status=True, timeout_seconds=2), loopback.url))
    assert decode(wait_for_job(loopback)).cut


def test_file_printer_writes_the_job(service: QueueService, tmp_path: Path) -> None:
    ticket = service.issue("B")
    device = tmp_path / "lp0"
    device.touch()
    print_issued(service, ticket, TicketPrinter(PrinterConfig(), f"file://{device}"))
    sent = decode(device.read_bytes())
    assert len(sent.images) == 1 and sent.cut


def test_missing_device_file_is_not_found(service: QueueService, tmp_path: Path) -> None:
    ticket = service.issue("B")
    with pytest.raises(PrintError) as failed:
        print_issued(service, ticket, TicketPrinter(PrinterConfig(),
                                                    f"file://{tmp_path}/no/such/lp0"))
    assert failed.value.reason == "not_found"


def test_preview_printer_writes_a_png_and_keeps_reprints(service: QueueService,
                                                         tmp_path: Path) -> None:
    ticket = service.issue("B")
    printer = TicketPrinter(PrinterConfig(), f"preview://{tmp_path}/previews")
    first = print_issued(service, ticket, printer)
    again = print_issued(service, ticket, printer)
    assert first.preview is not None and first.preview.name == "20261125-B001.png"
    assert again.preview is not None and again.preview.name == "20261125-B001-2.png"


@pytest.mark.parametrize(("url", "scheme", "location"), [
    ("tcp://10.0.0.7", "tcp", "10.0.0.7"), ("usb://0416:5011", "usb", "0416:5011"),
    ("serial:///dev/ttyUSB0?baudrate=19200", "serial", "/dev/ttyUSB0"),
    ("file:///dev/usb/lp0", "file", "/dev/usb/lp0"), ("none", "none", ""),
])
def test_printer_urls_parse(url: str, scheme: str, location: str) -> None:
    target = parse_printer_url(url)
    assert (target.scheme, target.location) == (scheme, location)
    if scheme == "serial":
        assert target.baudrate == 19200


@pytest.mark.parametrize("url", ["lpt1", "usb://zz:11", "tcp://", "http://printer"])
def test_bad_printer_urls_are_one_line_errors(url: str) -> None:
    with pytest.raises(ConfigError, match="Invalid printer URL"):
        parse_printer_url(url)


def test_unknown_profile_is_named() -> None:
    with pytest.raises(ConfigError, match="No python-escpos printer profile 'XYZ-1'"):
        TicketPrinter(PrinterConfig(profile="XYZ-1"), "none")


def test_a_booked_citizens_ticket_says_so_on_paper(store: Store, clock: Any,
                                                   loopback: LoopbackPrinter) -> None:
    from datetime import datetime

    from queue_kiosk.service.appointments import Appointments
    from tests.conftest import VN, make_service
    from tests.store.test_appointments import booking_hall

    service = make_service(store, clock, booking_hall())
    code = Appointments(service).book("B", service.today(), "08:30").code
    clock.set(datetime(2026, 11, 25, 8, 20, tzinfo=VN))
    ticket = Appointments(service).checkin(code)
    print_issued(service, ticket, TicketPrinter(PrinterConfig(mode="text", codepage=27),
                                                loopback.url))
    text = from_cp1258(decode(wait_for_job(loopback)).text)
    assert f"LỊCH HẸN: {code}" in text and ticket.number in text
