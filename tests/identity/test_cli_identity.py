"""The command line with cards, and what a day of scans leaves behind: nothing of a card."""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from queue_kiosk.cli.main import main
from tests.identity.cards import GIVEN, SURNAMES, card_text, number_for

NOW = "2026-12-07T09:00:00+07:00"
FRAGMENT = """
[hours]
enforce = false
[identity]
enabled = true
"""


@pytest.fixture
def qk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
       capsys: pytest.CaptureFixture[str]) -> Any:
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("QUEUE_KIOSK_DB", f"sqlite:///{data / 'queue.db'}")
    monkeypatch.setenv("QUEUE_KIOSK_NOW", NOW)
    outputs: list[str] = []

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        outputs.extend([captured.out, captured.err])
        return code, captured.out, captured.err
    run.outputs = outputs  # type: ignore[attr-defined]
    run.data = data  # type: ignore[attr-defined]
    (tmp_path / "identity.toml").write_text(FRAGMENT, encoding="utf-8")
    assert run("init")[0] == 0
    assert run("init", "--config", str(tmp_path / "identity.toml"))[0] == 0
    return run


def test_an_elder_card_gives_an_elderly_ticket_and_a_second_is_refused(qk: Any) -> None:
    card = card_text(date(1950, 1, 1), serial=777)
    code, out, err = qk("--json", "issue", "B", "--cccd", card)
    ticket = json.loads(out)
    assert (code, ticket["priority"], ticket["identity"]) == (0, "elderly", True)
    code, out, err = qk("issue", "B", "--cccd", card)
    assert code == 2
    assert f"Quý khách đã có số {ticket['number']} cho Hộ tịch hôm nay" in err
    code, out, _ = qk("--json", "issue", "A", "--cccd", card, "--priority", "none")
    assert (code, json.loads(out)["priority"]) == (0, None)
    code, out, _ = qk("--json", "issue", "A", "--cccd", card_text(date(1990, 1, 1)))
    assert (code, json.loads(out)["priority"], json.loads(out)["identity"]) == (0, None, True)


def test_a_bad_card_is_one_line_and_exit_2(qk: Any) -> None:
    code, out, err = qk("--lang", "en", "issue", "B", "--cccd", "0010500012")
    assert (code, out) == (2, "")
    assert err.strip().splitlines() == [
        "queue-kiosk: An ID number has exactly 12 digits: please check it and type it again"]


def test_a_day_of_scans_leaves_no_card_number_and_no_name(
        qk: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    people = [(f"{surname} {given}", card_text(date(1940 + 7 * i, 1 + i % 12, 3 + i),
                                                serial=1000 + i, name=f"{surname} {given}"))
              for i, (surname, given) in enumerate(
                  (s, g) for s in SURNAMES for g in GIVEN)]
    for _, card in people:
        for field in ("B", "A", "B"):  # the second B is refused
            qk("--json", "issue", field, "--cccd", card)
        qk("issue", "T", "--cccd", card.split("|")[0])  # typed on the keypad
    for _ in range(5):
        qk("--json", "call", "1")
        qk("--json", "finish", "1")
    qk("--json", "board")
    qk("--json", "report")
    qk("close-day")
    data: Path = qk.data
    with sqlite3.connect(data / "queue.db") as conn:
        dump = "\n".join(conn.iterdump())
    files = "\n".join(p.read_bytes().decode("utf-8", "replace")
                      for p in data.rglob("*") if p.is_file())
    everything = "\n".join([dump, files, caplog.text, *qk.outputs])
    assert "B001" in dump and "identity_ticket" in dump  # the dump is a real one
    numbers = {card.split("|")[0] for _, card in people}
    assert not [number for number in numbers if number in everything]
    for name, card in people:
        assert name not in everything
        assert card.split("|")[5] not in everything  # the residence
    assert number_for(1940, serial=1000) in numbers


def test_one_booking_per_card_field_and_day_from_the_command_line(qk: Any) -> None:
    card = card_text(date(1970, 4, 4), serial=888)
    code, out, err = qk("--json", "book", "B", "--date", "2026-12-08", "--time", "09:00",
                        "--cccd", card)
    assert code == 0, err
    booked = json.loads(out)["code"]
    code, _, err = qk("book", "B", "--date", "2026-12-08", "--time", "10:00", "--cccd", card)
    assert code == 2
    assert f"Quý khách đã có lịch hẹn {booked} cho Hộ tịch ngày 08/12/2026" in err
