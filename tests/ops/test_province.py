"""The province's overview: each commune's figures follow its queue one event at a time (one
query a look), agree with a whole read, and a scope never shows another commune."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, update

from queue_kiosk.config.hall import HallConfig
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.domain.models import EventKind
from queue_kiosk.ops.heartbeat import Heartbeat
from queue_kiosk.ops.province import ProvinceOverview, filtered
from queue_kiosk.ops.shipping import new_token
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.province_access import Scope
from queue_kiosk.store.migrate import upgrade
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import counter_t, event_t, ship_site_t
from tests.conftest import small_hall


def commune(code: str, district: str = "") -> HallConfig:
    hall = small_hall()
    return hall.model_copy(update={
        "site": hall.site.model_copy(update={"code": code, "name": f"Xã {code}",
                                             "district": district}),
        "hours": hall.hours.model_copy(update={"enforce": False})})


def communes(store: Store, clock: FrozenClock, *codes: str) -> dict[str, QueueService]:
    for code in codes:
        load_catalog(store, commune(code, "Phú Bình" if code < "b" else "Đại Từ"), clock)
    return {code: QueueService(store, site=code, clock=clock) for code in codes}


def fresh(overview: ProvinceOverview) -> list[dict[str, object]]:
    """What a whole read says: what the events followed one by one must also say."""
    again = ProvinceOverview(overview.store, overview.clock, overview.scope)
    again.load()
    return [s.to_json() for s in again.summaries()]


def test_a_commune_s_figures_follow_its_queue_one_look_at_a_time(
        store: Store, clock: FrozenClock) -> None:
    sites = communes(store, clock, "a-1", "b-2", "c-3")
    overview = ProvinceOverview(store, clock)
    overview.load()
    assert [s.waiting for s in overview.summaries()] == [0, 0, 0]
    a = sites["a-1"]
    a.issue("B")
    a.issue("A")
    clock.advance(minutes=21)
    queries = overview.queries
    assert overview.step()
    assert overview.queries == queries + 1  # one look, one query
    worst = overview.summaries()[0]
    assert (worst.site, worst.waiting, worst.longest_wait_minutes, worst.state) == \
        ("a-1", 2, 21, "busy")
    assert not overview.step()  # nothing new: nothing changed

    a.call_next("1")
    a.finish("1", rating="3")
    sites["b-2"].pause("2", "họp")
    a.record_print(1, ok=False, detail="hết giấy")
    overview.step()
    tiles = {s.site: s for s in overview.summaries()}
    assert (tiles["a-1"].waiting, tiles["a-1"].served, tiles["a-1"].p95_minutes,
            tiles["a-1"].good_ratings, tiles["a-1"].printer, tiles["a-1"].state) == \
        (1, 1, 21, 1.0, "hết giấy", "fault")
    assert (tiles["b-2"].counters_open, tiles["b-2"].counters_paused,
            tiles["b-2"].counters_idle) == (1, 1, 1)
    assert tiles["c-3"].state == "ok" and tiles["c-3"].alerts == []
    assert [s.to_json() for s in overview.summaries()] == fresh(overview)

    detail = overview.detail("a-1")
    assert detail is not None
    assert [(f.code, f.waiting, f.longest_wait_minutes) for f in detail.fields
            if f.waiting] == [("A", 1, 21)]
    assert {c.code: c.state for c in detail.counters} == {"1": "idle", "2": "idle"}
    assert [s.site for s in filtered(overview.summaries(), district="Đại Từ", state="ok")] \
        == ["b-2", "c-3"]
    assert filtered(overview.summaries(), district="Phú Bình", state="ok") == []
    assert overview.districts() == ["Phú Bình", "Đại Từ"]


def test_screens_not_seen_for_two_minutes_show_as_down(store: Store, clock: FrozenClock) -> None:
    sites = communes(store, clock, "a-1", "b-2")
    Heartbeat(sites["b-2"], "display").beat()
    overview = ProvinceOverview(store, clock)
    overview.load()
    assert {s.site: (s.screens, s.screens_down) for s in overview.summaries()} == \
        {"a-1": (0, 0), "b-2": (1, 0)}
    clock.advance(minutes=3)
    overview.slow_at = None  # the next look reads the heartbeats again
    overview.step()
    worst = overview.summaries()[0]
    assert (worst.site, worst.screens_down, worst.state) == ("b-2", 1, "fault")
    assert worst.screens_last_seen is not None


def test_a_scope_never_shows_another_commune(store: Store, clock: FrozenClock) -> None:
    sites = communes(store, clock, "a-1", "b-2")
    only_a = Scope.parse("a-1")
    overview = ProvinceOverview(store, clock, only_a)
    overview.load()
    sites["b-2"].issue("B")
    sites["a-1"].issue("C")
    overview.step()
    assert [(s.site, s.waiting) for s in overview.summaries()] == [("a-1", 1)]
    assert overview.detail("b-2") is None
    everyone = ProvinceOverview(store, clock)
    everyone.load()
    assert [s.site for s in everyone.summaries(only_a)] == ["a-1"]
    assert everyone.detail("b-2", only_a) is None


def test_a_new_day_and_a_new_commune_are_read_whole(store: Store, clock: FrozenClock) -> None:
    sites = communes(store, clock, "a-1")
    sites["a-1"].issue("B")
    overview = ProvinceOverview(store, clock)
    overview.load()
    assert overview.summaries()[0].waiting == 1
    communes(store, clock, "b-2")["b-2"].issue("B")
    overview.step()
    assert sorted(s.site for s in overview.summaries()) == ["a-1", "b-2"]
    clock.advance(timedelta(days=1))
    sites["a-1"].issue("A")
    overview.step()
    assert {s.site: s.waiting for s in overview.summaries()} == {"a-1": 1, "b-2": 0}


@pytest.mark.postgres
def test_an_event_committed_after_a_newer_one_is_not_missed(pg_url: str,
                                                            clock: FrozenClock) -> None:
    """PostgreSQL takes an event's id before its commit: a pause whose transaction commits
    after a newer ticket's must still reach the overview (it asks for skipped ids again)."""
    store = Store(pg_url)
    upgrade(store)
    try:
        sites = communes(store, clock, "a-1")
        a = sites["a-1"]
        overview = ProvinceOverview(store, clock)
        overview.load()
        counter = a.catalog.counter("1")
        other = Store(pg_url)  # another process's connection
        with other.engine.connect() as slow:
            with slow.begin():
                slow.execute(update(counter_t).where(counter_t.c.id == counter.id).values(
                    paused_reason="họp", paused_at=clock.now()))
                slow.execute(insert(event_t).values(
                    site_id=a.site_id, counter_id=counter.id, kind=EventKind.COUNTER_PAUSED,
                    at=clock.now(), detail=""))
                a.issue("B")  # a newer id, committed first
                overview.step()
                assert overview.summaries()[0].waiting == 1
            overview.step()
        assert overview.summaries()[0].counters_paused == 1
        other.dispose()
    finally:
        store.dispose()


