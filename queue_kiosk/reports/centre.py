"""Provides reports for the centre and for Decision 766: volumes, waiting and service times,
targets and satisfaction, per field, counter, official and hour, from the event log.

Definitions (documented in the README):
- waiting: issue → first call (recalls, returns and transfers do not restart it);
- walk-up: the last call → start, where the official pressed start;
- service: start → finish (a finish without start counts from the call);
- p90: nearest rank; within target: share of called tickets waiting ≤ the target;
- satisfied: ratings in the two best levels of the configured scale;
- per field: the field the ticket was issued for (a transfer does not move it); per counter
  and official: where and by whom it was last handled; per hour: local hour of issue (and
  of finishing, for "served").
"""

from __future__ import annotations

import json
import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from queue_kiosk.domain.models import BookingStatus, EventKind, Status
from queue_kiosk.domain.views import JsonView, NamedView
from queue_kiosk.reports.planner import PlanReport, make_plan
from queue_kiosk.reports.workload import demand_from_tickets
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.tables import (
    booking_t,
    counter_t,
    event_t,
    field_t,
    rating_t,
    staff_t,
    ticket_t,
)


@dataclass
class TicketFacts:
    id: int
    number: str
    day: date
    field: str
    counter: str | None
    staff: str | None
    priority: str | None
    status: str
    issued_at: datetime
    first_called: datetime | None = None
    last_called: datetime | None = None
    started: datetime | None = None
    finished_at: datetime | None = None
    service_start: datetime | None = None
    transferred: bool = False
    rating: str | None = None
    rated_at: datetime | None = None


