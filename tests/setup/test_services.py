"""The systemd units of `service install`: their text from roles and settings (no systemd
needed), systemd's own check of them, and the command that writes, lists and removes them.

systemd is not PID 1 on the machines the suite runs on, so a unit is never started here:
what restarts a killed screen is checked as the settings that make systemd do it
(Restart=always restarts after any exit, a SIGKILL included; RestartSec=2; no start limit)
and `systemd-analyze verify` confirms systemd reads each of them without a warning."""

from __future__ import annotations

import configparser
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from queue_kiosk.config.units import Role, UnitError, UnitSettings, parse_roles, units_for
from tests.cli.test_cli import qk  # noqa: F401  (the fixture)

QK = str(Path(sys.executable).with_name("queue-kiosk"))
PG = "postgresql://qk:p%40ss@db.lan/queue?options=-csearch_path%3Dcentre"
ALL = "serve kiosk display counter 1 counter 2 backup".split()


def settings(**changes: Any) -> UnitSettings:
    base: dict[str, Any] = {"executable": QK, "python": sys.executable,
                            "db_url": "sqlite:////home/centre/.local/share/queue-kiosk/q.db",
                            "user_mode": False, "user": "centre"}
    return UnitSettings(**(base | changes))


def sections(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    return parser


def test_roles_are_read_with_each_counters_number() -> None:
    assert parse_roles(["serve", "counter", "1", "Kiosk", "counter", "2", "serve"]) == [
        Role("serve"), Role("counter", "1"), Role("kiosk"), Role("counter", "2")]
    for words, key in ((["printer"], "service.unknown_role"), ([], "service.no_roles"),
                       (["counter", "kiosk"], "service.counter_number"),
                       (["counter"], "service.counter_number")):
        with pytest.raises(UnitError) as refused:
            parse_roles(words)
        assert refused.value.key == key


def test_system_units_start_at_boot_restart_for_ever_and_put_screens_on_consoles() -> None:
    units = {u.name: u for u in units_for(parse_roles(ALL), settings())}
    assert sorted(units) == ["queue-kiosk-backup.service", "queue-kiosk-backup.timer",
                             "queue-kiosk-counter-1.service", "queue-kiosk-counter-2.service",
                             "queue-kiosk-display.service", "queue-kiosk-kiosk.service",
                             "queue-kiosk-serve.service"]
    for name in ("serve", "kiosk", "display", "counter-1", "counter-2"):
        unit = sections(units[f"queue-kiosk-{name}.service"].text)
        assert unit["Service"]["Restart"] == "always" and unit["Service"]["RestartSec"] == "2"
        assert unit["Unit"]["StartLimitIntervalSec"] == "0"
        assert unit["Install"]["WantedBy"] == "multi-user.target"
        assert unit["Service"]["User"] == "centre"
        assert unit["Service"]["ExecStart"].startswith(QK + " ")
    consoles = [sections(units[f"queue-kiosk-{n}.service"].text)["Service"]["TTYPath"]
                for n in ("kiosk", "display", "counter-1", "counter-2")]
    assert consoles == ["/dev/tty2", "/dev/tty3", "/dev/tty4", "/dev/tty5"]
    kiosk = sections(units["queue-kiosk-kiosk.service"].text)
    assert kiosk["Unit"]["Conflicts"] == "getty@tty2.service"
    assert kiosk["Service"]["StandardInput"] == "tty"
    assert kiosk["Service"]["ExecStartPre"] == "+-/usr/bin/chvt 2"  # shown at boot
    assert "ExecStartPre" not in units["queue-kiosk-display.service"].text
    assert sections(units["queue-kiosk-counter-2.service"].text)["Service"]["ExecStart"] == \
        f"{QK} counter 2"
    serve = sections(units["queue-kiosk-serve.service"].text)["Service"]
    assert serve["ExecStart"] == f"{QK} serve --host 0.0.0.0 --port 8080"
    spoken = units_for([Role("serve")], settings(serve_voice=True))[0]
    assert f"ExecStart={QK} serve --host 0.0.0.0 --port 8080 --voice" in spoken.text
    timer = sections(units["queue-kiosk-backup.timer"].text)
    assert (timer["Timer"]["OnCalendar"], timer["Timer"]["Persistent"]) == \
        ("*-*-* 18:00:00", "true")
    backup = sections(units["queue-kiosk-backup.service"].text)["Service"]
    assert backup["ExecStart"] == f"{QK} backup --keep 14" and backup["Type"] == "oneshot"
    assert [u.name for u in units.values() if not u.start] == ["queue-kiosk-backup.service"]


def test_the_database_url_is_escaped_for_systemd_and_a_password_kept_private() -> None:
    unit = units_for([Role("serve")], settings(db_url=PG, site="an-binh", lang="en"))[0]
    assert 'Environment="QUEUE_KIOSK_DB=postgresql://qk:p%%40ss@db.lan/queue?options=' \
           '-csearch_path%%3Dcentre"' in unit.text.splitlines()
    assert 'Environment="QUEUE_KIOSK_SITE=an-binh"' in unit.text
    assert 'Environment="QUEUE_KIOSK_LANG=en"' in unit.text
    assert unit.private
    assert not units_for([Role("serve")], settings())[0].private


def test_user_units_run_screens_in_a_desktop_terminal_and_the_board_in_a_browser() -> None:
    user = settings(user_mode=True, terminal="xterm -fullscreen -fa 'DejaVu Sans Mono' -e",
                    browser="/usr/bin/chromium")
    units = {u.name: u for u in units_for(parse_roles(["kiosk", "browser-display"]), user)}
    kiosk = sections(units["queue-kiosk-kiosk.service"].text)
    assert kiosk["Service"]["ExecStart"] == \
        f"xterm -fullscreen -fa 'DejaVu Sans Mono' -e {QK} kiosk"
    assert kiosk["Install"]["WantedBy"] == "graphical-session.target"
    assert "User" not in kiosk["Service"] and "TTYPath" not in kiosk["Service"]
    board = sections(units["queue-kiosk-browser-display.service"].text)["Service"]
    assert board["ExecStart"].startswith(
        "/usr/bin/chromium --kiosk --app=http://127.0.0.1:8080/display/ ")
    assert board["Restart"] == "always"
    with pytest.raises(UnitError) as refused:
        units_for([Role("browser-display")], settings())
    assert refused.value.key == "service.needs_user"


def test_the_browser_waits_for_serve_before_it_opens(tmp_path: Path) -> None:
    """Its ExecStartPre, run as systemd would run it: done at once when serve answers."""
    import shlex
    import socket
    import time

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        unit = units_for([Role("browser-display")], settings(
            user_mode=True, serve_url=f"http://127.0.0.1:{port}"))[0]
        pre = sections(unit.text)["Service"]["ExecStartPre"]
        started = time.monotonic()
        subprocess.run(shlex.split(pre), check=True, timeout=30)
        assert time.monotonic() - started < 5


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze is not installed: the units' syntax is unchecked")
@pytest.mark.parametrize("user_mode", [False, True])
def test_systemd_reads_every_unit_without_a_warning(tmp_path: Path, user_mode: bool) -> None:
    roles = parse_roles(ALL + (["browser-display"] if user_mode else []))
    chosen = settings(user_mode=user_mode, db_url=PG, terminal="/usr/bin/env -u X",
                      browser=shutil.which("chromium") or "/usr/bin/env")
    for unit in units_for(roles, chosen):
        (tmp_path / unit.name).write_text(unit.text, encoding="utf-8")
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    done = subprocess.run(
        ["systemd-analyze", *(["--user"] if user_mode else []), "verify", "--man=no",
         *sorted(str(p) for p in tmp_path.glob("queue-kiosk-*"))],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "XDG_RUNTIME_DIR": str(runtime), "SYSTEMD_LOG_COLOR": "0"})
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_service_install_status_and_remove_from_the_command_line(
        tmp_path: Path, qk: Any) -> None:  # noqa: F811
    run_cli = qk
    folder = tmp_path / "units"
    code, out, err = run_cli("--json", "service", "install", "serve", "kiosk", "counter", "1",
                             "backup", "--dir", str(folder), "--run-as", "root")
    assert code == 0, err
    written = json.loads(out)
    assert written["units"] == ["queue-kiosk-serve.service", "queue-kiosk-kiosk.service",
                                "queue-kiosk-counter-1.service", "queue-kiosk-backup.service",
                                "queue-kiosk-backup.timer"]
    assert written["started"] is False  # --dir: systemd is left alone, the commands shown
    assert written["commands"][-1].endswith("queue-kiosk-counter-1.service "
                                            "queue-kiosk-backup.timer")
    serve = (folder / "queue-kiosk-serve.service").read_text(encoding="utf-8")
    assert "User=root" in serve and "QUEUE_KIOSK_DB=sqlite:///" in serve
    code, out, _ = run_cli("service", "status", "--dir", str(folder))
    assert code == 0 and "queue-kiosk-counter-1.service: đã cài" in out
    code, out, _ = run_cli("service", "remove", "counter", "1", "backup", "--dir", str(folder))
    assert code == 0 and sorted(p.name for p in folder.iterdir()) == [
        "queue-kiosk-kiosk.service", "queue-kiosk-serve.service"]
    code, _, err = run_cli("service", "install", "tivi", "--dir", str(folder))
    assert code == 2 and "Không có vai trò 'tivi'" in err
    code, _, err = run_cli("service", "install", "serve", "--run-as", "nobody-here",
                           "--dir", str(folder))
    assert code == 2 and "Không có người dùng 'nobody-here'" in err
    code, out, _ = run_cli("--json", "service", "install", "--user", "serve", "browser-display",
                           "--dir", str(folder))
    assert code == 0 and "--voice" in (folder / "queue-kiosk-serve.service").read_text()


def test_the_notification_deliverer_is_a_service_of_its_own() -> None:
    unit = units_for(parse_roles(["notify"]), settings(db_url=PG))[0]
    service = sections(unit.text)["Service"]
    assert (unit.name, service["ExecStart"], service["Restart"]) == (
        "queue-kiosk-notify.service", f"{QK} notify", "always")
    assert service["User"] == "centre" and unit.private and unit.start


def test_a_local_first_communes_shipper_is_a_service_with_its_token_kept_private() -> None:
    unit = units_for(parse_roles(["ship"]), settings(
        db_url="sqlite:////var/lib/qk/queue.db", ship_to="https://tinh.example.vn",
        ship_token="s3cr%t"))[0]
    service = sections(unit.text)["Service"]
    assert (unit.name, service["ExecStart"], service["Restart"]) == (
        "queue-kiosk-ship.service", f"{QK} ship --to https://tinh.example.vn", "always")
    assert 'Environment="QUEUE_KIOSK_SHIP_TOKEN=s3cr%%t"' in unit.text
    assert unit.private and unit.start
    with pytest.raises(UnitError, match="service.ship_needs"):
        units_for(parse_roles(["ship"]), settings(ship_to="https://tinh.example.vn"))
