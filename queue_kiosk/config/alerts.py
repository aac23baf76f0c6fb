"""Provides the hall's `[alerts]` thresholds and the province's defaults under them.

Every key may be left out: the site then takes the province's default (set once for the
whole database with `queue-kiosk alerts --defaults FILE`), and where the province set none,
the built-in one below. A hall that sets a key overrides the province for itself only.
Zero (or false) turns an alert off."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from queue_kiosk.config.base import Strict


class AlertThresholds(Strict):
    """The thresholds a site is measured against, each set."""

    wait_minutes: float = Field(default=20.0, ge=0, le=600)
    """A citizen waiting longer than this (HCMC's rule: at most 20 minutes)."""
    paused_minutes: float = Field(default=30.0, ge=0, le=600)
    """A counter paused longer than this while the centre is open (counted from the
    opening of the current period at the earliest: a pause over lunch is no alert)."""
    no_counter_minutes: float = Field(default=5.0, ge=0, le=600)
    """A field with citizens waiting whose every counter has been paused this long, while
    the centre is open (a short break is no alert)."""
    printer: bool = True
    """The kiosk's last print failed."""
    voice: bool = True
    """The hall's display cannot play calls."""
    screen_down_minutes: float = Field(default=2.0, ge=0, le=720)
    """A screen (kiosk, counter, display, serve) not seen for this long."""
    booked_missing_share: float = Field(default=0.3, ge=0, le=1)
    """Today's booked citizens whose check-in closed without them, above this share…"""
    booked_missing_min: int = Field(default=3, ge=1, le=1000)
    """…of at least this many bookings past their check-in (one missing of two is no sign)."""


class AlertsConfig(Strict):
    """The hall's `[alerts]`: each key unset (None) falls back to the province's default."""

    wait_minutes: float | None = Field(default=None, ge=0, le=600)
    paused_minutes: float | None = Field(default=None, ge=0, le=600)
    no_counter_minutes: float | None = Field(default=None, ge=0, le=600)
    printer: bool | None = None
    voice: bool | None = None
    screen_down_minutes: float | None = Field(default=None, ge=0, le=720)
    booked_missing_share: float | None = Field(default=None, ge=0, le=1)
    booked_missing_min: int | None = Field(default=None, ge=1, le=1000)

    def over(self, province: AlertsConfig | None = None) -> AlertThresholds:
        """The thresholds in force: this hall's keys over the province's over the
        built-in defaults."""
        values: dict[str, Any] = {}
        for layer in (province, self):
            if layer is not None:
                values.update(layer.model_dump(exclude_none=True))
        return AlertThresholds(**values)
