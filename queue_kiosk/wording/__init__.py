"""Every user-facing text of the product in Vietnamese and English, one catalogue file per area,
behind one lookup, `say`. The lowest layer: imports nothing of the package."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

from queue_kiosk.wording import (
    administration,
    citizen,
    command_line,
    counter,
    display,
    errors,
    hall_check,
    operations,
    overview,
    pages,
    plans_reports,
    setup,
)

WORDING: dict[str, tuple[str, str]] = {}
"""Every key -> (Vietnamese, English), from the area files; a key stands in one only."""
AREAS = (errors, citizen, counter, display, command_line, pages, plans_reports, setup,
         operations, administration, overview, hall_check)
for _area in AREAS:
    WORDING.update(_area.TEXTS)


class Both(NamedTuple):
    """A parameter known in both languages (a public holiday's name): `say` picks one."""

    vi: str
    en: str

    def said(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.vi


def say(key: str, lang: str = "vi", /, **params: Any) -> str:
    """The text of `key` in the language (Vietnamese unless English is asked for). A
    `status` or `action` parameter is itself put into words; a date reads as people write
    it, with its weekday ("Thứ Tư 02/09/2026"); a `Both` in the language asked for."""
    if "status" in params:
        params["status"] = status_word(str(params["status"]), lang)
    if f"verb.{params.get('action')}" in WORDING:
        params["action"] = say(f"verb.{params['action']}", lang)
    for name, value in params.items():
        if isinstance(value, Both):
            params[name] = value.said(lang)
        elif isinstance(value, date) and not isinstance(value, datetime):
            params[name] = day_words(value, lang)
    vi, en = WORDING[key]
    if lang == "en":
        return en.format(**params)
    return vi.format(**{name: number(value, lang) if isinstance(value, float) else value
                        for name, value in params.items()})


def day_words(day: date, lang: str) -> str:
    """A day as people write it where they choose one: "Thứ Tư 02/09/2026"."""
    return f"{say(f'weekday_long.{day.weekday()}', lang)} {day:%d/%m/%Y}"


def percent(share: float) -> str:
    """A share as both languages write it: "100%", "87%" (no space before the sign)."""
    return f"{share:.0%}"


def number(value: float, lang: str) -> str:
    """A figure as a reader of `lang` writes it: Vietnamese with a decimal comma ("3,5")."""
    text = f"{value:g}"
    return text if lang == "en" else text.replace(".", ",")


def citizen_reason(code: str, lang: str) -> str:
    """What a citizen is told of a printer fault: what happened, never the device's address
    or the driver's words (those go to the log and the operator)."""
    key = f"citizen.{code}"
    return say(key if key in WORDING else "citizen.print.failed", lang)


def wait_words(key: str, lang: str, minutes: float) -> str:
    """An estimated wait: "khoảng 5 phút", or, when it rounds to nothing, that the turn is
    near (never "khoảng 0 phút")."""
    return say(f"{key}_soon", lang) if round(minutes) == 0 else say(key, lang, minutes=minutes)


def status_word(status: str, lang: str = "vi") -> str:
    return say(f"status.{status}", lang) if f"status.{status}" in WORDING else status


def field_state_word(state: str, lang: str = "vi") -> str:
    key = f"field_state.{state}"
    return say(key, lang) if key in WORDING else state


def opens_words(opens: datetime, today: date, lang: str, *, short: bool = False) -> str:
    """When a field whose counters are all outside their own hours takes citizens again:
    "Tiếp nhận từ 13:30" today, "Tiếp nhận từ 07:30 thứ Ba" within the week, with the date
    further off ("Tiếp nhận từ 07:30 ngày 17/02"); `short`: "Từ 07:30 thứ Ba", for a
    button one line high."""
    when, days = f"{opens:%H:%M}", (opens.date() - today).days
    if 0 < days < 7:
        when = say("field_state.when_on", lang, at=when,
                   weekday=say(f"weekday_in.{opens.weekday()}", lang))
    elif days >= 7:
        when = say("field_state.when_date", lang, at=when, day=f"{opens:%d/%m}")
    return say("field_state.opens_short" if short else "field_state.opens", lang, when=when)
