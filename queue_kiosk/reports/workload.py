"""Provides a day's demand for the planner: citizens per field and working hour (typical, from
the tickets of a period, or from a file), and the citizens of one simulated day."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from queue_kiosk.config.hall import HallConfig
from queue_kiosk.domain.errors import ConfigError
from queue_kiosk.domain.text import nfc
from queue_kiosk.reports.typical_day import SURGES, TYPICAL_SHARES, service_minutes

PRIORITY_SHARE = 0.12




@dataclass(frozen=True)
class Demand:
    """Citizens per field (code) and working hour, on an average day."""

    per_hour: Mapping[str, Mapping[int, float]]
    """Field code → local clock hour (8 is 08:00–08:59) → citizens."""

    @property
    def total(self) -> float:
        return sum(sum(hours.values()) for hours in self.per_hour.values())


@dataclass(frozen=True, slots=True)
class Citizen:
    minute: float
    field: str
    priority: bool
    service: float


@dataclass(frozen=True, slots=True)
class _Hour:
    clock_hour: int
    start: int
    """Working minutes before this hour's open part begins."""
    minutes: int
    """Open minutes in this hour."""


def opening_hours(hall: HallConfig) -> list[_Hour]:
    """The clock hours the hall's Monday (the planner's day) is open in, lunch left out."""
    spans = [(start.hour * 60 + start.minute, end.hour * 60 + end.minute)
             for start, end in hall.hours.periods(0)] or [(7 * 60 + 30, 17 * 60)]
    hours: list[_Hour] = []
    passed = 0
    for begin, end in spans:
        minute = begin
        while minute < end:
            stop = min(end, (minute // 60 + 1) * 60)
            if hours and hours[-1].clock_hour == minute // 60:
                last = hours[-1]  # two windows inside one clock hour: one slot of demand
                hours[-1] = _Hour(last.clock_hour, last.start, last.minutes + stop - minute)
            else:
                hours.append(_Hour(minute // 60, passed, stop - minute))
            passed += stop - minute
            minute = stop
    return hours


def clock_time(hall: HallConfig, minute: float) -> str:
    """The local time `minute` working minutes after opening; past closing, the last hour
    runs on (the counters stay until the line is empty)."""
    return _hhmm(_clock_minute(hall, minute))


def closing_time(hall: HallConfig, minute: float) -> str:
    """The local time a span of work ending `minute` working minutes after opening ends:
    the start of a break, not its end."""
    return _hhmm(_clock_minute(hall, minute - 1) + 1)


def _clock_minute(hall: HallConfig, minute: float) -> float:
    spans = [(start.hour * 60 + start.minute, end.hour * 60 + end.minute)
             for start, end in hall.hours.periods(0)] or [(7 * 60 + 30, 17 * 60)]
    for begin, end in spans:
        if minute < end - begin:
            return begin + minute
        minute -= end - begin
    return spans[-1][1] + minute


def _hhmm(clock_minute: float) -> str:
    whole = round(clock_minute)
    later = f" (+{whole // 1440})" if whole >= 1440 else ""  # the line outlasts the night
    return f"{whole // 60 % 24:02d}:{whole % 60:02d}{later}"


def typical_demand(hall: HallConfig, citizens: int = 300) -> Demand:
    """The simulator's day (its field shares, its surges after opening and after lunch) as
    citizens per field and clock hour."""
    hours = opening_hours(hall)
    weight_of = [sum(next((k for a, b, k in SURGES if a <= m < b), 1.0)
                     for m in range(hour.start, hour.start + hour.minutes)) for hour in hours]
    fields = {f.code: TYPICAL_SHARES.get(f.code, 1.0) for f in hall.fields}
    scale = citizens / sum(fields.values()) / sum(weight_of)
    return Demand({code: {hour.clock_hour: share * weight * scale
                          for hour, weight in zip(hours, weight_of, strict=True)}
                   for code, share in fields.items()})


def demand_from_tickets(hall: HallConfig, tickets: Iterable[tuple[str, int]],
                        days: int) -> Demand:
    """The average day of `days` from tickets as (field code, local clock hour of issue).
    Fields the hall no longer has and hours it is closed in are left out."""
    open_hours = {hour.clock_hour for hour in opening_hours(hall)}
    per_hour: dict[str, dict[int, float]] = {f.code: {} for f in hall.fields}
    for code, hour in tickets:
        if code in per_hour and hour in open_hours:
            per_hour[code][hour] = per_hour[code].get(hour, 0.0) + 1 / max(1, days)
    return Demand(per_hour)


def parse_demand(hall: HallConfig, text: str, source: str) -> Demand:
    """A demand file: CSV rows `field,hour,citizens` (a header row is allowed): citizens
    of a field arriving in a clock hour (8 is 08:00–08:59) on an average day."""
    known = {f.code for f in hall.fields}
    open_hours = sorted(hour.clock_hour for hour in opening_hours(hall))
    per_hour: dict[str, dict[int, float]] = {code: {} for code in known}
    for line_number, row in enumerate(csv.reader(io.StringIO(nfc(text))), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or (line_number == 1 and cells[:1] == ["field"]):
            continue
        problem = _demand_row_problem(cells, known, open_hours)
        if problem:
            raise ConfigError("config.invalid", file=source, where=f"line {line_number}: ",
                              detail=problem)
        code, hour, count = cells[0], int(cells[1]), float(cells[2])
        per_hour[code][hour] = per_hour[code].get(hour, 0.0) + count
    demand = Demand(per_hour)
    if demand.total <= 0:
        raise ConfigError("config.invalid", file=source, where="",
                          detail="no citizens in the demand (rows: field,hour,citizens)")
    return demand


def _demand_row_problem(cells: list[str], known: set[str], open_hours: list[int]) -> str:
    if len(cells) != 3:
        return f"expected 'field,hour,citizens', got {','.join(cells)!r}"
    code, hour, count = cells
    if code not in known:
        return f"unknown field '{code}' (known: {', '.join(sorted(known))})"
    if not hour.isdigit() or int(hour) not in open_hours:
        return (f"hour must be an opening hour of the hall "
                f"({', '.join(map(str, open_hours))}), got {hour!r}")
    try:
        if not 0 <= float(count) <= 10_000:
            raise ValueError
    except ValueError:
        return f"citizens must be a number from 0 to 10000, got {count!r}"
    return ""


def citizens_of(hall: HallConfig, demand: Demand, seed: int) -> list[Citizen]:
    """One day: Poisson arrivals per field and hour at the demand's rates, spread over the
    open part of each hour, service times around each field's minutes (as the simulator
    draws them), a share of priority citizens."""
    rng = random.Random(seed)
    minutes = {f.code: f.minutes for f in hall.fields}
    day: list[Citizen] = []
    for hour in opening_hours(hall):
        for code, hours in sorted(demand.per_hour.items()):
            rate = hours.get(hour.clock_hour, 0.0) / hour.minutes
            if rate <= 0 or code not in minutes:
                continue
            at = rng.expovariate(rate)
            while at < hour.minutes:
                day.append(Citizen(hour.start + at, code, rng.random() < PRIORITY_SHARE,
                                   service_minutes(rng, minutes[code])))
                at += rng.expovariate(rate)
    return sorted(day, key=lambda c: c.minute)
