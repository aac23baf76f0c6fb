"""Board latency: a call committed in one process until the display process has read it."""

from __future__ import annotations

import multiprocessing
import statistics
import time

from bench import workers
from bench.harness import MORNING, Result, bench_database, percentile, stores
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.store import Store

WARM_CALLS = 20


def bench_board(quick: bool) -> list[Result]:
    """Board latency: a call committed in one process until the display process has read it.
    Baseline: how long the call's own transaction took (commit latency)."""
    calls = 40 if quick else 200
    results = []
    for kind in stores():
        with bench_database(kind) as url:
            service = QueueService(Store(url), clock=FrozenClock(MORNING))
            for _ in range(calls + WARM_CALLS + 1):
                service.issue("B")
            service.call_next("1")  # compiles the statements: start-up, not the baseline
            service.finish("1")
            cycles = []
            for _ in range(WARM_CALLS):
                began = time.perf_counter()
                service.call_next("1")
                service.finish("1")
                cycles.append(time.perf_counter() - began)
            commit = statistics.median(cycles)
            service.store.dispose()
            ctx = multiprocessing.get_context("spawn")
            out, ready = ctx.Queue(), ctx.Event()
            follower = ctx.Process(target=workers.board_follower,
                                   args=(url, MORNING, ready, calls - 1, out))
            calling = ctx.Process(target=workers.board_caller,
                                  args=(url, MORNING, "1", calls - 1, ready, out))
            follower.start()
            calling.start()
            got = dict(out.get(timeout=180) for _ in range(2))
            follower.join(timeout=30)
            calling.join(timeout=30)
        missed = [number for number, _ in got["committed"] if number not in got["seen"]]
        if missed:
            raise RuntimeError(f"board, {kind}: {len(missed)} calls never showed, first "
                               f"{missed[0]}")
        lags = [got["seen"][number] - committed for number, committed in got["committed"]]
        p50, p99 = percentile(lags, .5) * 1000, percentile(lags, .99) * 1000
        results.append(Result(f"board_latency_{kind}_p99", round(p99, 1), "ms",
                              round(commit * 1000, 1), round(p99 / (commit * 1000), 1),
                              f"p50 {p50:.1f} ms over {len(lags)} calls, read with board() as "
                              f"the display does; baseline: the median call+finish of "
                              f"{WARM_CALLS}, warm"))
    return results
