"""What the centre's IT person meets at the command line: staff locks, JSON errors, hours,
the catalogue's priorities, the simulator's verdict, the status page of an old ticket."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from queue_kiosk.config.hall import default_hall_path, load_hall
from queue_kiosk.config.hall_file import hall_toml
from tests.cli.test_cli import qk  # noqa: F401  (the CLI fixture)
from tests.ui.conftest import many_counters


def add_staff(qk: Any, monkeypatch: Any, *args: str) -> None:  # noqa: F811
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("2468\n"))
    code, _, err = qk("staff", "add", *args)
    assert code == 0, err


def test_init_says_when_no_administrator_exists(qk: Any, monkeypatch: Any) -> None:  # noqa: F811
    code, out, _ = qk("init")
    assert code == 0 and "Chưa có tài khoản quản trị" in out and "--role admin" in out
    # …and that the bundled hall has no public_url yet, so phones cannot open the QR.
    assert "Chưa đặt site.public_url" in out and 'public_url = "http://' in out
    add_staff(qk, monkeypatch, "boss", "--name", "Quản trị", "--role", "admin")
    code, out, _ = qk("init")
    assert code == 0 and "quản trị" not in out.lower()


def test_staff_list_shows_a_locked_account_and_unlock_opens_it(
        qk: Any, monkeypatch: Any) -> None:  # noqa: F811
    from queue_kiosk.domain.errors import Refused
    from queue_kiosk.service.facade import QueueService
    from queue_kiosk.service.staff import ACCOUNT_FAILURES, StaffDirectory
    from queue_kiosk.store.store import Store

    qk("init")
    add_staff(qk, monkeypatch, "lan", "--name", "Nguyễn Thị Lan")
    import os

    from queue_kiosk.domain.clock import FrozenClock
    from tests.conftest import MORNING

    clock = FrozenClock(MORNING)
    directory = StaffDirectory(QueueService(Store(os.environ["QUEUE_KIOSK_DB"]), clock=clock))
    for n in range(ACCOUNT_FAILURES):  # from many addresses: the account itself locks
        try:
            directory.login("lan", "0000", client=f"10.0.0.{n}")
        except Refused:
            pass
    code, out, _ = qk("staff", "list")
    assert code == 0 and "tạm khóa đến 08:15" in out
    listed = json.loads(qk("staff", "list", "--json")[1])
    assert listed[0]["locked"] is True
    code, out, _ = qk("staff", "unlock", "lan")
    assert code == 0 and "tạm khóa" not in out
    assert directory.login("lan", "2468", client="10.0.0.99").code == "lan"


def test_with_json_every_error_is_json_with_the_same_exit_code(qk: Any) -> None:  # noqa: F811
    plain_code, _, plain = qk("issue", "B")
    code, out, err = qk("--json", "issue", "B")
    assert code == plain_code != 0 and out == ""
    error = json.loads(err)
    assert plain.strip() == f"queue-kiosk: {error['message']}"
    assert error["error"] == "store.not_initialised" and "queue-kiosk init" in error["message"]
    qk("init")
    code, _, err = qk("--json", "report", "--date", "31/11/2026")
    assert code == 2 and json.loads(err)["error"] == "date.no_such_day"
    code, _, err = qk("--json", "no-such-command")
    assert code == 2 and json.loads(err)["error"] == "usage"


def test_out_of_hours_tells_the_operator_how_to_change_the_hours(
        qk: Any, monkeypatch: Any) -> None:  # noqa: F811
    qk("init")
    monkeypatch.setenv("QUEUE_KIOSK_NOW", "2026-11-25T21:00:00+07:00")
    code, _, err = qk("issue", "B")
    assert code != 0
    assert err.count("\n") == 1 and "[hours]" in err and "init --config" in err


def test_the_catalogue_lists_the_priority_categories(qk: Any) -> None:  # noqa: F811
    qk("init")
    code, out, _ = qk("catalog")
    assert code == 0 and "Đối tượng ưu tiên: elderly (Người cao tuổi)" in out
    assert "Mức đánh giá: 3 (Rất hài lòng)" in out


def test_the_simulator_has_headings_names_and_a_verdict(qk: Any) -> None:  # noqa: F811
    code, out, _ = qk("simulate", "--tickets", "300", "--seed", "1")
    assert code == 0
    assert "Lĩnh vực" in out and "95% chờ không quá" in out and "B Hộ tịch" in out
    assert "p95" not in out
    assert "Kết luận: hàng chờ không hết trong giờ làm việc" in out
    code, out, _ = qk("simulate", "--tickets", "300", "--seed", "1", "--counters", "8")
    assert code == 0 and "Với 8 quầy thay vì 5: 95% chờ không quá" in out
    # The counters added take the hall's counters' fields in turn, and say so.
    assert "  Quầy 6 (thêm) nhận các lĩnh vực như Quầy 1: Hộ tịch, Chứng thực, Thi đua – " \
           "Khen thưởng" in out
    assert "  Quầy 8 (thêm) nhận các lĩnh vực như Quầy 3: Xây dựng, Hộ kinh doanh" in out
    day = json.loads(qk("simulate", "--tickets", "50", "--counters", "6", "--json")[1])
    assert day["counter_fields"]["6"] == ["B", "A", "K"]


def test_the_simulator_takes_the_database_hall_unless_given_one(
        qk: Any, tmp_path: Path) -> None:  # noqa: F811
    hall_file = tmp_path / "hall.toml"
    # One counter per field: a hall unlike the bundled one's five counters.
    hall_file.write_text(hall_toml(many_counters(load_hall(default_hall_path()), 13)),
                         encoding="utf-8")
    assert qk("init", "--config", str(hall_file))[0] == 0
    code, out, err = qk("simulate", "--tickets", "50", "--json")
    assert code == 0, err
    day = json.loads(out)
    assert day["counters"] == 13 and day["counter_fields"]["13"] == ["V"]
    day = json.loads(qk("simulate", "--tickets", "50", "--json", "--config",
                        str(default_hall_path()))[1])
    assert day["counters"] == 5


def test_the_simulator_shows_what_bookings_do(qk: Any) -> None:  # noqa: F811
    """A third of the citizens book: the same day through the real booking, check-in and
    routing, against everyone walking in."""
    code, out, _ = qk("simulate", "--seed", "1", "--appointments", "0.3", "--json")
    assert code == 0
    day = json.loads(out)
    assert day["booked"] > 40 and day["overtakes"] == 0 and day["unserved"] == 0
    assert day["booked_p95_wait"] < day["p95_wait"] / 3  # the slot is kept, give or take
    code, out, _ = qk("simulate", "--seed", "1", "--appointments", "0.3")
    assert code == 0 and "Lịch hẹn (30% công dân đặt trước):" in out
    assert "khi mọi người đến trực tiếp" in out


def fake_player(folder: Any, exit_code: int) -> None:
    """An `aplay` that fails like a PC with no sound card, or plays nothing and succeeds."""
    script = folder / "aplay"
    script.write_text(f"#!/bin/sh\necho 'aplay: main:831: audio open error: No such file or "
                      f"directory' >&2\nexit {exit_code}\n")
    script.chmod(0o755)


def test_voice_say_writes_the_call_and_voice_test_says_what_fails(
        qk: Any, monkeypatch: Any, tmp_path: Any) -> None:  # noqa: F811
    import wave

    qk("init")
    code, out, _ = qk("voice", "say", "b015", "2", "--out", str(tmp_path / "call.wav"))
    assert code == 0 and "call.wav" in out
    with wave.open(str(tmp_path / "call.wav")) as audio:
        assert audio.getnframes() / audio.getframerate() > 1
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))  # no paplay, no aplay
    code, _, err = qk("voice", "test")
    assert code == 2 and "paplay hoặc aplay" in err
    fake_player(bin_dir, 1)
    code, _, err = qk("voice", "test")
    assert code == 2 and "audio open error" in err and "kiểm tra loa" in err
    fake_player(bin_dir, 0)
    code, out, _ = qk("--json", "voice", "test")
    played = json.loads(out)
    assert (code, played["player"]) == (0, "aplay")
    assert played["text"].startswith("Xin mời công dân có số thứ tự")
