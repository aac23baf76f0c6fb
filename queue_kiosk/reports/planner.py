"""Provides the staffing planner: from a day's demand per field and hour to which counter
serves which fields, primary first, and after how long a wait a counter helps a field that is
not its own (`policy.secondary_max_wait_minutes`).

Each plan is judged by simulating the same days (the same citizens, several seeds) through
the product's own routing (`routing.choose_next`), so lines stay straight by construction: no
citizen is called before an earlier one of the same field and class. The search starts from
the hall as configured and takes, one at a time, the change that lowers the p95 wait most:
a counter taking one more field, among those its official may serve, or a different
secondary wait; it stops when no change gains 1 %. The lower bound is the pooled line: every
counter serving every field, first come, first served.
"""

from __future__ import annotations

import heapq
import statistics
import time
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from queue_kiosk.config.hall import HallConfig
from queue_kiosk.domain import routing
from queue_kiosk.domain.views import JsonView
from queue_kiosk.reports.typical_day import percentile
from queue_kiosk.reports.workload import (
    Citizen,
    Demand,
    citizens_of,
    clock_time,
    closing_time,
    opening_hours,
)
from queue_kiosk.wording import say

SECONDARY_WAITS = (0, 5, 10, 15, 20, 30)
"""The secondary waits the search tries (0: a counter's fields are one line for it)."""
GAIN = 0.01
"""A change must lower the p95 wait by this share to be taken."""
CHART_MINUTES = 15
_EPOCH = datetime(2026, 1, 5, tzinfo=UTC)  # routing compares instants; only their gaps count


@dataclass(frozen=True)
class Plan:
    counters: Mapping[str, tuple[str, ...]]
    """Counter code → the fields it serves, primary first."""
    secondary_wait: int
    """Minutes after which a counter calls whoever waited longest among its fields."""
    windows: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    """Counter code → the working minutes it opens and closes at; the others open all day.
    A counter past its close finishes the citizen it serves and calls no one else."""

    def with_field(self, counter: str, field_code: str) -> Plan:
        counters = dict(self.counters)
        counters[counter] = (*counters[counter], field_code)
        return replace(self, counters=counters)


@dataclass(frozen=True, slots=True)
class Waits(JsonView):
    mean_minutes: float
    p95_minutes: float
    max_minutes: float


@dataclass(frozen=True, slots=True)
class Outcome(JsonView):
    """A plan simulated on the planner's days."""

    mean_minutes: float
    p95_minutes: float
    max_minutes: float
    last_leaves_at: str
    """Local time the last citizen's service ends (the latest over the days)."""
    after_hours: bool
    """Whether that is past the hall's closing time."""
    fields: dict[str, Waits]
    utilisation: dict[str, float]
    """Counter code → share of the opening-to-last-citizen span it was serving."""
    waiting: list[int]
    """Citizens waiting every CHART_MINUTES from opening, on the first day: the chart."""
    overtakes: int
    """Calls that passed over an earlier citizen of the same field and class (always 0)."""
    unserved: dict[str, int]
    """Field → citizens never called, over the days: a field no counter of the plan serves.
    Their waits are not in the figures; a proposal always serves them."""
    counters: dict[str, dict[str, list[str]]] | None = None
    """For a plan: counter code → its primary and secondary fields."""
    secondary_wait_minutes: int | None = None


@dataclass(frozen=True, slots=True)
class PlanReport(JsonView):
    current: Outcome
    proposal: Outcome
    pooled: Outcome
    verdict: str
    verdict_en: str
    seconds: float
    """How long the planner took."""
    days: int
    citizens_per_day: int
    """Whole citizens: the average over the simulated days, rounded."""
    extra_counter: ExtraCounter | None = None
    """The hours one more counter helps most on top of the proposal; None: none helps."""


@dataclass(frozen=True, slots=True)
class ExtraCounter(JsonView):
    """One more counter, serving every field (the slowest first), for a block of hours."""

    opens_at: str
    closes_at: str
    fields: list[str]
    mean_minutes: float
    p95_minutes: float


# ----- demand -----------------------------------------------------------------------------


# ----- simulating a plan ------------------------------------------------------------------

@dataclass
class _Day:
    waits: dict[str, list[float]] = field(default_factory=dict)
    busy: dict[str, float] = field(default_factory=dict)
    last: float = 0.0
    called: list[tuple[float, float]] = field(default_factory=list)
    """(arrival, call) per citizen: the waiting chart."""
    overtakes: int = 0
    unserved: dict[str, int] = field(default_factory=dict)
    """Citizens no counter of the plan calls (a field no counter serves), per field."""


