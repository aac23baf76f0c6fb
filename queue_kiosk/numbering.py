"""Provides ticket number formatting and parsing (pure functions)."""

from __future__ import annotations

import re

PREFIX_CAPACITY = 999
"""Numbers run 001–999 per prefix and day (the domain's convention)."""


def capacity(prefix: str | None, block_size: int) -> int:
    return PREFIX_CAPACITY if prefix is not None else block_size


def format_number(prefix: str | None, block: int | None, seq: int) -> str:
    """The number as printed: B015 for prefix series, 1015 for block series."""
    if seq < 1:
        raise ValueError(f"sequence numbers start at 1, got {seq}")
    if prefix is not None:
        return f"{prefix}{seq:03d}"
    if block is None:
        raise ValueError("a series needs a prefix or a block")
    return str(block + seq - 1)


def normalise_number(text: str) -> str | None:
    """Read what an official types or a scanner sends ("b15", " B015 ") as "B015"; None if
    it is not a ticket number at all."""
    cleaned = text.strip().upper()
    match = re.fullmatch(r"([A-Z]{1,3})\s*-?\s*(\d{1,4})", cleaned)
    if match:
        prefix, digits = match.groups()
        return f"{prefix}{int(digits):03d}" if int(digits) > 0 else None
    if re.fullmatch(r"\d{1,6}", cleaned) and int(cleaned) > 0:
        return str(int(cleaned))
    return None
