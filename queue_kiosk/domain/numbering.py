"""Provides ticket number formatting and parsing (pure functions)."""

from __future__ import annotations

import re

QR_CODE_PREFIX = "QK1"
"""The compact ticket code printed as QR when no public status URL is configured."""
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


def scanned_token(text: str) -> str | None:
    """The status token inside a scanned ticket QR (compact code or status URL), if any: a
    barcode reader at the counter types it like a keyboard."""
    text = text.strip()
    parts = text.split(":")
    if len(parts) == 5 and parts[0] == QR_CODE_PREFIX:
        return parts[4]
    if text.startswith(("http://", "https://")) and "/t/" in text:
        return text.rsplit("/t/", 1)[1].split("?")[0].strip("/") or None
    return None
