"""The wording catalogue: every key in both languages, with the same placeholders, in NFC."""

from __future__ import annotations

import string
import unicodedata
from pathlib import Path

import pytest

from queue_kiosk.wording import AREAS, WORDING, say


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("key", sorted(WORDING))
def test_every_key_has_both_languages_with_the_same_placeholders(key: str) -> None:
    vi, en = WORDING[key]
    assert vi.strip() and en.strip(), f"{key}: a language is empty"
    assert placeholders(vi) == placeholders(en), key
    assert unicodedata.is_normalized("NFC", vi), f"{key}: not NFC"


def test_a_status_and_an_action_are_put_into_words_in_the_sentence() -> None:
    text = say("ticket.state", "vi", number="B002", status="done", action="return")
    assert text == "Số B002 đang ở trạng thái Đã hoàn thành: không thể đưa lại vào hàng chờ"
    assert "return" not in text


def test_vietnamese_numbers_take_a_decimal_comma() -> None:
    assert "trung bình 3,5 phút" in say("counter.figures", "vi", served=3, no_shows=0,
                                        average=3.5)
    assert "3.5" in say("counter.figures", "en", served=3, no_shows=0, average=3.5)


def test_a_wait_that_rounds_to_nothing_says_the_turn_is_near() -> None:
    from queue_kiosk.wording import wait_words

    assert wait_words("ticket.eta", "vi", 0) == "Sắp đến lượt Quý khách"
    assert wait_words("ticket.eta", "vi", 0.4) == "Sắp đến lượt Quý khách"
    assert wait_words("ticket.eta", "vi", 12) == "Thời gian chờ dự kiến: khoảng 12 phút"
    assert wait_words("page.minutes", "en", 0) == "Coming up"


def test_a_citizen_hears_what_failed_never_where() -> None:
    from queue_kiosk.wording import citizen_reason

    assert citizen_reason("print.paper_out", "vi") == "Máy in hết giấy"
    assert citizen_reason("print.refused", "vi") == "Máy in chưa in được"


def test_each_key_stands_in_one_area_file_of_a_few_hundred_lines() -> None:
    assert sum(len(area.TEXTS) for area in AREAS) == len(WORDING)
    for area in AREAS:
        assert area.__file__ and len(Path(area.__file__).read_text().splitlines()) < 400
