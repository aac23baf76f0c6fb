"""The newcomer's path: the demo centre, and a wheel that carries everything it needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from queue_kiosk.cli.demo import DEMO_PIN, DEMO_STAFF, create_demo
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.service.staff import StaffDirectory
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




def test_the_demo_leaves_nothing_behind_and_shows_the_sign_in_on_its_screen(
        qk: Any, monkeypatch: Any) -> None:  # noqa: F811
    from queue_kiosk.cli import apps

    launched: dict[str, Any] = {}

    def launch(service: Any, **options: Any) -> None:  # the screens, without a terminal
        launched.update(options, folder=Path(service.store.engine.url.database).parent)
        assert launched["folder"].is_dir()
    monkeypatch.setattr(apps, "_launch", launch)
    code, out, _ = qk("demo")
    assert code == 0
    assert launched["sign_in_hint"] == f"Đăng nhập quầy: mã {DEMO_STAFF}, PIN {DEMO_PIN}"
    assert not launched["folder"].exists() and "Đã xóa trung tâm demo" in out
