"""Provides what goes on a ticket: an issued ticket's view and the site's catalogue, in the
citizen's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from queue_kiosk.domain.numbering import QR_CODE_PREFIX
from queue_kiosk.domain.views import TicketView
from queue_kiosk.service.catalog import Catalog
from queue_kiosk.wording import say


@dataclass(frozen=True, slots=True)
class TicketContent:
    centre: str
    address: str
    number: str
    field: str
    procedure: str | None
    priority: str | None
    counters: list[str]
    """"Quầy số 1 – Tư pháp - Hộ tịch", one line per counter that serves the field."""
    ahead: int | None
    eta_minutes: int | None
    issued_at: datetime
    """Local time of the centre."""
    qr_payload: str
    qr_is_url: bool
    footer: list[str]
    lang: str = "vi"
    appointment: str | None = None
    """The booking code a booked citizen checked in with."""


def qr_payload(site: str, ticket: TicketView, public_url: str) -> tuple[str, bool]:
    """The status page URL when the centre publishes one; otherwise a compact code a counter's
    barcode scanner can type in: QK1:site:YYYYMMDD:number:token."""
    if public_url:
        return f"{public_url}/t/{ticket.token}", True
    return (f"{QR_CODE_PREFIX}:{site}:{ticket.day.strftime('%Y%m%d')}:{ticket.number}:"
            f"{ticket.token}", False)


LOCAL_UNITS = ("XÃ", "PHƯỜNG", "ĐẶC KHU", "THỊ TRẤN")
"""Where a centre's name turns from its kind to its commune (after the 2025 merger: xã,
phường, đặc khu)."""


def centre_lines(name: str) -> str:
    """The centre's name in capitals, its kind and its commune on lines of their own
    ("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" / "XÃ MẪU"), so no line breaks inside either."""
    upper = name.upper()
    for unit in LOCAL_UNITS:
        kind, found, place = upper.partition(f" {unit} ")
        if found and kind:
            return f"{kind}\n{unit} {place}"
    return upper


def ticket_content(cat: Catalog, ticket: TicketView, lang: str = "vi") -> TicketContent:
    hall = cat.hall
    en = lang == "en"
    counters = []
    for code in ticket.counters:
        info = cat.counter(code)
        name = info.label(lang)
        counters.append(say("ticket.counter", lang, code=info.code, name=name))
    priority = None
    if ticket.priority is not None:
        priority = cat.priority_label(ticket.priority, lang)
    procedure = None
    if ticket.procedure is not None:
        proc = [p for p in cat.procedures.values() if p.code == ticket.procedure]
        procedure = (proc[0].label(lang)) if proc \
            else ticket.procedure_name
    payload, is_url = qr_payload(cat.site_code, ticket, hall.site.public_url)
    return TicketContent(
        centre=centre_lines(hall.site.label(lang)),
        address=hall.site.address,
        number=ticket.number,
        field=ticket.field_label(lang),
        procedure=procedure,
        priority=priority,
        appointment=ticket.appointment,
        counters=counters,
        ahead=ticket.ahead,
        eta_minutes=ticket.eta_minutes,
        issued_at=ticket.issued_at.astimezone(cat.tz),
        qr_payload=payload,
        qr_is_url=is_url,
        # The hall's own lines are Vietnamese; an English ticket gets the same two ideas.
        footer=hall.site.footer if not en else [say("ticket.valid_today", lang),
                                                 say("ticket.thanks", lang)],
        lang=lang,
    )
