"""Provides the day simulator: a commune centre's day run through the real queue service with
the injectable clock, in seconds, so a centre can size its counters and we can measure the
routing against a pooled first-come-first-served baseline.

Model: arrivals from a seeded non-homogeneous Poisson process (a surge at opening, a smaller
one after lunch), fields drawn by weight, service times log-normal around each field's
configured minutes, a priority share and a no-show share (no-shows are recalled to the limit).
"""

from __future__ import annotations

import heapq
import random
import statistics
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from queue_kiosk.config.hall import CounterConfig, HallConfig
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.domain.views import JsonView
from queue_kiosk.reports.typical_day import SURGES, TYPICAL_SHARES, percentile, service_minutes
from queue_kiosk.service.appointments import Appointments
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.migrate import upgrade
from queue_kiosk.store.store import Store

OPEN_MINUTES = 8 * 60  # 07:30–11:30 and 13:30–17:30 as one 8-hour working day
@dataclass(frozen=True)
class SimulationSettings:
    tickets: int = 300
    counters: int | None = None
    """Counters to simulate; None keeps the configuration's. More or fewer repeat its
    counters' field lists in turn."""
    seed: int = 1
    priority_share: float = 0.12
    no_show_share: float = 0.04
    priority_mode: Literal["strict", "interleave"] | None = None
    appointments: float = 0.0
    """The share of (non-priority) citizens who book the slot at or after their arrival
    the day before, and come to check in a few minutes before it."""
    day: date = date(2026, 11, 25)
    overload: Overload | None = None


@dataclass(frozen=True)
class Overload:
    """Citizens of one field added between two clock times, on purpose (a week whose
    bottleneck a comparison must find)."""

    field: str
    start: str
    """"08:00": local clock time, within the morning or the afternoon."""
    end: str
    tickets: int


@dataclass(frozen=True, slots=True)
class FieldWaits(JsonView):
    field: str
    tickets: int
    mean: float
    p95: float
    max: float


@dataclass(frozen=True, slots=True)
class SimulationResult(JsonView):
    tickets: int
    counters: int
    priority_mode: str
    served: int
    no_shows: int
    unserved: int
    """Still waiting when the day ended."""
    overtakes: int
    """Calls that took a ticket while an older one of the same field and class waited."""
    waits: list[FieldWaits]
    mean_wait: float
    p95_wait: float
    max_wait: float
    longest_normal_wait: float
    longest_priority_wait: float
    day_length_minutes: float
    waiting_at_close: int
    """Citizens who arrived during the working day and were still waiting at its end."""
    open_minutes: int
    """The working day simulated (lunch left out)."""
    baseline_mean_wait: float
    baseline_p95_wait: float
    baseline_max_wait: float
    booked: int = 0
    """Citizens who booked (simulate --appointments) and checked in."""
    booked_mean_wait: float = 0.0
    """Their wait from the slot's start."""
    booked_p95_wait: float = 0.0


@dataclass(order=True)
class _Arrival:
    minute: float
    field_code: str = field(compare=False)
    priority: bool = field(compare=False)
    no_show: bool = field(compare=False)
    service: float = field(compare=False)
    booking: str | None = field(default=None, compare=False)
    slot: float = field(default=0.0, compare=False)
    """For a booked citizen: the slot's start, in minutes after opening."""


def _rate(minute: float) -> float:
    return next((k for start, end, k in SURGES if start <= minute < end), 1.0)


def arrivals(hall: HallConfig, settings: SimulationSettings) -> list[_Arrival]:
    rng = random.Random(settings.seed)
    weights = [TYPICAL_SHARES.get(f.code, 1) for f in hall.fields]
    peak = max(k for _, _, k in SURGES)
    times: list[float] = []
    minute = 0.0
    base = settings.tickets / sum(_rate(m) for m in range(OPEN_MINUTES))
    while len(times) < settings.tickets:
        minute += rng.expovariate(base * peak)  # thinning: propose at the peak rate
        if minute >= OPEN_MINUTES:
            minute = rng.uniform(0, OPEN_MINUTES)  # keep the count exact for small days
        if rng.random() < _rate(minute) / peak:
            times.append(minute)
    drawn = [(at, rng.choices(hall.fields, weights)[0]) for at in times]
    extra = settings.overload
    if extra is not None:
        chosen = next(f for f in hall.fields if f.code == extra.field)
        first, last = _working_minute(extra.start), _working_minute(extra.end)
        drawn += [(rng.uniform(first, last), chosen) for _ in range(extra.tickets)]
    out = []
    for at, chosen in sorted(drawn, key=lambda pair: pair[0]):
        service = service_minutes(rng, chosen.minutes)
        out.append(_Arrival(at, chosen.code, rng.random() < settings.priority_share,
                            rng.random() < settings.no_show_share, service))
    return out


