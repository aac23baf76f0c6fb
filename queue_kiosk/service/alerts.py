"""Provides a site's alerts: what an evaluation finds against the `[alerts]` thresholds (a
long wait, a counter paused too long, a field nobody serves, a printer or voice fault, a
screen down, booked citizens missing), recorded in the store from raised to cleared.

`evaluate` is safe in any number of processes at once (the display and `serve` of a site,
`alerts --check` from cron): the store keeps at most one open alert per site, kind and
subject (a partial unique index), a raise that meets one already open does nothing, and a
clear changes only an alert still open. So each alert is raised once and cleared once, and
its `alert` notice (the `[notify]` hook's, with no personal data) is written once, in the
transaction that raised or cleared it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, select, update

from queue_kiosk.config.alerts import AlertsConfig, AlertThresholds
from queue_kiosk.domain.clock import Clock, local_day
from queue_kiosk.domain.models import BookingStatus, EventKind, Status
from queue_kiosk.domain.views import JsonView
from queue_kiosk.service import notify
from queue_kiosk.service.opening import windows
from queue_kiosk.service.reading import QueueReader
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import (
    alert_defaults_t,
    alert_t,
    booking_t,
    counter_t,
    event_t,
    heartbeat_t,
    site_t,
    ticket_t,
)
from queue_kiosk.wording import say

KINDS = ("wait", "paused", "no_counter", "printer", "voice", "screen", "booked_missing")
"""Every kind of alert; `voice` only from the process that plays the calls (see
`evaluate`)."""
FIELD_KINDS = ("wait", "no_counter")
"""The kinds whose subject is a field's code."""
SCREEN_FORGOTTEN = timedelta(hours=12)
"""A screen silent longer (a browser tab closed yesterday) is no longer an alert."""
RECENT = timedelta(hours=24)
"""What `recent_alerts` reaches back to by default."""
EVALUATE_SECONDS = 30.0
"""How often the display and `serve` evaluate their site: a wait of 20 minutes is
reported within half a minute, at a few small reads a minute per site."""


@dataclass(frozen=True, slots=True)
class AlertView(JsonView):
    """One alert of one site: `since` it was raised until `cleared` (None: still open)."""

    id: int
    site: str
    kind: str
    subject: str
    """What it is about: a field's code (wait, no_counter), a counter's (paused), a screen
    (`role counter@host/client`), the display's host (voice); empty for the site."""
    detail: str
    """What was measured when it was raised: minutes, a share, a reason."""
    since: datetime
    cleared: datetime | None

    @property
    def open(self) -> bool:
        return self.cleared is None

    def what(self, lang: str, fields: Mapping[str, str] | None = None) -> str:
        """The alert in words: "Chờ lâu: lĩnh vực B, người chờ lâu nhất 21 phút"; with
        `fields` (code → name), the field by its name ("lĩnh vực Hộ tịch")."""
        subject = self.subject
        if fields and self.kind in FIELD_KINDS:
            subject = fields.get(subject, subject)
        return say(f"alerts.{self.kind}", lang, subject=subject, detail=self.detail)


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    subject: str
    detail: str


@dataclass(frozen=True, slots=True)
class Evaluated:
    raised: list[AlertView]
    cleared: list[AlertView]


# ----- thresholds ----------------------------------------------------------------------------


def province_defaults(store: Store) -> AlertsConfig | None:
    """The province's default thresholds, where it set any."""
    with store.read() as conn:
        found = conn.execute(select(alert_defaults_t.c.config_json)).scalar()
    return None if found is None else AlertsConfig.model_validate_json(found)


def set_province_defaults(store: Store, defaults: AlertsConfig, now: datetime) -> None:
    """The province's defaults, for every site whose hall leaves a key out."""
    values = {"config_json": defaults.model_dump_json(exclude_none=True), "updated_at": now}
    statement = store.insert(alert_defaults_t).values(id=1, **values)
    with store.write() as conn:
        conn.execute(statement.on_conflict_do_update(index_elements=["id"], set_=values))