def run_day(plan: Plan, citizens: Sequence[Citizen], rules: routing.Rules,
            field_ids: Mapping[str, int]) -> _Day:
    """One day of `plan`: counters call through `routing.choose_next` over the heads of the
    lines, in event order; they stay until the line is empty."""
    rules = replace(rules, secondary_max_wait=timedelta(minutes=plan.secondary_wait))
    codes = list(plan.counters)
    routes = {code: routing.CounterRoute(n, {field_ids[f]: rank
                                             for rank, f in enumerate(plan.counters[code])})
              for n, code in enumerate(codes)}
    lines: dict[tuple[int, bool], deque[routing.Candidate]] = {}
    arrived: dict[int, Citizen] = {}
    day = _Day(busy=dict.fromkeys(codes, 0.0))
    events: list[tuple[float, int, int, str]] = []  # (minute, kind, order, counter)
    for n, citizen in enumerate(citizens):
        heapq.heappush(events, (citizen.minute, 0, n, ""))
    for n, code in enumerate(codes):
        heapq.heappush(events, (plan.windows.get(code, (0.0, 0.0))[0], 1, n, code))
    idle: set[str] = set()
    order = len(citizens) + len(codes)
    while events:
        now, kind, n, code = heapq.heappop(events)
        when = _EPOCH + timedelta(minutes=now)
        if kind == 0:
            citizen = citizens[n]
            candidate = routing.Candidate(n, field_ids[citizen.field], citizen.priority, when)
            lines.setdefault((candidate.field_id, candidate.priority), deque()).append(
                candidate)
            arrived[n] = citizen
            for waiting in sorted(idle):
                order += 1
                heapq.heappush(events, (now, 1, order, waiting))
            idle.clear()
            continue
        if code in plan.windows and now >= plan.windows[code][1]:
            continue  # its hours are over
        route = routes[code]
        heads = [line[0] for line in lines.values() if line]
        chosen = routing.choose_next(route, heads, when, rules)
        if chosen is None:
            idle.add(code)
            continue
        lines[chosen.field_id, chosen.priority].popleft()
        routes[code] = routing.after_call(route, chosen)
        citizen = arrived.pop(chosen.ticket_id)
        day.overtakes += sum(1 for other in arrived.values() if other.field == citizen.field
                             and other.priority == citizen.priority
                             and other.minute < citizen.minute)
        day.waits.setdefault(citizen.field, []).append(now - citizen.minute)
        day.called.append((citizen.minute, now))
        day.busy[code] += citizen.service
        day.last = max(day.last, now + citizen.service)
        order += 1
        heapq.heappush(events, (now + citizen.service, 1, order, code))
    for citizen in arrived.values():
        day.unserved[citizen.field] = day.unserved.get(citizen.field, 0) + 1
    return day


def _waits(values: Sequence[float]) -> Waits:
    return Waits(round(statistics.fmean(values), 1) if values else 0.0,
                 round(percentile(values, 0.95), 1), round(max(values, default=0.0), 1))


