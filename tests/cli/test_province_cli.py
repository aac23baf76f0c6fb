"""`queue-kiosk province` on the command line: the overview as JSON, tokens shown once and
refused alike once revoked, a read-only account, errors in one Vietnamese line."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from tests.cli.test_cli import ok_json, qk  # noqa: F401 (the fixture)

KEYS = {"site", "name", "waiting", "longest_wait_minutes", "p95_minutes", "served",
        "counters_open", "screens_down", "alerts"}


def test_the_overview_tokens_and_accounts(qk: Any, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    assert qk("init")[0] == 0
    ok_json(qk, "issue", "B")
    sites = ok_json(qk, "province")["sites"]
    assert len(sites) == 1 and KEYS <= sites[0].keys()
    assert (sites[0]["waiting"], sites[0]["alerts"]) == (1, [])

    made = ok_json(qk, "province", "token", "add", "IOC", "--sites", "xa-mau")
    assert made["token"].startswith("qkp_") and made["sites"] == ["xa-mau"]
    listed = ok_json(qk, "province", "token", "list")
    assert made["token"] not in json.dumps(listed)  # shown once, never again
    code, _, err = qk("province", "token", "add", "khác", "--sites", "xa-khong-co")
    assert code == 2 and "xa-khong-co" in err and err.count("\n") == 1
    assert ok_json(qk, "province", "token", "revoke", "IOC")["revoked_at"]
    code, _, err = qk("province", "token", "revoke", "IOC")
    assert code != 0 and "IOC" in err

    monkeypatch.setattr("sys.stdin", io.StringIO("2468\n"))
    account = ok_json(qk, "province", "account", "add", "tinh", "--name", "Sở Nội vụ")
    assert account["role"] == "province"
    code, _, err = qk("call", "1", "--staff", "tinh")
    assert code != 0 and "chỉ được xem" in err