def thresholds(reader: QueueReader) -> AlertThresholds:
    """The site's thresholds: its hall's `[alerts]` over the province's defaults."""
    return reader.catalog.hall.alerts.over(province_defaults(reader.store))


# ----- evaluating ----------------------------------------------------------------------------

NOT_OBSERVED = object()
"""`evaluate(voice=…)` by a process that plays no calls: it leaves voice alerts alone."""


def evaluate(reader: QueueReader, *, voice: object = NOT_OBSERVED,
             host: str = "") -> Evaluated:
    """Raises what the site shows now and clears what it no longer shows, in one
    transaction. `voice`: the display's problem playing calls (a reason, or None when it
    plays them) for its `host`; left out, voice alerts are not this process's to judge."""
    limits = thresholds(reader)
    with reader.store.write() as conn:
        now = reader.clock.now()
        findings = _findings(reader, conn, now, limits)
        mine = alert_t.c.kind != "voice"
        if voice is not NOT_OBSERVED:
            mine = mine | and_(alert_t.c.kind == "voice", alert_t.c.subject == host[:120])
            if isinstance(voice, str) and limits.voice:
                findings.append(Finding("voice", host, voice))
        # As stored: a subject cut to its column matches its open alert next time.
        found = {(f.kind, f.subject[:120]): Finding(f.kind, f.subject[:120], f.detail[:200])
                 for f in findings}
        still_open = {(r.kind, r.subject): r for r in conn.execute(select(alert_t).where(
            alert_t.c.site_id == reader.site_id, alert_t.c.cleared.is_(None), mine))}
        raised = [view for key, finding in found.items() if key not in still_open
                  if (view := _raise(conn, reader, finding, now)) is not None]
        cleared = [view for key, row in still_open.items() if key not in found
                   if (view := _clear(conn, reader, row, now)) is not None]
    return Evaluated(raised, cleared)


def evaluate_sites(store: Store, clock: Clock, *,
                   sites: Iterable[str] | None = None) -> Evaluated:
    """Every site's evaluation (or the sites named): `alerts --check`, from cron where no
    display or `serve` of a site runs."""
    with store.read() as conn:
        codes = list(sites) if sites is not None else list(
            conn.execute(select(site_t.c.code).order_by(site_t.c.code)).scalars())
    raised: list[AlertView] = []
    cleared: list[AlertView] = []
    for code in codes:
        done = evaluate(QueueReader(store, site=code, clock=clock))
        raised += done.raised
        cleared += done.cleared
    return Evaluated(raised, cleared)


def _raise(conn: Connection, reader: QueueReader, finding: Finding,
           now: datetime) -> AlertView | None:
    """The alert raised, or None where another process raised it first."""
    statement = reader.store.insert(alert_t).values(
        site_id=reader.site_id, kind=finding.kind, subject=finding.subject,
        detail=finding.detail, since=now)
    new_id = conn.execute(statement.on_conflict_do_nothing(
        index_elements=["site_id", "kind", "subject"],
        index_where=alert_t.c.cleared.is_(None)).returning(alert_t.c.id)).scalar()
    if new_id is None:
        return None
    view = AlertView(new_id, reader.catalog.site_code, finding.kind, finding.subject,
                     finding.detail, now, None)
    _tell(conn, reader, view, now)
    return view


def _clear(conn: Connection, reader: QueueReader, row: Any, now: datetime) -> AlertView | None:
    """The alert cleared, or None where another process cleared it first."""
    done = conn.execute(update(alert_t).where(alert_t.c.id == row.id,
                                              alert_t.c.cleared.is_(None))
                        .values(cleared=now)).rowcount
    if done != 1:
        return None
    view = AlertView(row.id, reader.catalog.site_code, row.kind, row.subject, row.detail,
                     row.since, now)
    _tell(conn, reader, view, now)
    return view


