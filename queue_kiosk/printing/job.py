"""Provides printing an issued ticket and recording the outcome in the event log."""

from __future__ import annotations

import logging
import unicodedata
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from queue_kiosk.config.hall import HallConfig
from queue_kiosk.domain.errors import StoreError
from queue_kiosk.domain.views import TicketView
from queue_kiosk.printing.content import TicketContent, centre_lines, ticket_content
from queue_kiosk.printing.printers import PrintError, PrintOutcome, TicketPrinter
from queue_kiosk.service.catalog import Catalog
from queue_kiosk.wording import say

log = logging.getLogger(__name__)

TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
VOWELS = "aăâeêioôơuưy"
CONSONANTS = "bcdđghklmnpqrstvx"


def vietnamese_letters() -> list[str]:
    """Every letter of the Vietnamese alphabet with every tone, lower and upper case (NFC)."""
    lower = [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES]
    lower += list(CONSONANTS)
    return lower + [c.upper() for c in lower]


class PrintRecorder(Protocol):
    """Where a print's outcome is recorded (`QueueService.record_print`)."""

    def __call__(self, ticket_id: int, *, ok: bool, detail: str = "") -> None: ...


def printer_for(cat: Catalog, url: str | None = None) -> TicketPrinter:
    """The printer named on the command line or in QUEUE_KIOSK_PRINTER, else the hall's."""
    return TicketPrinter(cat.hall.printer, url or None)


def print_ticket(cat: Catalog, record: PrintRecorder, ticket: TicketView, printer: TicketPrinter,
                 lang: str = "vi") -> PrintOutcome:
    """Print an issued (already committed) ticket. A failure never touches the ticket: it is
    recorded as an event, so the board and admins see it, and re-raised for the caller."""
    content = ticket_content(cat, ticket, lang)
    try:
        outcome = printer.print(content)
    except PrintError as exc:
        _record(record, ticket.id, ok=False, detail=exc.message("vi"))
        raise
    if outcome.target != "none":
        _record(record, ticket.id, ok=True)
    return outcome


def _record(record: PrintRecorder, ticket_id: int, *, ok: bool, detail: str = "") -> None:
    try:
        record(ticket_id, ok=ok, detail=detail)
    except StoreError as exc:
        # The print result matters more to the citizen than its audit line.
        log.warning("could not record the print result of ticket %s: %s", ticket_id, exc)


def sample_content(hall: HallConfig, lang: str, now: datetime) -> TicketContent:
    """A sample ticket carrying the whole alphabet, to check a printer renders Vietnamese (of a
    hall not loaded yet too: set-up prints it before it saves)."""
    letters = vietnamese_letters()
    half = len(letters) // 2
    return TicketContent(
        centre=centre_lines(hall.site.label(lang)), address=hall.site.address, number="A000",
        field=say("ticket.test", lang), procedure=" ".join(letters[:half]) + "\n" +
        " ".join(letters[half:]), priority=None, counters=[], ahead=None, eta_minutes=None,
        issued_at=now.astimezone(ZoneInfo(hall.site.timezone)), qr_payload="queue-kiosk test",
        qr_is_url=False, footer=hall.site.footer, lang=lang)
