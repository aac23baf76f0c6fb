"""Alerts: each raised once and cleared once against the hall's `[alerts]` thresholds over
the province's defaults, recorded with their start and end, told to the `[notify]` hook as
an `alert` event without personal data, whatever the number of processes evaluating."""

from __future__ import annotations

import json
import multiprocessing
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from queue_kiosk.config.alerts import AlertsConfig
from queue_kiosk.config.hall import HallConfig, NotifyConfig
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.service.alerts import (
    evaluate,
    open_alerts,
    recent_alerts,
    set_province_defaults,
    thresholds,
)
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.reading import QueueReader
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import alert_t, notice_t
from tests.conftest import MORNING, make_service, small_hall
from tests.store import alert_workers


def hall_with(code: str = "test", **alerts: object) -> HallConfig:
    hall = small_hall()
    return hall.model_copy(update={
        "site": hall.site.model_copy(update={"code": code}),
        "notify": NotifyConfig(command="cat"),
        "alerts": AlertsConfig.model_validate(alerts)})


def commune(store: Store, clock: FrozenClock, code: str, **alerts: object) -> QueueService:
    load_catalog(store, hall_with(code, **alerts), clock)
    return QueueService(store, site=code, clock=clock)


def kinds(service: QueueService) -> list[tuple[str, str]]:
    return [(a.kind, a.subject) for a in open_alerts(service.store,
                                                     sites=[service.catalog.site_code])]


def test_a_long_wait_is_raised_once_and_cleared_once_with_its_notices(
        store: Store, clock: FrozenClock) -> None:
    service = make_service(store, clock, hall_with())
    ticket = service.issue("B")
    clock.advance(minutes=20)
    assert evaluate(service).raised == []  # 20 minutes is the rule, not over it
    clock.advance(minutes=1)
    raised = evaluate(service).raised
    assert [(a.kind, a.subject, a.detail) for a in raised] == [("wait", "B", "21")]
    assert evaluate(service).raised == [] and kinds(service) == [("wait", "B")]
    service.call_next("1")
    clock.advance(minutes=1)
    cleared = evaluate(service).cleared
    assert [(a.id, a.cleared) for a in cleared] == [(raised[0].id, clock.now())]
    assert evaluate(service).cleared == [] and kinds(service) == []
    [alert] = recent_alerts(store, clock.now())
    assert (alert.since, alert.cleared) == (MORNING + timedelta(minutes=21), clock.now())
    with store.read() as conn:
        notices = conn.execute(select(notice_t.c.event, notice_t.c.subject, notice_t.c.payload)
                               .order_by(notice_t.c.id)).all()
    events = [json.loads(n.payload) for n in notices if n.event == "alert"]
    assert [(e["state"], e["kind"], e["subject"], e["site"]) for e in events] == [
        ("raised", "wait", "B", "test"), ("cleared", "wait", "B", "test")]
    assert {n.subject for n in notices if n.event == "alert"} == {f"A{alert.id}"}
    said = json.dumps(events)
    assert ticket.number not in said and ticket.token not in said and "phone" not in said


def test_paused_counter_and_a_field_nobody_serves(store: Store, clock: FrozenClock) -> None:
    service = make_service(store, clock, hall_with())
    service.issue("C")
    service.pause("2", "Đi họp")
    clock.advance(minutes=4)
    assert evaluate(service).raised == []  # a short break is no alert
    clock.advance(minutes=1)
    assert [(a.kind, a.subject, a.detail) for a in evaluate(service).raised] == [
        ("no_counter", "C", "1")]
    clock.advance(minutes=26)
    assert sorted((a.kind, a.subject, a.detail) for a in evaluate(service).raised) == [
        ("paused", "2", "Đi họp"), ("wait", "C", "31")]
    service.resume("2")
    assert sorted(a.kind for a in evaluate(service).cleared) == ["no_counter", "paused"]
    assert kinds(service) == [("wait", "C")]


def test_a_pause_over_lunch_counts_from_the_afternoons_opening(
        store: Store, clock: FrozenClock) -> None:
    service = make_service(store, clock, hall_with())
    clock.set(MORNING.replace(hour=11, minute=20))
    service.pause("1", "Nghỉ trưa")
    clock.set(MORNING.replace(hour=12, minute=30))
    assert evaluate(service).raised == []  # closed: 11:30–13:30
    clock.set(MORNING.replace(hour=13, minute=45))
    assert evaluate(service).raised == []  # 15 minutes of the afternoon
    clock.set(MORNING.replace(hour=14, minute=1))
    assert [(a.kind, a.subject) for a in evaluate(service).raised] == [("paused", "1")]


def test_a_hall_key_goes_over_the_province_default_over_the_built_in(
        store: Store, clock: FrozenClock) -> None:
    lenient = commune(store, clock, "xa-a")
    strict = commune(store, clock, "xa-b", wait_minutes=5)
    assert (thresholds(lenient).wait_minutes, thresholds(strict).wait_minutes) == (20, 5)
    set_province_defaults(store, AlertsConfig(wait_minutes=10, paused_minutes=0), clock.now())
    assert (thresholds(lenient).wait_minutes, thresholds(strict).wait_minutes) == (10, 5)
    assert thresholds(strict).paused_minutes == 0 and thresholds(strict).screen_down_minutes == 2
    for site in (lenient, strict):
        site.issue("B")
    clock.advance(minutes=7)
    assert [a.site for a in evaluate(lenient).raised + evaluate(strict).raised] == ["xa-b"]


