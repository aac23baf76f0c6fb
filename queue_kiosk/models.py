"""Provides the SQLModel tables of the store; every row is scoped by site."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class Status(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


ACTIVE_STATUSES = (Status.CALLED, Status.SERVING)
CURRENT_TICKET = "status IN ('called', 'serving')"
"""The predicate of the one-current-ticket-per-counter index, written out: SQLite uses a
partial index only for a query that repeats its predicate literally (bound values do not)."""


class EventKind(StrEnum):
    ISSUED = "issued"
    CALLED = "called"
    RECALLED = "recalled"
    STARTED = "started"
    FINISHED = "finished"
    NO_SHOW = "no_show"
    RETURNED = "returned"
    TRANSFERRED = "transferred"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    RATED = "rated"
    PRINTED = "printed"
    PRINT_FAILED = "print_failed"
    COUNTER_PAUSED = "counter_paused"
    COUNTER_RESUMED = "counter_resumed"
    FIELD_CLOSED = "field_closed"
    FIELD_REOPENED = "field_reopened"
    DAY_CLOSED = "day_closed"
    CATALOG_LOADED = "catalog_loaded"


class Site(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=200)
    timezone: str = Field(max_length=64)
    hall_json: str
    """The validated hall configuration (policy, hours, rating scale, priorities) as JSON."""
    updated_at: datetime
    catalog_version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    """Bumped by every load of a hall configuration: running processes compare it with the
    catalogue they hold and reload theirs when it moved."""


class ServiceField(SQLModel, table=True):
    """A lĩnh vực; `series` is its numbering series (a prefix such as "B", or "#1001")."""

    __tablename__ = "field"
    __table_args__ = (UniqueConstraint("site_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id", index=True)
    code: str = Field(max_length=32)
    name: str = Field(max_length=200)
    name_en: str = Field(default="", max_length=200)
    series: str = Field(max_length=16)
    prefix: str | None = Field(default=None, max_length=3)
    block: int | None = None
    block_size: int = 999
    daily_cap: int | None = None
    minutes: float = 10.0
    position: int = 0
    active: bool = True
    closed_reason: str | None = Field(default=None, max_length=200)
    """Set by an emergency closure: the kiosk issues nothing for the field while it is set."""


class Procedure(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("site_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id", index=True)
    field_id: int = Field(foreign_key="field.id", index=True)
    code: str = Field(max_length=32)
    name: str = Field(max_length=300)
    name_en: str = Field(default="", max_length=300)
    position: int = 0
    active: bool = True


class Counter(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("site_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id", index=True)
    code: str = Field(max_length=32)
    name: str = Field(max_length=200)
    name_en: str = Field(default="", max_length=200)
    position: int = 0
    active: bool = True
    paused_reason: str | None = Field(default=None, max_length=200)
    paused_at: datetime | None = None
    normal_streak: int = 0
    """Normal tickets called since this counter's last priority ticket (interleave mode)."""


class CounterField(SQLModel, table=True):
    """Which fields a counter serves; rank 0 is its primary field."""

    __tablename__ = "counter_field"
    counter_id: int = Field(foreign_key="counter.id", primary_key=True)
    field_id: int = Field(foreign_key="field.id", primary_key=True)
    rank: int = 0


