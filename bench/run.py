"""Benchmarks, each reported as a ratio against a baseline measured in the same run.

Not part of the test suite: timings belong here, with the figures copied into the README.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import multiprocessing
import os
import platform
import secrets
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

if __package__ in (None, ""):  # `python bench/run.py` as well as `python -m bench`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect

from queue_kiosk.config.hall import CounterConfig, HallConfig, default_hall_path, load_hall
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.domain.numbering import format_number
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.direct import DirectStatement
from queue_kiosk.store.migrate import upgrade
from queue_kiosk.store.statements import ISSUED_COLUMNS, Sql
from queue_kiosk.store.store import Store

MORNING = datetime(2026, 11, 25, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


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


class RawCommits:
    """The baseline: one-row INSERT+COMMIT per transaction, same pragmas as the store."""

    def __init__(self, path: Path, synchronous: str) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute(f"PRAGMA synchronous={synchronous}")
        self.conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, number TEXT, at TEXT)")

    def one(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("INSERT INTO t (number, at) VALUES ('B001', '2026-11-25')")
        self.conn.execute("COMMIT")


class FloorIssuing:
    """The like-for-like baseline of issuing: the very statements our issue runs on SQLite
    (the check, the day's bookings, the numbering upsert, the ticket, its event), compiled
    once and driven by hand on the driver with ready-made values, on a database of the same
    schema and hall, same pragmas. What is left between it and us is our own code; what
    is left between it and RawCommits is the schema's work (indexes, the check's read)."""

    def __init__(self, path: Path, synchronous: str) -> None:
        service = issuing_service(path, synchronous)
        store, self.site_id = service.store, service.site_id
        self.fields = itertools.cycle([(f.id, f.series, f.prefix, f.block) for f in
                                       service.catalog.fields.values()])
        event = {"site_id": self.site_id, "counter_id": None, "staff_id": None,
                 "kind": "issued", "detail": ""}
        self.statements = [self._compiled(statement.statement, names) for statement, names in (
            (Sql.issue_check(store, False), ("site_id", "field_id", "day", "now", "series")),
            (Sql.bookings_to_come, ("site_id", "day")),
            (Sql.next_seq(store), ("site_id", "day", "series")),
            (Sql.insert_ticket(store), ISSUED_COLUMNS),
            (Sql.insert_event, (*event, "at", "ticket_id")))]
        self.event = event
        store.dispose()
        self.conn = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode=WAL", f"synchronous={synchronous}", "foreign_keys=ON"):
            self.conn.execute(f"PRAGMA {pragma}")
        self.day = MORNING.date().isoformat()
        self.now = MORNING.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    @staticmethod
    def _compiled(statement: Any, names: Sequence[str]) -> tuple[str, list[str], dict[str, Any]]:
        compiled = statement.compile(dialect=sqlite_dialect(), column_keys=list(names))
        defaults = {name: bind.value for name, bind in compiled.binds.items()}
        return compiled.string, list(compiled.positiontup), defaults

    def _run(self, index: int, values: dict[str, Any]) -> list[Any]:
        sql, order, defaults = self.statements[index]
        return self.conn.execute(sql, [values.get(name, defaults[name])
                                       for name in order]).fetchall()

    def one(self) -> None:
        field_id, series, prefix, block = next(self.fields)
        values: dict[str, Any] = {"site_id": self.site_id, "field_id": field_id,
                                  "day": self.day, "now": self.now, "series": series}
        self.conn.execute("BEGIN IMMEDIATE")
        self._run(0, values)
        self._run(1, values)
        seq = self._run(2, values)[0][0]
        ticket = self._run(3, {**values, "seq": seq, "number": format_number(prefix, block, seq),
                               "token": secrets.token_urlsafe(16), "procedure_id": None,
                               "priority": None, "status": "waiting", "issued_at": self.now,
                               "queue_at": self.now, "recalls": 0, "transfers": 0,
                               "appointment": None})
        self._run(4, {**self.event, "at": self.now, "ticket_id": ticket[0][0]})
        self.conn.execute("COMMIT")


def issuing_service(path: Path, synchronous: str) -> QueueService:
    store = Store(f"sqlite:///{path}")
    upgrade(store)
    hall = load_hall(default_hall_path())
    hall = hall.model_copy(update={"hours": hall.hours.model_copy(update={"enforce": False})})
    clock = FrozenClock(MORNING)
    load_catalog(store, hall, clock)
    if synchronous != "FULL":
        from sqlalchemy import event

        @event.listens_for(store.engine, "connect")
        def _relax(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            dbapi_conn.execute(f"PRAGMA synchronous={synchronous}")
        store.dispose()
    return QueueService(store, clock=clock)


def issuing_in_turn(service: QueueService) -> Callable[[], object]:
    """Issue one ticket per call, taking the hall's fields in turn."""
    codes = itertools.cycle([f.code for f in service.catalog.fields.values()])
    return lambda: service.issue(next(codes))