def test_printer_screen_and_voice(store: Store, clock: FrozenClock) -> None:
    from queue_kiosk.ops.heartbeat import Heartbeat

    service = make_service(store, clock, hall_with())
    ticket = service.issue("A")
    service.record_print(ticket.id, ok=False, detail="hết giấy")
    Heartbeat(service, "kiosk").beat()
    clock.advance(minutes=3)
    assert sorted((a.kind, a.detail) for a in evaluate(service).raised) == [
        ("printer", "hết giấy"), ("screen", "3")]
    found = evaluate(service, voice="no sound player", host="tv-pc").raised
    assert [(a.kind, a.subject) for a in found] == [("voice", "tv-pc")]
    assert evaluate(service).cleared == []  # a process that plays no calls leaves it be
    assert [a.kind for a in evaluate(service, voice=None, host="tv-pc").cleared] == ["voice"]
    service.record_print(service.issue("A").id, ok=True)
    assert [a.kind for a in evaluate(service).cleared] == ["printer"]


@pytest.mark.postgres
@pytest.mark.slow
def test_processes_evaluating_at_once_raise_and_clear_each_alert_once(
        pg_url: str, clock: FrozenClock) -> None:
    """Six processes evaluate one site at the same instant, round after round: one alert
    row and one raise notice. Without the partial unique index `ux_alert_open` (drop it and
    run again) every process sees no open alert and inserts its own."""
    store = Store(pg_url)
    from queue_kiosk.store.migrate import upgrade

    upgrade(store)
    service = make_service(store, clock, hall_with())
    service.issue("B")
    ctx = multiprocessing.get_context("spawn")
    processes, rounds = 6, 5
    barrier, out = ctx.Barrier(processes), ctx.Queue()
    at = MORNING + timedelta(minutes=25)
    workers = [ctx.Process(target=alert_workers.evaluate_at_once,
                           args=(pg_url, at, "test", rounds, barrier, out))
               for _ in range(processes)]
    for worker in workers:
        worker.start()
    results = [out.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(10)
    with store.read() as conn:
        rows = conn.execute(select(alert_t.c.kind, alert_t.c.cleared)).all()
        told = conn.execute(select(notice_t.c.id).where(notice_t.c.event == "alert")).all()
    assert [(r.kind, r.cleared) for r in rows] == [("wait", None)]
    assert sum(raised for raised, _ in results) == 1 and len(told) == 1
    store.dispose()


def test_the_open_alert_index_exists(store: Store) -> None:
    """The race test's guard, on both databases: a second open alert of one subject is
    refused by the database itself."""
    service_hall = hall_with()
    make_service(store, FrozenClock(MORNING), service_hall)
    reader = QueueReader(store)
    row = {"site_id": reader.site_id, "kind": "wait", "subject": "B", "detail": "",
           "since": MORNING}
    from queue_kiosk.domain.errors import StoreError

    with store.write() as conn:
        conn.execute(alert_t.insert().values(**row))
    with pytest.raises(StoreError), store.write() as conn:
        conn.execute(alert_t.insert().values(**row))
    with store.write() as conn:  # a cleared one does not count
        conn.execute(alert_t.update().values(cleared=MORNING))
        conn.execute(alert_t.insert().values(**row))
        assert conn.execute(text("SELECT count(*) FROM alert")).scalar() == 2


@pytest.mark.postgres
def test_three_communes_on_postgres_with_a_running_clock(pg_url: str,
                                                         clock: FrozenClock) -> None:
    """The province's test: a citizen waiting 21 minutes at one commune raises a `wait`
    alert for that commune only; serving them clears it."""
    from queue_kiosk.service.alerts import evaluate_sites
    from queue_kiosk.store.migrate import upgrade

    store = Store(pg_url)
    upgrade(store)
    an_binh, tan_lap, hoa_son = (commune(store, clock, code)
                                 for code in ("xa-an-binh", "xa-tan-lap", "xa-hoa-son"))
    waiting = an_binh.issue("B")
    for other in (tan_lap, hoa_son):  # served within the threshold: no alert there
        other.issue("B")
    for minute in range(1, 22):
        clock.advance(minutes=1)
        if minute % 5 == 0:
            for other in (tan_lap, hoa_son):
                if other.current("1"):
                    other.finish("1")
                other.issue("B")
                other.call_next("1")
        done = evaluate_sites(store, clock)
        assert done.raised == [] or minute == 21
    assert [(a.site, a.kind, a.subject) for a in open_alerts(store)] == [
        ("xa-an-binh", "wait", "B")]
    assert open_alerts(store, sites=["xa-tan-lap", "xa-hoa-son"]) == []
    called = an_binh.call_next("1")
    assert called is not None and called.number == waiting.number
    clock.advance(seconds=30)
    assert [(a.site, a.kind) for a in evaluate_sites(store, clock).cleared] == [
        ("xa-an-binh", "wait")]
    assert open_alerts(store) == []
    [alert] = recent_alerts(store, clock.now())
    assert alert.since == MORNING + timedelta(minutes=21)
    assert alert.cleared == MORNING + timedelta(minutes=21, seconds=30)
    store.dispose()


async def test_serve_evaluates_its_site_on_a_timer(store: Store, clock: FrozenClock,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    from queue_kiosk.service import alerts
    from queue_kiosk.web.serve import _alerts

    service = make_service(store, clock, hall_with())
    service.issue("B")
    clock.advance(minutes=21)
    monkeypatch.setattr(alerts, "EVALUATE_SECONDS", 0.01)
    task = asyncio.create_task(_alerts(service))
    for _ in range(200):
        await asyncio.sleep(0.02)
        if kinds(service):
            break
    task.cancel()
    assert kinds(service) == [("wait", "B")]
