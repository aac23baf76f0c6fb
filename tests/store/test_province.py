"""A province on one PostgreSQL: each commune's screens follow their own site's events only,
and learn what changed from the notification itself."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest

from bench.pgwire import counting
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.events import ChangeFeed
from queue_kiosk.store.migrate import upgrade
from queue_kiosk.store.store import Store
from tests.conftest import small_hall

pytestmark = pytest.mark.postgres


def commune(store: Store, code: str, clock: FrozenClock) -> QueueService:
    hall = small_hall()
    hall = hall.model_copy(update={"site": hall.site.model_copy(update={"code": code})})
    load_catalog(store, hall, clock)
    return QueueService(store, site=code, clock=clock)


def test_a_screen_is_not_woken_by_another_communes_events(pg_url: str,
                                                          clock: FrozenClock) -> None:
    """Site A's follower, through a proxy that counts its round trips, sits through a burst
    of site B's tickets without a single query; its own commune's next event wakes it at
    once, the id in hand (before: one shared channel, and a query per event per screen)."""
    store = Store(pg_url)
    upgrade(store)
    site_a, site_b = commune(store, "xa-a", clock), commune(store, "xa-b", clock)
    site_a.issue("B")
    parts = urlsplit(pg_url)
    with counting(parts.hostname or "127.0.0.1", parts.port or 5432) as wire:
        proxied = Store(pg_url.replace(f"{parts.hostname}:{parts.port}",
                                       f"127.0.0.1:{wire.port}"))
        feed = ChangeFeed(proxied, site_a.site_id)
        last = feed.wait(0, 1.0)  # listening, and caught up once
        assert last > 0
        wire.reset()
        woke: list[tuple[int, float]] = []

        def follow() -> None:
            started = time.monotonic()
            woke.append((feed.wait(last, 3.0), time.monotonic() - started))

        follower = threading.Thread(target=follow)
        follower.start()
        for _ in range(20):
            site_b.issue("B")
            site_b.call_next("1")
            site_b.finish("1")
        time.sleep(0.5)
        assert wire.reset() == 0  # not one query for another commune's 60 events
        mine = site_a.issue("C")
        follower.join(5)
        newest, waited = woke[0]
        assert newest > last and waited < 2.5  # woken by its own event, not the timeout
        assert wire.reset() == 0  # the notification named the event: no query to learn it
        assert [c.number for c in feed.changes(last)] == [mine.number]
        feed.close()
        proxied.dispose()
    store.dispose()


def test_round_trips_per_operation_stay_within_their_budget(pg_url: str,
                                                            clock: FrozenClock) -> None:
    """Through the counting proxy, in the steady state (psycopg prepares a statement on its
    fifth use, one extra round trip once): issue 4, call-next 5, finish 3, BEGIN and COMMIT
    included (before this issue: 8, 11, 9: a ping on every checkout, then the event's
    notification, the site's call lock, the changed ticket's re-read, the numbering, the
    event and the counter's streak each a statement of its own)."""
    parts = urlsplit(pg_url)
    with counting(parts.hostname or "127.0.0.1", parts.port or 5432) as wire:
        store = Store(pg_url.replace(f"{parts.hostname}:{parts.port}",
                                     f"127.0.0.1:{wire.port}"))
        upgrade(store)
        service = commune(store, "xa-a", clock)
        trips: dict[str, list[int]] = {"issue": [], "call": [], "finish": []}
        actions: list[tuple[str, Callable[[], object]]] = [
            ("issue", lambda: service.issue("B")), ("call", lambda: service.call_next("1")),
            ("finish", lambda: service.finish("1"))]
        for _ in range(12):
            for name, action in actions:
                wire.reset()
                action()
                trips[name].append(wire.reset())
        store.dispose()
    steady = {name: sorted(counts)[len(counts) // 2] for name, counts in trips.items()}
    assert steady == {"issue": 4, "call": 5, "finish": 3}, steady


def test_screens_can_listen_apart_from_a_transaction_pooler(
        pg_url: str, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """Behind PgBouncer in transaction mode (QUEUE_KIOSK_DB), a screen listens straight to
    PostgreSQL (QUEUE_KIOSK_LISTEN_DB): the pooled URL (here the counting proxy standing in
    for the pooler) carries one connection and no LISTEN, and the screen still wakes."""
    store = Store(pg_url)
    upgrade(store)
    site = commune(store, "xa-a", clock)
    monkeypatch.setenv("QUEUE_KIOSK_LISTEN_DB", pg_url)
    parts = urlsplit(pg_url)
    with counting(parts.hostname or "127.0.0.1", parts.port or 5432) as wire:
        pooled = Store(pg_url.replace(f"{parts.hostname}:{parts.port}",
                                      f"127.0.0.1:{wire.port}"))
        feed = ChangeFeed(pooled, site.site_id)
        last = feed.wait(0, 0.5)
        woke: list[int] = []
        follower = threading.Thread(target=lambda: woke.append(feed.wait(last, 5.0)))
        follower.start()
        time.sleep(0.3)
        site.issue("B")
        follower.join(6)
        assert woke and woke[0] > last
        assert wire.connections == 1  # the listener went around the pooler
        feed.close()
        pooled.dispose()
    store.dispose()


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_a_bad_pool_size_is_one_clear_line(value: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from queue_kiosk.domain.errors import StoreError
    from queue_kiosk.store.db import pool_size

    monkeypatch.setenv("QUEUE_KIOSK_POOL_SIZE", value)
    with pytest.raises(StoreError) as raised:
        pool_size()
    message = raised.value.message("en")
    assert "QUEUE_KIOSK_POOL_SIZE" in message and value in message and "\n" not in message


def test_a_database_in_another_schema_does_not_wake_this_one(pg_url: str,
                                                             clock: FrozenClock) -> None:
    """Two databases on one server, each with its site number 1 (two halls' test schemas, or
    a training copy beside the live one): a follower of one is not woken by the other's
    events (before: both listened on `queue_kiosk_site_1`, and woke for a stranger's)."""
    from tests.conftest import postgres_url

    other_url = postgres_url()
    stores = [Store(pg_url), Store(next(other_url))]
    try:
        for store in stores:
            upgrade(store)
        mine, theirs = (commune(store, "xa-a", clock) for store in stores)
        assert mine.site_id == theirs.site_id
        feed = ChangeFeed(stores[0], mine.site_id)
        last = feed.wait(0, 1.0)
        woke: list[float] = []

        def follow() -> None:
            started = time.monotonic()
            feed.wait(last, 1.5)
            woke.append(time.monotonic() - started)

        follower = threading.Thread(target=follow)
        follower.start()
        time.sleep(0.2)
        theirs.issue("B")
        follower.join(5)
        assert woke[0] >= 1.4  # it sat out the stranger's ticket until its own timeout
        feed.close()
    finally:
        for store in stores:
            store.dispose()
        next(other_url, None)  # the generator drops its schema