def bench_issue(quick: bool) -> list[Result]:
    """Issuing against raw commits and against the same statements driven by hand
    (`FloorIssuing`), in alternating batches so that all meet the same disk (this VM's fsync
    time drifts by 2x within a minute); the medians of the batch ratios."""
    batches, size = (3, 100) if quick else (10, 200)
    results, parts = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for sync in ("FULL", "NORMAL"):
            raw = RawCommits(Path(tmp) / f"raw-{sync}.db", sync)
            floor = FloorIssuing(Path(tmp) / f"floor-{sync}.db", sync)
            service = issuing_service(Path(tmp) / f"issue-{sync}.db", sync)
            issue_one = issuing_in_turn(service)
            rounds = [(per_second(size, raw.one), per_second(size, floor.one),
                       per_second(size, issue_one)) for _ in range(batches)]
            raw.conn.close()
            floor.conn.close()
            service.store.dispose()
            base, by_hand, ours = (statistics.median(r[i] for r in rounds) for i in range(3))
            runs = f"{batches} alternating batches of {size}, {batches * size} tickets each"
            results.append(Result(
                f"issue_sqlite_sync_{sync.lower()}", round(ours, 1), "tickets/s",
                round(base, 1), round(statistics.median(r[2] / r[0] for r in rounds), 3),
                f"baseline: raw sqlite3 INSERT+COMMIT of one row, same pragmas; {runs}"))
            parts += [
                Result(f"issue_sqlite_floor_sync_{sync.lower()}", round(by_hand, 1),
                       "tickets/s", round(base, 1),
                       round(statistics.median(r[1] / r[0] for r in rounds), 3),
                       "our issue's statements driven by hand on the driver, same schema: "
                       "what the schema's work leaves of raw commits"),
                Result(f"issue_sqlite_code_sync_{sync.lower()}", round(ours, 1), "tickets/s",
                       round(by_hand, 1),
                       round(statistics.median(r[2] / r[1] for r in rounds), 3),
                       "issuing against its own statements driven by hand: what our code "
                       "(SQLAlchemy's transaction and conversions, the estimate) leaves")]
    full, normal = results
    results += parts
    results.append(Result("cost_of_synchronous_full", round(full.value, 1), "tickets/s",
                          normal.value, round(full.value / normal.value, 3),
                          "issue rate at FULL against NORMAL: what power-cut safety costs"))
    results.append(_direct_against_sqlalchemy(batches, size))
    return results


def _direct_against_sqlalchemy(batches: int, size: int) -> Result:
    """Whether `direct.py` still earns its place: issuing with the hot statements on
    SQLite's cursor against the same service with every statement through SQLAlchemy, in
    alternating batches on one database (synchronous=NORMAL, so the disk does not hide it)."""
    through_sqlalchemy = DirectStatement.through_sqlalchemy
    on_cursor = DirectStatement.on_cursor
    with tempfile.TemporaryDirectory() as tmp:
        service = issuing_service(Path(tmp) / "direct.db", "NORMAL")
        issue_one = issuing_in_turn(service)
        rounds = []
        try:
            for _ in range(batches):
                DirectStatement.on_cursor = on_cursor  # type: ignore[method-assign]
                direct = per_second(size, issue_one)
                DirectStatement.on_cursor = through_sqlalchemy  # type: ignore[method-assign]
                rounds.append((per_second(size, issue_one), direct))
        finally:
            DirectStatement.on_cursor = on_cursor  # type: ignore[method-assign]
            service.store.dispose()
    return Result("issue_direct_vs_sqlalchemy",
                  round(statistics.median(ours for _, ours in rounds), 1), "tickets/s",
                  round(statistics.median(base for base, _ in rounds), 1),
                  round(statistics.median(ours / base for base, ours in rounds), 3),
                  "baseline: the same issuing with every statement through SQLAlchemy's "
                  f"execution; {batches} alternating batches of {size}")


