"""Provides the province's side of local-first communes (see docs/province.md): a token per
commune, the ingest that applies a commune's change log exactly once and in order, and how
long ago each commune was heard from (what the province overview shows).

- A commune's rows keep their own ids at home; here every shipped row gets the province's id
  (`ship_map` keeps local → province per commune and table), its references are mapped the
  same way, so the province's reports, comparisons and alerts read the shipped rows in the
  ordinary tables with no change. A row the province had already (a booking made here, a
  centre moved from the province's database to local first) is found by its natural key
  (a site's code, a code within a site, a ticket's token, a booking's code) and taken over.
- Exactly once: the commune says which seq it believes we applied last (`after`); entries up
  to our own `applied` are skipped (a resend after a lost answer), the rest applied in seq
  order, and `applied` moves in the same transaction. A commune ahead of us (the province
  restored from an older backup) is told where we are and sends again from there.
- Bookings have one owner per fact. The province owns their making and a slot's room (the
  booking pages are served here; `booking_slot` is never shipped): each answer to a commune
  carries its bookings still to come that it does not have yet, so it can check them in
  offline. The commune owns what happens to a booking after that (check-in, missed, a desk
  cancellation): its images come back up like any row, and a cancellation gives the room
  back here, once, by the same guarded change as a cancel at the desk.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Connection,
    Table,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    select,
    text,
    update,
)

from queue_kiosk.domain.errors import NotFound, Refused
from queue_kiosk.service.appointments import give_back_room
from queue_kiosk.store.shiplog import SHIPPED, decode
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import (
    booking_t,
    ship_map_t,
    ship_site_t,
    site_t,
)
from queue_kiosk.wording import say

SILENT_AFTER = timedelta(minutes=2)
"""A commune not heard from for this long is shown as cut off."""
TABLES: dict[str, Table] = {table.name: table for table in SHIPPED}
NATURAL: dict[str, tuple[str, ...]] = {
    "site": ("code",), "field": ("site_id", "code"), "procedure": ("site_id", "code"),
    "counter": ("site_id", "code"), "staff": ("site_id", "code"), "ticket": ("token",),
    "booking": ("code",), "rating": ("ticket_id",),
}
"""How a row the province holds already is recognised (`ticket_event` has no such key)."""


BOOKINGS_DOWN = 200
"""Bookings sent down per answer; the next answer carries the next ones."""


@dataclass(frozen=True, slots=True)
class Ingested:
    applied: int
    """The last seq applied here."""
    accepted: bool
    """False: the commune is ahead of us; it sends again from `applied`."""
    bookings: list[dict[str, Any]]
    """Bookings made here that the commune does not have yet, in its own ids (JSON)."""


@dataclass(frozen=True, slots=True)
class SiteLink:
    """One shipping commune as the province overview shows it."""

    code: str
    heard_at: datetime | None
    """The last time its shipper reached the province (None: never)."""
    applied_at: datetime | None
    """The last time a change of it was applied."""
    applied: int
    live: bool
    """Heard from within `SILENT_AFTER`."""
    zone: str
    """The centre's time zone (for the time it went silent); empty before its first ship."""

    def word(self, lang: str = "vi") -> str:
        """"trực tuyến", or "mất kết nối từ 09:12" (the last time heard, the centre's
        time), or "chưa kết nối" for a commune never heard from."""
        if self.heard_at is None:
            return say("ship.never", lang)
        if self.live:
            return say("ship.live", lang)
        at = self.heard_at.astimezone(ZoneInfo(self.zone)) if self.zone else self.heard_at
        return say("ship.silent", lang, time=f"{at:%H:%M}")

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "live": self.live, "applied": self.applied,
                "heard_at": self.heard_at.isoformat() if self.heard_at else None,
                "applied_at": self.applied_at.isoformat() if self.applied_at else None}


def _by_id(table: Table) -> bool:
    return [c.name for c in table.primary_key.columns] == ["id"]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(store: Store, code: str) -> str:
    """A new token for the commune `code` (its previous one stops working); only its hash
    is kept, so it is shown once."""
    token = secrets.token_urlsafe(32)
    with store.write() as conn:
        conn.execute(store.insert(ship_site_t).values(code=code, token_hash=_hash(token),
                                                      applied=0)
                     .on_conflict_do_update(index_elements=["code"],
                                            set_={"token_hash": _hash(token)}))
    return token


