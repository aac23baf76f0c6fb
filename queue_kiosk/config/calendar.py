"""Provides the hall's `[calendar]`: its own closed days with a reason, its make-up working
days (làm bù), whether the public holidays apply, and the fields' cut-off times; and the
public holidays themselves, from the `holidays` package (Vietnam, in both languages)."""

from __future__ import annotations

import datetime as dt
import functools
from datetime import date, time

from pydantic import Field, field_validator, model_validator

from queue_kiosk.config.base import Code, Strict
from queue_kiosk.domain.calendar import check_spans
from queue_kiosk.domain.dates import day_from_text
from queue_kiosk.domain.errors import Invalid, QueueError
from queue_kiosk.wording import Both, say


class CalendarDay(Strict):
    date: dt.date
    """2026-08-22 (a TOML date) or "22/08/2026"."""
    reason: str = Field(default="", max_length=200)
    hours: list[str] = []
    """A make-up day's hours; none: those of an ordinary working day."""

    @field_validator("date", mode="before")
    @classmethod
    def _typed(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return day_from_text(value)
            except QueueError as exc:
                raise Invalid.of(exc) from None
        return value

    @field_validator("hours")
    @classmethod
    def _periods(cls, spans: list[str]) -> list[str]:
        check_spans(spans)
        return spans


class CalendarConfig(Strict):
    public_holidays: bool = True
    """Closed on Vietnam's public holidays (and the days the Government moves)."""
    closed: list[CalendarDay] = []
    """Days the centre does not work besides the holidays, each with its reason."""
    open: list[CalendarDay] = []
    """Make-up working days (làm bù) and other days open although a holiday or the week
    would close them, with their hours."""
    cutoff: dict[Code, str] = {}
    """Per field: dossiers received from this time (HH:MM) are settled the next working day."""

    @field_validator("cutoff")
    @classmethod
    def _times(cls, cutoffs: dict[str, str]) -> dict[str, str]:
        for code, at in cutoffs.items():
            try:
                time.fromisoformat(at)
            except ValueError:
                raise Invalid("check.cutoff_time", code=code, at=at) from None
        return cutoffs

    @model_validator(mode="after")
    def _each_day_once(self) -> CalendarConfig:
        seen: set[date] = set()
        for listed in (*self.closed, *self.open):
            if listed.date in seen:
                raise Invalid("check.day_twice", day=listed.date)
            seen.add(listed.date)
        for listed in self.closed:
            if not listed.reason.strip():
                raise Invalid("check.closed_reason", day=listed.date)
            if listed.hours:
                raise Invalid("check.closed_hours", day=listed.date)
        return self

    def cutoff_times(self) -> dict[str, time]:
        return {code: time.fromisoformat(at) for code, at in self.cutoff.items()}


@functools.cache
def _public_days(year: int) -> tuple[dict[date, Both], frozenset[date]]:
    import holidays  # its country modules load on first use: only where a calendar is asked

    vi = holidays.country_holidays("VN", years=year, language="vi")
    en = holidays.country_holidays("VN", years=year, language="en_US")
    names = {day: Both(str(name), str(en.get(day, name))) for day, name in vi.items()}
    return names, frozenset(d for d in vi.weekend_workdays if d.year == year)


def public_holiday(day: date) -> Both | None:
    """Vietnam's public holiday on `day`, named in Vietnamese and English, if it is one."""
    return _public_days(day.year)[0].get(day)


def public_make_up(day: date) -> Both | None:
    """Why `day`, a weekend day, is a working day by the Government's decision (a Saturday
    worked for a day off moved next to a holiday), when the package knows it is one."""
    return say_both("calendar.make_up") if day in _public_days(day.year)[1] else None


def say_both(key: str) -> Both:
    return Both(say(key, "vi"), say(key, "en"))
