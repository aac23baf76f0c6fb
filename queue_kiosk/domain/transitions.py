"""Provides the ticket's life as a pure policy, beside `routing` (which ticket comes next):
which status allows which action, what a recall past the limit becomes, and where a
returning no-show joins the line. The service applies it inside its transactions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Literal

from queue_kiosk.domain.models import ACTIVE_STATUSES, EventKind, Status

Action = Literal["call", "recall", "start", "finish", "no-show", "transfer", "return"]

ALLOWED: dict[Action, tuple[Status, ...]] = {
    "call": (Status.WAITING, Status.NO_SHOW),  # a no-show who came back, called by number
    "recall": (Status.CALLED,),
    "start": (Status.CALLED,),
    "finish": ACTIVE_STATUSES,
    "no-show": (Status.CALLED,),
    "transfer": ACTIVE_STATUSES,
    "return": (Status.NO_SHOW,),
}
"""From which statuses each action may move a ticket."""

ACTION_OF: dict[EventKind, Action] = {
    EventKind.CALLED: "call", EventKind.RECALLED: "recall", EventKind.STARTED: "start",
    EventKind.FINISHED: "finish", EventKind.NO_SHOW: "no-show",
    EventKind.TRANSFERRED: "transfer", EventKind.RETURNED: "return"}
"""The action an event records: what a refused change was, in the words of `ticket.state`."""

QUEUE_GAP = timedelta(microseconds=1)
"""The smallest step in queue time: a returning ticket goes just after (or before) another."""


def allows(action: Action, status: str) -> bool:
    return status in ALLOWED[action]


def after_recall(recalls: int, limit: int) -> EventKind:
    """A called citizen who does not come: called again until `limit` recalls, then a
    no-show (who may come back later and be returned to the line)."""
    return EventKind.NO_SHOW if recalls >= limit else EventKind.RECALLED


def taken_elsewhere(action: Action, status: str) -> bool:
    """A call refused because a counter holds the ticket now: most often the loser of two
    counters calling one number at once, who is told which counter has it."""
    return action in ("call", "return") and status in ACTIVE_STATUSES


def heads_to_read(return_after: int) -> int:
    """How many of the line's first tickets `returned_queue_at` needs."""
    return max(return_after, 1)


def returned_queue_at(now: datetime, line: Sequence[datetime], return_after: int) -> datetime:
    """Where a returning no-show joins its line (field and class): behind the `return_after`
    citizens now first in it, or at the back if fewer wait. `line`: the queue times of the
    line's first `heads_to_read(return_after)` tickets, in order."""
    if return_after == 0:
        return min(now, line[0] - QUEUE_GAP) if line else now
    if len(line) >= return_after:
        return min(now, line[return_after - 1] + QUEUE_GAP)
    return now
