"""Helpers of the shipping tests: a commune (SQLite) and a province (PostgreSQL), and the
row-by-row comparison of a commune with its copy at the province."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, select

from queue_kiosk.ops.shipping import TABLES
from queue_kiosk.store.shiplog import SHIPPED, columns
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import ship_map_t


def _rows(store: Store, table: Table) -> list[dict[str, Any]]:
    names = columns(table)
    with store.read() as conn:
        return [dict(zip(names, row, strict=True))
                for row in conn.execute(select(*(table.c[n] for n in names)))]


def copy_differences(commune: Store, province: Store, code: str) -> list[str]:
    """Every shipped row of the commune, its ids mapped to the province's, against the
    province's rows of that commune: the differences (none: an equal copy)."""
    with province.read() as conn:
        mapping = {(r.tbl, r.local_id): r.province_id for r in conn.execute(
            select(ship_map_t).where(ship_map_t.c.code == code))}
    problems = []
    site_id = mapping[("site", 1)]
    for table in SHIPPED:
        def province_key(row: dict[str, Any], table: Table = table) -> dict[str, Any]:
            out = dict(row)
            for column in table.columns:
                if column.name == "id":
                    out["id"] = mapping.get((table.name, row["id"]))
                elif column.foreign_keys and row.get(column.name) is not None:
                    parent = next(iter(column.foreign_keys)).column.table.name
                    out[column.name] = mapping.get((parent, row[column.name]))
            return out

        expected = sorted((province_key(r) for r in _rows(commune, table)), key=repr)
        theirs = _rows(province, TABLES[table.name])
        if "site_id" in table.c:
            theirs = [r for r in theirs if r["site_id"] == site_id]
        elif table.name == "site":
            theirs = [r for r in theirs if r["id"] == site_id]
        else:  # counter_field, staff_counter: by their parents of this commune
            parent = "counter" if "counter_id" in table.c and table.name != "staff_counter" \
                else "staff"
            ours = {pid for (t, _), pid in mapping.items() if t == parent}
            theirs = [r for r in theirs if r[f"{parent}_id"] in ours]
        theirs = sorted(theirs, key=repr)
        if expected != theirs:
            differing = next((a, b) for a, b in zip(expected + [{}], theirs + [{}],
                                                    strict=False) if a != b)
            problems.append(f"{table.name}: {len(expected)} rows here, {len(theirs)} there; "
                            f"first differing: {differing}")
    return problems
