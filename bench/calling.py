"""Call-next under contention (counter processes calling while a kiosk issues) and as the
line grows."""

from __future__ import annotations

import multiprocessing
import statistics
import time

from bench import workers
from bench.harness import (
    MORNING,
    PG_BASE,
    Result,
    bench_database,
    errors_row,
    issuing_in_turn,
    percentile,
    stores,
)
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.store import Store

CALL_PACE = 0.25
"""Seconds between one counter's calls in the paced runs: an official takes minutes per
citizen; a call every quarter second from each of 16 counters is ~100x the busiest hall."""
FLAT_OUT_SUPPLY = 1000
"""Tickets seeded per second of a flat-out run: more than any store here calls."""


def bench_contention(quick: bool) -> list[Result]:
    """Call-next under contention: N counter processes calling and finishing, each every
    CALL_PACE seconds (paced) or as fast as they can (flat out, the saturation test), while
    a kiosk process issues 20 tickets a second into a queue that never runs dry. Baseline:
    the same with one counter."""
    seconds = 3.0 if quick else 8.0
    results = []
    errors: list[str] = []
    kinds = stores()
    for kind in kinds:
        for pace in (CALL_PACE, None):
            baseline = 0.0
            for count in (1, 4, 16):
                latencies, duplicates, failed = _contention_run(kind, count, pace, seconds)
                errors += failed + [f"{kind}, {count} counters: {duplicates} tickets called "
                                    "twice"] * bool(duplicates)
                rate = len(latencies) / seconds  # calls that claimed a ticket
                p99 = percentile(latencies, .99) * 1000
                load = f"every {pace} s" if pace else "flat out"
                name = f"call_next_{kind}_{count}_counters_{'paced' if pace else 'flat_out'}"
                # Like with like: paced, the call's p99 against one counter's; flat out (the
                # saturation test), calls a second against one counter's.
                value, unit, other = (p99, "ms p99", f"{rate:.1f} calls/s") if pace else (
                    rate, "calls/s", f"p99 {p99:.1f} ms")
                baseline = baseline or value
                results.append(Result(
                    name, round(value, 1), unit, round(baseline, 1), round(value / baseline, 2),
                    f"{other}, p50 {percentile(latencies, .5) * 1000:.1f} ms, duplicates "
                    f"{duplicates}, failed {len(failed)}; each counter calls {load}; "
                    f"baseline: {unit} with 1 counter"))
    if "postgres" not in kinds:
        results.append(Result("call_next_postgres", float("nan"), "ms p99", float("nan"),
                              float("nan"), f"skipped: no PostgreSQL at {PG_BASE}"))
    calls = sum(1 for r in results if r.name.startswith("call_next_"))
    results.append(errors_row("contention_errors", errors, calls,
                              "failed calls in all the runs above (baseline: the runs)"))
    return results


def _contention_run(kind: str, count: int, pace: float | None,
                    seconds: float) -> tuple[list[float], int, list[str]]:
    """One contention run: the latencies of the calls that claimed a ticket, how many
    tickets were called twice, and the calls that failed."""
    fields = ["A", "B", "C", "T"]
    with bench_database(kind, counters=count) as url:
        seed = QueueService(Store(url), clock=FrozenClock(MORNING))
        # Enough waiting that flat-out counters never find the queue empty (checked below:
        # a queue run dry caps the calls at the supply and hides the waiting).
        # Spread over every field: each numbers at most 999 a day.
        every_field = [f.code for f in seed.catalog.fields.values() if f.daily_cap is None]
        for n in range(int(seconds * FLAT_OUT_SUPPLY) if pace is None else 300):
            seed.issue(every_field[n % len(every_field)])
        seed.store.dispose()
        ctx = multiprocessing.get_context("spawn")
        out, go, stop, ready = ctx.Queue(), ctx.Event(), ctx.Event(), ctx.Semaphore(0)
        procs = [ctx.Process(target=workers.issuer, args=(url, MORNING, fields, stop, out))]
        procs += [ctx.Process(target=workers.caller,
                              args=(url, MORNING, str(n), pace, ready, go, stop, out))
                  for n in range(1, count + 1)]
        for proc in procs:
            proc.start()
        for _ in range(count):
            ready.acquire(timeout=120)  # every counter imported and connected
        go.set()
        time.sleep(seconds)
        stop.set()
        latencies: list[float] = []
        failed: list[str] = []
        found_none = 0
        for _ in procs:
            kind_name, payload = out.get(timeout=120)
            if kind_name == "calls":
                latencies += payload[0]
                found_none += payload[1]
                failed += payload[2]
        for proc in procs:
            proc.join(timeout=30)
        if pace is None and found_none:
            raise RuntimeError(f"{kind}, {count} counters: the queue ran dry ({found_none} "
                               "empty calls); raise FLAT_OUT_SUPPLY")
        store = Store(url)
        with store.engine.connect() as conn:
            duplicates = conn.exec_driver_sql(
                "SELECT count(*) FROM (SELECT ticket_id FROM ticket_event "
                "WHERE kind = 'called' GROUP BY ticket_id HAVING count(*) > 1) d").scalar_one()
        store.dispose()
    return latencies, int(duplicates), failed


WARM_CALLS = 20


def bench_line(quick: bool) -> list[Result]:
    """Call-next as the line grows: the median call with a long line (8,000 waiting across
    the hall's fields) against the same counters' with 300. Five counters, each serving
    every field (the most lines a call reads); each call is followed by a finish, untimed."""
    long_line, calls = (2000, 60) if quick else (8000, 200)
    results = []
    for kind in stores():
        with bench_database(kind) as url:
            store = Store(url)
            service = QueueService(store, clock=FrozenClock(MORNING))
            issue = issuing_in_turn(service)
            medians: list[float] = []
            in_line = 0
            for waiting in (300, long_line):
                for _ in range(waiting + calls - in_line):
                    issue()
                in_line = waiting
                if store.postgres:
                    with store.begin() as conn:
                        conn.exec_driver_sql("ANALYZE")
                took = []
                for n in range(calls):
                    counter = str(1 + n % 5)
                    began = time.perf_counter()
                    called = service.call_next(counter)
                    took.append(time.perf_counter() - began)
                    if called is None:
                        raise RuntimeError(f"{kind}: the line ran dry at {waiting} waiting")
                    service.finish(counter)
                medians.append(statistics.median(took) * 1000)
            store.dispose()
        short, long_ = medians
        results.append(Result(
            f"call_next_{kind}_{long_line}_waiting", round(long_, 2), "ms p50", round(short, 2),
            round(long_ / short, 2), f"{calls} calls at 5 counters each serving all 13 "
            "fields; baseline: the same with 300 waiting"))
    return results
