"""Benchmarks, each reported as a ratio against a baseline measured in the same run.

Not part of the test suite: timings belong here, with the figures copied into the README.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

if __package__ in (None, ""):  # `python bench/run.py` as well as `python -m bench`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.board import bench_board
from bench.board_page import bench_board_page
from bench.calling import bench_contention, bench_line
from bench.day import bench_planner, bench_simulator
from bench.harness import Result, failed_rows
from bench.issuing import bench_issue
from bench.province import bench_province
from bench.shipping import bench_shipping
from bench.startup import bench_startup
from bench.ticket import bench_ticket_job

BENCHMARKS: dict[str, Callable[[bool], list[Result]]] = {
    "issue": bench_issue, "ticket": bench_ticket_job, "contention": bench_contention,
    "line": bench_line, "board": bench_board, "startup": bench_startup, "simulate": bench_simulator,
    "plan": bench_planner, "province": bench_province, "board_page": bench_board_page,
    "ship": bench_shipping}


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
    failed = failed_rows(results)
    if failed:
        print(f"failed operations in: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
