"""`queue-kiosk alerts`: the open and recent alerts as text or JSON (`site`, `kind`,
`since`, `cleared`), `--check` evaluating first, the province's defaults from a file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from queue_kiosk.cli.main import main


@pytest.fixture
def qk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
       capsys: pytest.CaptureFixture[str]) -> Any:
    monkeypatch.setenv("QUEUE_KIOSK_DB", f"sqlite:///{tmp_path / 'cli.db'}")

    def run(*args: str, at: str = "08:00") -> tuple[int, str, str]:
        monkeypatch.setenv("QUEUE_KIOSK_NOW", f"2026-11-25T{at}:00+07:00")
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return run


def test_alerts_listed_as_text_and_json(qk: Any, tmp_path: Path) -> None:
    assert qk("init")[0] == 0
    assert qk("issue", "B")[0] == 0
    assert qk("alerts", "--check") == (0, "Không có cảnh báo\n", "")
    code, out, err = qk("alerts", "--check", at="08:21")
    assert (code, err) == (0, "")
    assert out == ("● xa-mau · Chờ lâu: lĩnh vực Hộ tịch, người chờ lâu nhất 21 phút · "
                   "từ 08:21 25/11\n")
    assert qk("call", "1", at="08:22")[0] == 0
    code, out, _ = qk("alerts", "--check", "--json", at="08:22")
    [alert] = json.loads(out)
    assert {k: alert[k] for k in ("site", "kind", "subject", "since", "cleared")} == {
        "site": "xa-mau", "kind": "wait", "subject": "B",
        "since": "2026-11-25T01:21:00+00:00", "cleared": "2026-11-25T01:22:00+00:00"}
    assert qk("alerts", "--lang", "en", at="08:30")[1].startswith("✓ xa-mau · Long wait")
    province = tmp_path / "province.toml"
    province.write_text("[alerts]\nwait_minutes = 10\n", encoding="utf-8")
    assert qk("alerts", "--defaults", str(province))[1] == (
        "Đã lưu ngưỡng cảnh báo mặc định của tỉnh: wait_minutes = 10.0\n")
    province.write_text("[alerts]\nwait_minute = 10\n", encoding="utf-8")
    code, out, err = qk("alerts", "--defaults", str(province))
    assert code != 0 and out == "" and "alerts.wait_minute: khoá không có trong cấu hình" in err
    code, _, err = qk("alerts", "--site", "xa-khac")
    assert code != 0 and "xa-khac" in err and len(err.splitlines()) == 1
