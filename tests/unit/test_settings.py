"""The per-machine settings: read from the environment, malformed values named."""

from __future__ import annotations

from datetime import datetime

import pytest

from queue_kiosk.config.settings import Settings, SettingsError
from queue_kiosk.domain.clock import FrozenClock, SystemClock


def test_nothing_set_means_the_defaults() -> None:
    settings = Settings.from_env({})
    assert settings == Settings()
    assert isinstance(settings.clock(), SystemClock)
    assert settings.db_url().startswith("sqlite:///") and settings.db_url().endswith(".db")


def test_every_variable_is_read() -> None:
    settings = Settings.from_env({
        "QUEUE_KIOSK_DB": "postgresql://hall@server/queue", "QUEUE_KIOSK_SITE": " xa-mau ",
        "QUEUE_KIOSK_PRINTER": "tcp://192.168.1.50", "QUEUE_KIOSK_LANG": "en",
        "QUEUE_KIOSK_DEBUG": "yes", "QUEUE_KIOSK_NOW": "2026-11-25T08:00:00+07:00",
        "OTHER": "ignored"})
    assert (settings.db, settings.site, settings.printer, settings.lang, settings.debug) == (
        "postgresql://hall@server/queue", "xa-mau", "tcp://192.168.1.50", "en", True)
    assert settings.db_url() == "postgresql://hall@server/queue"
    clock = settings.clock()
    assert isinstance(clock, FrozenClock)
    assert clock.now() == datetime.fromisoformat("2026-11-25T01:00:00+00:00")


@pytest.mark.parametrize(("name", "value", "says"), [
    ("LANG", "fr", "not one of: vi, en"),
    ("DEBUG", "maybe", "not a yes/no value"),
    ("NOW", "yesterday-ish", "not an ISO 8601 instant"),
    ("NOW", "2026-11-25T08:00:00", "has no UTC offset"),
])
def test_a_malformed_variable_is_named_with_what_to_do(name: str, value: str, says: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({f"QUEUE_KIOSK_{name}": value})
    assert caught.value.name == f"QUEUE_KIOSK_{name}"
    assert says in str(caught.value) and value in str(caught.value)


def test_a_training_clock_starts_where_told_and_runs() -> None:
    import time as real_time

    from queue_kiosk.domain.clock import RunningClock, StillClock

    settings = Settings.from_env({"QUEUE_KIOSK_CLOCK_START": "2026-09-03T07:30:00+07:00"})
    clock = settings.clock()
    assert isinstance(clock, RunningClock)
    first = clock.now()
    assert first.isoformat().startswith("2026-09-03T00:30")  # UTC
    real_time.sleep(0.05)
    assert clock.now() > first
    assert isinstance(Settings.from_env({"QUEUE_KIOSK_NOW": "2026-09-03T07:30:00+07:00"})
                      .clock(), StillClock)
    with pytest.raises(SettingsError, match="not both"):
        Settings.from_env({"QUEUE_KIOSK_NOW": "2026-09-03T07:30:00+07:00",
                           "QUEUE_KIOSK_CLOCK_START": "2026-09-03T07:30:00+07:00"})
    with pytest.raises(SettingsError, match="no UTC offset"):
        Settings.from_env({"QUEUE_KIOSK_CLOCK_START": "2026-09-03T07:30:00"})
