"""The print commands: issue --print, reprint, printer test, printer preview."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PIL import Image

from tests.cli.test_cli import qk  # noqa: F401  (the CLI fixture)
from tests.printing.loopback import LoopbackPrinter, decode


def test_issue_and_print_to_a_network_printer(qk: Any) -> None:  # noqa: F811
    qk("init")
    printer = LoopbackPrinter()
    try:
        code, out, err = qk("issue", "B", "--print", "--printer", printer.url)
    finally:
        printer.close()
    assert (code, err) == (0, "")
    assert f"Đã in số B001 (127.0.0.1:{printer.port})" in out
    assert decode(printer.jobs[0]).cut


def test_a_print_failure_keeps_the_ticket_and_tells_the_citizen(qk: Any) -> None:  # noqa: F811
    qk("init")
    code, out, err = qk("issue", "B", "--print", "--printer", "tcp://127.0.0.1:9", "--json")
    assert code == 4
    assert json.loads(out)["number"] == "B001"
    assert err.count("\n") == 1
    assert "Số của Quý khách vẫn có hiệu lực" in err
    code, out, _ = qk("ticket", "B001", "--json")
    assert json.loads(out)["status"] == "waiting"
    _, board, _ = qk("board")
    assert "MÁY IN LỖI" in board


def test_reprint_test_page_and_preview(qk: Any, tmp_path: Path) -> None:  # noqa: F811
    qk("init")
    qk("issue", "C2")
    folder = tmp_path / "previews"
    code, out, _ = qk("reprint", "c1", "--printer", f"preview://{folder}")
    assert code == 0 and (folder / "20261125-C001.png").exists()
    code, out, _ = qk("printer", "test", "--printer", f"preview://{folder}", "--json")
    assert code == 0 and json.loads(out)["preview"].endswith("20261125-A000.png")
    code, out, _ = qk("printer", "preview", "C001", "--out", str(tmp_path / "c.png"))
    assert code == 0
    with Image.open(tmp_path / "c.png") as image:
        assert image.width == 576


def test_a_bad_printer_url_is_one_line(qk: Any) -> None:  # noqa: F811
    qk("init")
    qk("issue", "B")
    code, out, err = qk("reprint", "B001", "--printer", "lpt1")
    assert code == 2 and err.count("\n") == 1
    assert "Địa chỉ máy in không hợp lệ: 'lpt1'" in err
