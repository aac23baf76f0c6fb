"""The province benchmark: N communes on one PostgreSQL, a morning surge of tickets, every
counter calling at an official's pace, and screens following their own commune's feed.

Every failed operation is counted and fails the run. The screens reach the server through a
counting proxy (`bench.pgwire`), so their round trips and connections are measured, not
estimated."""

from __future__ import annotations

import functools
import heapq
import multiprocessing
import os
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.synchronize import Event
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select

from bench.harness import (
    MORNING,
    PG_BASE,
    Result,
    errors_row,
    percentile,
    pg_available,
    postgres_schema,
    prepare,
)
from bench.pgwire import WireCounter, counting
from queue_kiosk.config.hall import CounterConfig, HallConfig, default_hall_path, load_hall
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.ops.province import POLL_SECONDS, ProvinceOverview
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.events import ChangeFeed
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import event_t

COUNTERS_PER_SITE = 6
VIEWERS = 10
"""Province overviews open at once (each its own store and follower, as ten officers'
terminals would be): one query a look, whatever the number of communes."""
PROBE_SECONDS = 1.0
MAX_SCREENS = 40
"""Followers, each a screen's two connections (its pool and its listener): the CI server's
max_connections is 100. A province's 800 screens need a server (or PgBouncer in session
mode) sized for 1,600; the figures per screen do not depend on how many there are."""


@dataclass(frozen=True)
class Plan:
    sites: int
    screens: int
    seconds: float
    issues_per_second: float
    call_every: tuple[float, float]
    """Seconds between one counter's calls: an official's pace."""


FULL = Plan(sites=100, screens=MAX_SCREENS, seconds=60, issues_per_second=30,
            call_every=(20, 60))
QUICK = Plan(sites=4, screens=8, seconds=6, issues_per_second=10, call_every=(1, 3))


@dataclass
class Tally:
    """One worker process's latencies and failures (every failure counted, none dropped)."""

    issue: list[float] = field(default_factory=list)
    call: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def timed(self, into: list[float], action: Callable[[], object]) -> None:
        started = time.perf_counter()
        try:
            action()
        except Exception as exc:  # every failure is counted, and fails the run
            self.errors.append(f"{type(exc).__name__}: {exc}")
            return
        into.append(time.perf_counter() - started)

    def add(self, other: Tally) -> None:
        self.issue += other.issue
        self.call += other.call
        self.errors += other.errors


def province_hall(code: str) -> HallConfig:
    hall = load_hall(default_hall_path())
    fields = [f.code for f in hall.fields]
    return hall.model_copy(update={
        "site": hall.site.model_copy(update={"code": code, "name": f"Xã {code}"}),
        "hours": hall.hours.model_copy(update={"enforce": False}),
        "counters": [CounterConfig(code=str(n), name=f"Quầy {n}", fields=fields)
                     for n in range(1, COUNTERS_PER_SITE + 1)]})


@contextmanager
def province_database(sites: int) -> Iterator[str]:
    with postgres_schema() as url:
        prepare(url, [province_hall(f"xa-{n:03d}") for n in range(sites)])
        yield url


def _services(url: str, sites: int) -> dict[str, QueueService]:
    """One worker's view of the province: its own store (one connection), every commune."""
    store = Store(url)
    clock = FrozenClock(MORNING)
    return {code: QueueService(store, site=code, clock=clock)
            for code in (f"xa-{n:03d}" for n in range(sites))}


def issuer(url: str, plan: Plan, rate: float, seed: int, go: Event, stop: Event,
           out: Any) -> None:
    """A process issuing `rate` tickets a second (Poisson arrivals) across the communes."""
    services = _services(url, plan.sites)
    rng, tally = random.Random(seed), Tally()
    fields = [f.code for f in province_hall("x").fields]
    codes = list(services)
    go.wait()
    due = time.monotonic()
    while not stop.is_set():
        due += rng.expovariate(rate)
        if stop.wait(max(0.0, due - time.monotonic())):
            break
        service = services[rng.choice(codes)]
        tally.timed(tally.issue, functools.partial(service.issue, rng.choice(fields)))
    out.put(tally)


