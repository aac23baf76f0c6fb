"""The scripting CLI: JSON on every command, Vietnamese by default, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from queue_kiosk.cli.main import main

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
    assert code == 0 and "13 lĩnh vực, 36 thủ tục, 5 quầy" in out
    catalog = ok_json(qk, "catalog")
    assert [f["code"] for f in catalog["fields"]][:3] == ["A", "B", "C"]
    assert catalog["counters"][0] == {
        "code": "1", "name": "Văn phòng HĐND và UBND (Tư pháp – Hộ tịch)",
        "name_en": "People's Council and Committee Office (Justice – Civil status)",
        "fields": ["B", "A", "K"], "paused_reason": None, "current": None,
        "short_name": "Tư pháp – Hộ tịch", "short_name_en": "Justice – Civil status",
        "outside_hours": False}
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
    closed = ok_json(qk, "close-day")
    assert Path(closed.pop("backup")).exists()  # the day's backup
    assert closed == {"day": "2026-11-25", "expired": 1, "carried_over": 0,
                      "still_serving": [], "bookings_missed": 0, "next_open": "2026-11-26"}


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
    (["finish", "1"], "Quầy số 1 không có số nào đang gọi hay phục vụ", 2),
    (["return", "B0x"], "Số thứ tự 'B0x' không đúng dạng", 2),
    (["return", "B777"], "Hôm nay, Thứ Tư 25/11/2026, không có số B777", 2),
    (["rate", "B001", "9"], "Mức đánh giá '9' không hợp lệ (có: 3, 2, 1)", 2),
    (["transfer", "1"], "thiếu tham số bắt buộc: --to", 2),
    (["frobnicate"], "'frobnicate' không phải lựa chọn hợp lệ", 2),
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
    from queue_kiosk.config.hall import default_hall_path

    qk("init")
    ok_json(qk, "issue", "B")
    text = default_hall_path().read_text(encoding="utf-8")
    edited = text.replace('name = "Hộ tịch"', 'name = "Hộ tịch – Khai sinh"')
    edited = edited.replace('fields = ["B", "A", "K"]', 'fields = ["B", "A"]')
    edited = edited.split('[[fields]]\ncode = "K"')[0] + '[[fields]]\ncode = "L"' + \
        edited.split('[[fields]]\ncode = "L"')[1]
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
    assert code == 2 and "không nhận ra tham số: --pin" in err


def test_a_mid_day_load_that_strands_citizens_is_one_line_and_changes_nothing(
        qk: Any, tmp_path: Path) -> None:
    from queue_kiosk.config.hall import default_hall_path

    qk("init")
    qk("issue", "B")
    edited = default_hall_path().read_text(encoding="utf-8").replace(
        'fields = ["B", "A", "K"]', 'fields = ["A", "K"]')
    assert edited != default_hall_path().read_text(encoding="utf-8")
    (tmp_path / "hall.toml").write_text(edited, encoding="utf-8")
    code, _, err = qk("init", "--config", str(tmp_path / "hall.toml"))
    assert code == 2 and err.count("\n") == 1
    assert "B (Hộ tịch): 1" in err and "close-field" in err
    code, out, _ = qk("call", "1")
    assert code == 0 and "B001" in out  # counter 1 still serves Hộ tịch


def _bundled_with(old: str, new: str) -> str:
    from queue_kiosk.config.hall import default_hall_path

    text = default_hall_path().read_text(encoding="utf-8")
    assert text.count(old) == 1
    return text.replace(old, new)


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("enforce = true", 'enforce = "no"', "hours.enforce: phải là true hoặc false, đang là 'no'"),
    ("[counter.keys]", '[counter.keys]\ncall_next = "f2"', "phím 'f2' đang dùng cho cả"),
    ('logo = ""', 'logo = "logo-missing.png"', "printer.logo: không có tệp ảnh tại"),
    ('url = ""', 'url = "lpt://1"', "printer.url: Địa chỉ máy in không hợp lệ: 'lpt://1'"),
])
def test_hall_values_once_accepted_silently_are_refused_in_one_line(
        qk: Any, tmp_path: Path, old: str, new: str, expected: str) -> None:
    (tmp_path / "hall.toml").write_text(_bundled_with(old, new), encoding="utf-8")
    code, _, err = qk("init", "--config", str(tmp_path / "hall.toml"))
    assert code == 2 and err.count("\n") == 1 and expected in err, err


def test_a_hall_file_saved_with_a_bom_and_a_logo_beside_it_loads(qk: Any,
                                                                 tmp_path: Path) -> None:
    from PIL import Image

    Image.new("1", (40, 20)).save(tmp_path / "logo.png")
    text = _bundled_with('logo = ""', 'logo = "logo.png"')
    (tmp_path / "hall.toml").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    code, out, err = qk("--json", "init", "--config", str(tmp_path / "hall.toml"))
    assert code == 0, err
    code, out, _ = qk("--json", "issue", "B")
    assert code == 0
    from queue_kiosk.config.hall import HallConfig
    from queue_kiosk.store.store import Store
    from queue_kiosk.store.tables import site_t

    with Store(os.environ["QUEUE_KIOSK_DB"]).read() as conn:
        hall = HallConfig.model_validate_json(conn.execute(
            site_t.select()).one().hall_json)
    assert hall.printer.logo == str(tmp_path / "logo.png")  # found from any folder later


@pytest.mark.parametrize(("args", "expected"), [
    (["printer", "preview", "B001", "--out", "{tmp}/no-such-folder/x.png"],
     "no-such-folder/x.png: No such file or directory"),
    (["issue", "B", "--print", "--printer", "tcp://[::1"], "Invalid printer URL"),
    (["simulate", "--tickets", "100000000"], "--tickets must be from 1 to 20000"),
    (["simulate", "--counters", "0"], "--counters must be from 1 to 200"),
    (["pause", "1", "--reason", "x" * 201], "longer than 200 characters"),
    (["close-field", "B", "--reason", "x" * 201], "longer than 200 characters"),
])
def test_bad_input_is_one_line_never_an_internal_error(qk: Any, tmp_path: Path,
                                                        args: list[str], expected: str) -> None:
    qk("init")
    qk("issue", "B")
    code, _, err = qk("--lang", "en", *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert code in (2, 3) and err.count("\n") == 1 and expected in err, err


def test_init_on_a_corrupt_or_newer_database_is_one_line(qk: Any, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"this is no database at all, but a text file" * 100)
    monkeypatch.setenv("QUEUE_KIOSK_DB", f"sqlite:///{corrupt}")
    code, _, err = qk("--lang", "en", "init")
    assert code == 3 and err.count("\n") == 1 and "is not a usable database" in err, err
    newer = tmp_path / "newer.db"
    monkeypatch.setenv("QUEUE_KIOSK_DB", f"sqlite:///{newer}")
    qk("init")
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    code, _, err = qk("--lang", "en", "init")
    assert code == 3 and err.count("\n") == 1 and "newer than this program (0099)" in err, err
