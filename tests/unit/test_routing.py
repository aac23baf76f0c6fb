"""Property tests of the call-next policy: whatever the queue, calls go in line order."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from queue_kiosk.domain.routing import (
    Candidate,
    CounterRoute,
    Rules,
    after_call,
    call_order,
    calls_before,
    choose_next,
    eligible,
    line_of,
)

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
COUNTER = 1


@st.composite
def scenarios(draw: st.DrawFn, booked: bool = True,
              ) -> tuple[CounterRoute, list[Candidate], Rules]:
    """A counter, a queue and the rules; with `booked`, some normal tickets are booked
    citizens, their slot (queue time) past or still to come."""
    served = draw(st.lists(st.integers(1, 5), min_size=1, max_size=4, unique=True))
    route = CounterRoute(COUNTER, {field: rank for rank, field in enumerate(served)},
                         draw(st.integers(0, 5)), draw(st.integers(0, 3)))
    tickets = []
    for ticket_id in range(1, draw(st.integers(0, 40)) + 1):
        priority = draw(st.booleans())
        appointment = booked and not priority and draw(st.integers(0, 2)) == 0
        tickets.append(Candidate(
            ticket_id=ticket_id,
            field_id=draw(st.integers(1, 5)),
            priority=priority,
            queue_at=NOW - timedelta(minutes=draw(st.integers(-30 if appointment else 0, 60))),
            target_counter_id=draw(st.sampled_from([None, None, None, COUNTER, 2])),
            appointment=appointment,
        ))
    rules = Rules(priority_mode=draw(st.sampled_from(["strict", "interleave"])),
                  priority_every=draw(st.integers(1, 4)),
                  secondary_max_wait=timedelta(minutes=draw(st.integers(0, 90))),
                  appointment_every=draw(st.integers(1, 3)))
    return route, tickets, rules


def drain(route: CounterRoute, tickets: list[Candidate],
          rules: Rules) -> list[tuple[Candidate, list[Candidate], CounterRoute]]:
    """Call until nothing is left; returns (chosen, pool at the time, the counter's streaks
    at the time)."""
    pool = list(tickets)
    calls: list[tuple[Candidate, list[Candidate], CounterRoute]] = []
    while True:
        chosen = choose_next(route, pool, NOW, rules)
        if chosen is None:
            return calls
        calls.append((chosen, list(pool), route))
        pool.remove(chosen)
        route = after_call(route, chosen)


def due(ticket: Candidate) -> bool:
    """A booked citizen whose slot has started."""
    return ticket.appointment and ticket.queue_at <= NOW


def key(t: Candidate) -> tuple[datetime, int]:
    return t.queue_at, t.ticket_id


def line_heads(waiting: list[Candidate]) -> list[Candidate]:
    """What the store's call-next query returns: the first ticket of each line."""
    heads: dict[object, Candidate] = {}
    for ticket in sorted(waiting, key=key):
        heads.setdefault(line_of(ticket), ticket)
    return list(heads.values())


@settings(max_examples=300)
@given(scenarios(booked=False))
def test_the_count_ahead_is_the_place_in_the_call_order_of_a_lone_counter(
        scenario: tuple[CounterRoute, list[Candidate], Rules]) -> None:
    """One counter serving one field: what the ticket says is ahead is its place in line."""
    route, tickets, rules = scenario
    field = min(route.field_ranks)
    route = CounterRoute(COUNTER, {field: 0}, route.normal_streak)
    waiting = [replace(t, field_id=field, target_counter_id=None) for t in tickets]
    for place, ticket in enumerate(call_order(route, waiting, NOW, rules)):
        same = [t for t in waiting if t.priority == ticket.priority]
        earlier = sum(1 for t in same if key(t) < key(ticket))
        assert calls_before(ticket.priority, earlier, len(waiting) - len(same),
                            route.normal_streak, rules) == place


@settings(max_examples=300)
@given(scenarios())
def test_every_call_takes_the_head_of_its_field_and_class(
        scenario: tuple[CounterRoute, list[Candidate], Rules]) -> None:
    route, tickets, rules = scenario
    for chosen, pool, _ in drain(route, tickets, rules):
        assert eligible(route, chosen)
        same_line = [t for t in pool if eligible(route, t) and t.field_id == chosen.field_id
                     and t.priority == chosen.priority and t.appointment == chosen.appointment
                     and (t.target_counter_id is None) == (chosen.target_counter_id is None)]
        assert chosen == min(same_line, key=key)


@settings(max_examples=300)
@given(scenarios())
def test_every_eligible_ticket_is_called_exactly_once_and_no_other(
        scenario: tuple[CounterRoute, list[Candidate], Rules]) -> None:
    route, tickets, rules = scenario
    called = [chosen.ticket_id for chosen, _, _ in drain(route, tickets, rules)]
    assert sorted(called) == sorted(t.ticket_id for t in tickets if eligible(route, t))


