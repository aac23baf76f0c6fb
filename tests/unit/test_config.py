from __future__ import annotations

import unicodedata
from datetime import date, datetime, time
from pathlib import Path

import pytest

from queue_kiosk.config.hall import default_hall_path, load_hall, parse_hall
from queue_kiosk.domain.calendar import Calendar
from queue_kiosk.domain.errors import ConfigError

MINIMAL = """
[site]
code = "x"
name = "Xã Thử"
[[fields]]
code = "B"
prefix = "B"
name = "Hộ tịch"
[[counters]]
code = "1"
name = "Một"
fields = ["B"]
"""


def test_the_bundled_catalogue_is_a_realistic_commune_centre() -> None:
    hall = load_hall(default_hall_path())
    assert len(hall.fields) == 13
    assert sum(len(f.procedures) for f in hall.fields) >= 30
    assert len(hall.counters) == 5
    assert [f.prefix for f in hall.fields] == list("ABCDEFGHKLNTV")
    names = {f.code: f.name for f in hall.fields}
    # Commendation is not culture; culture and education each have their own procedures.
    assert names["K"] == "Thi đua – Khen thưởng" and names["L"] == "Văn hóa – Thể thao"
    assert names["N"] == "Giáo dục"
    # Counters bear the commune departments of Decree 150/2025.
    counters = [c.name for c in hall.counters]
    assert counters[0].startswith("Văn phòng HĐND và UBND")
    assert sum(name.startswith("Phòng Kinh tế") for name in counters) == 2
    assert "Phòng Văn hóa – Xã hội" in counters
    assert hall.warnings() == []
    assert hall.site.timezone == "Asia/Ho_Chi_Minh"


def test_minimal_file_gets_defaults() -> None:
    hall = parse_hall(MINIMAL)
    assert hall.policy.priority_mode == "interleave"
    assert [level.name for level in hall.rating.levels] == [
        "Rất hài lòng", "Hài lòng", "Không hài lòng"]
    week = Calendar(hall.hours.week())
    monday, sunday = date(2026, 12, 7), date(2026, 12, 13)
    assert week.open_at(datetime.combine(monday, time(8, 0)))
    assert not week.open_at(datetime.combine(monday, time(12, 0)))
    assert not week.open_at(datetime.combine(sunday, time(8, 0)))


def test_text_is_normalised_to_nfc() -> None:
    hall = parse_hall(unicodedata.normalize("NFD", MINIMAL))
    assert hall.fields[0].name == "Hộ tịch"
    assert unicodedata.is_normalized("NFC", hall.site.name)


def test_a_field_no_counter_serves_is_a_warning() -> None:
    hall = parse_hall(MINIMAL + '[[fields]]\ncode = "C"\nprefix = "C"\nname = "Đất đai"\n')
    assert hall.warnings() == [
        "fields: 'C' is served by no counter; its tickets would never be called"]


def test_a_counter_keeps_hours_of_its_own_within_the_centres() -> None:
    """Absent: the centre's hours; given: the counter's week, a weekday not given closed;
    inline or as a table, written back with its open days only."""
    from queue_kiosk.config.hall_file import hall_toml

    inline = parse_hall(MINIMAL + 'hours = { tue = ["07:30-11:30"], thu = ["07:30-11:30"] }\n')
    table = parse_hall(MINIMAL + '[counters.hours]\ntue = ["07:30-11:30"]\n'
                       'thu = ["7:30 - 11:30"]\n')
    counter = inline.counters[0]
    assert counter.hours is not None and table.counters[0].hours is not None
    assert counter.hours.week() == table.counters[0].hours.week()
    assert counter.hours.periods(1) == [(time(7, 30), time(11, 30))]
    assert counter.hours.periods(0) == [] and not counter.hours.is_open(0, time(8))
    assert parse_hall(MINIMAL).counters[0].hours is None
    assert counter.hours.model_dump() == {"tue": ["07:30-11:30"], "thu": ["07:30-11:30"]}
    text = hall_toml(inline)
    assert '[counters.hours]\ntue = ["07:30-11:30"]\nthu = ["07:30-11:30"]\n' in text
    assert parse_hall(text) == inline
    # A Saturday counter where the centre opens on Saturday mornings.
    saturday = parse_hall(MINIMAL + 'hours = { sat = ["08:00-10:00"] }\n'
                          '[hours]\nsat = ["07:30-11:30"]\n')
    assert saturday.counters[0].hours is not None
    assert saturday.counters[0].hours.sat == ["08:00-10:00"]


def replace(old: str, new: str) -> str:
    assert old in MINIMAL
    return MINIMAL.replace(old, new)