def caller(url: str, plan: Plan, counters: list[tuple[str, str]], seed: int, go: Event,
           stop: Event, out: Any) -> None:
    """A process for some of the province's counters, each calling (and finishing) at an
    official's pace from a random phase."""
    services = _services(url, plan.sites)
    rng, tally = random.Random(seed), Tally()
    go.wait()
    now = time.monotonic()
    due = [(now + rng.uniform(0, plan.call_every[1]), site, counter)
           for site, counter in counters]
    heapq.heapify(due)
    while due:
        when, site, counter = heapq.heappop(due)
        if stop.wait(max(0.0, when - time.monotonic())):
            break
        service = services[site]

        def call_and_finish(service: QueueService = service, counter: str = counter) -> None:
            if service.call_next(counter) is not None:
                service.finish(counter)
        tally.timed(tally.call, call_and_finish)
        heapq.heappush(due, (time.monotonic() + rng.uniform(*plan.call_every), site, counter))
    out.put(tally)


def screens(url: str, site_ids: list[int], go: Event, stop: Event, out: Any) -> None:
    """A process of screens, each its own store (one pooled connection) and change feed (one
    listening connection): waits on its commune's feed, reads what changed."""
    tally = Tally()
    followers = [threading.Thread(target=_follow, args=(url, site_id, stop, tally))
                 for site_id in site_ids]
    for follower in followers:
        follower.start()
    go.wait()
    for follower in followers:
        follower.join()
    out.put(tally)


def _follow(url: str, site_id: int, stop: Event, tally: Tally) -> None:
    store = Store(url)
    feed = ChangeFeed(store, site_id)
    last = 0
    try:
        while not stop.is_set():
            newest = feed.wait(last, 0.25)
            if newest > last:
                feed.changes(last)
                last = newest
    except Exception as exc:  # counted as any other failure
        tally.errors.append(f"screen: {type(exc).__name__}: {exc}")
    finally:
        feed.close()
        store.dispose()


def viewers(url: str, count: int, loaded: Event, go: Event, stop: Event, out: Any) -> None:
    """A process of province overviews, each looking once a second; each says when it had
    read up to which event (wall clock, comparable with the prober's in another process)."""
    seen: list[list[tuple[float, int]]] = [[] for _ in range(count)]
    tally = Tally()
    # One store (one pooled connection) for the process's viewers, which take turns on it:
    # the CI server's 100 connections are the screens'. Each viewer still sends its own
    # queries, so the figures per viewer are what ten terminals would cost.
    store = Store(url)
    ready = threading.Barrier(count + 1)
    threads = [threading.Thread(target=_view, args=(store, seen[n], ready, go, stop, tally))
               for n in range(count)]
    for thread in threads:
        thread.start()
    ready.wait()
    loaded.set()  # their first whole read is not what a look costs
    for thread in threads:
        thread.join()
    store.dispose()
    out.put((tally, seen))


def _view(store: Store, seen: list[tuple[float, int]], ready: threading.Barrier, go: Event,
          stop: Event, tally: Tally) -> None:
    overview = ProvinceOverview(store, FrozenClock(MORNING))
    try:
        try:
            overview.load()
        finally:
            ready.wait()
        go.wait()
        while not stop.is_set():
            overview.step()
            seen.append((time.time(), overview.last))
            stop.wait(POLL_SECONDS)
    except Exception as exc:  # counted as any other failure
        tally.errors.append(f"viewer: {type(exc).__name__}: {exc}")


def _probe(url: str, stop: threading.Event, commits: list[tuple[float, int]],
           tally: Tally) -> None:
    """A ticket issued every PROBE_SECONDS: when it committed, and its event's id."""
    service = _services(url, 1)["xa-000"]
    try:
        while not stop.wait(PROBE_SECONDS):
            ticket = service.issue("B")
            committed = time.time()
            with service.store.read() as conn:
                event = conn.execute(select(func.max(event_t.c.id)).where(
                    event_t.c.ticket_id == ticket.id)).scalar_one()
            commits.append((committed, int(event)))
    except Exception as exc:
        tally.errors.append(f"probe: {type(exc).__name__}: {exc}")
    finally:
        service.store.dispose()


def _lags(commits: list[tuple[float, int]],
          seen: list[list[tuple[float, int]]]) -> list[float]:
    """For each probe and viewer: how long after the commit the viewer had read it."""
    lags = []
    for committed, event in commits:
        for timeline in seen:
            first = next((at for at, last in timeline if last >= event), None)
            if first is not None:
                lags.append(max(0.0, first - committed))
    return lags


