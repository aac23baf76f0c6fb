"""Provides dates as people in Vietnam read and type them: dd/mm/yyyy, with the weekday where
a person chooses a day (`say` words a date parameter so), and one parser for every date a
user types (dd/mm/yyyy or ISO)."""

from __future__ import annotations

import re
from datetime import date

from queue_kiosk.domain.errors import Refused
from queue_kiosk.wording import Both


def day_from_text(text: str) -> date:
    """A day as people write it (dd/mm/yyyy, Vietnamese usage) or as scripts do
    (yyyy-mm-dd); refused saying so where it is not a day of the calendar (29/02/2027),
    whatever else the same input might have been taken for."""
    given = text.strip()
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", given)
    local = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", given)
    if iso is not None:
        year, month, day = (int(part) for part in iso.groups())
    elif local is not None:
        day, month, year = (int(part) for part in local.groups())
    else:
        raise Refused("date.shape", text=given[:40])
    try:
        return date(year, month, day)
    except ValueError:
        raise Refused("date.no_such_day", text=given) from None


def dmy(day: date) -> str:
    """02/09/2026."""
    return f"{day:%d/%m/%Y}"


def today_or(day: date, today: date) -> date | Both:
    """`day` for a message: "hôm nay" when it is today, else the day with its weekday."""
    return Both("hôm nay", "today") if day == today else day