BAD_FILES = {
    "toml syntax": (MINIMAL + "[[fields]\n", "TOML syntax error"),
    "unknown top key": ("colour = 1\n" + MINIMAL, ": colour: unknown key"),
    "unknown key in a table": (MINIMAL + "colour = 1\n", "counters[0].colour: unknown key"),
    "unknown nested key": (replace('name = "Xã Thử"', 'name = "Xã Thử"\nnmae = "x"'),
                           "site.nmae: unknown key"),
    "missing site": (MINIMAL.replace('[site]\ncode = "x"\nname = "Xã Thử"\n', ""),
                     "site: required key is missing"),
    "wrong type": (replace('name = "Một"', "name = 5"), "counters[0].name"),
    "bad prefix": (replace('prefix = "B"', 'prefix = "b1"'), "fields[0].prefix"),
    "prefix and block": (replace('prefix = "B"', 'prefix = "B"\nblock = 1001'),
                         "exactly one of"),
    "duplicate field": (MINIMAL + '[[fields]]\ncode = "B"\nprefix = "C"\nname = "Khác"\n',
                        "duplicate code 'B'"),
    "duplicate prefix": (MINIMAL + '[[fields]]\ncode = "C"\nprefix = "B"\nname = "Khác"\n',
                         "duplicate prefix 'B'"),
    "duplicate counter": (MINIMAL + '[[counters]]\ncode = "1"\nname = "Hai"\nfields = ["B"]\n',
                          "counters: duplicate code '1'"),
    "dangling field": (replace('fields = ["B"]', 'fields = ["B", "Z"]'),
                       "unknown field 'Z'"),
    "impossible hours": (MINIMAL + '[hours]\nmon = ["11:30-07:30"]\n',
                         "hours.mon: '11:30-07:30' closes before it opens"),
    "malformed hours": (MINIMAL + '[hours]\ntue = ["7h30 to 11h"]\n', "hours.tue"),
    "overlapping hours": (MINIMAL + '[hours]\nwed = ["07:00-11:00", "10:00-12:00"]\n',
                          "overlaps"),
    "unknown time zone": (replace('name = "Xã Thử"', 'name = "Xã Thử"\ntimezone = "Mars/Base"'),
                          "unknown time zone 'Mars/Base'"),
    "bad priority mode": (MINIMAL + '[policy]\npriority_mode = "random"\n',
                          "policy.priority_mode"),
    "negative cap": (replace('prefix = "B"', 'prefix = "B"\ndaily_cap = -3'),
                     "fields[0].daily_cap"),
    "no counters": (MINIMAL.split("[[counters]]")[0], "counters: required key is missing"),
    "nfc duplicate": (MINIMAL + '[[fields]]\ncode = "C"\nprefix = "C"\nname = "'
                      + unicodedata.normalize("NFD", "Hộ tịch") + '"\n',
                      "duplicate name 'Hộ tịch'"),
    "counter hours outside the centre's": (
        MINIMAL + 'hours = { tue = ["07:00-11:30"] }\n',
        "counters[0].hours.tue: counter '1' opens '07:00-11:30', outside the centre's hours "
        "that day (07:30-11:30, 13:30-17:00)"),
    "counter hours across lunch": (
        MINIMAL + 'hours = { fri = ["07:30-11:30", "13:30-16:00"], mon = ["09:00-14:00"] }\n',
        "counters[0].hours.mon: counter '1' opens '09:00-14:00', outside"),
    "counter hours on a day the centre is closed": (
        MINIMAL + 'hours = { sat = ["07:30-11:30"] }\n',
        "counters[0].hours.sat: counter '1' opens '07:30-11:30', outside the centre's hours "
        "that day (closed)"),
    "malformed counter hours": (MINIMAL + 'hours = { thu = ["sáng"] }\n',
                                "counters[0].hours.thu: expected 'HH:MM-HH:MM', got 'sáng'"),
    "overlapping counter hours": (
        MINIMAL + 'hours = { thu = ["08:00-10:00", "09:00-11:00"] }\n',
        "counters[0].hours.thu: '09:00-11:00' overlaps the period before it"),
    "unknown weekday in counter hours": (MINIMAL + 'hours = { tues = ["07:30-11:30"] }\n',
                                         "counters[0].hours.tues: unknown key"),
    "field and procedure share a code": (
        replace('name = "Hộ tịch"', 'name = "Hộ tịch"\nprocedures = [{code="B", name="X"}]'),
        "names both a field and a procedure"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_get_one_line_errors_naming_file_and_key(case: str, tmp_path: Path) -> None:
    text, expected = BAD_FILES[case]
    path = tmp_path / "hall.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_hall(path)
    message = caught.value.message("en")
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert expected in message
    assert "(top level)" not in message


def test_unreadable_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_hall(tmp_path / "missing.toml")
