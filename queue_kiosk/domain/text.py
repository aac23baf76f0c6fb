"""Provides NFC normalisation and accent-insensitive matching for Vietnamese text."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
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


def wrap(text: str, length: Callable[[str], float], width: float) -> list[str]:
    """Lines no wider than `width`, broken between words, each paragraph ("\n") apart. A
    paragraph's last word is never left alone on a line when the line above can give it
    company: "HÀNH CHÍNH" / "CÔNG" reads as a mistake on a ticket."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        para: list[list[str]] = [[]]
        for word in paragraph.split():
            if para[-1] and length(" ".join([*para[-1], word])) > width:
                para.append([])
            para[-1].append(word)
        if len(para) > 1 and len(para[-1]) == 1 and len(para[-2]) > 2:
            moved = [para[-2][-1], *para[-1]]
            if length(" ".join(moved)) <= width:
                para[-2], para[-1] = para[-2][:-1], moved
        lines += [" ".join(words) for words in para]
    return lines


def fit_lines(text: str, length: Callable[[str], float], width: float,
              most: int) -> list[str]:
    """At most `most` lines broken between words; what does not fit ends the last line with
    "…" after a whole word, never inside one ("Tư pháp – Hộ tịch" must not become "Tư pháp –
    Hộ t"). Only a single word wider than the box is cut, as nothing else would show."""
    lines = wrap(text, length, width)
    if len(lines) <= most and all(length(line) <= width for line in lines):
        return lines
    kept: list[str] = []
    for line in lines[:most - 1]:
        if length(line) > width:
            break
        kept.append(line)
    rest = " ".join(lines[len(kept):]).split()
    words = list(rest)
    while words and (length(" ".join(words) + " …") > width or words[-1] in DANGLING):
        words.pop()
    shortened = " ".join(words).rstrip(",;:")
    if shortened:
        return [*kept, f"{shortened} …"]
    first = rest[0] if rest else ""
    while first and length(first + "…") > width:
        first = first[:-1]
    return [*kept, f"{first}…"]


DANGLING = {"–", "-", ",", "và", "&"}
"""Words a shortened name must not end on."""