def link_states(store: Store, now: datetime, *,
                silent_after: timedelta = SILENT_AFTER) -> list[SiteLink]:
    """Every shipping commune, by code, with how long ago it was heard from: what the
    province overview calls to mark one "mất kết nối từ 09:12"."""
    with store.read() as conn:
        rows = conn.execute(select(ship_site_t, site_t.c.timezone)
                            .outerjoin(site_t, site_t.c.code == ship_site_t.c.code)
                            .order_by(ship_site_t.c.code)).all()
    return [SiteLink(r.code, r.heard_at, r.applied_at, r.applied,
                     r.heard_at is not None and now - r.heard_at < silent_after,
                     r.timezone or "") for r in rows]


def link_state(store: Store, code: str, now: datetime) -> SiteLink | None:
    """One commune's link (None: the site does not ship, it is on the province's database)."""
    return next((link for link in link_states(store, now) if link.code == code), None)


def ingest(store: Store, code: str, token: str, after: int,
           changes: list[tuple[int, str, str, str]], now: datetime,
           queue_now: datetime | None = None) -> Ingested:
    """Applies a batch of commune `code`'s log (seq, table, op, row JSON) that follows
    `after`; a batch with no changes only says the commune is alive. `now` is real time
    (when it was heard from); `queue_now` the queue's clock, which says which bookings are
    still to come (default: `now`)."""
    with store.write() as conn:
        row = conn.execute(select(ship_site_t).where(ship_site_t.c.code == code)
                           .with_for_update()).first()
        if row is None or not hmac.compare_digest(row.token_hash, _hash(token)):
            raise Refused("ship.bad_token", site=code)
        applied = int(row.applied)
        values: dict[str, Any] = {"heard_at": now}
        if after > applied:
            conn.execute(update(ship_site_t).where(ship_site_t.c.code == code).values(values))
            return Ingested(applied, False, [])
        todo = [change for change in changes if change[0] > applied]
        if todo:
            applier = _Applier(conn, store, code)
            applier.run([(tbl, op, image) for _, tbl, op, image in todo])
            applied = todo[-1][0]
            values.update(applied=applied, applied_at=now)
            for site_id in applier.sites:
                store.notify(conn, site_id)  # the province's live views of the commune
        conn.execute(update(ship_site_t).where(ship_site_t.c.code == code).values(values))
        bookings = _bookings_down(conn, store, code, queue_now or now)
    return Ingested(applied, True, bookings)


def _bookings_down(conn: Connection, store: Store, code: str,
                   now: datetime) -> list[dict[str, Any]]:
    """The commune's bookings still to come that it has not sent back up yet (so it does
    not have them, or has them but we do not know it yet: it takes each once)."""
    site_id = conn.execute(select(site_t.c.id).where(site_t.c.code == code)).scalar()
    if site_id is None:
        return []  # its site has not arrived yet: nothing of it can be booked
    field, procedure, known = (ship_map_t.alias(n) for n in ("field", "procedure", "known"))
    b = booking_t.c
    rows = conn.execute(
        select(b.id, b.code, b.day, b.slot, b.slot_start, b.slot_end, b.status, b.phone,
               b.created_at, b.changed_at, field.c.local_id.label("field_id"),
               procedure.c.local_id.label("procedure_id"))
        .join(field, and_(field.c.code == code, field.c.tbl == "field",
                          field.c.province_id == b.field_id))
        .outerjoin(procedure, and_(procedure.c.code == code, procedure.c.tbl == "procedure",
                                   procedure.c.province_id == b.procedure_id))
        .where(b.site_id == site_id, b.status == "booked", b.slot_end > now,
               ~exists().where(known.c.code == code, known.c.tbl == "booking",
                               known.c.province_id == b.id, known.c.local_id > 0))
        .order_by(b.id).limit(BOOKINGS_DOWN)).all()
    if rows:
        # Sent: from now on the centre decides what becomes of them (an online cancel here
        # is refused), even before its copy comes back up with its own id. The mark is the
        # booking's id negated where the centre's id will be; it is sent again until then.
        conn.execute(store.insert(ship_map_t).values([
            {"code": code, "tbl": "booking", "local_id": -row.id, "province_id": row.id}
            for row in rows]).on_conflict_do_nothing())
    return [{key: value.isoformat() if isinstance(value, date | datetime) else value
             for key, value in row._mapping.items() if key != "id"} for row in rows]


