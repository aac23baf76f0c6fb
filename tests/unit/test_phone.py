"""Phone numbers as citizens type them: one canonical form (ten digits from 0), or a clear
refusal; the CLI, the pages and the kiosk all go through `normal_phone`."""

from __future__ import annotations

import pytest

from queue_kiosk.domain.errors import Refused
from queue_kiosk.service.appointments import normal_phone


@pytest.mark.parametrize("typed", [
    "0901234567", "0901 234 567", "090-123-4567", "(090) 123.4567", "+84901234567",
    "+84 90 123 4567", "0084901234567", "０９０１２３４５６７", "＋８４９０１２３４５６７",
    " 0901234567 "])
def test_one_form_whatever_was_typed(typed: str) -> None:
    assert normal_phone(typed) == "0901234567"


@pytest.mark.parametrize("typed", [
    "٠٩٠١٢٣٤٥٦٧",  # Arabic-Indic digits: not turned into a number the gateway would dial
    "۰۹۰۱۲۳۴۵۶۷", "901234567", "09012345678", "+8490123456", "+84 0901 234 567",
    "+1 415 555 0100", "0000000000", "call me", "", "0901234567; rm -rf /"])
def test_anything_else_is_refused_with_the_shape_wanted(typed: str) -> None:
    with pytest.raises(Refused) as refused:
        normal_phone(typed)
    assert "10 digits starting with 0" in refused.value.message("en")
    assert "10 chữ số bắt đầu bằng 0" in refused.value.message("vi")