def _idle_latencies(url: str, count: int) -> tuple[list[float], list[float]]:
    """The baseline: the same operations on the same database with nothing else running."""
    service = _services(url, 1)["xa-000"]
    issue, call = [], []
    for _ in range(count):
        started = time.perf_counter()
        service.issue("B")
        issue.append(time.perf_counter() - started)
        started = time.perf_counter()
        service.call_next("1")
        service.finish("1")
        call.append(time.perf_counter() - started)
    service.store.dispose()
    return issue, call


def _newest_event(url: str) -> int:
    store = Store(url)
    with store.engine.connect() as conn:
        newest = int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM ticket_event")
                     .scalar_one())
    store.dispose()
    return newest


def bench_province(quick: bool) -> list[Result]:
    if not pg_available():
        return [Result("province", float("nan"), "", float("nan"), float("nan"),
                       f"skipped: no PostgreSQL at {PG_BASE}")]
    plan = QUICK if quick else FULL
    os.environ.setdefault("QUEUE_KIOSK_POOL_SIZE", "1")  # inherited by the processes
    ctx = multiprocessing.get_context("spawn")
    with province_database(plan.sites) as url:
        idle_issue, idle_call = _idle_latencies(url, 20 if quick else 100)
        parts = urlsplit(url)
        with counting(parts.hostname or "127.0.0.1", parts.port or 5432) as wire:
            proxied = url.replace(f"{parts.hostname}:{parts.port}", f"127.0.0.1:{wire.port}")
            site_ids = [s.site_id for s in _services(url, plan.sites).values()]
            counters = [(f"xa-{n:03d}", str(c)) for n in range(plan.sites)
                        for c in range(1, COUNTERS_PER_SITE + 1)]
            go, stop, out = ctx.Event(), ctx.Event(), ctx.Queue()
            procs = [ctx.Process(target=screens, args=(
                proxied, [site_ids[n % plan.sites] for n in range(plan.screens)], go, stop,
                out))]
            procs += [ctx.Process(target=issuer, args=(
                url, plan, plan.issues_per_second / ISSUERS, n, go, stop, out))
                for n in range(ISSUERS)]
            procs += [ctx.Process(target=caller, args=(
                url, plan, counters[n::CALLERS], 10 + n, go, stop, out))
                for n in range(CALLERS)]
            with counting(parts.hostname or "127.0.0.1", parts.port or 5432) as viewed:
                watched = url.replace(f"{parts.hostname}:{parts.port}",
                                      f"127.0.0.1:{viewed.port}")
                seen_out, loaded = ctx.Queue(), ctx.Event()
                watchers = ctx.Process(target=viewers, args=(watched, VIEWERS, loaded, go,
                                                             stop, seen_out))
                for proc in [*procs, watchers]:
                    proc.start()
                _wait_listening(wire, plan.screens)
                loaded.wait(120)
                wire.reset()
                wire.reset_peak()
                viewed.reset()
                first_event = _newest_event(url)
                commits: list[tuple[float, int]] = []
                probing, probe_tally = threading.Event(), Tally()
                prober = threading.Thread(target=_probe, args=(url, probing, commits,
                                                               probe_tally))
                started = time.monotonic()
                go.set()
                prober.start()
                backends = _peak_backends(url, plan.seconds)
                probing.set()
                prober.join()
                stop.set()
                tally = Tally()
                tally.add(probe_tally)
                for _ in procs:
                    tally.add(out.get(timeout=120))
                viewer_tally, seen = seen_out.get(timeout=120)
                tally.add(viewer_tally)
                for proc in [*procs, watchers]:
                    proc.join(timeout=60)
                elapsed = time.monotonic() - started
                events = _newest_event(url) - first_event
                screen_trips, peak = wire.reset(), wire.peak
                viewer_trips = viewed.reset()
    return _results(plan, tally, idle_issue, idle_call, elapsed, events, screen_trips, peak,
                    backends) + _viewer_results(plan, _lags(commits, seen), viewer_trips,
                                                elapsed)


