"""Provides the province's comparison of its communes over a day, a week or a month, and the
bottleneck finder: for each commune, what drove its p95 wait (which field, which hours, which
counter) and the planner's proposal for it, in one sentence.

Definitions (beside the centre report's, whose figures it reuses):
- wait: issue → first call, of the tickets called; p95 by nearest rank;
- served per counter-hour: tickets served ÷ (each day, the counters that called anyone ×
  the hours the centre opens that weekday);
- over the threshold: the share of called tickets that waited longer than the site's
  `[alerts] wait_minutes`;
- the bottleneck: among the tickets that waited at least the commune's p95, the field most
  of them were issued for; the local hours around the field's busiest one in which more of
  its work arrived, on an average day, than its counters serve in an hour (the hours its
  line grew); and the counter that called most of its slowest tickets.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, time
from typing import Any

from sqlalchemy import select

from queue_kiosk.domain.clock import Clock
from queue_kiosk.domain.dates import dmy
from queue_kiosk.domain.views import JsonView
from queue_kiosk.reports.centre import (
    Report,
    TicketFacts,
    build_report,
    load_facts,
    plan_from_tickets,
)
from queue_kiosk.reports.planner import PlanReport
from queue_kiosk.reports.typical_day import percentile
from queue_kiosk.service.alerts import thresholds
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import site_t
from queue_kiosk.wording import say

RANKED = {"wait_p95": True, "wait_median": True, "served_per_counter_hour": False,
          "no_show_share": True, "satisfaction": False, "over_threshold": True}
"""What the communes are ranked by, and whether more is worse (rank 1: the worst)."""


@dataclass(frozen=True, slots=True)
class Bottleneck(JsonView):
    field: str
    field_name: str
    field_name_en: str
    start: str
    """"08:00": the first local hour of issue of the run."""
    end: str
    """"10:00": the end of its last hour."""
    p95_minutes: float
    """The p95 wait of the field's tickets issued within those hours."""
    counter: str | None
    """The counter that called most of the slowest tickets of the field."""
    proposal: str
    proposal_en: str


@dataclass(frozen=True, slots=True)
class CommuneFigures(JsonView):
    site: str
    name: str
    issued: int
    served: int
    wait_median: float | None
    wait_p95: float | None
    counter_hours: float
    served_per_counter_hour: float | None
    no_shows: int
    no_show_share: float | None
    ratings: int
    satisfaction: float | None
    bookings: int
    bookings_missed: int
    threshold_minutes: float
    over_threshold: float | None
    """Share (0–1) of called tickets that waited longer than the threshold."""
    bottleneck: Bottleneck | None
    sentence: str
    sentence_en: str
    ranks: dict[str, int] = field(default_factory=dict)
    """Metric → the commune's place (1: the worst), for each of RANKED."""


@dataclass(frozen=True, slots=True)
class Comparison(JsonView):
    start: date
    end: date
    communes: list[CommuneFigures]
    """The worst p95 wait first."""


def compare(store: Store, clock: Clock, start: date, end: date, *,
            sites: Iterable[str] | None = None, seeds: int = 3,
            reports: dict[str, Report] | None = None) -> Comparison:
    """Every commune's figures over the local days start..end (or of the sites named),
    ranked; `reports`, when given, receives each commune's centre report (its sheet)."""
    with store.read() as conn:
        codes = [c for c in conn.execute(select(site_t.c.code).order_by(site_t.c.code))
                 .scalars() if sites is None or c in set(sites)]
    communes = []
    for code in codes:
        service = QueueService(store, site=code, clock=clock)
        report = build_report(service, start, end)
        if reports is not None:
            reports[code] = report
        communes.append(_commune(service, report, load_facts(service, start, end),
                                 start, end, seeds))
    return Comparison(start, end, _ranked(communes))


def _commune(service: QueueService, report: Report, facts: list[TicketFacts], start: date,
             end: date, seeds: int) -> CommuneFigures:
    hall = service.catalog.hall
    threshold = thresholds(service).wait_minutes or hall.policy.target_wait_minutes
    waits = [_wait(f) for f in facts if f.first_called is not None]
    hours = _counter_hours(service, facts)
    totals = report.totals
    served, no_shows = totals.served, totals.no_show
    rated = sum(totals.ratings.values())
    p95 = round(percentile(waits, 0.95), 1) if waits else None
    found = _bottleneck(service, facts, start, end, seeds) \
        if p95 is not None and p95 > threshold else None
    said = {lang: _sentence(hall.site.label(lang), p95, found, lang) for lang in ("vi", "en")}
    return CommuneFigures(
        site=service.catalog.site_code, name=hall.site.name, issued=totals.issued,
        served=served, wait_median=round(statistics.median(waits), 1) if waits else None,
        wait_p95=p95, counter_hours=round(hours, 1),
        served_per_counter_hour=round(served / hours, 2) if hours else None,
        no_shows=no_shows,
        no_show_share=round(no_shows / (served + no_shows), 3) if served + no_shows else None,
        ratings=rated, satisfaction=totals.satisfaction,
        bookings=sum(b.booked for b in report.bookings),
        bookings_missed=sum(b.missed for b in report.bookings), threshold_minutes=threshold,
        over_threshold=round(sum(w > threshold for w in waits) / len(waits), 3)
        if waits else None,
        bottleneck=found, sentence=said["vi"], sentence_en=said["en"])