def _minutes(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds() / 60


def _p90(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


@dataclass(frozen=True, slots=True)
class Figures(JsonView):
    key: str
    name: str
    issued: int
    served: int
    no_show: int
    transferred: int
    expired: int
    cancelled: int
    waiting_median: float | None
    waiting_p90: float | None
    waiting_max: float | None
    walkup_median: float | None
    service_median: float | None
    service_p90: float | None
    within_target: float | None
    """Share (0–1) of called tickets that waited no longer than the target."""
    ratings: dict[str, int]
    satisfaction: float | None
    """Share (0–1) of ratings in the two best levels."""
    unrated: int
    """Services finished without a rating: how far the satisfaction figure can be trusted."""


def figures(key: str, name: str, tickets: list[TicketFacts], target: float,
            levels: list[str]) -> Figures:
    waits = [w for t in tickets if (w := _minutes(t.issued_at, t.first_called)) is not None]
    walkups = [w for t in tickets if (w := _minutes(t.last_called, t.started)) is not None]
    services = [s for t in tickets if t.status == Status.DONE
                and (s := _minutes(t.service_start, t.finished_at)) is not None]
    rated = [t.rating for t in tickets if t.rating is not None]
    counts = Counter(rated)
    return Figures(
        key=key, name=name, issued=len(tickets),
        served=sum(t.status == Status.DONE for t in tickets),
        no_show=sum(t.status == Status.NO_SHOW for t in tickets),
        transferred=sum(t.transferred for t in tickets),
        expired=sum(t.status == Status.EXPIRED for t in tickets),
        cancelled=sum(t.status == Status.CANCELLED for t in tickets),
        waiting_median=_round(statistics.median(waits)) if waits else None,
        waiting_p90=_round(_p90(waits)), waiting_max=_round(max(waits)) if waits else None,
        walkup_median=_round(statistics.median(walkups)) if walkups else None,
        service_median=_round(statistics.median(services)) if services else None,
        service_p90=_round(_p90(services)),
        within_target=round(sum(w <= target for w in waits) / len(waits), 3) if waits else None,
        ratings={level: counts.get(level, 0) for level in levels},
        satisfaction=round(sum(counts[lv] for lv in levels[:2]) / len(rated), 3)
        if rated else None,
        unrated=sum(t.status == Status.DONE and t.rating is None for t in tickets))


@dataclass(frozen=True, slots=True)
class HourFigures(JsonView):
    hour: int
    issued: int
    served: int
    waiting_median: float | None


@dataclass(frozen=True, slots=True)
class BookingFigures(JsonView):
    """Bookings of one field on one day, and how long the booked waited past their slot."""

    day: date
    field: str
    name: str
    booked: int
    """Bookings made for the day, whatever became of them."""
    checked_in: int
    cancelled: int
    missed: int
    waiting_median: float | None
    """Slot start → first call, for those called (0 when called before the slot)."""
    waiting_p90: float | None


@dataclass(frozen=True, slots=True)
class RatingRow(JsonView):
    number: str
    day: date
    field: str
    counter: str | None
    staff: str | None
    level: str
    level_name: str
    rated_at: datetime
    """Local time of the centre."""


@dataclass(frozen=True, slots=True)
class Report(JsonView):
    site: str
    site_name: str
    start: date
    end: date
    target_minutes: float
    totals: Figures
    by_field: list[Figures]
    by_counter: list[Figures]
    by_staff: list[Figures]
    by_hour: list[HourFigures]
    busiest_hours: list[int]
    ratings: list[RatingRow] = field(default_factory=list)
    levels: list[NamedView] = field(default_factory=list)
    """The hall's rating levels, best first: their names head the rating columns."""
    bookings: list[BookingFigures] = field(default_factory=list)


def load_facts(service: QueueService, start: date, end: date) -> list[TicketFacts]:
    """Every ticket of the local days start..end with its timeline from the event log."""
    site = service.site_id
    with service.store.read() as conn:
        fields: dict[int, str] = dict(conn.execute(select(field_t.c.id, field_t.c.code).where(
            field_t.c.site_id == site)).all())
        counters: dict[int, str] = dict(conn.execute(select(counter_t.c.id, counter_t.c.code).where(
            counter_t.c.site_id == site)).all())
        staff: dict[int, str] = dict(conn.execute(select(staff_t.c.id, staff_t.c.code).where(
            staff_t.c.site_id == site)).all())
        rows = conn.execute(select(ticket_t).where(
            ticket_t.c.site_id == site, ticket_t.c.day >= start, ticket_t.c.day <= end)
            .order_by(ticket_t.c.id)).all()
        facts = {r.id: TicketFacts(
            id=r.id, number=r.number, day=r.day, field=fields.get(r.field_id, "?"),
            counter=counters.get(r.counter_id), staff=staff.get(r.staff_id),
            priority=r.priority, status=r.status, issued_at=r.issued_at,
            finished_at=r.finished_at if r.status == Status.DONE else None) for r in rows}
        if facts:
            first, last = min(facts), max(facts)
            events = conn.execute(select(event_t.c.ticket_id, event_t.c.kind, event_t.c.at,
                                         event_t.c.detail)
                                  .where(event_t.c.site_id == site,
                                         event_t.c.ticket_id.between(first, last))
                                  .order_by(event_t.c.id)).all()
            for ticket_id, kind, at, detail in events:
                fact = facts.get(ticket_id)
                if fact is not None:
                    _apply(fact, kind, at, detail)
            for ticket_id, level, at in conn.execute(
                    select(rating_t.c.ticket_id, rating_t.c.level, rating_t.c.at).where(
                        rating_t.c.site_id == site,
                        rating_t.c.ticket_id.between(first, last))).all():
                if ticket_id in facts:
                    facts[ticket_id].rating, facts[ticket_id].rated_at = level, at
    return list(facts.values())


def booking_figures(service: QueueService, start: date, end: date,
                    first_called: Mapping[int, datetime | None]) -> list[BookingFigures]:
    """Per day and field: bookings made, checked in, cancelled, missed, and the wait of the
    booked from their slot's start (`first_called`: ticket id → its first call)."""
    with service.store.read() as conn:
        rows = conn.execute(select(booking_t.c.day, field_t.c.code, field_t.c.name,
                                   booking_t.c.status, booking_t.c.slot_start,
                                   booking_t.c.ticket_id)
                            .join(field_t, field_t.c.id == booking_t.c.field_id)
                            .where(booking_t.c.site_id == service.site_id,
                                   booking_t.c.day >= start, booking_t.c.day <= end)).all()
    groups: dict[tuple[date, str, str], list[Any]] = defaultdict(list)
    for row in rows:
        groups[row.day, row.code, row.name].append(row)
    out = []
    for (day, code, name), group in sorted(groups.items()):
        statuses = Counter(row.status for row in group)
        waits = [max(0.0, wait) for row in group if row.ticket_id is not None
                 and (wait := _minutes(row.slot_start, first_called.get(row.ticket_id)))
                 is not None]
        out.append(BookingFigures(
            day=day, field=code, name=name, booked=len(group),
            checked_in=statuses[BookingStatus.CHECKED_IN],
            cancelled=statuses[BookingStatus.CANCELLED], missed=statuses[BookingStatus.MISSED],
            waiting_median=_round(statistics.median(waits)) if waits else None,
            waiting_p90=_round(_p90(waits))))
    return out


def _apply(fact: TicketFacts, kind: str, at: datetime, detail: str) -> None:
    if kind == EventKind.CALLED:
        fact.first_called = fact.first_called or at
        fact.last_called = at
        fact.service_start = at
    elif kind == EventKind.RECALLED:
        fact.last_called = at
    elif kind == EventKind.STARTED:
        fact.started = at
        fact.service_start = at
    elif kind == EventKind.TRANSFERRED:
        if not fact.transferred:
            # A ticket counts under the field the citizen asked for, not where it ended.
            fact.field = json.loads(detail or "{}").get("from_field", fact.field)
        fact.transferred = True


def build_report(service: QueueService, start: date, end: date) -> Report:
    cat = service.catalog
    hall = cat.hall
    target = hall.policy.target_wait_minutes
    levels = [lv.code for lv in hall.rating.levels]
    facts = load_facts(service, start, end)

    def grouped(key: Callable[[TicketFacts], str | None],
                names: dict[str, str]) -> list[Figures]:
        groups: dict[str, list[TicketFacts]] = defaultdict(list)
        for fact in facts:
            code = key(fact)
            if code is not None:
                groups[code].append(fact)
        order = list(names) + sorted(set(groups) - set(names))
        return [figures(code, names.get(code, code), groups[code], target, levels)
                for code in order if code in groups]

    field_names = {f.code: f.name for f in cat.fields.values()}
    counter_names = {c.code: c.name for c in cat.counters.values()}
    with service.store.read() as conn:
        staff_names: dict[str, str] = dict(conn.execute(
            select(staff_t.c.code, staff_t.c.name).where(
                staff_t.c.site_id == service.site_id)).all())
    hours: dict[int, list[TicketFacts]] = defaultdict(list)
    served_by_hour: Counter[int] = Counter()
    for fact in facts:
        hours[fact.issued_at.astimezone(cat.tz).hour].append(fact)
        if fact.finished_at is not None:
            served_by_hour[fact.finished_at.astimezone(cat.tz).hour] += 1
    by_hour = []
    for hour in sorted(set(hours) | set(served_by_hour)):
        waits = [w for t in hours[hour] if (w := _minutes(t.issued_at, t.first_called))
                 is not None]
        by_hour.append(HourFigures(hour=hour, issued=len(hours[hour]),
                                   served=served_by_hour[hour],
                                   waiting_median=_round(statistics.median(waits))
                                   if waits else None))
    busiest = [h.hour for h in sorted(by_hour, key=lambda h: (-h.issued, h.hour))[:3]
               if h.issued]
    level_names = {lv.code: lv.name for lv in hall.rating.levels}
    ratings = [RatingRow(number=f.number, day=f.day, field=f.field, counter=f.counter,
                         staff=f.staff, level=f.rating, level_name=level_names.get(f.rating, ""),
                         rated_at=f.rated_at.astimezone(cat.tz))
               for f in sorted(facts, key=lambda f: f.rated_at or f.issued_at)
               if f.rating is not None and f.rated_at is not None]
    return Report(
        bookings=booking_figures(service, start, end,
                                 {fact.id: fact.first_called for fact in facts}),
        site=cat.site_code, site_name=hall.site.name, start=start, end=end,
        target_minutes=target, totals=figures("*", hall.site.name, facts, target, levels),
        by_field=grouped(lambda f: f.field, field_names),
        by_counter=grouped(lambda f: f.counter, counter_names),
        by_staff=grouped(lambda f: f.staff, staff_names), by_hour=by_hour,
        busiest_hours=busiest, ratings=ratings,
        levels=[NamedView(lv.code, lv.name, lv.name_en) for lv in hall.rating.levels])


# ----- tables for CSV, XLSX and the terminal ----------------------------------------------


def plan_from_tickets(service: QueueService, start: date, end: date, *,
                      counters: int | None = None,
                      competence: Mapping[str, Iterable[str]] | None = None,
                      seeds: int = 5) -> PlanReport | None:
    """The staffing plan for the demand of the local days start..end (None: no tickets)."""
    tickets, days = issue_hours(service, start, end)
    if not tickets:
        return None
    hall = service.catalog.hall
    return make_plan(hall, demand_from_tickets(hall, tickets, days), counters=counters,
                     competence=competence, seeds=seeds)


def issue_hours(service: QueueService, start: date, end: date) -> tuple[list[tuple[str, int]],
                                                                         int]:
    """Every ticket of the local days start..end as (field code it was issued for, local
    hour of issue), and the number of days that had tickets: the planner's demand."""
    site, zone = service.site_id, service.catalog.tz
    with service.store.read() as conn:
        rows = conn.execute(select(field_t.c.code, ticket_t.c.issued_at, ticket_t.c.day)
                            .join(field_t, field_t.c.id == ticket_t.c.field_id)
                            .where(ticket_t.c.site_id == site, ticket_t.c.day >= start,
                                   ticket_t.c.day <= end)).all()
    return ([(code, issued.astimezone(zone).hour) for code, issued, _ in rows],
            len({day for _, _, day in rows}))
