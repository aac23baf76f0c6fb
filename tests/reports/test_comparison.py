"""The province's comparison: communes ranked over a simulated week, and the bottleneck
finder naming the field and the hours the simulation overloaded on purpose, with the
planner's proposal; `province report` as text, JSON and a workbook with a sheet each."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from queue_kiosk.cli.main import main
from queue_kiosk.config.hall import parse_hall
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.reports.comparison import Comparison, compare
from queue_kiosk.reports.simulate import Overload, SimulationSettings, simulate
from queue_kiosk.store.migrate import upgrade
from queue_kiosk.store.store import Store
from tests.conftest import VN

MONDAY = date(2026, 11, 23)
COMMUNES = (("xa-tan-lap", "Xã Tân Lập"), ("xa-an-binh", "Xã An Bình"),
            ("xa-hoa-son", "Xã Hòa Sơn"))
HALL = """
[site]
code = "{code}"
name = "{name}"
[[fields]]
code = "A"
prefix = "A"
name = "Chứng thực"
name_en = "Certification"
minutes = 4
[[fields]]
code = "B"
prefix = "B"
name = "Hộ tịch"
name_en = "Civil status"
minutes = 6
[[fields]]
code = "C"
prefix = "C"
name = "Đất đai"
name_en = "Land"
minutes = 15
[[counters]]
code = "1"
name = "Tư pháp – Hộ tịch"
fields = ["B"]
[[counters]]
code = "2"
name = "Chứng thực"
fields = ["A"]
[[counters]]
code = "3"
name = "Đất đai"
fields = ["C"]
"""


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Three communes' working week; at An Bình, 24 more Hộ tịch citizens a day come
    between 08:00 and 10:00 than its one Hộ tịch counter can serve."""
    url = f"sqlite:///{tmp_path_factory.mktemp('week') / 'province.db'}"
    store = Store(url)
    upgrade(store)
    for index, (code, name) in enumerate(COMMUNES):
        hall = parse_hall(HALL.format(code=code, name=name))
        for n in range(5):
            overload = Overload("B", "08:00", "10:00", 24) if code == "xa-an-binh" else None
            simulate(hall, SimulationSettings(tickets=40, seed=10 * index + n,
                                              day=MONDAY + timedelta(days=n),
                                              overload=overload), store=store)
    store.dispose()
    return url


def compared(url: str) -> Comparison:
    store = Store(url)
    try:
        return compare(store, FrozenClock(datetime(2026, 11, 30, 8, tzinfo=VN)), MONDAY,
                       MONDAY + timedelta(days=6))
    finally:
        store.dispose()


def test_the_bottleneck_sentence_names_the_overloaded_field_and_hours(week: str) -> None:
    result = compared(week)
    worst, *others = result.communes
    assert worst.site == "xa-an-binh" and worst.ranks["wait_p95"] == 1
    found = worst.bottleneck
    assert found is not None
    assert (found.field, found.start, found.end, found.counter) == ("B", "08:00", "10:00", "1")
    assert worst.sentence.startswith(
        f"Xã An Bình: Hộ tịch 08:00–10:00, chờ p95 {round(found.p95_minutes)} phút, "
        "quầy gọi nhiều nhất: Quầy 1; đề xuất: ")
    assert "Hộ tịch" in found.proposal and found.p95_minutes > worst.threshold_minutes
    assert worst.sentence_en.startswith("Xã An Bình: Civil status 08:00–10:00")
    for commune in others:  # the communes nobody overloaded are within the threshold
        assert commune.bottleneck is None and "không có điểm nghẽn" in commune.sentence
    assert worst.over_threshold is not None and all(
        worst.over_threshold > (c.over_threshold or 0) for c in others)
    assert all(c.served_per_counter_hour for c in result.communes)
    assert sorted(c.ranks["served_per_counter_hour"] for c in result.communes) == [1, 2, 3]


def test_province_report_from_the_command_line(week: str, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    monkeypatch.setenv("QUEUE_KIOSK_DB", week)
    monkeypatch.setenv("QUEUE_KIOSK_NOW", "2026-11-30T08:00:00+07:00")

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    code, out, err = run("province", "report", "--from", "23/11/2026", "--to", "29/11/2026")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "So sánh các trung tâm, 23/11/2026–29/11/2026 (chờ p95 lâu nhất trước)"
    assert lines[1].startswith("1. xa-an-binh: chờ trung vị ")
    assert lines[2].startswith("   Xã An Bình: Hộ tịch 08:00–10:00")
    code, out, _ = run("province", "report", "--from", "2026-11-23", "--to", "2026-11-29",
                       "--json")
    data: Any = json.loads(out)
    assert [c["site"] for c in data["communes"]][0] == "xa-an-binh"
    assert data["communes"][0]["bottleneck"]["field"] == "B"
    book = tmp_path / "so-sanh.xlsx"
    code, out, _ = run("province", "report", "--from", "23/11/2026", "--to", "29/11/2026",
                       "--xlsx", str(book))
    assert code == 0 and str(book) in out
    sheets = load_workbook(book).worksheets
    assert [s.title for s in sheets] == ["So sánh", *[c["site"] for c in data["communes"]]]
    assert sheets[1]["A1"].value.startswith("Xã An Bình: Hộ tịch 08:00–10:00")
    assert sheets[0]["B2"].value == "xa-an-binh"
    code, _, err = run("province", "report", "--from", "29/11/2026", "--to", "23/11/2026")
    assert code == 2 and len(err.splitlines()) == 1
