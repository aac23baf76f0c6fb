"""The scripting CLI: JSON on every command, Vietnamese by default, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from queue_kiosk.cli import main

NOW = "2026-11-25T08:00:00+07:00"


@pytest.fixture
def qk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
       capsys: pytest.CaptureFixture[str]) -> Any:
    monkeypatch.setenv("QUEUE_KIOSK_DB", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("QUEUE_KIOSK_NOW", NOW)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return run


def ok_json(run: Any, *args: str) -> Any:
    code, out, err = run(*args, "--json")
    assert (code, err) == (0, ""), err
    return json.loads(out)


def test_a_whole_morning_from_the_command_line(qk: Any) -> None:
    code, out, _ = qk("init")
    assert code == 0 and "11 lĩnh vực, 31 thủ tục, 5 quầy" in out
    catalog = ok_json(qk, "catalog")
    assert [f["code"] for f in catalog["fields"]][:3] == ["A", "B", "C"]
    assert catalog["counters"][0] == {"code": "1", "name": "Tư pháp - Hộ tịch",
                                      "name_en": "Justice - Civil status",
                                      "fields": ["B", "A"], "paused_reason": None,
                                      "current": None}
    first = ok_json(qk, "issue", "B")
    for key in ("id", "number", "field", "procedure", "priority", "status", "counter",
                "issued_at", "called_at", "ahead", "eta_minutes", "token"):
        assert key in first
    assert (first["number"], first["status"], first["ahead"]) == ("B001", "waiting", 0)
    ok_json(qk, "issue", "B2", "--priority", "elderly")
    called = ok_json(qk, "call", "1")
    assert (called["number"], called["status"], called["counter"]) == ("B001", "called", "1")
    assert ok_json(qk, "recall", "1")["recalls"] == 1
    assert ok_json(qk, "start", "1")["status"] == "serving"
    assert ok_json(qk, "finish", "1", "--rating", "3")["status"] == "done"
    assert ok_json(qk, "call", "1")["number"] == "B002"
    assert ok_json(qk, "no-show", "1")["status"] == "no_show"
    assert ok_json(qk, "return", "B002")["status"] == "waiting"
    assert ok_json(qk, "call", "1", "--number", "B002")["counter"] == "1"
    moved = ok_json(qk, "transfer", "1", "--to", "C")
    assert (moved["field"], moved["status"]) == ("C", "waiting")
    assert ok_json(qk, "pause", "3", "--reason", "Đi họp")["paused_reason"] == "Đi họp"
    board = ok_json(qk, "board")
    assert [c["paused_reason"] for c in board["counters"]][:3] == [None, None, "Đi họp"]
    assert board["recent_calls"][0]["number"] == "B002"
    assert ok_json(qk, "resume", "3")["paused_reason"] is None
    assert ok_json(qk, "close-day") == {"day": "2026-11-25", "expired": 1,
                                        "carried_over": 0, "still_serving": []}


def test_nobody_waiting_prints_null_and_succeeds(qk: Any) -> None:
    qk("init")
    code, out, _ = qk("call", "2", "--json")
    assert (code, out.strip()) == (0, "null")


def test_human_output_is_vietnamese_by_default_and_english_on_request(qk: Any) -> None:
    qk("init")
    _, vi, _ = qk("issue", "Hộ tịch")
    assert vi.strip() == ("Đã cấp số B001 · Hộ tịch · đến quầy 1 · 0 người chờ trước"
                          " · dự kiến 0 phút")
    _, en, _ = qk("--lang", "en", "issue", "B")
    assert en.startswith("Issued B002 · Civil status · go to counter 1 · 1 ahead")
    _, called, _ = qk("call", "1")
    assert called.strip() == "Mời công dân có số B001 đến quầy số 1 (Hộ tịch)"


@pytest.mark.parametrize(("args", "expected", "exit_code"), [
    (["issue", "Z"], "Không có lĩnh vực hay thủ tục 'Z'", 2),
    (["issue", "B", "--priority", "vip"], "Không có đối tượng ưu tiên 'vip'", 2),
    (["call", "9"], "Không có quầy '9'", 2),
    (["finish", "1"], "Quầy 1 không có số nào đang gọi hay phục vụ", 2),
    (["return", "B0x"], "Số thứ tự 'B0x' không đúng dạng", 2),
    (["return", "B777"], "Không có số B777 trong ngày 2026-11-25", 2),
    (["rate", "B001", "9"], "Mức đánh giá '9' không hợp lệ (có: 3, 2, 1)", 2),
    (["transfer", "1"], "the following arguments are required: --to", 2),
    (["frobnicate"], "invalid choice: 'frobnicate'", 2),
    (["init", "--config", "/nonexistent/hall.toml"], "/nonexistent/hall.toml: không đọc", 2),
])
def test_bad_input_gets_one_line_and_a_non_zero_exit(qk: Any, args: list[str], expected: str,
                                                     exit_code: int) -> None:
    qk("init")
    code, out, err = qk(*args)
    assert code == exit_code
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("queue-kiosk: ")
    assert expected in err


def test_an_uninitialised_database_is_not_created_by_accident(qk: Any, tmp_path: Path) -> None:
    code, _, err = qk("board")
    assert code == 3 and "chưa được khởi tạo: chạy `queue-kiosk init`" in err
    assert not (tmp_path / "cli.db").exists()


def test_bad_settings_are_named(qk: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUEUE_KIOSK_NOW", "yesterday-ish")
    code, _, err = qk("board")
    assert code == 2 and err.startswith("queue-kiosk: QUEUE_KIOSK_NOW: ")


def test_loading_a_config_again_updates_the_catalogue_and_keeps_tickets(
        qk: Any, tmp_path: Path) -> None:
    from queue_kiosk.config import default_hall_path

    qk("init")
    ok_json(qk, "issue", "B")
    text = default_hall_path().read_text(encoding="utf-8")
    edited = text.replace('name = "Hộ tịch"', 'name = "Hộ tịch – Khai sinh"')
    edited = edited.replace('fields = ["F", "G", "K"]', 'fields = ["F", "G"]')
    edited = edited.split('[[fields]]\ncode = "K"')[0] + '[[fields]]\ncode = "T"' + \
        edited.split('[[fields]]\ncode = "T"')[1]
    path = tmp_path / "hall.toml"
    path.write_text(edited, encoding="utf-8")
    code, out, _ = qk("init", "--config", str(path))
    assert code == 0 and "Ngừng dùng" in out and "K" in out
    catalog = ok_json(qk, "catalog")
    assert "K" not in [f["code"] for f in catalog["fields"]]
    assert ok_json(qk, "ticket", "B001")["field_name"] == "Hộ tịch – Khai sinh"
    assert ok_json(qk, "issue", "B")["number"] == "B002"


def test_the_console_script_and_module_run_without_tracebacks(tmp_path: Path) -> None:
    env = {"QUEUE_KIOSK_DB": f"sqlite:///{tmp_path / 'x.db'}", "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "queue_kiosk", "issue", "B"], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 3
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    helped = subprocess.run([sys.executable, "-m", "queue_kiosk", "--help"], env=env,
                            capture_output=True, text=True)
    assert helped.returncode == 0 and "close-day" in helped.stdout


def test_staff_accounts_take_the_pin_from_stdin_never_an_argument(
        qk: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    qk("init")
    monkeypatch.setattr("sys.stdin", io.StringIO("2468\n"))
    code, out, _ = qk("staff", "add", "lan", "--name", "Nguyễn Thị Lan", "--counters", "1")
    assert code == 0 and "Nguyễn Thị Lan" in out
    listed = ok_json(qk, "staff", "list")
    assert listed[0]["code"] == "lan" and "pin" not in json.dumps(listed).lower()
    code, _, err = qk("staff", "add", "tu", "--name", "Tú", "--pin", "1234")
    assert code == 2 and "unrecognized arguments: --pin" in err


def test_a_mid_day_load_that_strands_citizens_is_one_line_and_changes_nothing(
        qk: Any, tmp_path: Path) -> None:
    from queue_kiosk.config import default_hall_path

    qk("init")
    qk("issue", "B")
    edited = default_hall_path().read_text(encoding="utf-8").replace(
        'fields = ["B", "A"]', 'fields = ["A"]')
    assert edited != default_hall_path().read_text(encoding="utf-8")
    (tmp_path / "hall.toml").write_text(edited, encoding="utf-8")
    code, _, err = qk("init", "--config", str(tmp_path / "hall.toml"))
    assert code == 2 and err.count("\n") == 1
    assert "B (Hộ tịch): 1" in err and "close-field" in err
    code, out, _ = qk("call", "1")
    assert code == 0 and "B001" in out  # counter 1 still serves Hộ tịch
