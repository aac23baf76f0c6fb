"""Provides text-mode tickets for printers without raster support, in code page CP1258.

CP1258 holds the Vietnamese letters with hats and hooks (â ă ê ô ơ ư đ) precomposed but the
five tones only as combining marks, so each letter is split into base + tone before encoding.
(TCVN-3 is not offered: python-escpos' table maps Ð, not Đ, and printers disagree on it.)
"""

from __future__ import annotations

import unicodedata

from queue_kiosk.domain.text import wrap
from queue_kiosk.printing.content import TicketContent
from queue_kiosk.wording import say, wait_words

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
PLAIN_PUNCTUATION = str.maketrans({"–": "-", "—": "-", "…": "...", "‘": "'", "’": "'",
                                   "“": '"', "”": '"', "′": "'", "·": "-"})
"""Punctuation many clone printers' CP1258 tables lack, as the ASCII every table has."""
ESC, GS = b"\x1b", b"\x1d"


def to_cp1258(text: str) -> bytes:
    out = []
    for char in unicodedata.normalize("NFC", text).translate(PLAIN_PUNCTUATION):
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        out.append(base + tones)
    return "".join(out).encode("cp1258", errors="replace")


def from_cp1258(data: bytes) -> str:
    """The inverse, for tests: what a CP1258 printer would show."""
    return unicodedata.normalize("NFC", data.decode("cp1258"))


def text_ticket(content: TicketContent, codepage: int, columns: int) -> bytes:
    """ESC/POS bytes of the ticket in the printer's own font (no QR: the caller adds it)."""
    lang = content.lang

    def line(text: str, *, bold: bool = False, big: bool = False) -> bytes:
        mode = (0x08 if bold else 0) | (0x30 if big else 0)
        return ESC + b"!" + bytes((mode,)) + wrapped(text, columns // 2 if big else columns)

    body = [ESC + b"@", ESC + b"t" + bytes((codepage,)), ESC + b"a\x01",
            line(content.centre, bold=True), line("-" * columns),
            line(say("ticket.title", lang), bold=True), line(content.number, big=True),
            line(say("ticket.field", lang, field=content.field), bold=True)]
    if content.procedure:
        body.append(line(content.procedure))
    if content.priority:
        body.append(line(say("ticket.priority", lang), bold=True))
    if content.appointment:
        body.append(line(say("ticket.appointment", lang, code=content.appointment), bold=True))
    if content.counters:
        body.append(line(say("ticket.go_to", lang)))
        body += [line(c, bold=True) for c in content.counters]
    if content.ahead is not None:
        body.append(line(say("ticket.ahead", lang, ahead=content.ahead)))
    if content.eta_minutes is not None:
        body.append(line(wait_words("ticket.eta", lang, content.eta_minutes)))
    body.append(line(say("ticket.issued", lang,
                                 time=content.issued_at.strftime("%H:%M – %d/%m/%Y"))))
    return b"".join(body)


def wrapped(text: str, columns: int) -> bytes:
    """Lines broken between words at the paper's width: the printer itself would cut a word
    in two. A letter with its tone is one column (the tone is a combining mark)."""
    plain = unicodedata.normalize("NFC", text).translate(PLAIN_PUNCTUATION)
    return b"".join(to_cp1258(part) + b"\n" for part in wrap(plain, len, columns))


def text_footer(content: TicketContent, columns: int) -> bytes:
    return ESC + b"!\x08" + b"".join(wrapped(line, columns) for line in content.footer) \
        + ESC + b"!\x00"
