"""Provides the reading of a citizen's identity: the QR code of a chip CCCD (2021), of a thẻ
căn cước (2024) or of VNeID, or the 12-digit number typed on the kiosk's keypad.

The QR holds `number|old CMND|name|dob ddmmyyyy|sex|residence|issue date ddmmyyyy`; the 2024
card may add fields at the end, and one without a CMND may give 6. Only the number and the
birth date are taken: the name, the address and the rest are read past and never kept, not
even in the parsed result.

The number encodes the birth century and year: digits 4 (sex and century: 0/1 the 1900s,
2/3 the 2000s, 4/5 the 2100s …) and 5–6 (the year in the century). Typed alone, only the
year is known, so the age is taken conservatively: 60 only where certainly 60 today
(born in a year at least 61 years ago); a citizen of 60 born this year's late months still
has the priority button."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from queue_kiosk.domain.errors import Refused

NUMBER = re.compile(r"\d{12}")
FIELDS_MIN = 6
"""The number, the old CMND (or none: then 6 fields), name, birth date, sex, residence."""
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad"))


@dataclass(frozen=True, slots=True)
class Card:
    """What is read of a card: its number (hashed before it is stored, never kept) and the
    birth date or, typed alone, the birth year."""

    number: str
    born: date | None
    birth_year: int
    scanned: bool
    """True for a QR code, False for a number typed on the keypad."""

    def __repr__(self) -> str:  # a traceback or a log line must not show the number
        return f"Card(born={self.birth_year}, scanned={self.scanned})"

    def age(self, today: date) -> int:
        """Full years on `today`; from the year alone, the smaller of the two it may be."""
        if self.born is None:
            return today.year - self.birth_year - 1
        before_birthday = (today.month, today.day) < (self.born.month, self.born.day)
        return today.year - self.born.year - before_birthday

    def aged(self, today: date, years: int = 60) -> bool:
        return self.age(today) >= years


def birth_year_of(number: str) -> int:
    """The birth year the 12-digit number encodes (digit 4 century, digits 5–6 year)."""
    return 1900 + 100 * (int(number[3]) // 2) + int(number[4:6])


def clean(text: str) -> str:
    """NFKC (a wedge scanner or an IME may send full-width digits or bars), without the
    invisible characters some scanners add, trimmed."""
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE).strip()


def looks_like_card(text: str) -> bool:
    """Whether a line typed or scanned at the kiosk is meant as a card, not a booking code:
    12 digits, or a QR that starts with 12 digits and a bar."""
    text = clean(text)
    return bool(re.fullmatch(r"[\d ]{12,15}", text) and NUMBER.fullmatch(text.replace(" ", ""))
                or re.match(r"\d{12}\|", text))


def read_card(text: str, today: date) -> Card:
    """The card in a scanned QR or a typed number; `Refused` in one sentence otherwise."""
    text = clean(text)
    if "|" not in text:
        number = text.replace(" ", "")
        if not NUMBER.fullmatch(number):
            raise Refused("identity.not_card" if not number.isdigit() else "identity.number")
        year = birth_year_of(number)
        if year > today.year:
            raise Refused("identity.date")
        return Card(number, None, year, scanned=False)
    fields = text.split("|")
    if not NUMBER.fullmatch(fields[0].strip()):
        raise Refused("identity.number" if fields[0].strip().isdigit() else "identity.not_card")
    if len(fields) < FIELDS_MIN:
        raise Refused("identity.not_card")
    # The CMND is the second field, or missing (6 fields): the birth date then comes third.
    dob = next((f.strip() for f in fields[3:1:-1] if _is_date(f)), None)
    if dob is None:
        raise Refused("identity.not_card")
    number = fields[0].strip()
    born = _date(dob)
    year = int(dob[4:])
    if (born is None and not dob.startswith("0000")) or not 1900 <= year <= today.year \
            or (born is not None and born > today):
        raise Refused("identity.date")
    return Card(number, born, year, scanned=True)


def _is_date(text: str) -> bool:
    return bool(re.fullmatch(r"\d{8}", text.strip()))


def _date(text: str) -> date | None:
    """`ddmmyyyy` as a date; None where it is no date (31/02, 00/13, or `0000yyyy`: a
    citizen whose papers give the year of birth only)."""
    try:
        return date(int(text[4:]), int(text[2:4]), int(text[:2]))
    except ValueError:
        return None
