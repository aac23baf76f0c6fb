"""Provides the call-next policy: a pure function of (counter, waiting tickets, now).

Rules, in order ("xếp hàng thẳng"):
1. A counter considers the waiting tickets of the fields it serves, plus tickets transferred to
   it by name; a ticket transferred to another counter is not its to take.
2. Priority class: `strict` takes priority tickets first whenever any wait; `interleave` takes
   one priority ticket after every N normal ones this counter called (N = `priority_every`), and
   a priority ticket at once when no normal one waits, so neither class starves.
3. Booked citizens (a checked-in appointment, placed in line at its slot's start) are normal
   tickets of their own line: once its slot has started, an appointment goes before the
   walk-ins, the earliest slot first, but a counter calls at most `appointment_every` of them
   in a row while a walk-in waits, so walk-ins never starve; the priority rule above is
   unchanged (priority citizens keep their place). An appointment checked in before its slot
   waits like a walk-in who came at the slot's start.
4. Within the class: if any candidate has waited at least `secondary_max_wait`, the one that has
   waited longest goes (plain first come, first served); otherwise the counter's primary field
   goes before its secondary ones, in the order the counter lists them.
5. Ties break by queue time, then ticket id (issue order).

Invariant: the chosen ticket is always the head of its own line (field, class, booked or not,
and the counter it was sent to, if any), so within one field and class tickets are called in
queue order, and the heads of the lines alone give the same choice as every waiting ticket: the
store loads only those. Queue order is issue order except that a transferred ticket keeps its
original issue time, a returning no-show is placed by the `return_after` rule, and a booked
citizen's place is the slot's start.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal


@dataclass(frozen=True, slots=True)
class Candidate:
    ticket_id: int
    field_id: int
    priority: bool
    queue_at: datetime
    target_counter_id: int | None = None
    appointment: bool = False
    """A booked citizen's ticket: `queue_at` is the slot's start."""


@dataclass(frozen=True, slots=True)
class CounterRoute:
    counter_id: int
    field_ranks: Mapping[int, int]
    """field id -> rank; rank 0 is the primary field."""
    normal_streak: int = 0
    appointment_streak: int = 0
    """Appointments this counter called since its last walk-in."""


@dataclass(frozen=True, slots=True)
class Rules:
    priority_mode: Literal["strict", "interleave"] = "interleave"
    priority_every: int = 2
    secondary_max_wait: timedelta = timedelta(minutes=20)
    appointment_every: int = 2


def _queue_key(ticket: Candidate) -> tuple[datetime, int]:
    return ticket.queue_at, ticket.ticket_id


def eligible(counter: CounterRoute, ticket: Candidate) -> bool:
    if ticket.target_counter_id is not None:
        return ticket.target_counter_id == counter.counter_id
    return ticket.field_id in counter.field_ranks


def _rank(counter: CounterRoute, ticket: Candidate) -> int:
    # A ticket sent to this counter by name counts as primary work for it.
    return counter.field_ranks.get(ticket.field_id, 0) if ticket.target_counter_id is None else 0


def choose_next(
    counter: CounterRoute, waiting: Sequence[Candidate], now: datetime, rules: Rules
) -> Candidate | None:
    pool = [t for t in waiting if eligible(counter, t)]
    priority = [t for t in pool if t.priority]
    normal = [t for t in pool if not t.priority]
    if rules.priority_mode == "strict":
        group = priority or normal
    else:
        due = counter.normal_streak >= rules.priority_every
        group = priority if priority and (due or not normal) else normal
    if not group:
        return None
    if group is normal:
        booked = [t for t in normal if t.appointment and t.queue_at <= now]
        if booked and (counter.appointment_streak < rules.appointment_every
                       or all(t.appointment for t in normal)):
            return min(booked, key=_queue_key)
        if booked:  # a walk-in's turn: booked citizens' lines wait whole, kept straight
            group = [t for t in normal if not t.appointment]
    overdue = any(now - t.queue_at >= rules.secondary_max_wait for t in group)
    if overdue:
        return min(group, key=_queue_key)
    return min(group, key=lambda t: (_rank(counter, t), *_queue_key(t)))


def next_streak(streak: int, chosen: Candidate) -> int:
    return 0 if chosen.priority else streak + 1


def next_appointment_streak(streak: int, chosen: Candidate) -> int:
    if chosen.priority:
        return streak
    return streak + 1 if chosen.appointment else 0


def after_call(counter: CounterRoute, chosen: Candidate) -> CounterRoute:
    """The counter's streaks once it has called `chosen`."""
    return replace(counter, normal_streak=next_streak(counter.normal_streak, chosen),
                   appointment_streak=next_appointment_streak(counter.appointment_streak,
                                                              chosen))


def calls_before(priority: bool, earlier_in_class: int, other_class: int, streak: int,
                 rules: Rules) -> int:
    """How many citizens a counter calls before a waiting ticket of its field: the earlier
    ones of its class, and those of the other class that the priority mode puts first.
    `other_class` counts every waiting ticket of the other class, `streak` is the counter's
    normal streak. Exact for a counter serving the field alone (a property test compares it
    with `call_order`); with several counters it is an estimate."""
    if rules.priority_mode == "strict":
        return earlier_in_class + (0 if priority else other_class)
    every = rules.priority_every
    normals_first = max(0, every - streak)  # normal calls before the next priority turn
    if priority:
        # Each earlier priority ticket takes one turn, and `every` normal ones come between.
        return earlier_in_class + min(other_class, normals_first + earlier_in_class * every)
    turns = 0 if earlier_in_class < normals_first else (
        (earlier_in_class - normals_first) // every + 1)
    return earlier_in_class + min(other_class, turns)


def line_of(ticket: Candidate) -> Hashable:
    """The line a ticket waits in: its field, its class, booked or not, and the counter it
    was sent to."""
    return ticket.field_id, ticket.priority, ticket.appointment, ticket.target_counter_id


def call_order(counter: CounterRoute, waiting: Sequence[Candidate], now: datetime,
               rules: Rules, limit: int | None = None) -> list[Candidate]:
    """The order in which `counter` would call `waiting` if nothing else changed.

    Chooses among line heads only (the invariant above), so a long queue costs
    O(n log n), not a full scan per place."""
    lines: dict[Hashable, deque[Candidate]] = {}
    for ticket in sorted((t for t in waiting if eligible(counter, t)), key=_queue_key):
        lines.setdefault(line_of(ticket), deque()).append(ticket)
    ordered: list[Candidate] = []
    while lines and (limit is None or len(ordered) < limit):
        chosen = choose_next(counter, [line[0] for line in lines.values()], now, rules)
        if chosen is None:
            break
        ordered.append(chosen)
        line = lines[line_of(chosen)]
        line.popleft()
        if not line:
            del lines[line_of(chosen)]
        counter = after_call(counter, chosen)
    return ordered
