"""Provides the notification hook's events: `[notify] command` runs a program of the
centre's own (an SMS or Zalo gateway it has) with one JSON event on its standard input, for
a booking made or cancelled, a booked citizen's turn coming near, and their call.

An operation never runs the hook: it writes the event as a notice in the store's outbox in
its own transaction (committed with the change it tells of, or not at all) and returns. A
deliverer (`service.deliver`, in `serve`, the display or `queue-kiosk notify`) sends the
notices. A hall without a command writes none.

Each event carries only what the hook needs: the site, the booking's code and what the
message says (its day and slot; the ticket's number and counter; how many are ahead), and
the phone number the citizen gave (or null), which the outbox drops once the notice is done.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, insert, select, update

from queue_kiosk.store.tables import booking_t, notice_t

if TYPE_CHECKING:
    from queue_kiosk.domain.views import TicketView
    from queue_kiosk.service.reading import QueueReader

PENDING, SENT, FAILED = "pending", "sent", "failed"
BOOKING_KEYS = ("code", "field", "date", "slot_start", "slot_end", "status")
"""What a "booked" or "cancelled" event says of the booking."""


def wanted(service: QueueReader) -> bool:
    return bool(service.catalog.hall.notify.command.strip())


def enqueue(conn: Connection, service: QueueReader, event: dict[str, Any],
            now: datetime, *, subject: str | None = None) -> None:
    """The notice of `event` (which names its booking's `code`, or else gives the
    `subject` its notices are delivered in order of), in the caller's transaction; nothing
    where the hall has no hook."""
    if not wanted(service):
        return
    payload = {"event": event["event"], "site": service.catalog.site_code, **event}
    conn.execute(insert(notice_t).values(
        site_id=service.site_id, event=event["event"], subject=subject or event["code"],
        payload=json.dumps(payload, ensure_ascii=False, default=_plain), status=PENDING,
        attempts=0, created_at=now))


def booking_event(event: str, booking: dict[str, Any], phone: str | None) -> dict[str, Any]:
    return {"event": event, **{key: booking[key] for key in BOOKING_KEYS}, "phone": phone}


def enqueue_called(conn: Connection, service: QueueReader, called: TicketView,
                   now: datetime) -> None:
    """The "called" notice of a booked citizen's ticket, in the call's own transaction."""
    if called.appointment and wanted(service):
        enqueue(conn, service, {
            "event": "called", "code": called.appointment, "number": called.number,
            "counter": called.counter, "phone": _phone(conn, service, called.appointment)},
            now)


def after_call(service: QueueReader, counter: str) -> None:
    """A "near" notice once for each booked citizen now among the next `[notify] near`
    this counter would call: the booking marked as told and its notice in one transaction,
    so that it is told once, whichever process calls first, and never not at all."""
    settings = service.catalog.hall.notify
    if not wanted(service):
        return
    for place, ticket in enumerate(service.waiting(counter)[:settings.near], start=1):
        if not ticket.appointment:
            continue
        with service.store.write() as conn:
            first = conn.execute(update(booking_t).where(
                booking_t.c.site_id == service.site_id, booking_t.c.code == ticket.appointment,
                booking_t.c.near_sent.is_(False)).values(near_sent=True)).rowcount == 1
            if first:
                enqueue(conn, service, {
                    "event": "near", "code": ticket.appointment, "number": ticket.number,
                    "ahead": place - 1, "counter": counter,
                    "phone": _phone(conn, service, ticket.appointment)},
                    service.clock.now())


def _phone(conn: Connection, service: QueueReader, code: str) -> str | None:
    return conn.execute(select(booking_t.c.phone).where(
        booking_t.c.site_id == service.site_id, booking_t.c.code == code)).scalar()


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)
