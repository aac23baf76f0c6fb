"""Provides the states and event kinds every table and transition speaks of."""

from __future__ import annotations

from enum import StrEnum


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


class BookingStatus(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"
    MISSED = "missed"


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
    VOICE_FAILED = "voice_failed"
    VOICE_RESTORED = "voice_restored"
    COUNTER_PAUSED = "counter_paused"
    COUNTER_RESUMED = "counter_resumed"
    FIELD_CLOSED = "field_closed"
    FIELD_REOPENED = "field_reopened"
    DAY_CLOSED = "day_closed"
    CATALOG_LOADED = "catalog_loaded"
