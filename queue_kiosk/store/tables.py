"""Provides the store's tables as SQLAlchemy Core tables; every row is scoped by site.

Core rather than an ORM: nothing here builds classes at import, so a one-shot command (a
script's `queue-kiosk issue`) pays for SQLAlchemy and not for a model layer it never uses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.types import TypeEngine

from queue_kiosk.domain.models import CURRENT_TICKET, Status

metadata = MetaData()
BOOKING_HELD = "person IS NOT NULL AND status IN ('booked', 'checked_in')"
"""A booking that still holds its person's place (cancelled and missed ones do not)."""


class UTCDateTime(TypeDecorator[datetime]):
    """An instant: stored with its zone where the database keeps one (PostgreSQL), as UTC
    without one where it does not (SQLite), and always read back aware, in UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("an instant needs its time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None,
                             dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _id() -> Column[int]:
    return Column("id", Integer, primary_key=True)


def _site(**kwargs: Any) -> Column[int]:
    return Column("site_id", Integer, ForeignKey("site.id"), nullable=False, **kwargs)


def _text(name: str, length: int, *, default: str | None = None,
          nullable: bool = False) -> Column[str]:
    return Column(name, String(length), nullable=nullable, default=default)


def _number(name: str, default: float, kind: type[TypeEngine[Any]] = Integer) -> Column[Any]:
    return Column(name, kind, nullable=False, default=default)


def _flag(name: str) -> Column[bool]:
    return Column(name, Boolean, nullable=False, default=True)


def _at(name: str, *, nullable: bool = True) -> Column[datetime]:
    return Column(name, UTCDateTime(), nullable=nullable)


def _ref(name: str, table: str, *, nullable: bool = True, **kwargs: Any) -> Column[int]:
    return Column(name, Integer, ForeignKey(f"{table}.id"), nullable=nullable, **kwargs)


site_t = Table(
    "site", metadata, _id(),
    Column("code", String(32), nullable=False, unique=True),
    _text("name", 200), _text("timezone", 64),
    # The validated hall configuration (policy, hours, rating scale, priorities) as JSON.
    Column("hall_json", String, nullable=False),
    _at("updated_at", nullable=False),
    # Bumped by every load of a hall configuration: running processes compare it with the
    # catalogue they hold and reload theirs when it moved.
    Column("catalog_version", Integer, nullable=False, default=1, server_default="1"),
)

# A lĩnh vực; `series` is its numbering series (a prefix such as "B", or "#1001").
field_t = Table(
    "field", metadata, _id(), _site(index=True),
    _text("code", 32), _text("name", 200), _text("name_en", 200, default=""),
    _text("series", 16), _text("prefix", 3, nullable=True),
    Column("block", Integer, nullable=True), _number("block_size", 999),
    Column("daily_cap", Integer, nullable=True), _number("minutes", 10.0, Float),
    _number("position", 0), _flag("active"),
    # Set by an emergency closure: the kiosk issues nothing for the field while it is set.
    _text("closed_reason", 200, nullable=True),
    UniqueConstraint("site_id", "code"),
)

procedure_t = Table(
    "procedure", metadata, _id(), _site(index=True),
    _ref("field_id", "field", nullable=False, index=True),
    _text("code", 32), _text("name", 300), _text("name_en", 300, default=""),
    _number("position", 0), _flag("active"),
    UniqueConstraint("site_id", "code"),
)

counter_t = Table(
    "counter", metadata, _id(), _site(index=True),
    _text("code", 32), _text("name", 200), _text("name_en", 200, default=""),
    _number("position", 0), _flag("active"),
    _text("paused_reason", 200, nullable=True), _at("paused_at"),
    # Normal tickets called since this counter's last priority ticket (interleave mode).
    _number("normal_streak", 0),
    # Appointments called since this counter's last walk-in (at most appointments.every).
    _number("appointment_streak", 0),
    UniqueConstraint("site_id", "code"),
)

# Which fields a counter serves; rank 0 is its primary field.
counter_field_t = Table(
    "counter_field", metadata,
    Column("counter_id", Integer, ForeignKey("counter.id"), primary_key=True),
    Column("field_id", Integer, ForeignKey("field.id"), primary_key=True),
    _number("rank", 0),
)

staff_t = Table(
    "staff", metadata, _id(), _site(index=True),
    _text("code", 32), _text("name", 200), _text("role", 16, default="official"),
    _text("pin_hash", 300, default=""), _flag("active"), _number("failed_logins", 0),
    _at("locked_until"),
    UniqueConstraint("site_id", "code"),
)

# The counters a person may use; none means any. By id, so that a counter renamed in the
# hall file keeps its staff.
staff_counter_t = Table(
    "staff_counter", metadata,
    Column("staff_id", Integer, ForeignKey("staff.id"), primary_key=True),
    Column("counter_id", Integer, ForeignKey("counter.id"), primary_key=True),
)

# Who works at a counter now: one row per counter, written when an official signs in there
# and deleted when they sign out. `session` names the screen that signed in, so that a second
# official taking the counter over signs the first one's screen out (it no longer holds it).
counter_sign_in_t = Table(
    "counter_sign_in", metadata,
    Column("counter_id", Integer, ForeignKey("counter.id"), primary_key=True),
    _site(), _ref("staff_id", "staff", nullable=False),
    _text("session", 32), _at("since", nullable=False),
)

# Failed sign-ins per client (a browser's address, or "local" for a terminal) and code.
# The row with an empty code is the client as a whole: each failure makes it wait longer
# before its next try, whatever code it types. A (client, code) row locks that code for that
# client only, so that nobody on the hall's Wi-Fi can lock an official out of their own
# counter PC; an unknown code is counted like a real one, so answers reveal nothing.
guard_t = Table(
    "sign_in_guard", metadata,
    Column("site_id", Integer, ForeignKey("site.id"), primary_key=True),
    Column("client", String(64), primary_key=True),
    Column("code", String(32), primary_key=True),
    _number("failures", 0), _at("blocked_until"),
)

# The last number handed out per site, local day and series: the numbering source.
series_t = Table(
    "day_series", metadata,
    Column("site_id", Integer, ForeignKey("site.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("series", String(16), primary_key=True),
    _number("last", 0),
)

ticket_t = Table(
    "ticket", metadata, _id(), _site(),
    Column("day", Date, nullable=False), _text("series", 16),
    Column("seq", Integer, nullable=False), _text("number", 16),
    Column("token", String(64), nullable=False, unique=True),
    _ref("field_id", "field", nullable=False), _ref("procedure_id", "procedure"),
    _text("priority", 32, nullable=True), _text("status", 16, default=Status.WAITING),
    _at("issued_at", nullable=False),
    # Position in line: the issue time, kept across transfers, moved by a return.
    _at("queue_at", nullable=False),
    _at("called_at"), _at("started_at"), _at("finished_at"),
    _ref("counter_id", "counter"),
    # Set when transferred to one counter: only that counter may call it.
    _ref("target_counter_id", "counter"),
    _number("recalls", 0), _number("transfers", 0), _ref("staff_id", "staff"),
    # The booking code a checked-in appointment came with.
    _text("appointment", 12, nullable=True),
    # Taken with a CCCD scanned or typed (the card itself is never stored: see `identity_t`).
    Column("identity", Boolean, nullable=False, default=False),
    UniqueConstraint("site_id", "day", "series", "seq"),
    # A line in queue order (call-next reads its head); carries `priority` so that counting
    # who is ahead never reads the table itself.
    Index("ix_ticket_line", "site_id", "status", "field_id", "day", "queue_at", "id",
          "priority"),
    # The priority line on its own: its head and its length without walking past the
    # field's normal tickets.
    Index("ix_ticket_priority_line", "site_id", "status", "field_id", "day", "queue_at", "id",
          sqlite_where=text("priority IS NOT NULL"),
          postgresql_where=text("priority IS NOT NULL")),
    # A number is never handed out twice in a day, whatever the configuration says.
    Index("ux_ticket_number", "site_id", "day", "number", unique=True),
    # Booked citizens' lines: their heads without walking the walk-ins of the field.
    Index("ix_ticket_appointment_line", "site_id", "status", "field_id", "day", "queue_at", "id",
          sqlite_where=text("appointment IS NOT NULL"),
          postgresql_where=text("appointment IS NOT NULL")),
    # Tickets sent to a counter by name: found without walking the whole queue. Only those:
    # the rest would cost every issue a page write for nothing.
    Index("ix_ticket_target", "target_counter_id",
          sqlite_where=text("target_counter_id IS NOT NULL"),
          postgresql_where=text("target_counter_id IS NOT NULL")),
    # The database itself guarantees a counter holds at most one current ticket.
    Index("ux_ticket_counter_current", "counter_id", unique=True,
          sqlite_where=text(CURRENT_TICKET), postgresql_where=text(CURRENT_TICKET)),
)

# Append-only log of every state change; its growing id is the screens' change feed.
event_t = Table(
    "ticket_event", metadata, _id(), _site(),
    _ref("ticket_id", "ticket"), _ref("counter_id", "counter"), _ref("staff_id", "staff"),
    _text("kind", 24), _at("at", nullable=False),
    # JSON: status before and after, transfer source and target, reasons.
    _text("detail", 2000, default=""),
    Index("ix_event_site_id", "site_id", "id"),
    Index("ix_event_ticket", "ticket_id"),
)

# A booked slot of a field on a local day. `code` is what the citizen holds (the QR, the page
# /b/<code>, the kiosk's check-in); `phone` is personal data, deleted after keep_days.
booking_t = Table(
    "booking", metadata, _id(), _site(),
    Column("code", String(12), nullable=False, unique=True),
    _ref("field_id", "field", nullable=False), _ref("procedure_id", "procedure"),
    Column("day", Date, nullable=False), _text("slot", 5),
    _at("slot_start", nullable=False), _at("slot_end", nullable=False),
    _text("status", 16), _text("phone", 20, nullable=True),
    _at("created_at", nullable=False), _at("changed_at", nullable=False),
    _ref("ticket_id", "ticket"),
    # Set once the notification hook told the citizen their turn is near (once only).
    Column("near_sent", Boolean, nullable=False, default=False),
    # A booking made with a CCCD: the number's keyed hash (see `identity_use_t`), deleted
    # with the phone after keep_days. One live booking per person, field and day.
    Column("person", String(64), nullable=True),
    # Of the elderly age when booked (the card's derived flag, kept as long as `person`):
    # the check-in's ticket is offered the priority as a scan at the kiosk would be.
    Column("aged", Boolean, nullable=True),
    Index("ix_booking_day", "site_id", "day", "slot_start"),
    Index("ux_booking_person", "site_id", "day", "field_id", "person", unique=True,
          sqlite_where=text(BOOKING_HELD), postgresql_where=text(BOOKING_HELD)),
)

# Bookings per slot: the database refuses one more than the slot holds, whatever the
# concurrency (a booking raises `booked` only where it is still below `capacity`).
booking_slot_t = Table(
    "booking_slot", metadata,
    Column("site_id", Integer, ForeignKey("site.id"), primary_key=True),
    Column("field_id", Integer, ForeignKey("field.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("slot", String(5), primary_key=True),
    _number("booked", 0), _number("capacity", 0),
    CheckConstraint("booked >= 0 AND booked <= capacity", name="ck_booking_slot_room"),
)

# The notification hook's outbox: a notice is written in the transaction of the change it
# tells of, then delivered at least once by a deliverer holding it under a lease (a deliverer
# that dies loses its lease when `lease_until` passes, and another takes the notice over).
notice_t = Table(
    "notice", metadata, _id(), _site(),
    _text("event", 16),
    # The booking code: its notices are delivered in order (a cancellation never first).
    _text("subject", 12),
    # The event as the hook reads it; its phone number is removed once the notice is done.
    Column("payload", String(2000), nullable=False),
    _text("status", 8, default="pending"), _number("attempts", 0),
    _at("created_at", nullable=False),
    # Not before then (a retry's back-off); none: at once.
    _at("due_at"),
    _text("lease", 32, nullable=True), _at("lease_until"),
    _at("done_at"),
    Index("ix_notice_pending", "status", "id"),
)

# Every attempt at a notice, in order: when, and what came of it.
notice_attempt_t = Table(
    "notice_attempt", metadata, _id(),
    _ref("notice_id", "notice", nullable=False, index=True),
    Column("attempt", Integer, nullable=False),
    # No end and no outcome: the deliverer died during the attempt.
    _at("started_at", nullable=False), _at("finished_at"),
    _text("outcome", 200),
)

# A day an administrator set apart (`queue-kiosk calendar close|open`): closed with a reason,
# or open with its hours (empty: an ordinary working day's). Over the hall's [calendar].
calendar_day_t = Table(
    "calendar_day", metadata,
    Column("site_id", Integer, ForeignKey("site.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("open", Boolean, nullable=False),
    _text("hours", 100, default=""), _text("reason", 200, default=""),
    _at("changed_at", nullable=False),
)

rating_t = Table(
    "rating", metadata, _id(), _site(index=True),
    _ref("ticket_id", "ticket", nullable=False, unique=True),
    _text("level", 32), _at("at", nullable=False),
    _ref("counter_id", "counter"), _ref("staff_id", "staff"),
)

# The screen processes (kiosk, counter, display, serve) that said they were alive, one row per
# role, counter, host and client; `seen_at` moves at most once a minute. A clean exit deletes
# its row, so a row left behind is a screen that died.
heartbeat_t = Table(
    "screen_heartbeat", metadata, _id(), _site(),
    _text("role", 16), _text("counter", 32, default=""), _text("host", 100),
    _text("client", 64, default="local"), Column("pid", Integer, nullable=False),
    _text("version", 32), _text("address", 200, default=""),
    _at("started_at", nullable=False), _at("seen_at", nullable=False),
    UniqueConstraint("site_id", "role", "counter", "host", "client",
                     name="ux_screen_heartbeat"),
)

# Identity (CCCD, VNeID): `person` is HMAC-SHA256 of the ID number under a per-site key kept
# outside the database, never the number, name or address; both tables are emptied at
# close-day. The numbers a person took per day and scope (a field's code, or "*" for the
# whole day): taking one raises `used` only where it is below the hall's limit, in the
# ticket's own transaction, so two kiosks scanning one card at once issue one ticket.
identity_use_t = Table(
    "identity_use", metadata,
    Column("site_id", Integer, ForeignKey("site.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("person", String(64), primary_key=True),
    Column("scope", String(32), primary_key=True),
    _number("used", 0),
    CheckConstraint("used >= 0", name="ck_identity_use_used"),
)

# Which of today's tickets a person holds: the refusal names it, the counter compares a
# card scanned at the call with it.
identity_ticket_t = Table(
    "identity_ticket", metadata,
    Column("ticket_id", Integer, ForeignKey("ticket.id"), primary_key=True),
    _site(), Column("day", Date, nullable=False), Column("person", String(64), nullable=False),
    _ref("field_id", "field", nullable=False),
    Index("ix_identity_ticket_person", "site_id", "day", "person"),
)

# An alert a site raised (`service.alerts`): what (`kind`: wait, paused, no_counter, printer,
# voice, screen, booked_missing), about what (`subject`: a field's or counter's code, a
# screen; empty for the site), from `since` until `cleared`. At most one open row per site,
# kind and subject, whatever the number of processes evaluating at once: the database
# refuses a second, so each alert is raised once and cleared once.
OPEN_ALERT = "cleared IS NULL"
alert_t = Table(
    "alert", metadata, _id(), _site(),
    _text("kind", 16), _text("subject", 120, default=""),
    # What the alert measured when raised (minutes, a share, a reason), for the operator.
    _text("detail", 200, default=""),
    _at("since", nullable=False), _at("cleared"),
    Index("ux_alert_open", "site_id", "kind", "subject", unique=True,
          sqlite_where=text(OPEN_ALERT), postgresql_where=text(OPEN_ALERT)),
    Index("ix_alert_since", "site_id", "since"),
)

# The province's default thresholds (`[alerts]` of `queue-kiosk alerts --defaults FILE`),
# one row for the whole database; a hall's own `[alerts]` keys go over them.
alert_defaults_t = Table(
    "alert_defaults", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("config_json", String, nullable=False),
    _at("updated_at", nullable=False),
    CheckConstraint("id = 1", name="ck_alert_defaults_one"),
)

# What administrators changed (the admin screen, `queue-kiosk audit --restore`): who, when,
# what, and the centre before and after as hall-file text, so any version can be restored.
# `version` is the catalogue version the change made (none for a staff change, which is not
# in the hall). Rows are never updated or deleted.
admin_change_t = Table(
    "admin_change", metadata, _id(), _site(),
    _at("at", nullable=False), _text("staff", 32), _text("action", 32),
    Column("version", Integer, nullable=True),
    _text("summary", 2000), Column("before", String, nullable=False),
    Column("after", String, nullable=False),
    Index("ix_admin_change_site", "site_id", "id"),
)

# What a province viewer may see: an account (a staff row whose role is `province`, signing in
# at `/province/`) or a bearer token (the province's operations centre, `/api/province/`).
# `sites` lists site codes, comma-separated; empty: every site. A token is stored as its
# SHA-256 (it is random and long: a hash without salt or cost is enough), never itself; a
# revoked one keeps its row, so that `token list` still says who had access until when.
province_grant_t = Table(
    "province_grant", metadata, _id(),
    _text("kind", 8), _text("name", 100),
    _ref("staff_id", "staff", unique=True),
    Column("token_hash", String(64), nullable=True, unique=True),
    _text("sites", 2000, default=""),
    _at("created_at", nullable=False), _at("revoked_at"),
    UniqueConstraint("kind", "name", name="ux_province_grant_name"),
)

# Local first (see docs/province.md). On a commune: every change to a shipped table, as the
# row's image after it (a delete: its key), written by triggers in the change's own
# transaction; `seq` is commit order, the key the province applies it by, exactly once.
ship_log_t = Table(
    "ship_log", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    _text("tbl", 32), _text("op", 1),
    Column("row", String, nullable=False),
    sqlite_autoincrement=True,  # a seq is never used twice, even after its row is pruned
)

# On a commune: how far the province has acknowledged the log (one row).
ship_state_t = Table(
    "ship_state", metadata,
    Column("id", Integer, primary_key=True),
    Column("acked", Integer, nullable=False, default=0),
    # The capture triggers installed (a digest of their text): other ones, or none, and
    # `ship` installs them again with a fresh snapshot of every row.
    _text("capture", 64, default=""),
)

# On the province: one row per shipping commune, by its site code; the token is kept as its
# SHA-256 only. `applied` is the last log seq applied (in the same transaction as the rows),
# `heard_at` the last time the commune's shipper reached us, even with nothing to send.
ship_site_t = Table(
    "ship_site", metadata,
    Column("code", String(32), primary_key=True),
    _text("token_hash", 64),
    Column("applied", Integer, nullable=False, default=0),
    _at("heard_at"), _at("applied_at"),
)

# On the province: a commune's own row id (its `tbl`, its site code) → the province's id of
# the same row. Ids collide between communes (each starts at 1), so shipped rows get the
# province's own ids and keep every report, join and index working unchanged.
ship_map_t = Table(
    "ship_map", metadata,
    Column("code", String(32), primary_key=True),
    Column("tbl", String(32), primary_key=True),
    Column("local_id", Integer, primary_key=True),
    Column("province_id", Integer, nullable=False),
    # The way back: which of the province's bookings its commune has (and a field's id
    # there, for a booking sent down).
    Index("ix_ship_map_province", "code", "tbl", "province_id"),
)
