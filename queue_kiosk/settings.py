"""Provides the per-machine settings, read from QUEUE_KIOSK_* environment variables."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

from queue_kiosk.clock import Clock, FrozenClock, SystemClock
from queue_kiosk.paths import default_db_url


class Settings(BaseSettings):
    """What differs per PC rather than per centre; command-line options override these."""

    model_config = SettingsConfigDict(env_prefix="QUEUE_KIOSK_", extra="ignore")

    db: str = ""
    """Database URL; empty means a SQLite file in the user's data directory."""
    site: str = ""
    """Centre code, needed only when one database serves several centres."""
    printer: str = ""
    """Printer URL (see the README); empty means the hall configuration's printer."""
    lang: Literal["vi", "en"] = "vi"
    debug: bool = False
    now: datetime | None = None
    """Freeze the clock at this instant (ISO 8601 with offset): for tests and training only."""

    def clock(self) -> Clock:
        return SystemClock() if self.now is None else FrozenClock(self.now)

    def db_url(self) -> str:
        return self.db or default_db_url()