def _wait(fact: TicketFacts) -> float:
    assert fact.first_called is not None
    return (fact.first_called - fact.issued_at).total_seconds() / 60


def _counter_hours(service: QueueService, facts: list[TicketFacts]) -> float:
    """Each day, the counters that called anyone × the hours the centre opens that day."""
    counters: dict[date, set[str]] = defaultdict(set)
    for fact in facts:
        if fact.counter is not None and fact.first_called is not None:
            counters[fact.day].add(fact.counter)
    hours = service.catalog.hall.hours
    return sum(len(codes) * sum(_span(a, b) for a, b in hours.periods(day.weekday()))
               for day, codes in counters.items())


def _span(start: time, end: time) -> float:
    return (end.hour * 60 + end.minute - start.hour * 60 - start.minute) / 60


def _bottleneck(service: QueueService, facts: list[TicketFacts], start: date, end: date,
                seeds: int) -> Bottleneck | None:
    cat = service.catalog
    called = [f for f in facts if f.first_called is not None]
    cut = percentile([_wait(f) for f in called], 0.95)
    slow = [f for f in called if _wait(f) >= cut]
    if not slow:
        return None
    code = Counter(f.field for f in slow).most_common(1)[0][0]
    of_field = [f for f in facts if f.field == code]
    load = _hourly_load(service, code, of_field)
    first = last = max(load, key=lambda hour: (load[hour], -hour))
    while load.get(first - 1, 0) > 1:
        first -= 1
    while load.get(last + 1, 0) > 1:
        last += 1
    within = [_wait(f) for f in of_field if f.first_called is not None
              and first <= f.issued_at.astimezone(cat.tz).hour <= last]
    counter = Counter(f.counter for f in slow if f.field == code and f.counter).most_common(1)
    names = {f.code: f for f in cat.hall.fields}
    window = (f"{first:02d}:00", f"{last + 1:02d}:00")
    plan = plan_from_tickets(service, start, end, seeds=seeds)
    proposal = {lang: _proposal(plan, code, names[code].label(lang) if code in names else code,
                                window, lang) for lang in ("vi", "en")}
    return Bottleneck(field=code, field_name=names[code].name if code in names else code,
                      field_name_en=names[code].label("en") if code in names else code,
                      start=window[0], end=window[1],
                      p95_minutes=round(percentile(within, 0.95), 1),
                      counter=counter[0][0] if counter else None,
                      proposal=proposal["vi"], proposal_en=proposal["en"])


def _hourly_load(service: QueueService, code: str,
                 tickets: list[TicketFacts]) -> dict[int, float]:
    """Local hour → the field's work arriving in it on an average day, as a share of what
    its counters serve in an hour (over 1: the line grows)."""
    cat = service.catalog
    days = len({f.day for f in tickets}) or 1
    services = [(f.finished_at - f.service_start).total_seconds() / 60 for f in tickets
                if f.finished_at is not None and f.service_start is not None]
    found = cat.find_field(code)
    minutes = statistics.median(services) if services else (
        found[0].minutes if found else 10.0)
    counters = len(cat.counters_for(found[0].id)) if found else 1
    arrivals = Counter(f.issued_at.astimezone(cat.tz).hour for f in tickets)
    return {hour: count / days * minutes / (60 * max(1, counters))
            for hour, count in arrivals.items()}


def _proposal(plan: PlanReport | None, code: str, name: str, window: tuple[str, str],
              lang: str) -> str:
    """What the planner proposes for the bottleneck's field: the counter it gives the field
    to (for those hours), else its extra counter, else its verdict."""
    if plan is None:
        return say("compare.keep", lang)
    now = plan.current.counters or {}
    for counter, fields in (plan.proposal.counters or {}).items():
        before = now.get(counter, {})
        had = set(before.get("primary", [])) | set(before.get("secondary", []))
        if code in fields["secondary"] + fields["primary"] and code not in had:
            return say("compare.takes", lang, counter=counter, field=name, start=window[0],
                       end=window[1])
    if plan.extra_counter is not None:
        return say("compare.extra", lang, opens=plan.extra_counter.opens_at,
                   closes=plan.extra_counter.closes_at, field=name)
    return plan.verdict_en if lang == "en" else plan.verdict


