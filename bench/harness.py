"""What every benchmark shares: the result row, the fixed morning, timing and percentiles,
a fresh database on either store, and the row that counts failed operations."""

from __future__ import annotations

import itertools
import math
import os
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from queue_kiosk.config.hall import CounterConfig, HallConfig, default_hall_path, load_hall
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.migrate import upgrade
from queue_kiosk.store.store import Store

MORNING = datetime(2026, 11, 25, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
PG_BASE = os.environ.get("QUEUE_KIOSK_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")


@dataclass(frozen=True)
class Result:
    name: str
    value: float
    unit: str
    baseline: float
    ratio: float
    note: str = ""


def per_second(count: int, action: Callable[[], object]) -> float:
    start = time.perf_counter()
    for _ in range(count):
        action()
    return count / (time.perf_counter() - start)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else float("nan")


def errors_row(name: str, errors: list[str], out_of: int, note: str) -> Result:
    """Every failed operation, against what could have failed (the baseline), the first one
    quoted: the command line fails the run when any `*errors` row is above zero."""
    return Result(name, float(len(errors)), "errors", float(out_of),
                  round(len(errors) / max(1, out_of), 4),
                  note + (f"; first: {errors[0]}" if errors else ""))


def failed_rows(results: list[Result]) -> list[str]:
    return [r.name for r in results if r.name.endswith("errors") and r.value > 0]


def pg_available() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_BASE, connect_timeout=2).close()
        return True
    except Exception:  # any failure means: skip the PostgreSQL figures, say so
        return False


def stores() -> list[str]:
    """The stores to measure: SQLite always, PostgreSQL when the server answers."""
    return ["sqlite"] + (["postgres"] if pg_available() else [])


@contextmanager
def bench_database(kind: str, counters: int = 5,
                   display: dict[str, Any] | None = None) -> Iterator[str]:
    """A fresh store with the bundled hall (open all hours), `counters` counters that each
    serve every field, its `[display]` changed by `display`: SQLite in a temporary folder,
    or a new PostgreSQL schema."""
    hall = load_hall(default_hall_path())
    codes = [f.code for f in hall.fields]
    hall = hall.model_copy(update={
        "hours": hall.hours.model_copy(update={"enforce": False}),
        "display": hall.display.model_copy(update=display or {}),
        "counters": [CounterConfig(code=str(n), name=f"Quầy {n}", fields=codes)
                     for n in range(1, counters + 1)]})
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.db"
            prepare(url, [hall])
            yield url
        return
    with postgres_schema() as url:
        prepare(url, [hall])
        yield url


@contextmanager
def postgres_schema() -> Iterator[str]:
    """The URL of a new, empty schema on the benchmark's PostgreSQL, dropped afterwards."""
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_BASE, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        try:
            yield f"{PG_BASE}?options=-csearch_path%3D{schema}"
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def prepare(url: str, halls: list[HallConfig]) -> None:
    store = Store(url)
    upgrade(store)
    for hall in halls:
        load_catalog(store, hall, FrozenClock(MORNING))
    store.dispose()


def issuing_in_turn(service: QueueService) -> Callable[[], object]:
    """Issue one ticket per call, taking the hall's fields in turn."""
    codes = itertools.cycle([f.code for f in service.catalog.fields.values()])
    return lambda: service.issue(next(codes))


def wait_for(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"not ready after {seconds} s (the warm helper, a server)")
        time.sleep(0.05)


def answers(url: str) -> bool:
    """Whether a server answers `url` (a `serve` started for a run: its /health)."""
    try:
        urllib.request.urlopen(url, timeout=1)  # noqa: S310 (a URL the run made)
        return True
    except OSError:
        return False
