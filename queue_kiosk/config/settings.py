"""Provides the per-machine settings, read from QUEUE_KIOSK_* environment variables.

Read by hand rather than with pydantic-settings: every command and screen reads these first,
and that library alone took 0.16 s to import, half a minimal Textual app's start-up."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from queue_kiosk.config.paths import default_db_url
from queue_kiosk.domain.clock import Clock, RunningClock, StillClock, SystemClock

PREFIX = "QUEUE_KIOSK_"
LANGUAGES = ("vi", "en")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("", "0", "false", "no", "off")


class SettingsError(ValueError):
    """A malformed environment variable: `name` says which, the message what is wrong."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


@dataclass(frozen=True)
class Settings:
    """What differs per PC rather than per centre; command-line options override these."""

    db: str = ""
    """Database URL; empty means a SQLite file in the user's data directory."""
    site: str = ""
    """Centre code, needed only when one database serves several centres."""
    printer: str = ""
    """Printer URL (see the README); empty means the hall configuration's printer."""
    lang: str = "vi"
    debug: bool = False
    identity_key: str = ""
    """The file of the key that hashes CCCD numbers; empty means next to a SQLite database,
    else in the user's data directory. Every kiosk and counter PC of a hall needs the same."""
    now: datetime | None = None
    """Freeze the clock at this instant (ISO 8601 with offset): for tests and screenshots."""
    clock_start: datetime | None = None
    """Start the clock at this instant and let it run: for training days and demos."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ

        def value(key: str) -> str:
            return env.get(PREFIX + key, "").strip()

        lang = value("LANG") or "vi"
        if lang not in LANGUAGES:
            raise SettingsError(PREFIX + "LANG", f"'{lang}' is not one of: vi, en")
        # WARM is acted on by `warm`, before any settings are read; checked here all the same.
        debug, warm = value("DEBUG").lower(), value("WARM").lower()
        for key, flag in (("DEBUG", debug), ("WARM", warm)):
            if flag not in _TRUE + _FALSE:
                raise SettingsError(PREFIX + key, f"'{flag}' is not a yes/no value (1 or 0)")
        now, start = _instant(value, "NOW"), _instant(value, "CLOCK_START")
        if now is not None and start is not None:
            raise SettingsError(PREFIX + "CLOCK_START", "give QUEUE_KIOSK_NOW (a still clock) "
                                "or QUEUE_KIOSK_CLOCK_START (a running one), not both")
        return cls(db=value("DB"), site=value("SITE"), printer=value("PRINTER"), lang=lang,
                   debug=debug in _TRUE, now=now, identity_key=value("IDENTITY_KEY"),
                   clock_start=start)

    def clock(self) -> Clock:
        if self.now is not None:
            return StillClock(self.now)
        return SystemClock() if self.clock_start is None else RunningClock(self.clock_start)

    def db_url(self) -> str:
        return self.db or default_db_url()


def _instant(value: Callable[[str], str], key: str) -> datetime | None:
    """An instant from the environment: ISO 8601 with its UTC offset."""
    if not value(key):
        return None
    try:
        found = datetime.fromisoformat(value(key))
    except ValueError:
        raise SettingsError(PREFIX + key, f"'{value(key)}' is not an ISO 8601 instant such "
                            "as 2026-11-25T08:00:00+07:00") from None
    if found.tzinfo is None:
        raise SettingsError(PREFIX + key, f"'{value(key)}' has no UTC offset: add one, such "
                            "as +07:00")
    return found