class _Applier:
    """Applies one commune's batch inside the ingest's transaction, in few round trips:
    the id map it needs read in one query per table, new rows given province ids from the
    table's own sequence at once, then each table's images written in seq order as a few
    multi-row statements, parents' tables first. Equal to applying them one by one: within
    a table the order is the commune's (its unique indexes see only states it had), and the
    tables' only ties to one another are references, to parents written before. Nobody sees
    a batch half done: it is one transaction."""

    def __init__(self, conn: Connection, store: Store, code: str) -> None:
        self.conn, self.store, self.code = conn, store, code
        self.cache: dict[tuple[str, int], int | None] = {}
        self.new: dict[tuple[str, int], int] = {}
        self.found: dict[tuple[str, Any], tuple[int, int]] = {}
        """Rows found by a one-column natural key (a ticket's token, a booking's code): their
        id and site."""
        self.sites: set[int] = set()

    def run(self, entries: list[tuple[str, str, str]]) -> None:
        decoded = []
        for tbl, op, image in entries:
            table = TABLES.get(tbl)
            if table is None:
                raise NotFound("ship.unknown_table", site=self.code, table=tbl)
            values = decode(table, image)
            if table is site_t and values.get("code", self.code) != self.code:
                raise Refused("ship.other_site", site=self.code, other=values["code"])
            decoded.append((table, op, values))
        self._prefetch(decoded)
        self._place(decoded)
        written: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for table, op, values in decoded:
            for column in table.columns:
                if column.foreign_keys and values.get(column.name) is not None:
                    parent = next(iter(column.foreign_keys)).column.table.name
                    values[column.name] = self._mapped(parent, values[column.name])
            if "site_id" in values:
                self.sites.add(values["site_id"])
            if _by_id(table):
                target = self.cache.get((table.name, values["id"]))
                if target is None:
                    continue  # a delete of a row never shipped
                if op == "D":
                    self.new.pop((table.name, values["id"]), None)
                    self.conn.execute(delete(ship_map_t).where(
                        *self._map_key(table.name, values["id"])))
                values["id"] = target
                if table is site_t:
                    self.sites.add(target)
            written.setdefault(table.name, []).append((op, values))
        for table in SHIPPED:  # parents first
            self._write(table, written.get(table.name, []))
        if self.new:
            self.conn.execute(insert(ship_map_t), [
                {"code": self.code, "tbl": tbl, "local_id": local, "province_id": target}
                for (tbl, local), target in self.new.items()])

    def _prefetch(self, decoded: list[tuple[Table, str, dict[str, Any]]]) -> None:
        wanted: dict[str, set[int]] = {}
        natural: dict[str, set[Any]] = {}
        for table, _, values in decoded:
            if "id" in values and values["id"] is not None:
                wanted.setdefault(table.name, set()).add(values["id"])
            names = NATURAL.get(table.name, ())
            if len(names) == 1 and "site_id" in table.c and values.get(names[0]) is not None:
                natural.setdefault(table.name, set()).add(values[names[0]])
            for column in table.columns:
                if column.foreign_keys and values.get(column.name) is not None:
                    parent = next(iter(column.foreign_keys)).column.table.name
                    wanted.setdefault(parent, set()).add(values[column.name])
        for tbl, ids in wanted.items():
            self.cache.update({(tbl, local): None for local in ids})
            self.cache.update({(tbl, r.local_id): r.province_id for r in self.conn.execute(
                select(ship_map_t.c.local_id, ship_map_t.c.province_id).where(
                    ship_map_t.c.code == self.code, ship_map_t.c.tbl == tbl,
                    ship_map_t.c.local_id.in_(ids)))})
        for tbl, keys in natural.items():
            table, name = TABLES[tbl], NATURAL[tbl][0]
            self.found.update({(tbl, r[1]): (r[0], r[2]) for r in self.conn.execute(
                select(table.c.id, table.c[name], table.c.site_id)
                .where(table.c[name].in_(keys)))})

    def _place(self, decoded: list[tuple[Table, str, dict[str, Any]]]) -> None:
        """A province id for every row of the batch not mapped yet: the row the province
        holds already (by its natural key, in this commune's site), or a new one."""
        fresh: dict[str, list[int]] = {}
        for table, op, values in decoded:
            if not _by_id(table) or op == "D":
                continue
            key = (table.name, int(values["id"]))
            if self.cache.get(key) is not None or key in self.new \
                    or key[1] in fresh.get(table.name, ()):
                continue
            target = self._natural(table, values)
            if target is None:
                fresh.setdefault(table.name, []).append(values["id"])
            else:
                self.cache[key] = self.new[key] = target
        for tbl, locals_ in fresh.items():
            for local, target in zip(locals_, self._new_ids(TABLES[tbl], len(locals_)),
                                     strict=True):
                self.cache[(tbl, local)] = self.new[(tbl, local)] = target

    def _new_ids(self, table: Table, count: int) -> list[int]:
        if self.store.postgres:
            return list(self.conn.execute(text(
                "SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
                {"t": table.name, "n": count}).scalars())
        top = int(self.conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one())
        return list(range(top + 1, top + 1 + count))  # SQLite: the writer holds the lock

    def _mapped(self, tbl: str, local: int) -> int:
        found = self.cache.get((tbl, local))
        if found is None:  # a parent always comes first in the log: this is a broken log
            raise NotFound("ship.unmapped", site=self.code, table=tbl, id=local)
        return found

    def _map_key(self, tbl: str, local: int) -> tuple[Any, ...]:
        return (ship_map_t.c.code == self.code, ship_map_t.c.tbl == tbl,
                ship_map_t.c.local_id == local)

    def _natural(self, table: Table, values: dict[str, Any]) -> int | None:
        names = NATURAL.get(table.name)
        if not names or any(values.get(name) is None for name in names):
            return None
        if len(names) == 1 and "site_id" in table.c:
            # Only a row of this commune's own site: a code another site holds is not ours.
            found, site_id = self.found.get((table.name, values[names[0]]), (None, None))
            return found if site_id == self.cache.get(("site", values["site_id"])) else None
        where = [table.c[name] == (self.cache.get(("site", values[name]))
                                   if name == "site_id" else values[name]) for name in names]
        found = self.conn.execute(select(table.c.id).where(*where)).scalar()
        return None if found is None else int(found)

    def _write(self, table: Table, images: list[tuple[str, dict[str, Any]]]) -> None:
        """A table's images in order: runs of upserts (no row twice in one statement) and
        of deletes."""
        key = [c.name for c in table.primary_key.columns]
        if table is booking_t:
            self._slot_room(images)
        if not _by_id(table):
            # A row keyed by its columns has no index but its key: only its last image
            # matters (a day's numbering is written at every ticket).
            last = {tuple(values[k] for k in key): (op, values) for op, values in images}
            images = sorted(last.values(), key=lambda image: image[0] != "D")
        run: list[dict[str, Any]] = []
        seen: set[tuple[Any, ...]] = set()
        deleting = False
        for op, values in [*images, ("end", {})]:
            row_key = tuple(values.get(k) for k in key)
            if run and (op == "end" or (op == "D") != deleting or row_key in seen):
                self._flush(table, key, run, deleting)
                run, seen = [], set()
            if op != "end":
                run.append(values)
                seen.add(row_key)
                deleting = op == "D"

    def _flush(self, table: Table, key: list[str], rows: list[dict[str, Any]],
               deleting: bool) -> None:
        if deleting:
            self.conn.execute(delete(table).where(
                and_(*(table.c[k] == bindparam(f"k_{k}") for k in key))),
                [{f"k_{k}": row[k] for k in key} for row in rows])
            return
        # One statement for many rows (its compiled form cached): SQLAlchemy sends them as
        # multi-row VALUES pages.
        statement = self.store.insert(table)
        rest = {c: statement.excluded[c] for c in rows[0] if c not in key}
        self.conn.execute(statement.on_conflict_do_update(index_elements=key, set_=rest)
                          if rest else statement.on_conflict_do_nothing(), rows)

    def _slot_room(self, images: list[tuple[str, dict[str, Any]]]) -> None:
        """A booking booked here that the commune cancelled gives its place back, as a
        cancel does at the desk (a missed one keeps it there too); once, since its status
        is followed image by image from what the province held."""
        ids = {values["id"] for _, values in images}
        status = dict(self.conn.execute(select(booking_t.c.id, booking_t.c.status)
                                        .where(booking_t.c.id.in_(ids))).all())
        for _, values in images:
            if status.get(values["id"]) == "booked" and values.get("status") == "cancelled":
                give_back_room(self.conn, values["site_id"], values["field_id"], values["day"],
                               values["slot"])
            status[values["id"]] = values.get("status")
