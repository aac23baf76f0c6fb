from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from queue_kiosk.domain.numbering import capacity, format_number, normalise_number


def test_prefix_numbers_are_zero_padded_to_three_digits() -> None:
    assert format_number("B", None, 15) == "B015"
    assert format_number("B", None, 999) == "B999"


def test_block_numbers_count_up_from_the_block_start() -> None:
    assert format_number(None, 1001, 1) == "1001"
    assert format_number(None, 1001, 42) == "1042"


def test_sequence_starts_at_one() -> None:
    with pytest.raises(ValueError):
        format_number("A", None, 0)


def test_capacity_is_999_for_prefixes_and_the_block_size_for_blocks() -> None:
    assert capacity("A", 50) == 999
    assert capacity(None, 50) == 50


@pytest.mark.parametrize(("typed", "expected"), [
    ("b15", "B015"), (" B015 ", "B015"), ("b-7", "B007"), ("1042", "1042"), ("0042", "42"),
    ("", None), ("B0", None), ("hello", None), ("B15X", None), ("0", None),
])
def test_typed_and_scanned_numbers_normalise(typed: str, expected: str | None) -> None:
    assert normalise_number(typed) == expected


@given(st.sampled_from(["A", "B", "HT"]), st.integers(min_value=1, max_value=999))
def test_formatted_prefix_numbers_read_back_unchanged(prefix: str, seq: int) -> None:
    number = format_number(prefix, None, seq)
    assert normalise_number(number) == number
    assert normalise_number(number.lower()) == number