def bench_ticket_job(quick: bool) -> list[Result]:
    """Render + ESC/POS encode of one ticket; baseline: python-escpos encoding an
    already-rendered image of the same size (the transport's own share)."""
    from escpos.printer import Dummy
    from PIL import Image

    from queue_kiosk.printing.content import TicketContent
    from queue_kiosk.printing.render import QrPart, render_ticket

    content = TicketContent(
        centre="TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG\nXÃ MẪU", address="", number="B015",
        field="Hộ tịch", procedure="Đăng ký khai sinh", priority=None,
        counters=["Quầy số 1 – Tư pháp - Hộ tịch"], ahead=7, eta_minutes=36,
        issued_at=MORNING, qr_payload="QK1:xa-mau:20261125:B015:AbCdEfGhIjKlMnOpQrStUv",
        qr_is_url=False, footer=["Phiếu chỉ có giá trị trong ngày", "Cảm ơn Quý khách!"])
    rounds = 20 if quick else 100
    results = []
    sizes = {}
    for qr in ("raster", "printer"):
        def job(qr: str = qr) -> bytes:
            printer = Dummy(profile="TM-T20II")
            for part in render_ticket(content, 576, qr=qr).parts:
                if isinstance(part, QrPart):
                    printer.qr(part.payload, size=part.module_dots, native=True)
                else:
                    printer.image(part, impl="bitImageRaster")
            printer.cut()
            return bytes(printer.output)

        sizes[qr] = len(job())
        image = render_ticket(content, 576, qr=qr).image

        def encode_only(image: Image.Image = image) -> None:
            Dummy(profile="TM-T20II").image(image, impl="bitImageRaster")
        per_job = 1000 / per_second(rounds, job)
        per_encode = 1000 / per_second(rounds, encode_only)
        results.append(Result(f"ticket_job_ms_qr_{qr}", round(per_job, 2), "ms",
                              round(per_encode, 2), round(per_job / per_encode, 2),
                              f"576x{image.height}; baseline: encode only"))
    results.append(Result("ticket_bytes_qr_printer", sizes["printer"], "bytes",
                          sizes["raster"], round(sizes["printer"] / sizes["raster"], 3),
                          "baseline: the same ticket with the QR in the raster"))
    return results


PG_BASE = os.environ.get("QUEUE_KIOSK_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")


@contextmanager
def bench_database(kind: str, counters: int = 5) -> Iterator[str]:
    """A fresh store with the bundled hall (open all hours), `counters` counters that each
    serve every field: SQLite in a temporary folder, or a new PostgreSQL schema."""
    hall = load_hall(default_hall_path())
    codes = [f.code for f in hall.fields]
    hall = hall.model_copy(update={
        "hours": hall.hours.model_copy(update={"enforce": False}),
        "counters": [CounterConfig(code=str(n), name=f"Quầy {n}", fields=codes)
                     for n in range(1, counters + 1)]})
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.db"
            _prepare(url, hall)
            yield url
        return
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_BASE, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        try:
            url = f"{PG_BASE}?options=-csearch_path%3D{schema}"
            _prepare(url, hall)
            yield url
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def _prepare(url: str, hall: HallConfig) -> None:
    store = Store(url)
    upgrade(store)
    load_catalog(store, hall, FrozenClock(MORNING))
    store.dispose()


