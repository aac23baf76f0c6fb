"""Provides the site's catalogue (fields, procedures, counters, the hall's rules) as running
processes hold it, and its loading from a hall configuration, which never touches tickets."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Table, delete, func, insert, select, update

from queue_kiosk.config.base import Named
from queue_kiosk.config.hall import HallConfig
from queue_kiosk.domain import routing
from queue_kiosk.domain.calendar import Week
from queue_kiosk.domain.clock import Clock, SystemClock
from queue_kiosk.domain.errors import ConfigError, NotFound, Refused
from queue_kiosk.domain.models import ACTIVE_STATUSES, BookingStatus, EventKind, Status
from queue_kiosk.domain.text import fold, nfc
from queue_kiosk.domain.views import Labelled, LoadedView
from queue_kiosk.store.tables import (
    booking_t,
    counter_field_t,
    counter_t,
    event_t,
    field_t,
    procedure_t,
    ship_site_t,
    site_t,
    ticket_t,
)

if TYPE_CHECKING:
    from queue_kiosk.store.store import Store


@dataclass(frozen=True, slots=True)
class FieldInfo(Labelled):
    id: int
    code: str
    name: str
    name_en: str
    prefix: str | None
    block: int | None
    block_size: int
    daily_cap: int | None
    minutes: float
    series: str


@dataclass(frozen=True, slots=True)
class ProcedureInfo(Labelled):
    id: int
    code: str
    name: str
    name_en: str
    field_id: int


@dataclass(frozen=True, slots=True)
class CounterInfo(Labelled):
    id: int
    code: str
    name: str
    name_en: str
    field_ids: tuple[int, ...]
    """In the counter's order of preference: the first is its primary field."""
    short_name: str = ""
    short_name_en: str = ""
    hours: Week | None = None
    """Its own opening windows (the hall's `counters.hours`); None: the centre's hours."""


class Catalog:
    """The site's catalogue as loaded by `init`; changes only when a config is loaded again."""

    def __init__(self, conn: Connection, site: str | None) -> None:
        # Whether the site ships from its commune is read here, with its row, rather than
        # at each write: a site starts shipping once (`site token`), so the check every
        # write makes (`QueueWriter.write`) is one attribute, and a reload refreshes it.
        sites = conn.execute(select(site_t.c.id, site_t.c.code, site_t.c.hall_json,
                                    site_t.c.catalog_version,
                                    ship_site_t.c.code.is_not(None).label("shipped"))
                             .outerjoin(ship_site_t, ship_site_t.c.code == site_t.c.code)
                             .order_by(site_t.c.code)).all()
        if not sites:
            raise NotFound("site.none")
        known = ", ".join(str(s.code) for s in sites)
        if site:
            chosen = [s for s in sites if s.code == site]
            if not chosen:
                raise NotFound("site.unknown", code=site, sites=known)
        elif len(sites) > 1:
            raise NotFound("site.ambiguous", sites=known)
        else:
            chosen = list(sites)
        row = chosen[0]
        self.site_id: int = row.id
        self.site_code: str = row.code
        self.version: int = row.catalog_version
        self.shipped: bool = bool(row.shipped)
        """At the province: the site ships from its commune (local first), so its rows
        here are the commune's copy, changed by the ingest only."""
        self.hall = HallConfig.model_validate_json(row.hall_json)
        self.tz = ZoneInfo(self.hall.site.timezone)
        self.fields: dict[int, FieldInfo] = {
            r.id: FieldInfo(r.id, r.code, r.name, r.name_en, r.prefix, r.block, r.block_size,
                            r.daily_cap, r.minutes, r.series)
            for r in conn.execute(select(field_t).where(field_t.c.site_id == self.site_id,
                                                        field_t.c.active.is_(True))
                                  .order_by(field_t.c.position))}
        self.procedures: dict[int, ProcedureInfo] = {
            r.id: ProcedureInfo(r.id, r.code, r.name, r.name_en, r.field_id)
            for r in conn.execute(select(procedure_t).where(
                procedure_t.c.site_id == self.site_id, procedure_t.c.active.is_(True))
                .order_by(procedure_t.c.position))}
        links = conn.execute(select(counter_field_t.c.counter_id, counter_field_t.c.field_id)
                             .order_by(counter_field_t.c.rank)).all()
        own = {c.code: (c.short_name, c.short_name_en,
                        tuple(map(tuple, c.hours.week())) if c.hours else None)
               for c in self.hall.counters}
        self.counters: dict[int, CounterInfo] = {
            r.id: CounterInfo(r.id, r.code, r.name, r.name_en,
                              tuple(f for c, f in links if c == r.id and f in self.fields),
                              *own.get(r.code, ("", "", None)))
            for r in conn.execute(select(counter_t).where(counter_t.c.site_id == self.site_id,
                                                          counter_t.c.active.is_(True))
                                  .order_by(counter_t.c.position))}
        self.priority_codes = [p.code for p in self.hall.priorities]
        self.rules = routing.Rules(
            priority_mode=self.hall.policy.priority_mode,
            priority_every=self.hall.policy.priority_every,
            secondary_max_wait=timedelta(minutes=self.hall.policy.secondary_max_wait_minutes),
            appointment_every=self.hall.appointments.every)

    def counter(self, code: str) -> CounterInfo:
        wanted = nfc(code).strip()
        for info in self.counters.values():
            if info.code.casefold() == wanted.casefold():
                return info
        known = ", ".join(c.code for c in self.counters.values())
        raise NotFound("counter.unknown", code=wanted, known=known)

    def find_field(self, what: str) -> tuple[FieldInfo, ProcedureInfo | None] | None:
        """A field or procedure by code, prefix or name (accents optional), else None."""
        wanted = nfc(what).strip()
        for info in self.fields.values():
            if wanted.casefold() in (info.code.casefold(), (info.prefix or "").casefold()):
                return info, None
        for proc in self.procedures.values():
            if proc.code.casefold() == wanted.casefold():
                return self.fields[proc.field_id], proc
        folded = fold(wanted)
        matches: list[tuple[FieldInfo, ProcedureInfo | None]] = [
            (f, None) for f in self.fields.values() if folded in (fold(f.name), fold(f.name_en))]
        matches += [(self.fields[p.field_id], p) for p in self.procedures.values()
                    if folded in (fold(p.name), fold(p.name_en))]
        if len(matches) > 1:
            names = ", ".join((p or f).code for f, p in matches)
            raise NotFound("field.ambiguous", code=wanted, matches=names)
        return matches[0] if matches else None

    def field(self, what: str) -> tuple[FieldInfo, ProcedureInfo | None]:
        found = self.find_field(what)
        if found is None:
            raise NotFound("field.unknown", code=nfc(what).strip())
        return found

    def priority_label(self, code: str, lang: str) -> str:
        """A priority category's name (its code, for one the hall no longer lists)."""
        names = [p.label(lang) for p in self.hall.priorities if p.code == code]
        return names[0] if names else code

    def counters_for(self, field_id: int) -> list[CounterInfo]:
        return [c for c in self.counters.values() if field_id in c.field_ids]

    def route(self, counter: CounterInfo, streak: int,
              appointment_streak: int = 0) -> routing.CounterRoute:
        return routing.CounterRoute(counter.id, {f: r for r, f in enumerate(counter.field_ids)},
                                    streak, appointment_streak)