def _tell(conn: Connection, reader: QueueReader, alert: AlertView, now: datetime) -> None:
    """The hook's `alert` event: what, about which field, counter or screen, since when;
    nothing about any citizen. Its raise and its clear go in order (one subject)."""
    notify.enqueue(conn, reader, {
        "event": "alert", "alert": alert.id, "state": "raised" if alert.open else "cleared",
        "kind": alert.kind, "subject": alert.subject, "detail": alert.detail,
        "since": alert.since.isoformat(),
        "cleared": alert.cleared.isoformat() if alert.cleared else None},
        now, subject=f"A{alert.id}")


def _findings(reader: QueueReader, conn: Connection, now: datetime,
              limits: AlertThresholds) -> list[Finding]:
    cat = reader.catalog
    local = now.astimezone(cat.tz)
    day = local.date()
    found: list[Finding] = []
    waiting = conn.execute(select(ticket_t.c.field_id, func.min(ticket_t.c.queue_at),
                                  func.count()).where(
        ticket_t.c.site_id == cat.site_id, ticket_t.c.status == Status.WAITING,
        ticket_t.c.day == day).group_by(ticket_t.c.field_id)).all()
    if limits.wait_minutes:
        for field_id, first, _ in waiting:
            minutes = (now - first).total_seconds() / 60
            if minutes > limits.wait_minutes and field_id in cat.fields:
                found.append(Finding("wait", cat.fields[field_id].code, f"{minutes:.0f}"))
    opened = _opened_at(reader, local)
    if opened is not None:
        found += _counters(conn, reader, now, opened, waiting, limits)
    if limits.printer:
        found += _printer(conn, reader, local)
    if limits.screen_down_minutes:
        found += _screens(conn, reader, now, limits.screen_down_minutes)
    if cat.hall.appointments.enabled and limits.booked_missing_share:
        found += _booked_missing(conn, reader, now, limits)
    return found


def _opened_at(reader: QueueReader, local: datetime) -> datetime | None:
    """When the centre's current opening period began (by its `[hours]`); None while it is
    closed: a counter paused over lunch is no alert."""
    for start, end in reader.catalog.hall.hours.periods(local.weekday()):
        if start <= local.time() < end:
            return local.replace(hour=start.hour, minute=start.minute, second=0,
                                 microsecond=0)
    return None


def _counters(conn: Connection, reader: QueueReader, now: datetime, opened: datetime,
              waiting: Sequence[Any], limits: AlertThresholds) -> list[Finding]:
    """Counters paused too long, and fields whose every counter has been paused a while
    with citizens waiting; time counts from the opening of the current period at the
    earliest. A counter keeping hours of its own counts only within its window, from the
    window's start: outside it, it is expected away, and a field whose every counter is
    outside its window is closed by them, as the centre is over lunch."""
    cat = reader.catalog
    found_windows = windows(conn, cat, reader, now)
    outside = found_windows.closed if found_windows else frozenset()

    def start(counter_id: int) -> datetime:
        since = found_windows.since(counter_id) if found_windows else None
        return opened if since is None else max(since, opened)
    rows = conn.execute(select(counter_t.c.id, counter_t.c.code, counter_t.c.paused_reason,
                               counter_t.c.paused_at).where(
        counter_t.c.site_id == cat.site_id, counter_t.c.active.is_(True))).all()
    paused = {r.id: max(r.paused_at or start(r.id), start(r.id)) for r in rows
              if r.paused_reason is not None and r.id not in outside}

    def minutes(since: datetime) -> float:
        return (now - since).total_seconds() / 60

    found = [Finding("paused", r.code, r.paused_reason or "—") for r in rows
             if r.id in paused and limits.paused_minutes
             and minutes(paused[r.id]) > limits.paused_minutes]
    for field_id, _, count in waiting if limits.no_counter_minutes else []:
        counters = [c.id for c in cat.counters_for(field_id)]
        serving = [c for c in counters if c not in outside]
        if field_id in cat.fields and (serving or not counters) \
                and all(c in paused for c in serving) and minutes(
                max([paused[c] for c in serving], default=opened)) >= limits.no_counter_minutes:
            found.append(Finding("no_counter", cat.fields[field_id].code, str(count)))
    return found