def _sentence(site: str, p95: float | None, found: Bottleneck | None, lang: str) -> str:
    if p95 is None:
        return say("compare.no_tickets", lang, site=site)
    if found is None:
        return say("compare.quiet", lang, site=site, p95=round(p95))
    name = found.field_name_en if lang == "en" else found.field_name
    return say("compare.bottleneck", lang, site=site, field=name, start=found.start,
               end=found.end, p95=round(found.p95_minutes),
               counter=found.counter or "—",
               proposal=found.proposal_en if lang == "en" else found.proposal)


def _ranked(communes: Sequence[CommuneFigures]) -> list[CommuneFigures]:
    """Each commune with its place on every metric (1: the worst; none last), the worst
    p95 wait first."""
    ranks: dict[str, dict[str, int]] = defaultdict(dict)
    for metric, more_is_worse in RANKED.items():
        known = sorted(((getattr(c, metric), c.site) for c in communes
                        if getattr(c, metric) is not None),
                       key=lambda pair: (-pair[0] if more_is_worse else pair[0], pair[1]))
        for place, (_, site) in enumerate(known, start=1):
            ranks[site][metric] = place
    out = [replace(c, ranks=ranks[c.site]) for c in communes]
    return sorted(out, key=lambda c: (c.wait_p95 is None, -(c.wait_p95 or 0), c.site))


# ----- tables and the workbook --------------------------------------------------------------

COLUMNS: list[tuple[str, str, str]] = [
    ("site", "Mã", "Code"), ("name", "Trung tâm", "Centre"), ("issued", "Đã cấp số", "Issued"),
    ("served", "Đã phục vụ", "Served"),
    ("wait_median", "Chờ trung vị (phút)", "Wait median (min)"),
    ("wait_p95", "Chờ p95 (phút)", "Wait p95 (min)"),
    ("served_per_counter_hour", "Phục vụ mỗi giờ-quầy", "Served per counter-hour"),
    ("no_shows", "Vắng mặt", "No-shows"), ("ratings", "Lượt đánh giá", "Ratings"),
    ("satisfaction", "Tỷ lệ hài lòng", "Satisfaction rate"),
    ("bookings", "Lịch hẹn", "Bookings"), ("bookings_missed", "Lỡ hẹn", "Missed"),
    ("over_threshold", "Tỷ lệ chờ quá ngưỡng", "Share over the threshold"),
    ("sentence", "Điểm nghẽn và đề xuất", "Bottleneck and proposal"),
]


def ranking_rows(comparison: Comparison, lang: str) -> list[list[Any]]:
    """The ranking as a table: a header, then one row per commune, the worst first."""
    header = [say("compare.rank", lang), *[en if lang == "en" else vi for _, vi, en in COLUMNS]]
    rows: list[list[Any]] = [header]
    for place, commune in enumerate(comparison.communes, start=1):
        rows.append([place, *[commune.sentence_en if key == "sentence" and lang == "en"
                              else getattr(commune, key) for key, _, _ in COLUMNS]])
    return rows


def comparison_text(comparison: Comparison, lang: str) -> str:
    """For the terminal: one line of figures and the sentence, per commune."""
    from queue_kiosk.reports.tables import format_cell

    lines = [say("compare.heading", lang, start=dmy(comparison.start), end=dmy(comparison.end))]
    for place, c in enumerate(comparison.communes, start=1):
        lines.append(say("compare.line", lang, place=place, site=c.site,
                         median=format_cell("waiting_median", c.wait_median, lang),
                         p95=format_cell("waiting_median", c.wait_p95, lang),
                         per_hour=format_cell("waiting_median", c.served_per_counter_hour, lang),
                         served=c.served, no_shows=c.no_shows,
                         satisfaction=format_cell("satisfaction", c.satisfaction, lang),
                         bookings=c.bookings,
                         over=format_cell("within_target", c.over_threshold, lang)))
        lines.append("   " + (c.sentence_en if lang == "en" else c.sentence))
    return "\n".join(lines)


def write_comparison_xlsx(comparison: Comparison, reports: dict[str, Report], path: Any,
                          lang: str) -> None:
    """The ranking on the first sheet, then a sheet for each commune: its sentence, then its
    centre report's figures (totals, by field, counter and official) and hours."""
    from openpyxl import Workbook

    from queue_kiosk.reports.tables import add_sheet, figure_rows, hour_rows

    book = Workbook()
    add_sheet(book, say("compare.sheet", lang), ranking_rows(comparison, lang), first=True)
    for commune in comparison.communes:
        report = reports[commune.site]
        said = commune.sentence_en if lang == "en" else commune.sentence
        add_sheet(book, commune.site[:31], [[said], [], *figure_rows(report, lang), [],
                                            *hour_rows(report, lang)])
    book.save(path)