def _pct(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else float("nan")


def pg_available() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_BASE, connect_timeout=2).close()
        return True
    except Exception:  # any failure means: skip the PostgreSQL figures, say so
        return False


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
    kinds = ["sqlite"] + (["postgres"] if pg_available() else [])
    for kind in kinds:
        for pace in (CALL_PACE, None):
            baseline = 0.0
            for count in (1, 4, 16):
                latencies, duplicates, failed = _contention_run(kind, count, pace, seconds)
                errors += failed + [f"{kind}, {count} counters: {duplicates} tickets called "
                                    "twice"] * bool(duplicates)
                rate = len(latencies) / seconds  # calls that claimed a ticket
                p99 = _pct(latencies, .99) * 1000
                load = f"every {pace} s" if pace else "flat out"
                name = f"call_next_{kind}_{count}_counters_{'paced' if pace else 'flat_out'}"
                # Like with like: paced, the call's p99 against one counter's; flat out (the
                # saturation test), calls a second against one counter's.
                value, unit, other = (p99, "ms p99", f"{rate:.1f} calls/s") if pace else (
                    rate, "calls/s", f"p99 {p99:.1f} ms")
                baseline = baseline or value
                results.append(Result(
                    name, round(value, 1), unit, round(baseline, 1), round(value / baseline, 2),
                    f"{other}, p50 {_pct(latencies, .5) * 1000:.1f} ms, duplicates "
                    f"{duplicates}, failed {len(failed)}; each counter calls {load}; "
                    f"baseline: {unit} with 1 counter"))
    if "postgres" not in kinds:
        results.append(Result("call_next_postgres", float("nan"), "ms p99", float("nan"),
                              float("nan"), f"skipped: no PostgreSQL at {PG_BASE}"))
    calls = sum(1 for r in results if r.name.startswith("call_next_"))
    results.append(Result("contention_errors", float(len(errors)), "errors", float(calls),
                          round(len(errors) / max(1, calls), 4),
                          "failed calls in all the runs above (baseline: the runs)"
                          + (f"; first: {errors[0]}" if errors else "")))
    return results


def _contention_run(kind: str, count: int, pace: float | None,
                    seconds: float) -> tuple[list[float], int, list[str]]:
    """One contention run: the latencies of the calls that claimed a ticket, how many
    tickets were called twice, and the calls that failed."""
    from bench import workers

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
    kinds = ["sqlite"] + (["postgres"] if pg_available() else [])
    for kind in kinds:
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


def bench_board(quick: bool) -> list[Result]:
    """Board latency: a call committed in one process until the display process has read it.
    Baseline: how long the call's own transaction took (commit latency)."""
    from bench import workers

    calls = 40 if quick else 200
    results = []
    for kind in ["sqlite"] + (["postgres"] if pg_available() else []):
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
        p50, p99 = _pct(lags, .5) * 1000, _pct(lags, .99) * 1000
        results.append(Result(f"board_latency_{kind}_p99", round(p99, 1), "ms",
                              round(commit * 1000, 1), round(p99 / (commit * 1000), 1),
                              f"p50 {p50:.1f} ms over {len(lags)} calls, read with board() as "
                              f"the display does; baseline: the median call+finish of "
                              f"{WARM_CALLS}, warm"))
    return results