def load_catalog(store: Store, hall: HallConfig, clock: Clock | None = None, *,
                 then: Callable[[Connection, int], None] | None = None) -> LoadedView:
    """Insert or update the site, fields, procedures and counters by code.

    Rows missing from the file are deactivated, never deleted: old tickets still point at them.
    `then(conn, site_id)` runs last in the same transaction (set-up's first administrator):
    what it raises undoes the whole load.
    """
    now = (clock or SystemClock()).now()
    with store.write() as conn:
        _refuse_shipped(conn, hall.site.code)
        site_values = {"name": hall.site.name, "timezone": hall.site.timezone,
                       "hall_json": hall.model_dump_json(), "updated_at": now}
        site_id = _upsert(conn, site_t, {"code": hall.site.code}, site_values)
        field_ids: dict[str, int] = {}
        for position, fc in enumerate(hall.fields):
            field_ids[fc.code] = _upsert(conn, field_t, {"site_id": site_id, "code": fc.code}, {
                **_names(fc), "series": fc.series, "prefix": fc.prefix, "block": fc.block,
                "block_size": fc.block_size, "daily_cap": fc.daily_cap, "minutes": fc.minutes,
                "position": position, "active": True})
        deactivated = _deactivate(conn, field_t, site_id, field_ids.keys())
        procedure_codes: list[str] = []
        for fc in hall.fields:
            for position, pc in enumerate(fc.procedures):
                procedure_codes.append(pc.code)
                _upsert(conn, procedure_t, {"site_id": site_id, "code": pc.code}, {
                    **_names(pc), "field_id": field_ids[fc.code], "position": position,
                    "active": True})
        deactivated += _deactivate(conn, procedure_t, site_id, procedure_codes)
        counter_codes = []
        for position, cc in enumerate(hall.counters):
            counter_codes.append(cc.code)
            counter_id = _upsert(conn, counter_t, {"site_id": site_id, "code": cc.code},
                                 {**_names(cc), "position": position, "active": True})
            conn.execute(delete(counter_field_t).where(counter_field_t.c.counter_id == counter_id))
            conn.execute(insert(counter_field_t), [
                {"counter_id": counter_id, "field_id": field_ids[code], "rank": rank}
                for rank, code in enumerate(cc.fields)])
        deactivated += _deactivate(conn, counter_t, site_id, counter_codes)
        _refuse_stranding(conn, site_id)
        _refuse_orphaning(conn, site_id,
                          now - timedelta(minutes=hall.appointments.late_minutes))
        if then is not None:
            then(conn, site_id)
        conn.execute(update(site_t).where(site_t.c.id == site_id)
                     .values(catalog_version=site_t.c.catalog_version + 1))
        conn.execute(insert(event_t).values(site_id=site_id, kind=EventKind.CATALOG_LOADED,
                                            at=now, detail=""))
        store.notify(conn, site_id, catalog=True)
    return LoadedView(site=hall.site.code, fields=len(hall.fields),
                      procedures=len(procedure_codes), counters=len(hall.counters),
                      deactivated=deactivated, warnings=hall.warnings())


