"""Messages that used to mislead: an impossible date, an empty number to call, a hall file
that is not one (a device, a huge or empty file), a notification command that cannot run;
and `queue-kiosk notify`, the deliverer as a command."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_cli import ok_json, qk  # noqa: F401  (the CLI fixture)


def one_line_refusal(run: Any, *args: str) -> str:
    code, out, err = run(*args)
    assert (code, out, err.count("\n")) == (2, "", 1), (args, code, out, err)
    return str(err)


@pytest.mark.parametrize("args", [("book", "A", "--time", "09:00", "--date", "29/02/2027"),
                                  ("book", "list", "--date", "2027-02-29"),
                                  ("report", "--date", "31/11/2026")])
def test_an_impossible_date_is_not_a_date(qk: Any, args: tuple[str, ...]) -> None:  # noqa: F811
    assert qk("init")[0] == 0
    assert "không phải ngày có thật trên lịch" in one_line_refusal(qk, *args)
    assert "there is no such day" in one_line_refusal(qk, *args, "--lang", "en")


def test_a_date_as_people_write_it(qk: Any) -> None:  # noqa: F811
    assert qk("init")[0] == 0
    booked = ok_json(qk, "book", "A", "--date", "26/11/2026", "--time", "09:00")
    assert booked["date"] == "2026-11-26"
    assert "ghi ngày/tháng/năm" in one_line_refusal(qk, "book", "list", "--date", "mai")


def test_calling_an_empty_number_calls_nobody(qk: Any) -> None:  # noqa: F811
    assert qk("init")[0] == 0
    ok_json(qk, "issue", "B")
    assert "Chưa ghi số cần gọi" in one_line_refusal(qk, "call", "1", "--number", "")
    assert "No number given to call" in one_line_refusal(qk, "call", "1", "--number", " ",
                                                         "--lang", "en")
    assert ok_json(qk, "ticket", "B001")["status"] == "waiting"  # it called B001 before


def test_a_hall_file_that_is_not_one_is_refused_at_once(qk: Any,  # noqa: F811
                                                        tmp_path: Path) -> None:
    started = time.monotonic()
    assert "/dev/zero: không phải tệp cấu hình" in one_line_refusal(
        qk, "init", "--config", "/dev/zero")  # it read forever
    assert time.monotonic() - started < 5
    assert "not a configuration file" in one_line_refusal(
        qk, "init", "--config", str(tmp_path), "--lang", "en")
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (1024 * 1024 + 1))
    assert "too big for a hall configuration (1048577 bytes" in one_line_refusal(
        qk, "init", "--config", str(big), "--lang", "en")
    empty = tmp_path / "empty.toml"
    empty.write_text("\n# nothing yet\n", encoding="utf-8")
    assert qk("init")[0] == 0
    assert f"{empty}: tệp trống, không có gì để nạp" in one_line_refusal(
        qk, "init", "--config", str(empty))  # it exited 0, having loaded nothing


def notify_fragment(tmp_path: Path, command: str) -> str:
    fragment = tmp_path / "notify.toml"
    fragment.write_text(f"[notify]\ncommand = {json.dumps(command)}\n", encoding="utf-8")
    return str(fragment)


def test_init_checks_the_notification_command(qk: Any, tmp_path: Path) -> None:  # noqa: F811
    assert qk("init")[0] == 0
    script = tmp_path / "gateway.sh"
    script.write_text("#!/bin/sh\ncat >/dev/null\n", encoding="utf-8")
    for command, said in (
            (f"{sys.executable} '/opt/sms gateway.py", "cannot be split into a program and "
                                                       "its arguments (No closing quotation)"),
            (f"{sys.executable} send.py | logger", "has shell characters (|)"),
            ("sms-send $PHONE > /tmp/log", "has shell characters ($ >)"),
            ("/opt/nowhere/sms-gateway --send", "no program '/opt/nowhere/sms-gateway'"),
            ("no-such-sms-gateway-here", "no program 'no-such-sms-gateway-here'"),
            (str(script), f"'{script}' is not executable")):
        err = one_line_refusal(qk, "init", "--config", notify_fragment(tmp_path, command),
                               "--lang", "en")
        assert f"notify.toml: notify.command: {said}" in err, err
    os.chmod(script, 0o755)
    assert qk("init", "--config", notify_fragment(tmp_path, f"{script} --quiet"))[0] == 0


def test_notify_once_delivers_what_is_due(qk: Any, tmp_path: Path) -> None:  # noqa: F811
    from queue_kiosk.config.paths import asset_path

    log = tmp_path / "sent.log"
    assert qk("init")[0] == 0
    assert ok_json(qk, "notify", "--once") == {"attempted": 0}  # no hook: nothing to do
    hook = f"{sys.executable} {asset_path('notify_example.py')} {log}"
    assert qk("init", "--config", notify_fragment(tmp_path, hook))[0] == 0
    booked = ok_json(qk, "book", "A", "--time", "09:00", "--phone", "+84 901 234 567")
    assert not log.exists()  # the command only wrote the notice
    assert ok_json(qk, "notify", "--once") == {"attempted": 1}
    assert log.read_text(encoding="utf-8").split("\t")[1:] == [
        "0901234567", f"Lịch hẹn {booked['code']}: ngày 2026-11-25 lúc 09:00. Mời đến trước "
                      "ít phút, chọn \"Tôi có lịch hẹn\" ở máy lấy số.\n"]
    assert ok_json(qk, "notify", "--once") == {"attempted": 0}  # sent: never again