@settings(max_examples=300)
@given(scenarios())
def test_priority_classes_follow_the_configured_mode(
        scenario: tuple[CounterRoute, list[Candidate], Rules]) -> None:
    route, tickets, rules = scenario
    for chosen, pool, now_route in drain(route, tickets, rules):
        mine = [t for t in pool if eligible(route, t)]
        has_priority = any(t.priority for t in mine)
        has_normal = any(not t.priority for t in mine)
        if rules.priority_mode == "strict":
            assert chosen.priority == has_priority
        elif has_priority and has_normal:
            # One priority ticket after every N normal ones: neither class starves.
            assert chosen.priority == (now_route.normal_streak >= rules.priority_every)


@settings(max_examples=300)
@given(scenarios())
def test_primary_fields_go_first_unless_someone_waited_too_long(
        scenario: tuple[CounterRoute, list[Candidate], Rules]) -> None:
    route, tickets, rules = scenario
    for chosen, pool, _ in drain(route, tickets, rules):
        if due(chosen):
            continue  # booked citizens go by their slot (the test below)
        group = [t for t in pool if eligible(route, t) and t.priority == chosen.priority
                 and not due(t)]
        if len(group) < sum(eligible(route, t) and t.priority == chosen.priority for t in pool):
            # A walk-in's turn while booked citizens are due: their lines wait whole.
            group = [t for t in group if not t.appointment]
        if any(NOW - t.queue_at >= rules.secondary_max_wait for t in group):
            assert chosen == min(group, key=key)
        else:
            def rank(t: Candidate) -> int:
                return 0 if t.target_counter_id is not None else route.field_ranks[t.field_id]
            assert rank(chosen) == min(rank(t) for t in group)


@settings(max_examples=300)
@given(scenarios())
def test_the_heads_of_the_lines_alone_give_the_same_choice(
        scenario: tuple[CounterRoute, list[Candidate], Rules]) -> None:
    """What lets the store load one ticket per line instead of the whole queue."""
    route, tickets, rules = scenario
    for _, pool, now_route in drain(route, tickets, rules):
        assert choose_next(now_route, line_heads(pool), NOW, rules) == \
            choose_next(now_route, pool, NOW, rules)


@settings(max_examples=300)
@given(scenarios(), st.integers(0, 50))
def test_call_order_is_the_order_of_calling_one_by_one(
        scenario: tuple[CounterRoute, list[Candidate], Rules], limit: int) -> None:
    route, tickets, rules = scenario
    one_by_one = [chosen for chosen, _, _ in drain(route, tickets, rules)]
    assert call_order(route, tickets, NOW, rules) == one_by_one
    assert call_order(route, tickets, NOW, rules, limit=limit) == one_by_one[:limit]


@settings(max_examples=300)
@given(scenarios())
def test_booked_citizens_go_first_once_due_and_walk_ins_never_starve(
        scenario: tuple[CounterRoute, list[Candidate], Rules]) -> None:
    """From its slot's start a booked citizen goes before the walk-ins, the earliest slot
    first, but never more than `appointment_every` in a row while a walk-in waits."""
    route, tickets, rules = scenario
    for chosen, pool, now_route in drain(route, tickets, rules):
        if chosen.priority:
            continue
        mine = [t for t in pool if eligible(route, t) and not t.priority]
        booked = [t for t in mine if due(t)]
        walk_ins = [t for t in mine if not t.appointment]
        if due(chosen):
            assert chosen == min(booked, key=key)
            assert not walk_ins or now_route.appointment_streak < rules.appointment_every
        elif booked:
            assert walk_ins and now_route.appointment_streak >= rules.appointment_every


@settings(max_examples=300)
@given(scenarios())
def test_a_booked_citizen_waits_at_most_one_call_after_the_slot_starts(
        scenario: tuple[CounterRoute, list[Candidate], Rules]) -> None:
    """With interleave, a counter free at the slot's start calls the earliest due booking
    first, or second after one priority citizen's turn (priority citizens keep their
    place), unless it has just called its `appointment_every` booked citizens in a row."""
    route, tickets, rules = scenario
    rules = replace(rules, priority_mode="interleave")
    route = replace(route, appointment_streak=0)
    mine = [t for t in tickets if eligible(route, t) and due(t)]
    if not mine:
        return
    first = min(mine, key=key)
    assert call_order(route, tickets, NOW, rules, limit=2).count(first) == 1


def test_a_ticket_transferred_to_another_counter_is_not_taken() -> None:
    route = CounterRoute(COUNTER, {1: 0})
    elsewhere = Candidate(1, 1, False, NOW - timedelta(minutes=30), target_counter_id=2)
    later = Candidate(2, 1, False, NOW)
    assert choose_next(route, [elsewhere, later], NOW, Rules()) == later


def test_interleave_takes_a_priority_ticket_at_once_when_no_normal_one_waits() -> None:
    route = CounterRoute(COUNTER, {1: 0}, normal_streak=0)
    only = Candidate(1, 1, True, NOW)
    assert choose_next(route, [only], NOW, Rules(priority_every=5)) == only
