"""Provides NFC normalisation and accent-insensitive matching for Vietnamese text."""

from __future__ import annotations

import unicodedata
from typing import overload


@overload
def nfc(value: str) -> str: ...
@overload
def nfc(value: None) -> None: ...
def nfc(value: str | None) -> str | None:
    """Normalise to NFC: kiosks, keyboards and files mix precomposed and combining forms."""
    return None if value is None else unicodedata.normalize("NFC", value)


def fold(value: str) -> str:
    """Lower-case and strip tone marks, so "ho tich" finds "Hộ tịch" at the command line."""
    decomposed = unicodedata.normalize("NFD", value.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d").strip()
