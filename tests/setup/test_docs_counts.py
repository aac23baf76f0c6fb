"""What the documents say of the bundled hall is what it holds: its fields and procedures,
counted from assets/hall.toml, in the README (English) and the handbook (Vietnamese)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def bundled_counts() -> tuple[int, int]:
    hall = tomllib.loads((ROOT / "assets" / "hall.toml").read_text(encoding="utf-8"))
    return len(hall["fields"]), sum(len(f.get("procedures", [])) for f in hall["fields"])


def test_the_bundled_hall_is_counted() -> None:
    assert bundled_counts() == (13, 36)  # today's; the tests below follow the file


@pytest.mark.parametrize(("document", "fields_word", "procedures_word"), [
    ("README.md", r"fields", r"procedures"),
    ("docs/huong-dan-van-hanh.md", r"lĩnh\s+vực", r"thủ\s+tục"),
])
def test_every_count_of_the_bundled_hall_in_a_document_is_right(
        document: str, fields_word: str, procedures_word: str) -> None:
    text = " ".join((ROOT / document).read_text(encoding="utf-8").split())  # lines rejoined
    fields, procedures = bundled_counts()
    stated_fields = [int(n) for n in re.findall(rf"\b(\d+) {fields_word}\b", text)]
    stated_procedures = [int(n) for n in re.findall(rf"\b(\d+) {procedures_word}\b", text)]
    assert stated_fields and set(stated_fields) == {fields}
    assert stated_procedures and set(stated_procedures) == {procedures}
