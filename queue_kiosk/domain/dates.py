"""Provides dates as people in Vietnam read and type them: dd/mm/yyyy, with the weekday where
a person chooses a day (`say` words a date parameter so), and one parser for every date a
user types (dd/mm/yyyy or ISO)."""

from __future__ import annotations

import re
from datetime import date

from queue_kiosk.wording import Both

_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def parse_day(text: str) -> date:
    """A typed date: 02/09/2026 (as Vietnamese write it; also 2/9/2026 or 02-09-2026) or
    2026-09-02. Raises ValueError for anything else, an impossible day included."""
    text = text.strip()
    match = _DMY.fullmatch(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return date(year, month, day)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    raise ValueError(f"not a date: {text!r}")


def dmy(day: date) -> str:
    """02/09/2026."""
    return f"{day:%d/%m/%Y}"


def today_or(day: date, today: date) -> date | Both:
    """`day` for a message: "hôm nay" when it is today, else the day with its weekday."""
    return Both("hôm nay", "today") if day == today else day
