"""The benchmark runner answers from both documented entry points with the documented JSON."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("entry", [["-m", "bench"], ["bench/run.py"]])
def test_both_entry_points_print_results_as_json(entry: list[str]) -> None:
    done = subprocess.run([sys.executable, *entry, "--quick", "--json", "ticket"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert {r["name"] for r in results} == {
        "ticket_job_ms_qr_raster", "ticket_job_ms_qr_printer", "ticket_bytes_qr_printer"}
    for result in results:
        assert {"name", "value", "unit", "baseline", "ratio"} <= result.keys()
        assert math.isfinite(result["value"]) and result["value"] > 0
        assert math.isclose(result["ratio"], result["value"] / result["baseline"],
                            rel_tol=0.05, abs_tol=0.01)