def _viewer_results(plan: Plan, lags: list[float], trips: int,
                    elapsed: float) -> list[Result]:
    per_second = trips / max(1e-9, VIEWERS * elapsed)
    lag = percentile(lags, .99) * 1000 if lags else float("nan")
    return [
        Result("province_overview_lag_p99_ms", round(lag, 1), "ms", 2000.0,
               round(lag / 2000.0, 3),
               f"commit to a viewer's overview, p50 "
               f"{percentile(lags, .5) * 1000 if lags else float('nan'):.0f} ms over "
               f"{len(lags)} probe×viewer pairs; {VIEWERS} viewers of {plan.sites} communes, "
               f"each looking every {POLL_SECONDS:g} s; baseline: the 2 s target"),
        Result("province_overview_queries_per_s_per_viewer", round(per_second, 2),
               "round trips", 1.0, round(per_second, 2),
               f"{trips} round trips by {VIEWERS} viewers in {elapsed:.0f} s, whatever the "
               f"number of communes ({plan.sites} here); baseline: the budget of one a "
               "second"),
    ]


ISSUERS, CALLERS = 2, 2
"""Worker processes: the load comes from other processes, as a province's does, so a busy
client's interpreter lock does not pass for the database's latency."""


def _peak_backends(url: str, seconds: float) -> int:
    """The most server backends on the database at once, sampled while the run lasts: what
    the server pays, behind a pooler or not."""
    store = Store(url)
    peak = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with store.engine.connect() as conn:
            peak = max(peak, int(conn.exec_driver_sql(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
                .scalar_one()))
        time.sleep(0.5)
    store.dispose()
    return peak


def _wait_listening(wire: WireCounter, screens: int, seconds: float = 60) -> None:
    """Until every screen holds its two connections (its first catch-up read made)."""
    deadline = time.monotonic() + seconds
    while wire.open < 2 * screens and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)


def _results(plan: Plan, tally: Tally, idle_issue: list[float], idle_call: list[float],
             elapsed: float, events: int, screen_trips: int, peak: int,
             backends: int) -> list[Result]:
    operations = len(tally.issue) + len(tally.call) + len(tally.errors)
    per_screen_event = screen_trips / max(1, plan.screens * events)
    scale = (f"{plan.sites} sites × {COUNTERS_PER_SITE} counters, {plan.screens} screens"
             f"{' (scaled down: max_connections 100)' if plan.screens < 800 else ''}, "
             f"{plan.issues_per_second:g} issues/s for {elapsed:.0f} s")
    return [
        Result("province_issue_p99_ms", round(percentile(tally.issue, .99) * 1000, 1), "ms",
               round(percentile(idle_issue, .99) * 1000, 1),
               round(percentile(tally.issue, .99) / percentile(idle_issue, .99), 2),
               f"p50 {percentile(tally.issue, .5) * 1000:.1f} ms over {len(tally.issue)} issues; "
               f"baseline: p99 of the same issue on the idle database; {scale}"),
        Result("province_call_p99_ms", round(percentile(tally.call, .99) * 1000, 1), "ms",
               round(percentile(idle_call, .99) * 1000, 1),
               round(percentile(tally.call, .99) / percentile(idle_call, .99), 2),
               f"call-next + finish, p50 {percentile(tally.call, .5) * 1000:.1f} ms over "
               f"{len(tally.call)} calls, each counter every {plan.call_every[0]:g}–"
               f"{plan.call_every[1]:g} s; baseline: the same on the idle database"),
        Result("province_queries_per_screen_event", round(per_screen_event, 4),
               "round trips", 1.0, round(per_screen_event, 4),
               f"{screen_trips} round trips by {plan.screens} screens over {events} events "
               f"of {plan.sites} communes (their own commune's: about 1 in {plan.sites}); "
               "baseline: one query per screen per event, what one shared channel cost"),
        Result("province_connections_per_screen", round(peak / plan.screens, 2),
               "connections", 2.0, round(peak / plan.screens / 2.0, 2),
               f"peak {peak} connections for {plan.screens} screens; the server's backends "
               f"for everything (screens, counters, kiosks) peaked at {backends}; baseline: "
               "the budget of 2 per screen"),
        errors_row("province_errors", tally.errors, operations,
                   f"failed operations of {operations} (baseline: all operations)"),
    ]