def _working_minute(hhmm: str) -> float:
    """A clock time as minutes into the simulated day: 07:30 is 0, 13:30 is 240."""
    minute = _minutes_after(datetime(2026, 1, 1, 7, 30), hhmm)
    return minute if minute <= 240 else minute - 120


def sized_hall(hall: HallConfig, settings: SimulationSettings) -> HallConfig:
    hours = hall.hours.model_copy(update={"enforce": False})
    if settings.appointments > 0:
        hall = hall.model_copy(update={"appointments": hall.appointments.model_copy(
            update={"enabled": True})})
    policy = hall.policy if settings.priority_mode is None else hall.policy.model_copy(
        update={"priority_mode": settings.priority_mode})
    counters = hall.counters
    if settings.counters is not None and settings.counters != len(hall.counters):
        counters = [CounterConfig(code=str(n + 1), name=f"Quầy {n + 1}",
                                  fields=hall.counters[n % len(hall.counters)].fields)
                    for n in range(settings.counters)]
    priorities = hall.priorities or []
    return hall.model_copy(update={"hours": hours, "policy": policy, "counters": counters,
                                   "priorities": priorities})


def simulate(hall: HallConfig, settings: SimulationSettings,
             folder: Path | None = None, *, store: Store | None = None) -> SimulationResult:
    """One day of the hall; in a scratch database (or `folder`'s), or with `store`, as its
    site's `settings.day` among other sites and days (a simulated province's week)."""
    hall = sized_hall(hall, settings)
    plan = arrivals(hall, settings)
    start = datetime.combine(settings.day, time(7, 30), ZoneInfo(hall.site.timezone))
    clock = FrozenClock(start)
    scratch = tempfile.TemporaryDirectory() if folder is None and store is None else None
    given = store
    if store is None:
        where = Path(scratch.name) if scratch else folder
        assert where is not None
        store = Store(f"sqlite:///{where / 'simulation.db'}")
        upgrade(store)
    load_catalog(store, hall, clock)
    service = QueueService(store, site=hall.site.code, clock=clock)
    desk = Appointments(service)
    if settings.appointments > 0:
        plan = _booked(desk, plan, settings, start)
    priority_code = hall.priorities[0].code if hall.priorities else None
    # Events: (minute, order, kind, payload). Counters become free; citizens arrive.
    events: list[tuple[float, int, str, object]] = []
    order = 0
    for arrival in plan:
        heapq.heappush(events, (arrival.minute, order, "arrive", arrival))
        order += 1
    for counter in hall.counters:
        heapq.heappush(events, (0.0, order, "free", counter.code))
        order += 1
    by_ticket: dict[int, _Arrival] = {}
    issued_at: dict[int, float] = {}
    waits: dict[str, list[float]] = defaultdict(list)
    booked_waits: list[float] = []
    kind_waits: dict[bool, list[float]] = defaultdict(list)
    idle: set[str] = set()
    overtakes = served = no_shows = late = 0
    # (field, priority, booked, queue minute, id): within a line, calls go in this order.
    waiting_keys: dict[int, tuple[str, bool, bool, float, int]] = {}
    now = 0.0
    while events:
        now, _, kind, payload = heapq.heappop(events)
        clock.set(start + timedelta(minutes=now))
        if kind == "arrive":
            assert isinstance(payload, _Arrival)
            arrival = payload
            ticket = desk.checkin(arrival.booking) if arrival.booking else service.issue(
                arrival.field_code, priority=priority_code
                if arrival.priority and priority_code else None)
            by_ticket[ticket.id] = arrival
            # A booked citizen's wait counts from the slot, as the reports count it.
            issued_at[ticket.id] = arrival.slot if arrival.booking else now
            waiting_keys[ticket.id] = (arrival.field_code, arrival.priority,
                                       arrival.booking is not None, issued_at[ticket.id],
                                       ticket.id)
            for code in sorted(idle):  # wake an idle counter that serves this field
                heapq.heappush(events, (now, order, "free", code))
                order += 1
            idle.clear()
            continue
        code = str(payload)
        called = service.call_next(code)
        if called is None:
            idle.add(code)
            continue
        arrival = by_ticket[called.id]
        key = waiting_keys.pop(called.id)
        overtakes += sum(1 for other in waiting_keys.values()
                         if other[:3] == key[:3] and other[3:] < key[3:])
        wait = max(0.0, now - issued_at[called.id])
        if arrival.booking:
            booked_waits.append(wait)
        if now > OPEN_MINUTES:
            late += 1  # called after closing time
        waits[arrival.field_code].append(wait)
        kind_waits[arrival.priority].append(wait)
        if arrival.no_show:
            limit = hall.policy.recall_limit
            for _ in range(limit + 1):
                service.recall(code)  # the last one past the limit marks the no-show
            no_shows += 1
            busy = 1.0 + limit * 0.5
        else:
            service.start(code)
            busy = arrival.service
            clock.set(start + timedelta(minutes=now + busy))
            service.finish(code)
            served += 1
        heapq.heappush(events, (now + busy, order, "free", code))
        order += 1
    if given is None:
        store.dispose()
    if scratch is not None:
        scratch.cleanup()
    all_waits = [w for values in waits.values() for w in values]
    base = pooled_fcfs(plan, len(hall.counters))
    return SimulationResult(
        tickets=len(plan), counters=len(hall.counters), priority_mode=hall.policy.priority_mode,
        served=served, no_shows=no_shows, unserved=len(plan) - served - no_shows,
        overtakes=overtakes,
        waits=[FieldWaits(code, len(values), round(statistics.fmean(values), 1),
                          round(percentile(values, 0.95), 1), round(max(values), 1))
               for code, values in sorted(waits.items())],
        mean_wait=round(statistics.fmean(all_waits), 1) if all_waits else 0.0,
        p95_wait=round(percentile(all_waits, 0.95), 1),
        max_wait=round(max(all_waits, default=0.0), 1),
        longest_normal_wait=round(max(kind_waits[False], default=0.0), 1),
        longest_priority_wait=round(max(kind_waits[True], default=0.0), 1),
        day_length_minutes=round(now, 1), waiting_at_close=late, open_minutes=OPEN_MINUTES,
        baseline_mean_wait=round(base[0], 1),
        baseline_p95_wait=round(base[1], 1), baseline_max_wait=round(base[2], 1),
        booked=len(booked_waits),
        booked_mean_wait=round(statistics.fmean(booked_waits), 1) if booked_waits else 0.0,
        booked_p95_wait=round(percentile(booked_waits, 0.95), 1))


