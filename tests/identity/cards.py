"""Synthetic cards for the tests: invented numbers, names and dates, never a real person's.

The layout is the public one (chip CCCD 2021, thẻ căn cước 2024, VNeID):
`number|old CMND|name|dob ddmmyyyy|sex|residence|issue date ddmmyyyy`."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

# Invented syllables: no real person's name is ever built from a list of real names.
SURNAMES = ("Thử", "Mẫu", "Giả", "Khảo")
GIVEN = ("An Thử", "Bình Mẫu", "Cúc Giả", "Đào Khảo", "Ngọc Lập")
PLACES = ("Thôn Mẫu, Xã Thử, Tỉnh Giả", "Số 0 Đường Khảo, Phường Mẫu, Thành phố Thử")


def number_for(born_year: int, female: bool = False, province: int = 1, serial: int = 1) -> str:
    """A well-formed 12-digit number: province (3), sex/century (1), year (2), serial (6)."""
    century = 2 * ((born_year - 1900) // 100) + int(female)
    return f"{province:03d}{century}{born_year % 100:02d}{serial:06d}"


def card_text(born: date, *, serial: int = 1, name: str = "Nguyễn Văn Thử", cmnd: str = "",
              fields: int = 7, female: bool = False, issued: date = date(2021, 6, 1)) -> str:
    """The QR text of an invented card. `fields` 6 leaves the CMND out; more than 7 adds
    the extra fields a 2024 card may carry."""
    number = number_for(born.year, female, serial=serial)
    head = [number] + ([cmnd] if fields >= 7 else [])
    rest = [name, f"{born:%d%m%Y}", "Nữ" if female else "Nam", PLACES[serial % 2],
            f"{issued:%d%m%Y}"]
    extra = [f"Thêm {i}" for i in range(fields - 7)]
    return "|".join(head + rest + extra)


@st.composite
def cards(draw: st.DrawFn, today: date = date(2026, 12, 7)) -> tuple[str, str, date]:
    """(QR text, number, birth date) of an invented card."""
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=today))
    serial = draw(st.integers(0, 999_999))
    name = f"{draw(st.sampled_from(SURNAMES))} {draw(st.sampled_from(GIVEN))}"
    cmnd = draw(st.sampled_from(["", f"{serial:09d}"]))
    fields = draw(st.sampled_from([6, 7, 7, 9]))
    text = card_text(born, serial=serial, name=name, cmnd=cmnd, fields=fields,
                     female=draw(st.booleans()))
    return text, text.split("|")[0], born