class Staff(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("site_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id", index=True)
    code: str = Field(max_length=32)
    name: str = Field(max_length=200)
    role: str = Field(default="official", max_length=16)
    pin_hash: str = Field(default="", max_length=300)
    active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = None


class StaffCounter(SQLModel, table=True):
    """The counters a person may use; none means any. By id, so that a counter renamed in
    the hall file keeps its staff."""

    __tablename__ = "staff_counter"
    staff_id: int = Field(foreign_key="staff.id", primary_key=True)
    counter_id: int = Field(foreign_key="counter.id", primary_key=True)


class SignInGuard(SQLModel, table=True):
    """Failed sign-ins per client (a browser's address, or "local" for a terminal) and code.

    The row with an empty code is the client as a whole: each failure makes it wait longer
    before its next try, whatever code it types. A (client, code) row locks that code for
    that client only, so that nobody on the hall's Wi-Fi can lock an official out of their
    own counter PC; an unknown code is counted like a real one, so answers reveal nothing."""

    __tablename__ = "sign_in_guard"
    site_id: int = Field(foreign_key="site.id", primary_key=True)
    client: str = Field(primary_key=True, max_length=64)
    code: str = Field(primary_key=True, max_length=32)
    failures: int = 0
    blocked_until: datetime | None = None


class DaySeries(SQLModel, table=True):
    """The last number handed out per site, local day and series: the numbering source."""

    __tablename__ = "day_series"
    site_id: int = Field(foreign_key="site.id", primary_key=True)
    day: date = Field(primary_key=True)
    series: str = Field(primary_key=True, max_length=16)
    last: int = 0


class Ticket(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("site_id", "day", "series", "seq"),
        # A line in queue order (call-next reads its head); carries `priority` so that
        # counting who is ahead never reads the table itself.
        Index("ix_ticket_line", "site_id", "status", "field_id", "day", "queue_at", "id",
              "priority"),
        # The priority line on its own: its head and its length without walking past the
        # field's normal tickets.
        Index("ix_ticket_priority_line", "site_id", "status", "field_id", "day", "queue_at",
              "id", sqlite_where=text("priority IS NOT NULL"),
              postgresql_where=text("priority IS NOT NULL")),
        # A number is never handed out twice in a day, whatever the configuration says.
        Index("ux_ticket_number", "site_id", "day", "number", unique=True),
        # Tickets sent to a counter by name: found without walking the whole queue. Only
        # those: the rest would cost every issue a page write for nothing.
        Index("ix_ticket_target", "target_counter_id",
              sqlite_where=text("target_counter_id IS NOT NULL"),
              postgresql_where=text("target_counter_id IS NOT NULL")),
        # The database itself guarantees a counter holds at most one current ticket.
        Index(
            "ux_ticket_counter_current",
            "counter_id",
            unique=True,
            sqlite_where=text(CURRENT_TICKET),
            postgresql_where=text(CURRENT_TICKET),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id")
    day: date
    series: str = Field(max_length=16)
    seq: int
    number: str = Field(max_length=16)
    token: str = Field(max_length=64, unique=True)
    field_id: int = Field(foreign_key="field.id")
    procedure_id: int | None = Field(default=None, foreign_key="procedure.id")
    priority: str | None = Field(default=None, max_length=32)
    status: str = Field(default=Status.WAITING, max_length=16)
    issued_at: datetime
    queue_at: datetime
    """Position in line: the issue time, kept across transfers, moved by a return."""
    called_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    counter_id: int | None = Field(default=None, foreign_key="counter.id")
    target_counter_id: int | None = Field(default=None, foreign_key="counter.id")
    """Set when transferred to one counter: only that counter may call it."""
    recalls: int = 0
    transfers: int = 0
    staff_id: int | None = Field(default=None, foreign_key="staff.id")


class TicketEvent(SQLModel, table=True):
    """Append-only log of every state change; its growing id is the screens' change feed."""

    __tablename__ = "ticket_event"
    __table_args__ = (Index("ix_event_site_id", "site_id", "id"),
                      Index("ix_event_ticket", "ticket_id"))
    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id")
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id")
    counter_id: int | None = Field(default=None, foreign_key="counter.id")
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    kind: str = Field(max_length=24)
    at: datetime
    detail: str = Field(default="", max_length=2000)
    """JSON: status before and after, transfer source and target, reasons."""


class Rating(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id", index=True)
    ticket_id: int = Field(foreign_key="ticket.id", unique=True)
    level: str = Field(max_length=32)
    at: datetime
    counter_id: int | None = Field(default=None, foreign_key="counter.id")
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
