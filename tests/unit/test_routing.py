"""Property tests of the call-next policy: whatever the queue, calls go in line order."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from queue_kiosk.routing import (
    Candidate,
    CounterRoute,
    Rules,
    call_order,
    calls_before,
    choose_next,
    eligible,
    line_of,
    next_streak,
)

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
COUNTER = 1


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[CounterRoute, list[Candidate], Rules]:
    served = draw(st.lists(st.integers(1, 5), min_size=1, max_size=4, unique=True))
    route = CounterRoute(COUNTER, {field: rank for rank, field in enumerate(served)},
                         draw(st.integers(0, 5)))
    tickets = []
    for ticket_id in range(1, draw(st.integers(0, 40)) + 1):
        tickets.append(Candidate(
            ticket_id=ticket_id,
            field_id=draw(st.integers(1, 5)),
            priority=draw(st.booleans()),
            queue_at=NOW - timedelta(minutes=draw(st.integers(0, 60))),
            target_counter_id=draw(st.sampled_from([None, None, None, COUNTER, 2])),
        ))
    rules = Rules(priority_mode=draw(st.sampled_from(["strict", "interleave"])),
                  priority_every=draw(st.integers(1, 4)),
                  secondary_max_wait=timedelta(minutes=draw(st.integers(0, 90))))
    return route, tickets, rules


def drain(route: CounterRoute, tickets: list[Candidate],
          rules: Rules) -> list[tuple[Candidate, list[Candidate], int]]:
    """Call until nothing is left; returns (chosen, pool at the time, streak at the time)."""
    pool = list(tickets)
    calls: list[tuple[Candidate, list[Candidate], int]] = []
    while True:
        chosen = choose_next(route, pool, NOW, rules)
        if chosen is None:
            return calls
        calls.append((chosen, list(pool), route.normal_streak))
        pool.remove(chosen)
        route = CounterRoute(route.counter_id, route.field_ranks,
                             next_streak(route.normal_streak, chosen))


def key(t: Candidate) -> tuple[datetime, int]:
    return t.queue_at, t.ticket_id


def line_heads(waiting: list[Candidate]) -> list[Candidate]:
    """What the store's call-next query returns: the first ticket of each line."""
    heads: dict[object, Candidate] = {}
    for ticket in sorted(waiting, key=key):
        heads.setdefault(line_of(ticket), ticket)
    return list(heads.values())


@settings(max_examples=300)
@given(scenarios())
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
                     and t.priority == chosen.priority
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
    for chosen, pool, streak in drain(route, tickets, rules):
        mine = [t for t in pool if eligible(route, t)]
        has_priority = any(t.priority for t in mine)
        has_normal = any(not t.priority for t in mine)
        if rules.priority_mode == "strict":
            assert chosen.priority == has_priority
        elif has_priority and has_normal:
            # One priority ticket after every N normal ones: neither class starves.
            assert chosen.priority == (streak >= rules.priority_every)


@settings(max_examples=300)
@given(scenarios())
def test_primary_fields_go_first_unless_someone_waited_too_long(
        scenario: tuple[CounterRoute, list[Candidate], Rules]) -> None:
    route, tickets, rules = scenario
    for chosen, pool, _ in drain(route, tickets, rules):
        group = [t for t in pool if eligible(route, t) and t.priority == chosen.priority]
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
    for _, pool, streak in drain(route, tickets, rules):
        now_route = CounterRoute(route.counter_id, route.field_ranks, streak)
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


def test_a_ticket_transferred_to_another_counter_is_not_taken() -> None:
    route = CounterRoute(COUNTER, {1: 0})
    elsewhere = Candidate(1, 1, False, NOW - timedelta(minutes=30), target_counter_id=2)
    later = Candidate(2, 1, False, NOW)
    assert choose_next(route, [elsewhere, later], NOW, Rules()) == later


def test_interleave_takes_a_priority_ticket_at_once_when_no_normal_one_waits() -> None:
    route = CounterRoute(COUNTER, {1: 0}, normal_streak=0)
    only = Candidate(1, 1, True, NOW)
    assert choose_next(route, [only], NOW, Rules(priority_every=5)) == only