def evaluate(hall: HallConfig, plan: Plan, days: Sequence[Sequence[Citizen]],
             *, describe: bool = True) -> Outcome:
    """`plan` over the same days; figures pooled over all their citizens."""
    field_ids = {f.code: n for n, f in enumerate(hall.fields)}
    rules = routing.Rules(priority_mode=hall.policy.priority_mode,
                          priority_every=hall.policy.priority_every)
    runs = [run_day(plan, day, rules, field_ids) for day in days]
    every = [w for run in runs for values in run.waits.values() for w in values]
    by_field: dict[str, list[float]] = {}
    for run in runs:
        for code, values in run.waits.items():
            by_field.setdefault(code, []).extend(values)
    last = max((run.last for run in runs), default=0.0)
    span = sum(run.last for run in runs) or 1.0
    overall = _waits(every)
    first = runs[0] if runs else _Day()
    steps = int(first.last // CHART_MINUTES) + 1
    waiting = [sum(1 for arrival, call in first.called if arrival <= t * CHART_MINUTES < call)
               for t in range(steps)]
    return Outcome(
        mean_minutes=overall.mean_minutes, p95_minutes=overall.p95_minutes,
        max_minutes=overall.max_minutes, last_leaves_at=clock_time(hall, last),
        after_hours=last > sum(hour.minutes for hour in opening_hours(hall)),
        fields={code: _waits(values) for code, values in sorted(by_field.items())},
        utilisation={code: round(sum(run.busy[code] for run in runs) / span, 2)
                     for code in plan.counters},
        waiting=waiting, overtakes=sum(run.overtakes for run in runs),
        unserved={code: sum(run.unserved.get(code, 0) for run in runs)
                  for code in sorted({c for run in runs for c in run.unserved})},
        counters={code: {"primary": list(fields[:1]), "secondary": list(fields[1:])}
                  for code, fields in plan.counters.items()} if describe else None,
        secondary_wait_minutes=plan.secondary_wait if describe else None)


# ----- the plans ----------------------------------------------------------------------------

def current_plan(hall: HallConfig, counters: int | None = None) -> Plan:
    """The hall as configured; with `counters`, more or fewer, the extra ones repeating its
    counters' fields in turn (as the simulator sizes a hall)."""
    configured = [(c.code, tuple(c.fields)) for c in hall.counters]
    if counters is not None and counters != len(configured):
        configured = [(str(n + 1), configured[n % len(configured)][1])
                      for n in range(counters)]
    return Plan(dict(configured), int(hall.policy.secondary_max_wait_minutes))


def pooled_plan(hall: HallConfig, plan: Plan) -> Plan:
    """Every counter serves every field, first come, first served: the lower bound."""
    every = tuple(f.code for f in hall.fields)
    return Plan(dict.fromkeys(plan.counters, every), 0)


def propose(hall: HallConfig, start: Plan, days: Sequence[Sequence[Citizen]],
            competence: Mapping[str, Iterable[str]] | None = None,
            max_steps: int = 12) -> Plan:
    """Greedy descent on the p95 wait (then the mean) from `start`: each step takes the best
    single change; `competence` (counter → fields its official may serve; a counter not
    named may serve any) bounds which fields a counter may take."""
    every = [f.code for f in hall.fields]
    allowed = {code: set(competence[code]) if competence and code in competence
               else set(every) for code in start.counters}

    def score(plan: Plan) -> tuple[int, float, float]:
        return _score(evaluate(hall, plan, days, describe=False))

    best, best_score = start, score(start)
    for _ in range(max_steps):
        outcome = evaluate(hall, best, days, describe=False)
        # Fields nobody calls, then those whose citizens wait longest: where help counts.
        slow = [*outcome.unserved, *sorted(outcome.fields,
                                           key=lambda c: -outcome.fields[c].p95_minutes)][:4]
        moves = [best.with_field(counter, code) for counter, fields in best.counters.items()
                 for code in slow if code not in fields and code in allowed[counter]]
        moves += [replace(best, secondary_wait=w) for w in SECONDARY_WAITS
                  if w != best.secondary_wait]
        scored = [(score(move), n, move) for n, move in enumerate(moves)]
        if not scored:
            break
        found, _, move = min(scored)
        if not _gains(found, best_score):
            break
        best, best_score = move, found
    return best


def _gains(found: tuple[int, float, float], best: tuple[int, float, float]) -> bool:
    """Fewer citizens left uncalled, or a p95 GAIN lower, or the same p95 and a mean GAIN
    lower."""
    (unserved, p95, mean), (best_unserved, best_p95, best_mean) = found, best
    if unserved != best_unserved:
        return unserved < best_unserved
    return p95 <= best_p95 * (1 - GAIN) or (p95 <= best_p95 and mean < best_mean * (1 - GAIN))


EXTRA = "+"
"""The code of the extra counter in a plan."""
EXTRA_HOURS = 3
"""The longest block the extra counter is proposed for: a relief official's morning."""
EXTRA_MINUTES = 10
"""What one more official must take off the p95 wait to be worth proposing."""


def extra_hours(hall: HallConfig, plan: Plan, reached: Outcome,
                days: Sequence[Sequence[Citizen]]) -> tuple[Plan, Outcome] | None:
    """`plan` (whose outcome is `reached`) with one more counter for the block of clock
    hours where it lowers the p95 wait most (the best single hour, then grown by an hour
    before or after while that gains GAIN), and its outcome; None where no block takes
    EXTRA_MINUTES off the p95 wait."""
    slowest = tuple(sorted(reached.fields, key=lambda c: -reached.fields[c].p95_minutes))
    fields = slowest + tuple(f.code for f in hall.fields if f.code not in slowest)
    hours = opening_hours(hall)

    def helped(first: int, last: int) -> tuple[tuple[int, float, float], int, int, Plan,
                                                Outcome]:
        window = (float(hours[first].start), float(hours[last].start + hours[last].minutes))
        extra = Plan({**plan.counters, EXTRA: fields}, plan.secondary_wait,
                     {**plan.windows, EXTRA: window})
        outcome = evaluate(hall, extra, days, describe=False)
        return _score(outcome), first, last, extra, outcome

    start = _score(reached)
    found = min((helped(n, n) for n in range(len(hours))), key=lambda t: t[0], default=None)
    if found is None or not _gains(found[0], start):
        return None
    while found[2] - found[1] + 1 < EXTRA_HOURS:
        first, last = found[1], found[2]
        wider = min((helped(a, b) for a, b in ((first - 1, last), (first, last + 1))
                     if a >= 0 and b < len(hours)), key=lambda t: t[0], default=None)
        if wider is None or not _gains(wider[0], found[0]):
            break
        found = wider
    score, _, _, best, outcome = found
    if score[0] == start[0] and score[1] > start[1] - EXTRA_MINUTES:
        return None
    return best, outcome


def _score(outcome: Outcome) -> tuple[int, float, float]:
    """What the search lowers: citizens left uncalled, then the p95 wait, then the mean."""
    return sum(outcome.unserved.values()), outcome.p95_minutes, outcome.mean_minutes


def plan_days(hall: HallConfig, demand: Demand, seeds: int) -> list[list[Citizen]]:
    return [citizens_of(hall, demand, seed) for seed in range(1, seeds + 1)]


def _pruned(hall: HallConfig, start: Plan, found: Plan,
            days: Sequence[Sequence[Citizen]]) -> Plan:
    """`found` without the added fields that do not earn their place: each is dropped when
    the p95 wait stays within GAIN of what `found` reached (fewer changes to explain)."""
    reached = evaluate(hall, found, days, describe=False)
    plan = found
    for counter, fields in found.counters.items():
        for code in fields[len(start.counters.get(counter, ())):]:
            counters = dict(plan.counters)
            counters[counter] = tuple(f for f in counters[counter] if f != code)
            lighter = replace(plan, counters=counters)
            outcome = evaluate(hall, lighter, days, describe=False)
            if outcome.unserved == reached.unserved and \
                    outcome.p95_minutes <= reached.p95_minutes * (1 + GAIN):
                plan = lighter
    return plan


@dataclass(frozen=True, slots=True)
class Change:
    counter: str
    added: tuple[str, ...]


def changes(current: Plan, proposal: Plan) -> list[Change]:
    return [Change(code, added) for code, fields in proposal.counters.items()
            if (added := tuple(f for f in fields if f not in current.counters.get(code, ())))]


def verdict(hall: HallConfig, current: Plan, proposal: Plan, before: Outcome, after: Outcome,
            pooled: Outcome, lang: str) -> str:
    """The proposal in one plain sentence for the centre's head."""
    names = {f.code: f.label(lang) for f in hall.fields}
    figures = {"before": round(before.p95_minutes), "after": round(after.p95_minutes),
               "pooled": round(pooled.p95_minutes)}
    moves = changes(current, proposal)
    if not moves and proposal.secondary_wait == current.secondary_wait:
        return say("plan.keep", lang, **figures)
    parts = [say("plan.takes", lang, counter=move.counter,
                 fields=", ".join(names[code] for code in move.added)) for move in moves]
    return say("plan.verdict", lang, changes="; ".join(parts) or say("plan.no_fields", lang),
               when=say("plan.when_wait", lang, wait=proposal.secondary_wait)
               if proposal.secondary_wait else say("plan.when_now", lang), **figures)


def make_plan(hall: HallConfig, demand: Demand, *, counters: int | None = None,
         competence: Mapping[str, Iterable[str]] | None = None, seeds: int = 5) -> PlanReport:
    """The current plan, the proposal and the pooled line on the same `seeds` days."""
    began = time.perf_counter()
    days = plan_days(hall, demand, seeds)
    current = current_plan(hall, counters)
    proposal = _pruned(hall, current, propose(hall, current, days, competence), days)
    before, after = evaluate(hall, current, days), evaluate(hall, proposal, days)
    pooled = evaluate(hall, pooled_plan(hall, current), days, describe=False)
    helped = extra_hours(hall, proposal, after, days)
    extra = None if helped is None else ExtraCounter(
        opens_at=clock_time(hall, helped[0].windows[EXTRA][0]),
        closes_at=closing_time(hall, helped[0].windows[EXTRA][1]),
        fields=list(helped[0].counters[EXTRA]), mean_minutes=helped[1].mean_minutes,
        p95_minutes=helped[1].p95_minutes)
    said = {lang: verdict(hall, current, proposal, before, after, pooled, lang)
            + _extra_said(hall, extra, lang) for lang in ("vi", "en")}
    return PlanReport(
        current=before, proposal=after, pooled=pooled, verdict=said["vi"],
        verdict_en=said["en"], seconds=round(time.perf_counter() - began, 2), days=seeds,
        citizens_per_day=round(sum(len(day) for day in days) / max(1, len(days))),
        extra_counter=extra)


def _extra_said(hall: HallConfig, extra: ExtraCounter | None, lang: str) -> str:
    if extra is None:
        return ""
    names = {f.code: f.label(lang) for f in hall.fields}
    return " " + say("plan.extra", lang, opens=extra.opens_at, closes=extra.closes_at,
                     field=names[extra.fields[0]], p95=round(extra.p95_minutes))
