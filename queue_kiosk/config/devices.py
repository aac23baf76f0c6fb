"""Provides the hall's device sections: the printer, the kiosk, the counter screen and its
keys, the hall display and its voice."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import (
    Field,
    field_validator,
)

from queue_kiosk.config.base import Strict
from queue_kiosk.domain.errors import ConfigError, Invalid


class PrinterConfig(Strict):
    url: str = ""
    """usb://VID:PID, tcp://HOST[:PORT], serial:///dev/ttyUSB0?baudrate=9600, file:///dev/usb/lp0,
    preview://DIR or none; empty: preview PNGs in the data directory."""
    profile: str = ""
    """A python-escpos printer profile (e.g. TM-T20II); its paper width wins when known."""
    paper_mm: Literal[58, 80] = 80
    mode: Literal["raster", "text"] = "raster"
    """raster: the ticket as an image (right on every printer); text: the printer's own font
    and code page, for printers without raster support."""
    qr: Literal["raster", "printer", "none"] = "raster"
    """raster: drawn into the image; printer: the printer draws it (GS ( k), fewer bytes."""
    codepage: int = Field(default=52, ge=0, le=255)
    """Text mode only: the ESC t slot of CP1258 (Epson 52; many clones 27 or 94)."""
    timeout_seconds: float = Field(default=4.0, gt=0, le=60)
    check_status: bool = False
    """Ask the printer for paper and online status (DLE EOT) before each ticket."""
    logo: str = ""
    """Optional image printed at the top (PNG or JPEG path; relative to the hall file)."""

    @field_validator("url")
    @classmethod
    def _known_printer(cls, value: str) -> str:
        from queue_kiosk.config.printer_target import parse_printer_url

        try:
            parse_printer_url(value)
        except ConfigError as exc:
            raise Invalid.of(exc) from None
        return value


class KioskConfig(Strict):
    ask_procedure: bool = False
    """Offer the procedures of the chosen field as a second (skippable) step."""
    ticket_seconds: float = Field(default=15, ge=3, le=300)
    """How long the ticket stays on screen before the kiosk returns home."""
    idle_seconds: float = Field(default=45, ge=5, le=3600)
    min_seconds_between_tickets: float = Field(default=3, ge=0, le=600)
    """One tap is one ticket: taps closer together than this are ignored."""


COUNTER_KEYS = {"call_next": "f1", "recall": "f2", "finish": "f3", "no_show": "f4",
                "transfer": "f5", "pause": "f6", "call_number": "f7", "start": "f8",
                "bookings": "f9", "menu": "f10"}
"""The counter's actions and their default keys; `[counter.keys]` remaps any of them."""


COUNTER_ACTIONS = tuple(COUNTER_KEYS)


SAME_KEY_AS = {"resume": "pause"}
"""Actions on another's key (not remapped on their own): the counter offers whichever
applies now."""


def counter_keymap(keys: dict[str, str]) -> dict[str, str]:
    """The hall's `[counter.keys]` as a Textual keymap over the counter's binding ids."""
    keymap = {f"counter.{action}": key for action, key in keys.items()}
    return keymap | {f"counter.{action}": keys[same] for action, same in SAME_KEY_AS.items()
                     if same in keys}


class CounterAppConfig(Strict):
    rating_prompt: bool = True
    """After finishing, let the citizen rate the service on the counter's screen or keypad."""
    keys: dict[str, str] = {}
    """Remap actions to keys for USB caller keypads, e.g. { call_next = "kp_enter" }."""
    pause_reasons: list[str] = ["Đi họp", "Nghỉ giải lao", "Hỗ trợ nghiệp vụ"]
    lockout_minutes: float = Field(default=15, gt=0, le=24 * 60)
    """How long five wrong PINs in a row lock a staff account."""
    idle_sign_out_minutes: float = Field(default=20, ge=0, le=24 * 60)
    """A counter with no key or tap for this long signs its official out (0: never)."""

    @field_validator("keys")
    @classmethod
    def _known_actions(cls, keys: dict[str, str]) -> dict[str, str]:
        for action in keys:
            if action not in COUNTER_ACTIONS:
                raise Invalid("check.unknown_action", action=action,
                              known=", ".join(COUNTER_ACTIONS))
        # The actions not remapped keep their default keys: a key stands for one action only.
        taken: dict[str, str] = {}
        for action in COUNTER_ACTIONS:
            key = keys.get(action, COUNTER_KEYS[action]).strip().lower()
            if key in taken:
                raise Invalid("check.key_twice", key=key, first=taken[key], second=action)
            taken[key] = action
        return keys


NOTICE_MOMENT = "%Y-%m-%d %H:%M"


class DisplayConfig(Strict):
    notice: str = ""
    """A line along the bottom of the hall display."""
    notice_style: Literal["ticker", "line"] = "ticker"
    """ticker: the notice scrolls; line: it stands still."""
    notice_from: str = ""
    """When the notice starts showing, in the centre's time ("2026-12-07 13:30"); empty: at
    once."""
    notice_until: str = ""
    """When it stops showing; empty: until it is changed."""
    highlight_seconds: float = Field(default=8, ge=1, le=120)
    recent_calls: int = Field(default=8, ge=1, le=30)
    number_style: Literal["digits", "number"] = "digits"
    """How numbers are read out: digit by digit (bê, không, một, năm) or as a number."""
    reading: Literal["north", "south"] = "north"
    """How numbers are read out: "linh", "nghìn" (north) or "lẻ", "ngàn" (south)."""
    repeat: int = Field(default=2, ge=1, le=3)
    voice_max_delay: float = Field(default=10, ge=0, le=300)
    """Seconds within which a call's voice must start; in a burst the calls past it are left
    to the screen, and the hall is told to look there (0: every call is said, however late)."""
    voice_pack: str = ""
    """A folder of recorded WAV clips (see the README); empty: espeak-ng, else the chime."""
    espeak: bool = True
    browser_font_size: int = Field(default=24, ge=10, le=64)
    """Pixels per line of the display served to a browser: 16 (the browser's default) on a
    1920×1080 TV makes plain text too small to read from the back of a hall."""

    @field_validator("notice_from", "notice_until")
    @classmethod
    def _moment(cls, value: str) -> str:
        value = " ".join(value.split())
        if value:
            try:
                datetime.strptime(value, NOTICE_MOMENT)
            except ValueError:
                raise Invalid("check.moment", value=value) from None
        return value

    def notice_at(self, local: datetime) -> str:
        """The notice, if `local` (the centre's time now) is within its start and end."""
        moment = f"{local:{NOTICE_MOMENT}}"  # this fixed format sorts as time does
        if (self.notice_from and moment < self.notice_from) or \
                (self.notice_until and moment >= self.notice_until):
            return ""
        return self.notice
