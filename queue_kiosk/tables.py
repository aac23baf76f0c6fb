"""Provides the SQLAlchemy Core handles of the store's tables, typed, for the statements."""

from __future__ import annotations

from sqlalchemy import Table
from sqlmodel import SQLModel

import queue_kiosk.models  # noqa: F401  (defines the tables in the metadata read below)


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


site_t = _table("site")
field_t = _table("field")
procedure_t = _table("procedure")
counter_t = _table("counter")
counter_field_t = _table("counter_field")
staff_t = _table("staff")
staff_counter_t = _table("staff_counter")
guard_t = _table("sign_in_guard")
series_t = _table("day_series")
ticket_t = _table("ticket")
event_t = _table("ticket_event")
rating_t = _table("rating")