def _printer(conn: Connection, reader: QueueReader, local: datetime) -> list[Finding]:
    """The last print of today's tickets, when it failed. Through today's tickets: a kiosk
    that never prints costs no walk through the site's whole event log."""
    today = select(ticket_t.c.id).where(ticket_t.c.site_id == reader.site_id,
                                        ticket_t.c.day == local.date())
    last = conn.execute(select(event_t.c.kind, event_t.c.detail).where(
        event_t.c.ticket_id.in_(today),
        event_t.c.kind.in_([EventKind.PRINTED, EventKind.PRINT_FAILED]))
        .order_by(event_t.c.id.desc()).limit(1)).first()
    if last is None or last.kind != EventKind.PRINT_FAILED:
        return []
    error = json.loads(last.detail or "{}").get("error", "") or "?"
    return [Finding("printer", "", str(error))]


def _screens(conn: Connection, reader: QueueReader, now: datetime,
             minutes: float) -> list[Finding]:
    silent = conn.execute(select(heartbeat_t).where(
        heartbeat_t.c.site_id == reader.site_id,
        heartbeat_t.c.seen_at < now - timedelta(minutes=minutes),
        heartbeat_t.c.seen_at >= now - SCREEN_FORGOTTEN)).all()
    return [Finding("screen", f"{r.role} {r.counter}".strip() + f"@{r.host}/{r.client}",
                    f"{(now - r.seen_at).total_seconds() / 60:.0f}") for r in silent]


def _booked_missing(conn: Connection, reader: QueueReader, now: datetime,
                    limits: AlertThresholds) -> list[Finding]:
    """Today's bookings whose check-in has closed: the share that never came."""
    late = timedelta(minutes=reader.catalog.hall.appointments.late_minutes)
    rows = conn.execute(select(booking_t.c.status, func.count()).where(
        booking_t.c.site_id == reader.site_id,
        booking_t.c.day == local_day(now, reader.catalog.tz),
        booking_t.c.slot_start <= now - late,
        booking_t.c.status != BookingStatus.CANCELLED).group_by(booking_t.c.status)).all()
    counts: dict[str, int] = {status: count for status, count in rows}
    due = sum(counts.values())
    missing = counts.get(BookingStatus.MISSED, 0) + counts.get(BookingStatus.BOOKED, 0)
    if due < limits.booked_missing_min or missing / due <= limits.booked_missing_share:
        return []
    return [Finding("booked_missing", "", f"{missing}/{due}")]


# ----- reading -------------------------------------------------------------------------------


def open_alerts(store: Store, *, sites: Iterable[str] | None = None) -> list[AlertView]:
    """The alerts open now, of the sites named (all where none), the oldest first."""
    return _alerts(store, alert_t.c.cleared.is_(None), sites)


def recent_alerts(store: Store, now: datetime, *, sites: Iterable[str] | None = None,
                  within: timedelta = RECENT) -> list[AlertView]:
    """The alerts open now or cleared within `within`, the oldest first."""
    return _alerts(store, alert_t.c.cleared.is_(None) | (alert_t.c.cleared >= now - within),
                   sites)


def alerts_note(reader: QueueReader, lang: str) -> str | None:
    """For an administrator's counter: the site's open alerts in one line, or None. Not
    the screens down: the counter's own note about them says so already."""
    names = {f.code: f.label(lang) for f in reader.catalog.fields.values()}
    shown = [a.what(lang, names) for a in open_alerts(reader.store,
                                                      sites=[reader.catalog.site_code])
             if a.kind != "screen"]
    return say("alerts.note", lang, alerts="; ".join(shown)) if shown else None


def _alerts(store: Store, which: Any, sites: Iterable[str] | None) -> list[AlertView]:
    query = (select(alert_t, site_t.c.code.label("site"))
             .join(site_t, site_t.c.id == alert_t.c.site_id).where(which)
             .order_by(alert_t.c.since, alert_t.c.id))
    if sites is not None:
        query = query.where(site_t.c.code.in_(list(sites)))
    with store.read() as conn:
        rows = conn.execute(query).all()
    return [AlertView(r.id, r.site, r.kind, r.subject, r.detail, r.since, r.cleared)
            for r in rows]