def test_a_commune_that_ships_shows_cut_off_then_live_as_its_catch_up_arrives(
        store: Store, clock: FrozenClock) -> None:
    """Local first: a commune not heard from for 2 minutes is "mất kết nối từ HH:MM" on its
    tile, sorted with the faults; the first look that sees its caught-up events shows it
    live again, without waiting for the 30 s read of the slow figures."""
    sites = communes(store, clock, "a-1", "b-2")
    new_token(store, "b-2")  # b-2 ships from its own store; a-1 works on this database
    silent_since = datetime.now(UTC) - timedelta(minutes=3)
    with store.write() as conn:
        conn.execute(update(ship_site_t).values(heard_at=silent_since))
    overview = ProvinceOverview(store, clock)
    overview.load()
    tiles = {s.site: s for s in overview.summaries()}
    assert tiles["a-1"].link is None and tiles["a-1"].state == "ok"
    local = silent_since.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert tiles["b-2"].state == "offline"
    assert tiles["b-2"].link is not None and \
        tiles["b-2"].link["what"] == f"mất kết nối từ {local:%H:%M}"
    assert overview.summaries()[0].site == "b-2"  # the worst first

    with store.write() as conn:  # what the ingest does as the link returns
        conn.execute(update(ship_site_t).values(heard_at=datetime.now(UTC)))
    sites["b-2"].issue("B")
    assert overview.step()
    tile = {s.site: s for s in overview.summaries()}["b-2"]
    assert tile.state == "ok" and tile.link is not None and tile.link["what"] == "trực tuyến"
