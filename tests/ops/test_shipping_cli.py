"""`queue-kiosk ship` and `site token|links` from the command line: the token shown once,
the mistakes an operator makes said in one line, a province that does not answer too."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from tests.cli.test_cli import ok_json, qk  # noqa: F401  (the fixture)


def test_token_links_and_ship_mistakes(qk: Any, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    assert qk("init")[0] == 0
    token = ok_json(qk, "site", "token", "xa-a")
    assert token["site"] == "xa-a" and len(token["token"]) >= 40
    code, out, _ = qk("site", "links")
    assert (code, out.strip()) == (0, "xa-a · chưa kết nối · đã nhận đến mục 0")

    code, out, err = qk("ship", "--to", "http://127.0.0.1:9", "--once")
    assert (code, out, err.count("\n")) == (2, "", 1) and "QUEUE_KIOSK_SHIP_TOKEN" in err
    monkeypatch.setenv("QUEUE_KIOSK_SHIP_TOKEN", token["token"])
    code, _, err = qk("ship", "--to", "tinh.example.vn", "--once")
    assert code == 2 and "cần http:// hoặc https://" in err
    with socket.socket() as probe:  # a port nobody listens on: the province is down
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, out, err = qk("ship", "--to", f"http://127.0.0.1:{port}", "--once", "--lang", "en")
    assert (code, out, err.count("\n")) == (3, "", 1), err
    assert f"127.0.0.1:{port}" in err and "Connection refused" in err
