"""Provides loading a hall configuration into the store, updating without touching tickets."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update

from queue_kiosk.clock import Clock, SystemClock
from queue_kiosk.config import HallConfig, Named
from queue_kiosk.db import write
from queue_kiosk.errors import ConfigError
from queue_kiosk.models import (
    ACTIVE_STATUSES,
    Counter,
    CounterField,
    EventKind,
    Procedure,
    ServiceField,
    Site,
    Status,
    Ticket,
    TicketEvent,
)
from queue_kiosk.views import LoadedView

site_t = Site.__table__  # type: ignore[attr-defined]
field_t = ServiceField.__table__  # type: ignore[attr-defined]
procedure_t = Procedure.__table__  # type: ignore[attr-defined]
counter_t = Counter.__table__  # type: ignore[attr-defined]
counter_field_t = CounterField.__table__  # type: ignore[attr-defined]
event_t = TicketEvent.__table__  # type: ignore[attr-defined]
ticket_t = Ticket.__table__  # type: ignore[attr-defined]


def load_catalog(engine: Engine, hall: HallConfig, clock: Clock | None = None) -> LoadedView:
    """Insert or update the site, fields, procedures and counters by code.

    Rows missing from the file are deactivated, never deleted: old tickets still point at them.
    """
    now = (clock or SystemClock()).now()
    with write(engine) as conn:
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
        conn.execute(update(site_t).where(site_t.c.id == site_id)
                     .values(catalog_version=site_t.c.catalog_version + 1))
        conn.execute(insert(event_t).values(site_id=site_id, kind=EventKind.CATALOG_LOADED,
                                            at=now, detail=""))
    return LoadedView(site=hall.site.code, fields=len(hall.fields),
                      procedures=len(procedure_codes), counters=len(hall.counters),
                      deactivated=deactivated, warnings=hall.warnings())


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


def _names(item: Named) -> dict[str, str]:
    return {"name": item.name, "name_en": item.name_en}


def _upsert(conn: Connection, table: Any, key: dict[str, Any], values: dict[str, Any]) -> int:
    where = [table.c[name] == value for name, value in key.items()]
    existing = conn.execute(select(table.c.id).where(*where)).scalar()
    if existing is None:
        return int(conn.execute(insert(table).values(**key, **values)
                                .returning(table.c.id)).scalar_one())
    conn.execute(update(table).where(table.c.id == existing).values(**values))
    return int(existing)


def _deactivate(conn: Connection, table: Any, site_id: int, keep: Sequence[str] | Any) -> list[str]:
    gone = conn.execute(select(table.c.code).where(
        table.c.site_id == site_id, table.c.active.is_(True),
        table.c.code.not_in(list(keep)))).scalars().all()
    if gone:
        conn.execute(update(table).where(table.c.site_id == site_id,
                                         table.c.code.in_(gone)).values(active=False))
    return [str(code) for code in gone]