def _booked(desk: Appointments, plan: list[_Arrival], settings: SimulationSettings,
            start: datetime) -> list[_Arrival]:
    """`plan` with a share of its citizens booked the day before: each takes the first slot
    with room at or after the time they would have come, and comes to check in up to ten
    minutes before it; with no such slot left, they walk in as before."""
    rng = random.Random(settings.seed + 1)
    clock = desk.service.clock
    assert isinstance(clock, FrozenClock)
    clock.set(start - timedelta(days=1))  # the day before: every slot still open
    early = min(10.0, float(desk.settings.early_minutes))
    out = []
    for arrival in plan:
        if arrival.priority or rng.random() >= settings.appointments:
            out.append(arrival)
            continue
        slots = [(minute, slot) for slot in desk.slots(arrival.field_code, start.date())
                 if slot.free > 0 and (minute := _minutes_after(start, slot.slot_start))
                 >= arrival.minute]
        if not slots:
            out.append(arrival)
            continue
        minute, slot = slots[0]
        code = desk.book(arrival.field_code, start.date(), slot.slot_start).code
        out.append(replace(arrival, minute=max(0.0, minute - rng.uniform(0, early)),
                           booking=code, slot=minute))
    clock.set(start)
    return sorted(out)


def _minutes_after(start: datetime, hhmm: str) -> float:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return float((hour * 60 + minute) - (start.hour * 60 + start.minute))


def pooled_fcfs(plan: Iterable[_Arrival], counters: int) -> tuple[float, float, float]:
    """The baseline: one line, every counter serves every field, strict arrival order (what a
    single shared number sequence gives). Returns mean, p95 and max wait."""
    free = [0.0] * counters
    heapq.heapify(free)
    waits = []
    for arrival in sorted(plan):
        at = heapq.heappop(free)
        begin = max(at, arrival.minute)
        waits.append(begin - arrival.minute)
        busy = 1.0 + 0.5 * 3 if arrival.no_show else arrival.service
        heapq.heappush(free, begin + busy)
    if not waits:
        return 0.0, 0.0, 0.0
    return statistics.fmean(waits), percentile(waits, 0.95), max(waits)
