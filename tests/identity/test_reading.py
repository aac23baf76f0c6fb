"""The card reader: the layouts it accepts, its age rule, and its one-sentence refusals."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from queue_kiosk.domain.errors import Refused
from queue_kiosk.domain.identity import birth_year_of, looks_like_card, read_card
from tests.identity.cards import card_text, cards, number_for

TODAY = date(2026, 12, 7)


@given(cards())
def test_every_synthetic_card_reads_back_its_number_and_birth_date(
        card: tuple[str, str, date]) -> None:
    text, number, born = card
    read = read_card(text, TODAY)
    assert (read.number, read.born, read.scanned) == (number, born, True)
    assert birth_year_of(number) == born.year
    assert looks_like_card(text)


@given(cards())
def test_composed_decomposed_and_full_width_forms_read_the_same(
        card: tuple[str, str, date]) -> None:
    text, number, _ = card
    for form in ("NFC", "NFD", "NFKD"):
        assert read_card(unicodedata.normalize(form, text), TODAY).number == number
    wide = text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789|"})
    assert read_card("\ufeff" + wide + "\r\n", TODAY).number == number


@given(st.text(max_size=80))
def test_any_text_is_a_card_or_one_refusal(text: str) -> None:
    try:
        read_card(text, TODAY)
    except Refused as refused:
        assert refused.code in ("identity.not_card", "identity.number", "identity.date")
        for lang in ("vi", "en"):
            assert "\n" not in refused.message(lang)


@pytest.mark.parametrize(("text", "code"), [
    ("12345678901|" + "|Thử|01011950|Nam|Nơi Giả|01062021", "identity.number"),
    ("0010500000012|" + "|Thử|01011950|Nam|Nơi Giả|01062021", "identity.number"),
    ("ABC050000001|" + "|Thử|01011950|Nam|Nơi Giả|01062021", "identity.not_card"),
    (number_for(1950) + "||Thử|31021950|Nam|Nơi Giả|01062021", "identity.date"),
    (number_for(1950) + "||Thử|01131950|Nam|Nơi Giả|01062021", "identity.date"),
    (number_for(2030) + "||Thử|01012030|Nam|Nơi Giả|01062021", "identity.date"),
    (number_for(1950) + "||Thử|Nam|Nơi Giả", "identity.not_card"),
    (number_for(1950) + "|x|y|z|w|v|u", "identity.not_card"),
    ("https://example.invalid/b/ACDEFG", "identity.not_card"),
    ("ACDEFG", "identity.not_card"),
    ("12345", "identity.number"),
    ("", "identity.not_card"),
])
def test_refusals_name_what_is_wrong(text: str, code: str) -> None:
    with pytest.raises(Refused) as refused:
        read_card(text, TODAY)
    assert refused.value.code == code


def test_six_fields_without_cmnd_and_extra_fields_of_a_2024_card() -> None:
    born = date(1950, 1, 1)
    for fields in (6, 7, 8, 12):
        assert read_card(card_text(born, fields=fields), TODAY).born == born


def test_age_from_the_birth_date_counts_the_birthday() -> None:
    assert read_card(card_text(date(1966, 12, 7)), TODAY).aged(TODAY)
    assert not read_card(card_text(date(1966, 12, 8)), TODAY).aged(TODAY)


def test_a_typed_number_is_aged_60_only_where_certain() -> None:
    """The year alone: born in 1965 is certainly 60 on 07/12/2026; born in 1966 may not be
    (the citizen keeps the priority button)."""
    assert read_card(number_for(1965), TODAY).aged(TODAY)
    typed = read_card(" ".join([number_for(1966)[:6], number_for(1966)[6:]]), TODAY)
    assert (typed.scanned, typed.born, typed.birth_year) == (False, None, 1966)
    assert not typed.aged(TODAY)
    assert read_card(number_for(2001, female=True), TODAY).birth_year == 2001


def test_year_only_birth_dates_count_conservatively() -> None:
    text = number_for(1960) + "||Thử Mẫu|00001960|Nam|Nơi Giả|01062021"
    card = read_card(text, TODAY)
    assert (card.born, card.birth_year, card.aged(TODAY)) == (None, 1960, True)


def test_the_card_never_shows_its_number() -> None:
    card = read_card(card_text(date(1950, 1, 1)), TODAY)
    assert card.number not in repr(card) and card.number not in str(card)


def test_booking_codes_are_not_cards() -> None:
    assert not looks_like_card("ACDEFG")
    assert not looks_like_card("https://example.invalid/b/ACDEFG")
    assert looks_like_card(number_for(1950))