def _refuse_shipped(conn: Connection, code: str) -> None:
    """Refuses a change of a site that ships from its commune (at the province): its rows
    here are the commune's copy, and a change made here would part the two."""
    if conn.execute(select(ship_site_t.c.code).where(ship_site_t.c.code == code)).first():
        raise Refused("site.shipped", site=code)


def _refuse_stranding(conn: Connection, site_id: int) -> None:
    """A load that would leave a citizen with no counter to call them is refused whole (the
    transaction rolls back): waiting for a field no open counter serves any more, sent to a
    counter that is gone, or standing at a counter that is gone."""
    fields = {r.id: r for r in conn.execute(select(field_t.c.id, field_t.c.code, field_t.c.name,
                                                   field_t.c.active)
                                            .where(field_t.c.site_id == site_id))}
    active_counters: dict[int, str] = dict(conn.execute(
        select(counter_t.c.id, counter_t.c.code).where(counter_t.c.site_id == site_id,
                                                       counter_t.c.active.is_(True))).all())
    served = set(conn.execute(select(counter_field_t.c.field_id).where(
        counter_field_t.c.counter_id.in_(list(active_counters)))).scalars())
    stranded: dict[str, int] = {}
    for row in conn.execute(select(ticket_t.c.field_id, ticket_t.c.target_counter_id,
                                   ticket_t.c.counter_id, ticket_t.c.status).where(
            ticket_t.c.site_id == site_id,
            ticket_t.c.status.in_([Status.WAITING, *ACTIVE_STATUSES]))):
        field = fields[row.field_id]
        if row.status != Status.WAITING:
            lost = row.counter_id not in active_counters
        elif row.target_counter_id is not None:
            lost = row.target_counter_id not in active_counters
        else:
            lost = not field.active or row.field_id not in served
        if lost:
            key = f"{field.code} ({field.name})"
            stranded[key] = stranded.get(key, 0) + 1
    if stranded:
        raise ConfigError("catalog.strands", detail=", ".join(
            f"{key}: {count}" for key, count in sorted(stranded.items())))


def _refuse_orphaning(conn: Connection, site_id: int, starting_from: datetime) -> None:
    """A load that would leave a booking still to come (its slot starting from
    `starting_from`, the oldest still open to check-in, and not checked in) without its
    field, its procedure or a counter serving its field is refused whole, as one stranding
    waiting citizens is: its citizen would come and find nothing."""
    served = select(counter_field_t.c.field_id).join(
        counter_t, counter_t.c.id == counter_field_t.c.counter_id).where(
        counter_t.c.active.is_(True))
    orphaned = conn.execute(
        select(field_t.c.code, field_t.c.name, procedure_t.c.code.label("procedure"),
               func.count()).select_from(booking_t.join(
                   field_t, field_t.c.id == booking_t.c.field_id).outerjoin(
                   procedure_t, procedure_t.c.id == booking_t.c.procedure_id))
        .where(booking_t.c.site_id == site_id, booking_t.c.slot_start >= starting_from,
               booking_t.c.status == BookingStatus.BOOKED,
               field_t.c.active.is_(False) | procedure_t.c.active.is_(False)
               | field_t.c.id.not_in(served))
        .group_by(field_t.c.code, field_t.c.name, procedure_t.c.code)
        .order_by(field_t.c.code, procedure_t.c.code)).all()
    if orphaned:
        raise ConfigError("catalog.orphans", detail=", ".join(
            f"{procedure or code} ({name}): {count}"
            for code, name, procedure, count in orphaned))


def _names(item: Named) -> dict[str, str]:
    return {"name": item.name, "name_en": item.name_en}


def _upsert(conn: Connection, table: Table, key: dict[str, Any], values: dict[str, Any]) -> int:
    where = [table.c[name] == value for name, value in key.items()]
    existing = conn.execute(select(table.c.id).where(*where)).scalar()
    if existing is None:
        return int(conn.execute(insert(table).values(**key, **values)
                                .returning(table.c.id)).scalar_one())
    conn.execute(update(table).where(table.c.id == existing).values(**values))
    return int(existing)


def _deactivate(conn: Connection, table: Table, site_id: int,
                keep: Sequence[str] | Any) -> list[str]:
    gone = conn.execute(select(table.c.code).where(
        table.c.site_id == site_id, table.c.active.is_(True),
        table.c.code.not_in(list(keep)))).scalars().all()
    if gone:
        conn.execute(update(table).where(table.c.site_id == site_id,
                                         table.c.code.in_(gone)).values(active=False))
    return [str(code) for code in gone]
