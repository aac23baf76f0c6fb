"""The newcomer's path: the demo centre, and a wheel that carries everything it needs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from queue_kiosk.clock import FrozenClock
from queue_kiosk.demo import DEMO_PIN, DEMO_STAFF, create_demo
from queue_kiosk.staff import StaffDirectory
from tests.cli.test_cli import qk  # noqa: F401  (the CLI fixture)

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_centre_is_ready_and_seeded(clock: FrozenClock) -> None:
    demo = create_demo(clock, seed=7)
    service = demo.service
    assert demo.folder.is_dir() and str(demo.folder) != str(ROOT)
    assert StaffDirectory(service).login(DEMO_STAFF, DEMO_PIN).code == DEMO_STAFF
    board = service.board()
    assert sum(q.waiting for q in board.waiting) >= 30
    assert len(board.recent_calls) >= 2
    again = create_demo(clock, seed=7).service.board()
    assert [q.waiting for q in again.waiting] == [q.waiting for q in board.waiting]


def test_the_demo_opens_at_any_hour(clock: FrozenClock) -> None:
    from datetime import datetime

    from tests.conftest import VN

    clock.set(datetime(2026, 11, 29, 23, 0, tzinfo=VN))  # a Sunday night
    assert create_demo(clock).service.issue("B").number == "B001"


def test_screens_refuse_unknown_counters_before_starting(qk: Any) -> None:  # noqa: F811
    qk("init")
    code, _, err = qk("counter", "9")
    assert code == 2 and err.count("\n") == 1 and "Không có quầy '9'" in err


@pytest.mark.slow
def test_the_wheel_runs_without_the_source_tree(tmp_path: Path) -> None:
    # Built from a copy: setuptools keeps files in the tree's build/ folder that the source
    # no longer has (a renamed migration came back as a second head that way).
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", "build", "dist", ".venv*", "venv", "__pycache__", "*.egg-info", ".*_cache",
        ".hypothesis", "*.db"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                    "-q", "-w", str(tmp_path / "dist"), str(source)], check=True,
                   capture_output=True)
    wheel = next((tmp_path / "dist").glob("queue_kiosk-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("queue_kiosk/migrations/env.py", "queue_kiosk/migrations/script.py.mako",
                   "queue_kiosk/migrations/versions/0001_initial_schema.py",
                   "queue_kiosk/assets/hall.toml",
                   "queue_kiosk/assets/fonts/DejaVuSansCondensed-Bold.ttf",
                   "queue_kiosk/assets/fonts/LICENSE-DejaVu.txt",
                   "screens/kiosk.tcss", "screens/counter.tcss", "screens/display.tcss"):
        assert needed in names, f"{needed} is missing from the wheel"
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(target), "HOME": str(tmp_path),
           "QUEUE_KIOSK_DB": f"sqlite:///{tmp_path / 'wheel.db'}",
           "QUEUE_KIOSK_NOW": "2026-11-25T08:00:00+07:00"}
    env.pop("PYTHONSAFEPATH", None)

    def run(*args: str) -> str:
        # From an empty folder, so only the installed copy can be imported.
        result = subprocess.run([sys.executable, "-m", "queue_kiosk", *args], cwd=tmp_path,
                                env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stdout
    assert "close-day" in run("--help")
    assert "11 lĩnh vực" in run("init")
    assert "B001" in run("issue", "B")
    where = subprocess.run([sys.executable, "-c", "import queue_kiosk, screens; "
                            "print(queue_kiosk.__file__, screens.__file__)"], cwd=tmp_path,
                           env=env, capture_output=True, text=True).stdout
    assert str(ROOT) not in where and str(target) in where
