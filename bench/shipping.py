"""Local first: what the change log costs the hall, how fast a backlog ships to the province,
and the lag in normal operation. The commune is SQLite, the province PostgreSQL behind a real
`serve` process; the shipper is `ops.shipper.Shipper`, over HTTP."""

from __future__ import annotations

import functools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from bench.harness import (
    MORNING,
    Result,
    answers,
    issuing_in_turn,
    per_second,
    percentile,
    pg_available,
    postgres_schema,
    prepare,
    wait_for,
)
from bench.issuing import issuing_service
from queue_kiosk.config.hall import default_hall_path, load_hall
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.ops.shipper import POLL_SECONDS, Shipper
from queue_kiosk.ops.shipping import link_state, new_token
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store import shiplog
from queue_kiosk.store.migrate import upgrade
from queue_kiosk.store.store import Store

COMMUNE = "xa-bench"


def bench_shipping(quick: bool) -> list[Result]:
    results = [_capture_cost(quick)]
    if not pg_available():
        return results  # the province's rows need its PostgreSQL
    backlog = 2_000 if quick else 20_000
    with tempfile.TemporaryDirectory() as tmp, province_served(Path(tmp)) as (url, store):
        token = new_token(store, COMMUNE)
        commune = _commune(Path(tmp) / "commune.db")
        results.append(_catch_up(commune, url, token, backlog))
        results.append(_lag(commune, url, token, store, 30 if quick else 300))
        commune.store.dispose()
    return results


def _capture_cost(quick: bool) -> Result:
    """Issuing with the capture triggers against without them, in alternating batches on
    the same disk (synchronous=NORMAL, so that the fsync does not hide the CPU)."""
    batches, size = (3, 100) if quick else (10, 200)
    with tempfile.TemporaryDirectory() as tmp:
        plain = issuing_service(Path(tmp) / "plain.db", "NORMAL")
        logged = issuing_service(Path(tmp) / "logged.db", "NORMAL")
        shiplog.install(logged.store)
        issue_plain, issue_logged = issuing_in_turn(plain), issuing_in_turn(logged)
        rounds = [(per_second(size, issue_plain), per_second(size, issue_logged))
                  for _ in range(batches)]
        plain.store.dispose()
        logged.store.dispose()
    return Result("ship_issue_with_change_log", round(statistics.median(r[1] for r in rounds), 1),
                  "tickets/s", round(statistics.median(r[0] for r in rounds), 1),
                  round(statistics.median(r[1] / r[0] for r in rounds), 3),
                  "issuing on SQLite with the change log's triggers, against the same without "
                  f"them; {batches} alternating batches of {size}, synchronous=NORMAL")


def _commune(path: Path) -> QueueService:
    hall = load_hall(default_hall_path())
    hall = hall.model_copy(update={
        "site": hall.site.model_copy(update={"code": COMMUNE}),
        "hours": hall.hours.model_copy(update={"enforce": False})})
    store = Store(f"sqlite:///{path}")
    upgrade(store)
    clock = FrozenClock(MORNING)
    load_catalog(store, hall, clock)
    shiplog.install(store)
    return QueueService(store, clock=clock)


def _catch_up(commune: QueueService, url: str, token: str, backlog: int) -> Result:
    """A week offline: `backlog` log entries written with the province unreachable, then
    shipped in one go; the baseline is the rate the hall wrote them at."""
    issue = issuing_in_turn(commune)
    start = time.perf_counter()
    while shiplog.newest(commune.store) < backlog:
        issue()
    written = shiplog.newest(commune.store)
    hall_rate = written / (time.perf_counter() - start)
    shipper = Shipper(commune.store, url, token)
    start = time.perf_counter()
    applied = shipper.ship_pending()
    rate = applied / (time.perf_counter() - start)
    return Result("ship_catch_up_events_per_s", round(rate, 1), "entries/s",
                  round(hall_rate, 1), round(rate / hall_rate, 3),
                  f"a backlog of {written} log entries (tickets, events, numbering) shipped "
                  "over HTTP to serve on PostgreSQL; baseline: the rate this commune's "
                  "SQLite wrote them at (issuing flat out)")


def _lag(commune: QueueService, url: str, token: str, province: Store, tickets: int) -> Result:
    """Normal operation: the shipper running, a ticket now and then; the time from the
    ticket's commit to its rows applied at the province."""
    shipper = Shipper(commune.store, url, token)
    runner = threading.Thread(target=shipper.serve, daemon=True)
    runner.start()
    issue = issuing_in_turn(commune)
    lags = []
    try:
        for n in range(tickets):
            issue()
            seq, start = shiplog.newest(commune.store), time.perf_counter()
            wait_for(functools.partial(_reached, province, seq), 30)
            lags.append((time.perf_counter() - start) * 1000)
            time.sleep(0.02 + (n % 7) * 0.01)  # not in step with the shipper's poll
    finally:
        shipper.stop()
        runner.join()
    live = link_state(province, COMMUNE, datetime.now(UTC))
    if live is None or not live.live:
        raise RuntimeError("the province does not see the commune live after shipping")
    return Result("ship_lag_p99_ms", round(percentile(lags, 0.99), 1), "ms",
                  POLL_SECONDS * 1000, round(percentile(lags, 0.99) / (POLL_SECONDS * 1000), 3),
                  f"{tickets} tickets one by one, commit to applied at the province; "
                  f"p50 {percentile(lags, 0.5):.1f} ms; baseline: the shipper's poll of its "
                  "log")


def _reached(store: Store, seq: int) -> bool:
    from sqlalchemy import select

    from queue_kiosk.store.tables import ship_site_t

    with store.read() as conn:
        return int(conn.execute(select(ship_site_t.c.applied)
                                .where(ship_site_t.c.code == COMMUNE)).scalar_one()) >= seq


@contextmanager
def province_served(folder: Path) -> Iterator[tuple[str, Store]]:
    """The province: PostgreSQL with its own centre, and `serve` on a free port."""
    with postgres_schema() as url:
        prepare(url, [load_hall(default_hall_path())])
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        env = {**os.environ, "QUEUE_KIOSK_DB": url, "HOME": str(folder)}
        server = subprocess.Popen([sys.executable, "-m", "queue_kiosk", "serve", "--port",
                                   str(port), "--site", load_hall(default_hall_path()).site.code],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        store = Store(url)
        try:
            wait_for(lambda: answers(f"{base}/health"), 30)
            yield base, store
        finally:
            server.terminate()
            server.wait(timeout=10)
            store.dispose()

