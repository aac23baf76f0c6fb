"""Provides the centres (sites) a database holds: listed, removed, and the untouched bundled
one replaced when a centre loads its own hall, so that set-up never leaves two sites."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, func, select

from queue_kiosk.config.hall import default_hall_path, load_hall
from queue_kiosk.domain.errors import NotFound, Refused
from queue_kiosk.store.backup import take_backup
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import (
    booking_slot_t,
    booking_t,
    counter_field_t,
    counter_sign_in_t,
    counter_t,
    event_t,
    field_t,
    guard_t,
    heartbeat_t,
    procedure_t,
    rating_t,
    series_t,
    ship_map_t,
    ship_site_t,
    site_t,
    staff_counter_t,
    staff_t,
    ticket_t,
)


@dataclass(frozen=True)
class SiteView:
    code: str
    name: str
    tickets: int
    staff: int
    bookings: int

    @property
    def untouched(self) -> bool:
        """Nothing a centre made: no ticket, no booking, no staff account."""
        return not (self.tickets or self.staff or self.bookings)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "tickets": self.tickets,
                "staff": self.staff, "bookings": self.bookings}


@dataclass(frozen=True)
class RemovedSite:
    code: str
    tickets: int
    backup: Path | None

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "tickets": self.tickets,
                "backup": str(self.backup) if self.backup else None}


def _count(conn: Connection, table: Any, site_id: int) -> int:
    return int(conn.execute(select(func.count()).select_from(table)
                            .where(table.c.site_id == site_id)).scalar_one())


def list_sites(store: Store) -> list[SiteView]:
    with store.read() as conn:
        return [SiteView(row.code, row.name, _count(conn, ticket_t, row.id),
                         _count(conn, staff_t, row.id), _count(conn, booking_t, row.id))
                for row in conn.execute(select(site_t.c.id, site_t.c.code, site_t.c.name)
                                        .order_by(site_t.c.code))]


def remove_site(store: Store, code: str, *, force: bool, backup_folder: Path,
                now: datetime) -> RemovedSite:
    """Delete a site and everything of it. One with tickets needs `force`, and then a backup
    is taken first: a removal is the one thing here that loses data."""
    sites = {s.code: s for s in list_sites(store)}
    site = sites.get(code)
    if site is None:
        raise NotFound("site.unknown", code=code, sites=", ".join(sites) or "—")
    if site.tickets and not force:
        raise Refused("sites.has_tickets", site=code, tickets=site.tickets)
    backup = take_backup(store, backup_folder, now, label=f"before-remove-{code}") \
        if site.tickets else None
    with store.write() as conn:
        _delete_site(conn, code)
    return RemovedSite(code, site.tickets, backup)


def _delete_site(conn: Connection, code: str) -> None:
    site_id = conn.execute(select(site_t.c.id).where(site_t.c.code == code)).scalar_one()
    staff = select(staff_t.c.id).where(staff_t.c.site_id == site_id)
    counters = select(counter_t.c.id).where(counter_t.c.site_id == site_id)
    # Children before parents: SQLite enforces the foreign keys.
    for table in (rating_t, event_t, booking_t, booking_slot_t, ticket_t, series_t, guard_t,
                  heartbeat_t, counter_sign_in_t):
        conn.execute(delete(table).where(table.c.site_id == site_id))
    conn.execute(delete(staff_counter_t).where(staff_counter_t.c.staff_id.in_(staff)))
    conn.execute(delete(counter_field_t).where(counter_field_t.c.counter_id.in_(counters)))
    for table in (staff_t, counter_t, procedure_t, field_t):
        conn.execute(delete(table).where(table.c.site_id == site_id))
    conn.execute(delete(site_t).where(site_t.c.id == site_id))
    # A province forgets a local-first commune with its rows: a new start ships it whole.
    for table in (ship_map_t, ship_site_t):
        conn.execute(delete(table).where(table.c.code == code))


def replace_bundled(store: Store, kept: str) -> str | None:
    """Once a centre has loaded its own hall (`kept`), the bundled example site that `init`
    created goes, if it is the only other one and nobody used it; returns its code then."""
    bundled = load_hall(default_hall_path()).site.code
    sites = {s.code: s for s in list_sites(store)}
    if kept == bundled or set(sites) != {kept, bundled}:
        return None
    with store.write() as conn:
        site_id = conn.execute(select(site_t.c.id).where(site_t.c.code == bundled)).scalar_one()
        if any(_count(conn, table, site_id) for table in (ticket_t, staff_t, booking_t)):
            return None  # counted again inside the write: a first ticket may just have come
        _delete_site(conn, bundled)
    return bundled
