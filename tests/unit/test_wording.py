"""The wording catalogue: every key in both languages, with the same placeholders, in NFC."""

from __future__ import annotations

import string
import unicodedata

import pytest

from queue_kiosk.wording import WORDING, say


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