STARTUP_CHILD = """
import resource, sys, time
mode, url, spawned = sys.argv[1], sys.argv[2], float(sys.argv[3])
from textual.app import App
marks = {}
display = App._display
def painted(app, screen, renderable):
    # A frame composed for the terminal: the first one is the first paint; the first with
    # the mode's own screen up is "ready".
    display(app, screen, renderable)
    if renderable is not None:
        marks.setdefault("paint", time.time() - spawned)
        if mode == "minimal" or app.current_mode == mode:
            marks.setdefault("ready", time.time() - spawned)
            app.exit()
App._display = painted
if mode == "minimal":
    from textual.widgets import Label
    class Minimal(App[None]):
        def compose(self):
            yield Label("queue-kiosk")
    Minimal().run(headless=True, size=(120, 34))
else:
    # The real launch path: the command line, with the terminal swapped for a headless one.
    from queue_kiosk.screens.app import QueueApp
    run = QueueApp.run
    QueueApp.run = lambda app, **_: run(app, headless=True, size=(120, 34))
    from queue_kiosk.cli.main import main
    main([mode, "--db", url] + (["--mute"] if mode == "display" else []))
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the (large) parent.
peak = [line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")]
print(marks["paint"], marks["ready"],
      peak[0] if peak else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def bench_startup(quick: bool) -> list[Result]:
    """Each mode launched as `queue-kiosk MODE` to its first painted screen and to its own
    screen with the store open, against a minimal Textual app; and peak memory. Timed from
    launching a fresh interpreter, so imports count."""
    rounds = 3 if quick else 7
    results = []
    with bench_database("sqlite") as url:
        timings: dict[str, tuple[float, float, float]] = {}
        for mode in ("minimal", "kiosk", "counter", "display"):
            runs = []
            for _ in range(rounds):
                done = subprocess.run([sys.executable, "-c", STARTUP_CHILD, mode, url,
                                       str(time.time())], capture_output=True, text=True,
                                      check=True)
                paint_s, ready_s, peak_kib = done.stdout.split()[-3:]
                runs.append((float(paint_s), float(ready_s), float(peak_kib) / 1024))
            timings[mode] = (statistics.median(r[0] for r in runs),
                             statistics.median(r[1] for r in runs), max(r[2] for r in runs))
        base_time, _, base_memory = timings.pop("minimal")
        for mode, (painted, ready, memory) in timings.items():
            results.append(Result(f"startup_{mode}_first_paint", round(painted, 3), "s",
                                  round(base_time, 3), round(painted / base_time, 2),
                                  f"peak {memory:.0f} MiB (minimal app {base_memory:.0f} MiB)"))
            results.append(Result(f"startup_{mode}_ready", round(ready, 3), "s",
                                  round(base_time, 3), round(ready / base_time, 2),
                                  "its own screen shown, the store open"))
        results += _command_line(url, rounds)
    return results


def _command_line(url: str, rounds: int) -> list[Result]:
    """What a script pays per `queue-kiosk` call (a centre's integration, a cron report):
    the whole process, against a bare interpreter started the same way; and SQLAlchemy's
    own import, the floor of any command that opens the store. Then the same calls with the
    warm helper (`QUEUE_KIOSK_WARM=1`) running."""
    # As installed: bytecode written once and reused (a test runner may forbid writing it).
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["QUEUE_KIOSK_NOW"] = MORNING.isoformat()

    def median_run(*args: str, env: dict[str, str] = env) -> float:
        runs = []
        for _ in range(rounds + 1):
            began = time.perf_counter()
            subprocess.run([sys.executable, *args], env=env, capture_output=True, check=True)
            runs.append(time.perf_counter() - began)
        return statistics.median(runs[1:])  # the first one compiles the bytecode

    bare = median_run("-c", "pass")
    floor = median_run("-c", "import sqlalchemy")
    commands = (("issue", ("--json", "issue", "B")), ("board", ("--json", "board")))
    results = [Result(f"cli_{name}_json", round(took, 3), "s", round(bare, 3),
                      round(took / bare, 1), f"`queue-kiosk {' '.join(args)}`, whole process; "
                      f"baseline: `python -c pass`; `import sqlalchemy` alone {floor:.3f} s; "
                      "aim < 0.25 s")
               for name, args in commands
               for took in [median_run("-m", "queue_kiosk", "--db", url, *args)]]
    with tempfile.TemporaryDirectory(prefix="qk-bench-") as folder:
        warm_env = {**env, "QUEUE_KIOSK_WARM": "1", "QUEUE_KIOSK_WARM_DIR": folder}
        try:
            for name, args in commands:
                command = ("-m", "queue_kiosk", "--db", url, *args)
                median_run(*command, env=warm_env)  # starts the helper
                _wait_for(lambda: any(Path(folder).glob("*/*.sock")), 30)
                took = median_run(*command, env=warm_env)
                results.append(Result(
                    f"cli_{name}_json_warm", round(took, 3), "s", round(bare, 3),
                    round(took / bare, 1), f"`QUEUE_KIOSK_WARM=1 queue-kiosk "
                    f"{' '.join(args)}`, whole process, the helper running; baseline: "
                    "`python -c pass`; aim < 0.25 s"))
        finally:
            for lock in Path(folder).glob("*/*.lock"):
                if lock.read_text().strip():
                    os.kill(int(lock.read_text()), signal.SIGTERM)
    return results


def _wait_for(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"not ready after {seconds} s (the warm helper, a server)")
        time.sleep(0.05)


def bench_simulator(quick: bool) -> list[Result]:
    """A commune day through the real service with the injectable clock."""
    from queue_kiosk.reports.simulate import SimulationSettings, simulate

    hall = load_hall(default_hall_path())
    cases = [(300, 5)] if quick else [(300, 5), (1000, 10)]
    results = []
    for tickets, counters in cases:
        by_mode = {}
        for mode in ("interleave", "strict"):
            began = time.perf_counter()
            by_mode[mode] = simulate(hall, SimulationSettings(tickets=tickets, counters=counters,
                                                              priority_mode=mode))
            elapsed = time.perf_counter() - began
        r = by_mode["interleave"]
        results.append(Result(
            f"simulated_day_{tickets}_tickets_{counters}_counters_mean_wait", r.mean_wait,
            "min", r.baseline_mean_wait, round(r.mean_wait / max(r.baseline_mean_wait, 0.1), 2),
            f"p95 {r.p95_wait}, max {r.max_wait}, overtakes {r.overtakes}; longest normal "
            f"wait interleave {r.longest_normal_wait} vs strict "
            f"{by_mode['strict'].longest_normal_wait}; baseline: pooled FCFS "
            f"(p95 {r.baseline_p95_wait}, max {r.baseline_max_wait}); simulated in "
            f"{elapsed:.1f} s"))
    return results


def bench_planner(quick: bool) -> list[Result]:
    """The staffing planner on the bundled hall (300 citizens, 5 counters) and, in the full
    run, on 12 counters (the hall's counters repeated, 720 citizens): the proposal's p95 wait
    against the pooled line's on the same simulated days (the aim: within 1.3×), and the
    planner's run time against one evaluation of the current plan."""
    from queue_kiosk.reports import planner, workload

    hall = load_hall(default_hall_path())
    seeds = 2 if quick else 5
    results: list[Result] = []
    overtakes = plans = 0
    for counters, citizens in [(5, 300)] if quick else [(5, 300), (12, 720)]:
        demand = workload.typical_demand(hall, citizens)
        began = time.perf_counter()
        report = planner.make_plan(hall, demand, counters=counters, seeds=seeds)
        took = time.perf_counter() - began
        began = time.perf_counter()
        planner.evaluate(hall, planner.current_plan(hall, counters),
                         planner.plan_days(hall, demand, seeds))
        once = time.perf_counter() - began
        current, proposal, pooled = report.current, report.proposal, report.pooled
        overtakes += current.overtakes + proposal.overtakes + pooled.overtakes
        plans += 3
        results += [
            Result(f"plan_{counters}_counters_p95", proposal.p95_minutes, "min",
                   pooled.p95_minutes, round(proposal.p95_minutes / pooled.p95_minutes, 2),
                   f"proposal vs one pooled line, {citizens} citizens a day, {seeds} days; "
                   f"current plan p95 {current.p95_minutes} (mean {current.mean_minutes} → "
                   f"{proposal.mean_minutes}, last leaves {current.last_leaves_at} → "
                   f"{proposal.last_leaves_at}); aim ratio ≤ 1.3"),
            Result(f"plan_{counters}_counters_seconds", round(took, 3), "s", round(once, 4),
                   round(round(took, 3) / round(once, 4), 1), "the whole planner against one "
                   "simulation of the current plan on the same days")]
        extra = report.extra_counter
        if extra is not None:
            results.append(Result(
                f"plan_{counters}_counters_extra_p95", extra.p95_minutes, "min",
                proposal.p95_minutes, round(extra.p95_minutes / proposal.p95_minutes, 2),
                f"the proposal with one more counter {extra.opens_at}–{extra.closes_at} "
                f"(every field, {extra.fields[0]} first) vs the proposal alone"))
    results.append(Result("plan_errors", float(overtakes), "errors", float(plans),
                          round(overtakes / plans, 2), "calls that passed an earlier citizen "
                          "of the same field and class, over the plans simulated (the "
                          "baseline)"))
    return results


def bench_province(quick: bool) -> list[Result]:
    from bench.province import bench_province as run

    return run(quick)


def bench_board_page(quick: bool) -> list[Result]:
    from bench.board_page import bench_board_page as run

    return run(quick)


BENCHMARKS: dict[str, Callable[[bool], list[Result]]] = {
    "issue": bench_issue, "ticket": bench_ticket_job, "contention": bench_contention,
    "line": bench_line, "board": bench_board, "startup": bench_startup, "simulate": bench_simulator,
    "plan": bench_planner, "province": bench_province, "board_page": bench_board_page}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller runs (a smoke test)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("only", nargs="*", choices=[[], *BENCHMARKS], metavar="NAME",
                        help=f"run only these ({', '.join(BENCHMARKS)})")
    args = parser.parse_args(argv)
    results = [r for name in (args.only or BENCHMARKS) for r in BENCHMARKS[name](args.quick)]
    if args.json:
        print(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=2))
    else:
        print(f"# {platform.node()} · {platform.processor() or platform.machine()} · "
              f"Python {platform.python_version()}")
        for r in results:
            print(f"{r.name:<32} {r.value:>10} {r.unit:<10} baseline {r.baseline:>10}  "
                  f"ratio {r.ratio:>6}  {r.note}")
    failed = [r.name for r in results if r.name.endswith("errors") and r.value > 0]
    if failed:
        print(f"failed operations in: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
