"""Benchmarks, each reported as a ratio against a baseline measured in the same run.

Not part of the test suite: timings belong here, with the figures copied into the README.
"""

from __future__ import annotations

import argparse
import json
import platform
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

if __package__ in (None, ""):  # `python bench/run.py` as well as `python -m bench`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from queue_kiosk.catalog import load_catalog
from queue_kiosk.clock import FrozenClock
from queue_kiosk.config import default_hall_path, load_hall
from queue_kiosk.db import make_engine
from queue_kiosk.migrate import upgrade
from queue_kiosk.service import QueueService

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


def raw_commits_per_second(path: Path, count: int, synchronous: str) -> float:
    """The baseline: one-row INSERT+COMMIT per transaction, same pragmas as the store."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, number TEXT, at TEXT)")

    def one() -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (number, at) VALUES ('B001', '2026-11-25')")
        conn.execute("COMMIT")
    rate = per_second(count, one)
    conn.close()
    return rate


def issue_per_second(path: Path, count: int, synchronous: str) -> float:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    hall = load_hall(default_hall_path())
    hall = hall.model_copy(update={"hours": hall.hours.model_copy(update={"enforce": False})})
    clock = FrozenClock(MORNING)
    load_catalog(engine, hall, clock)
    if synchronous != "FULL":
        from sqlalchemy import event

        @event.listens_for(engine, "connect")
        def _relax(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            dbapi_conn.execute(f"PRAGMA synchronous={synchronous}")
        engine.dispose()
    service = QueueService(engine, clock=clock)
    fields = [f.code for f in hall.fields]
    counter = iter(range(count))
    rate = per_second(count, lambda: service.issue(fields[next(counter) % len(fields)]))
    engine.dispose()
    return rate


def bench_issue(quick: bool) -> list[Result]:
    count = 300 if quick else 2000
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for sync in ("FULL", "NORMAL"):
            raw = raw_commits_per_second(Path(tmp) / f"raw-{sync}.db", count, sync)
            ours = issue_per_second(Path(tmp) / f"issue-{sync}.db", count, sync)
            results.append(Result(f"issue_sqlite_sync_{sync.lower()}", round(ours, 1),
                                  "tickets/s", round(raw, 1), round(ours / raw, 3),
                                  "baseline: raw sqlite3 INSERT+COMMIT, same pragmas"))
    full, normal = results
    results.append(Result("cost_of_synchronous_full", round(full.value, 1), "tickets/s",
                          normal.value, round(full.value / normal.value, 3),
                          "issue rate at FULL against NORMAL: what power-cut safety costs"))
    return results


def bench_ticket_job(quick: bool) -> list[Result]:
    """Render + ESC/POS encode of one ticket; baseline: python-escpos encoding an
    already-rendered image of the same size (the transport's own share)."""
    from escpos.printer import Dummy
    from PIL import Image

    from queue_kiosk.printing.content import TicketContent
    from queue_kiosk.printing.render import QrPart, render_ticket

    content = TicketContent(
        centre="TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ MẪU", address="", number="B015",
        field="Hộ tịch", procedure="Đăng ký khai sinh", priority=None,
        counters=["Quầy số 1 – Tư pháp - Hộ tịch"], ahead=7, eta_minutes=36,
        issued_at=MORNING, qr_payload="QK1:xa-mau:20261125:B015:AbCdEfGhIjKlMnOpQrStUv",
        qr_is_url=False, footer="Cảm ơn Quý khách!")
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


BENCHMARKS: dict[str, Callable[[bool], list[Result]]] = {
    "issue": bench_issue, "ticket": bench_ticket_job}


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
    return 0
