"""Set-up that cannot trap (the bundled site replaced, sites listed and removed) and
`doctor`: each check that a centre needs, with a case that fails."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from queue_kiosk.config.paths import backup_dir
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.ops.heartbeat import Heartbeat
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.store import Store
from tests.cli.test_cli import (
    NOW,
    qk,  # noqa: F401 - the fixture
)

BUNDLED = Path(__file__).parents[2] / "assets" / "hall.toml"


@pytest.fixture
def jq(qk: Any) -> Any:  # noqa: F811 - the fixture imported above
    """The command line with --json, its output read back."""
    def run(*args: str) -> tuple[int, Any, str]:
        code, out, err = qk(*args, "--json")
        return code, json.loads(out) if out.strip() else None, err
    return run


def own_hall(tmp_path: Path, code: str = "an-binh") -> str:
    path = tmp_path / "hall.toml"
    path.write_text(BUNDLED.read_text(encoding="utf-8").replace(
        'code = "xa-mau"', f'code = "{code}"', 1), encoding="utf-8")
    return str(path)


def add_admin(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("2468\n"))
    assert run("staff", "add", "boss", "--name", "Trưởng", "--role", "admin")[0] == 0


def test_init_then_init_config_leaves_one_site_and_every_command_works(
        jq: Any, tmp_path: Path) -> None:
    assert jq("init")[0] == 0
    code, loaded, err = jq("init", "--config", own_hall(tmp_path))
    assert (code, err) == (0, ""), err
    assert loaded["replaced"] == "xa-mau"
    code, sites, _ = jq("site", "list")
    assert code == 0 and [s["code"] for s in sites] == ["an-binh"]
    for command in (("catalog",), ("issue", "B"), ("call", "1"), ("board",),
                    ("init", "--config", own_hall(tmp_path))):
        assert jq(*command)[0] == 0, command


def test_a_used_bundled_site_is_kept_and_its_removal_needs_force(
        jq: Any, tmp_path: Path) -> None:
    jq("init")
    assert jq("issue", "B")[0] == 0  # the example centre took a real ticket: it stays
    code, loaded, _ = jq("init", "--config", own_hall(tmp_path))
    assert code == 0 and "replaced" not in loaded
    assert [s["code"] for s in jq("site", "list")[1]] == ["an-binh", "xa-mau"]
    code, _, err = jq("site", "remove", "xa-mau")
    assert code == 2 and "--force" in json.loads(err)["message"]
    code, removed, _ = jq("site", "remove", "xa-mau", "--force")
    assert code == 0 and removed["tickets"] == 1 and Path(removed["backup"]).exists()
    assert [s["code"] for s in jq("site", "list")[1]] == ["an-binh"]
    assert jq("issue", "B")[0] == 0  # no --site needed any more
    assert jq("site", "remove", "nowhere")[0] == 2


def checks(run: Any, *args: str) -> tuple[int, dict[str, dict[str, Any]]]:
    code, found, _ = run("doctor", *args)
    assert [set(c) for c in found] == [{"check", "ok", "message"}] * len(found)
    return code, {c["check"]: c for c in found}


def test_doctor_names_each_failure_and_passes_once_mended(
        jq: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    jq("init")
    monkeypatch.delenv("JOURNAL_STREAM", raising=False)
    monkeypatch.delenv("INVOCATION_ID", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "no-players"))  # no paplay, no aplay
    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    code, found = checks(jq)
    assert code == 1
    assert {"database", "sites", "clock", "disk", "printer", "sound_player", "voice",
            "public_url", "serve", "backup", "admin", "screens", "log"} <= set(found)
    failing = {name for name, c in found.items() if not c["ok"]}
    assert {"sound_player", "admin", "backup", "public_url"} <= failing
    assert "paplay" in found["sound_player"]["message"]
    assert "staff add" in found["admin"]["message"]
    assert found["log"]["message"].endswith("/queue-kiosk/logs/queue-kiosk.log")

    add_admin(jq, monkeypatch)
    assert jq("backup")[0] == 0
    monkeypatch.setenv("PATH", os.environ["PATH"] + os.pathsep + "/usr/bin")
    code, found = checks(jq)
    assert found["admin"]["ok"] and found["backup"]["ok"]

    # A backup four days old is stale.
    for old in backup_dir().iterdir():
        stamp = old.stat().st_mtime - 4 * 86400
        os.utime(old, (stamp, stamp))
    code, found = checks(jq)
    assert code == 1 and not found["backup"]["ok"] and "4" in found["backup"]["message"]


def test_doctor_fails_on_two_sites_without_site(jq: Any, tmp_path: Path) -> None:
    jq("init")
    jq("issue", "B")
    jq("init", "--config", own_hall(tmp_path))
    code, found = checks(jq)
    assert code == 1 and not found["sites"]["ok"]
    assert "an-binh, xa-mau" in found["sites"]["message"]
    assert "site remove" in found["sites"]["message"]
    code, found = checks(jq, "--site", "an-binh")
    assert found["sites"]["ok"]


def test_doctor_reports_a_screen_that_stopped(jq: Any, tmp_path: Path) -> None:
    jq("init")
    store = Store(os.environ["QUEUE_KIOSK_DB"])
    from datetime import datetime

    now = datetime.fromisoformat(NOW)
    for minutes_ago, role, counter in ((5, "display", ""), (0, "counter", "2")):
        service = QueueService(store, clock=FrozenClock(now - timedelta(minutes=minutes_ago)))
        assert Heartbeat(service, role, counter=counter).beat()
    store.dispose()
    code, found = checks(jq)
    assert code == 1 and not found["screens"]["ok"]
    message = found["screens"]["message"]
    assert "display @" in message and "5" in message and "counter 2" not in message


def test_logs_go_to_the_journal_under_systemd_else_to_a_file() -> None:
    from queue_kiosk.ops.logs import log_target

    assert log_target({"INVOCATION_ID": "abc"}) is None
    assert log_target({"JOURNAL_STREAM": "8:123"}) is None
    target = log_target({})
    assert target is not None and target.name == "queue-kiosk.log"


def test_doctor_and_the_kiosk_at_start_say_the_printer_is_offline(jq: Any) -> None:
    from queue_kiosk.config.devices import PrinterConfig
    from queue_kiosk.ops.heartbeat import start_warnings
    from queue_kiosk.printing.printers import TicketPrinter
    from tests.printing.loopback import LoopbackPrinter

    jq("init")
    offline = LoopbackPrinter(online_status=0x1A, paper_status=0x12)
    ready = LoopbackPrinter(online_status=0x12, paper_status=0x12)
    try:
        code, found = checks(jq, "--printer", offline.url)
        assert code == 1 and not found["printer"]["ok"]
        assert "ngoại tuyến" in found["printer"]["message"]
        code, found = checks(jq, "--printer", ready.url)
        assert found["printer"]["ok"] and "trả lời" in found["printer"]["message"]
        assert ready.jobs == [] or all(b"\x1d\x56" not in job for job in ready.jobs)
        warnings = start_warnings("kiosk", printer=TicketPrinter(PrinterConfig(), offline.url),
                                  announcer=None, lang="en")
        assert len(warnings) == 1 and "offline" in warnings[0]
    finally:
        offline.close()
        ready.close()


def test_doctor_on_a_database_not_yet_created_says_run_init(jq: Any) -> None:
    code, found = checks(jq)
    assert code == 1 and not found["database"]["ok"]
    assert "queue-kiosk init" in found["database"]["message"]
    assert "sites" not in found and {"disk", "backup", "log"} <= set(found)


def test_backup_verify_and_restore_from_the_command_line(jq: Any, tmp_path: Path) -> None:
    jq("init")
    jq("issue", "B")
    code, taken, _ = jq("backup", "--to", str(tmp_path / "b"), "--keep", "3")
    assert code == 0 and Path(taken["file"]).exists()
    code, check, _ = jq("backup", "verify", taken["file"])
    assert code == 0 and check["counts"]["ticket"] == 1
    jq("issue", "B")
    code, restored, _ = jq("restore", taken["file"])
    assert code == 0 and Path(restored["aside"]).exists()
    assert jq("issue", "B")[1]["number"] == "B002"  # the B002 issued after the backup is gone
    assert jq("backup", "--keep", "0")[0] == 2
    code, _, err = jq("backup", "verify", str(tmp_path / "missing.db"))
    assert code == 2 and "missing.db" in json.loads(err)["message"]


def test_doctor_names_the_next_closed_day(jq: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    jq("init")
    monkeypatch.setenv("QUEUE_KIOSK_NOW", "2026-08-25T09:00:00+07:00")
    _, found = checks(jq)
    calendar = found["calendar"]
    assert calendar["ok"] and "31/08/2026" in calendar["message"]  # the moved day off first
    assert jq("calendar", "close", "27/08/2026", "--reason", "Hội nghị")[0] == 0
    _, found = checks(jq)
    assert "27/08/2026 (Hội nghị)" in found["calendar"]["message"]


def test_the_readmes_set_up_block_as_written_leaves_one_centre(
        jq: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The `queue-kiosk init` lines of the README's set-up block, word for word, with the
    centre's own hall file (its own site code): one centre, and commands need no --site."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Setting up a centre", 1)[1].split("```bash", 1)[1].split("```")[0]
    commands = [line.split("#")[0].split()[1:] for line in block.splitlines()
                if line.startswith("queue-kiosk init")]
    assert [c[:1] for c in commands] == [["init"], ["init"]] and "--config" in commands[1]
    monkeypatch.chdir(tmp_path)
    own_hall(tmp_path)  # hall.toml here, as the README's comment says: copied, code changed
    for command in commands:
        assert jq(*command)[0] == 0, command
    assert [s["code"] for s in jq("site", "list")[1]] == ["an-binh"]
    assert jq("issue", "B")[0] == 0
