"""Provides the hall configuration: a TOML file describing one centre, validated strictly."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import stat
import tomllib
from collections.abc import Callable, Iterable
from datetime import time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    Field,
    SerializerFunctionWrapHandler,
    ValidationError,
    field_validator,
    model_serializer,
    model_validator,
)

from queue_kiosk.config.alerts import AlertsConfig
from queue_kiosk.config.base import WEEKDAYS, Code, Named, Strict
from queue_kiosk.config.calendar import CalendarConfig
from queue_kiosk.config.devices import CounterAppConfig, DisplayConfig, KioskConfig, PrinterConfig
from queue_kiosk.config.identity import IdentityConfig
from queue_kiosk.domain.calendar import check_spans, covers, describe, parse_span
from queue_kiosk.domain.errors import ConfigError, Invalid
from queue_kiosk.domain.text import nfc
from queue_kiosk.wording import WORDING, Both, say


class ProcedureConfig(Named):
    pass


class FieldConfig(Named):
    prefix: str | None = None
    """Ticket prefix (A, B, …): numbers run A001, A002… (the default scheme)."""
    block: int | None = Field(default=None, ge=1, le=99_000)
    """Or a number block: 1001, 1002… for centres that number by block."""
    block_size: int = Field(default=999, ge=1, le=99_999)
    daily_cap: int | None = Field(default=None, ge=1)
    minutes: float = Field(default=10.0, gt=0, le=480)
    """Expected service minutes, used for wait estimates until real data exists."""
    procedures: list[ProcedureConfig] = []

    @field_validator("prefix")
    @classmethod
    def _prefix_shape(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Z]{1,3}", value):
            raise Invalid("check.prefix", value=value)
        return value

    @model_validator(mode="after")
    def _one_scheme(self) -> FieldConfig:
        if (self.prefix is None) == (self.block is None):
            raise Invalid("check.one_scheme")
        return self

    @property
    def series(self) -> str:
        return self.prefix if self.prefix is not None else f"#{self.block}"


class CounterConfig(Named):
    fields: list[Code] = Field(min_length=1)
    """Fields served, in order of preference: the first is the counter's primary field."""
    short_name: str = Field(default="", max_length=60)
    """What the hall's TV shows on the counter's tile, led by the fields citizens look for
    ("Tư pháp – Hộ tịch"); `name` keeps the department. Empty: the name."""
    short_name_en: str = Field(default="", max_length=60)
    hours: CounterHours | None = None
    """The counter's own opening windows; none: the centre's hours."""


class PriorityConfig(Named):
    who: str = ""
    """Who qualifies, shown beside the name where a citizen chooses ("từ đủ 60 tuổi")."""
    who_en: str = ""

    def choice(self, lang: str) -> str:
        """The name as the kiosk offers it: with who qualifies, when the hall says."""
        who = self.who_en if lang == "en" and self.who_en else self.who
        return f"{self.label(lang)} ({who})" if who else self.label(lang)


class RatingLevel(Named):
    pass


class WeekConfig(Strict):
    """A week of opening periods, each weekday a list of "HH:MM-HH:MM" in order."""

    @field_validator(*WEEKDAYS, check_fields=False)
    @classmethod
    def _periods(cls, spans: list[str]) -> list[str]:
        check_spans(spans)
        return spans

    def periods(self, weekday: int) -> list[tuple[time, time]]:
        spans: list[str] = getattr(self, WEEKDAYS[weekday])
        return [parse_span(span) for span in spans]

    def is_open(self, weekday: int, at: time) -> bool:
        return any(start <= at < end for start, end in self.periods(weekday))

    def week(self) -> list[list[tuple[time, time]]]:
        return [self.periods(weekday) for weekday in range(7)]


class HoursConfig(WeekConfig):
    enforce: bool = True
    """When true, tickets are refused outside the opening hours."""
    mon: list[str] = ["07:30-11:30", "13:30-17:00"]
    tue: list[str] = ["07:30-11:30", "13:30-17:00"]
    wed: list[str] = ["07:30-11:30", "13:30-17:00"]
    thu: list[str] = ["07:30-11:30", "13:30-17:00"]
    fri: list[str] = ["07:30-11:30", "13:30-17:00"]
    sat: list[str] = []
    sun: list[str] = []


class CounterHours(WeekConfig):
    """A counter's own week (the land official comes Tuesday and Thursday mornings): a
    weekday not given is closed for the counter, and each span lies within the centre's
    hours that day. Written with the open days only."""

    mon: list[str] = []
    tue: list[str] = []
    wed: list[str] = []
    thu: list[str] = []
    fri: list[str] = []
    sat: list[str] = []
    sun: list[str] = []

    @model_serializer(mode="wrap")
    def _open_days(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return {day: spans for day, spans in handler(self).items() if spans}

    def outside(self, hall: HoursConfig) -> tuple[str, str] | None:
        """The first weekday and span of this week not within the centre's `hall` hours."""
        for weekday, day in enumerate(WEEKDAYS):
            hours = hall.periods(weekday)
            for span, (start, end) in zip(getattr(self, day), self.periods(weekday),
                                          strict=True):
                if not covers(hours, start, end):
                    return day, span
        return None


class PolicyConfig(Strict):
    priority_mode: Literal["strict", "interleave"] = "interleave"
    """strict: priority tickets always go first; interleave: one after every N normal ones."""
    priority_every: int = Field(default=2, ge=1, le=50)
    """With interleave: how many normal tickets a counter calls before the next priority one."""
    secondary_max_wait_minutes: float = Field(default=20.0, ge=0)
    """A ticket of a counter's secondary field that has waited this long goes before its primary."""
    recall_limit: int = Field(default=3, ge=0, le=20)
    """Recalls allowed after the first call; asking for one more marks the ticket no-show."""
    return_after: int = Field(default=2, ge=0, le=100)
    """A returning no-show joins the line behind this many citizens already first in line."""
    carry_over: bool = False
    """At close-day, waiting tickets carry over to the next day instead of expiring."""
    target_wait_minutes: float = Field(default=15.0, gt=0)
    """The waiting-time target reports measure against."""


class AppointmentsConfig(Strict):
    """Booked times (lịch hẹn): a citizen books a slot, then checks in at the kiosk."""

    enabled: bool = False
    slot_minutes: int = Field(default=30, ge=5, le=240)
    share: float = Field(default=0.3, ge=0, le=1)
    """The part of each field's counter capacity (its counters × slot minutes ÷ its service
    minutes) that bookings may take; the rest stays for walk-ins."""
    days_ahead: int = Field(default=7, ge=0, le=60)
    """How far ahead a day may be booked (0: today only)."""
    daily_cap: int | None = Field(default=None, ge=1)
    """At most this many bookings per field and day (none: the slots' capacity only)."""
    cutoff_minutes: int = Field(default=30, ge=0, le=1440)
    """Booking a slot closes this long before it starts."""
    early_minutes: int = Field(default=15, ge=0, le=240)
    """Check-in opens this long before the slot."""
    late_minutes: int = Field(default=15, ge=0, le=240)
    """Check-in closes this long after the slot starts; later, the booking is missed."""
    every: int = Field(default=2, ge=1, le=50)
    """Appointments a counter calls in a row, once their slots have started, before a
    waiting walk-in goes."""
    keep_days: int = Field(default=30, ge=1, le=3650)
    """A booking's phone number is deleted this many days after its day (Decree 13/2023)."""


class NotifyConfig(Strict):
    """The notification hook (see the README): a program run with a JSON event on stdin."""

    command: str = ""
    """The program and its arguments, as a shell would split them; empty: no hook."""
    near: int = Field(default=3, ge=1, le=50)
    """A booked citizen hears their turn is near when this many or fewer are before them."""


class SiteConfig(Named):
    timezone: str = "Asia/Ho_Chi_Minh"
    address: str = ""
    district: str = ""
    """The district (or area) the province's overview groups and filters communes by."""
    footer: list[str] = ["Phiếu chỉ có giá trị trong ngày", "Cảm ơn Quý khách!"]
    """The lines at the foot of every ticket (one string is one line)."""
    public_url: str = ""
    """Base URL of `queue-kiosk serve` as citizens' phones reach it; the ticket QR then opens
    `<public_url>/t/<token>`. Empty: the QR holds a compact code a counter can scan."""

    @field_validator("footer", mode="before")
    @classmethod
    def _lines(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("public_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if value and not re.fullmatch(r"https?://[^\s/]+(/[^\s]*)?", value):
            raise Invalid("check.url", value=value)
        return value.rstrip("/")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise Invalid("check.timezone", value=value) from None
        return value


DEFAULT_LEVELS = [
    RatingLevel(code="3", name="Rất hài lòng", name_en="Very satisfied"),
    RatingLevel(code="2", name="Hài lòng", name_en="Satisfied"),
    RatingLevel(code="1", name="Không hài lòng", name_en="Not satisfied"),
]


class RatingConfig(Strict):
    levels: list[RatingLevel] = Field(default=DEFAULT_LEVELS, min_length=2)


class HallConfig(Strict):
    site: SiteConfig
    hours: HoursConfig = HoursConfig()
    calendar: CalendarConfig = CalendarConfig()
    policy: PolicyConfig = PolicyConfig()
    rating: RatingConfig = RatingConfig()
    printer: PrinterConfig = PrinterConfig()
    kiosk: KioskConfig = KioskConfig()
    counter: CounterAppConfig = CounterAppConfig()
    display: DisplayConfig = DisplayConfig()
    appointments: AppointmentsConfig = AppointmentsConfig()
    notify: NotifyConfig = NotifyConfig()
    alerts: AlertsConfig = AlertsConfig()
    identity: IdentityConfig = IdentityConfig()
    priorities: list[PriorityConfig] = []
    fields: list[FieldConfig] = Field(min_length=1)
    counters: list[CounterConfig] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, data: Any) -> Any:
        return _nfc_deep(data)

    @model_validator(mode="after")
    def _references(self) -> HallConfig:
        _unique("fields", "code", (f.code for f in self.fields))
        _unique("fields", "name", (f.name for f in self.fields))
        _unique("fields", "prefix", (f.prefix for f in self.fields if f.prefix))
        _unique("counters", "code", (c.code for c in self.counters))
        _unique("counters", "short_name", (c.short_name or None for c in self.counters))
        _unique("priorities", "code", (p.code for p in self.priorities))
        _unique("rating.levels", "code", (level.code for level in self.rating.levels))
        procedure_codes = [p.code for f in self.fields for p in f.procedures]
        _unique("fields[].procedures", "code", procedure_codes)
        clash = {f.code for f in self.fields} & set(procedure_codes)
        if clash:
            raise Invalid("check.code_clash", code=sorted(clash)[0])
        blocks = sorted((f.block, f.block + f.block_size - 1, f.code) for f in self.fields
                        if f.block is not None)
        for (_, end, code), (start, _, other) in zip(blocks, blocks[1:], strict=False):
            if start <= end:
                raise Invalid("check.blocks_overlap", code=code, other=other)
        known = {f.code for f in self.fields}
        for code in self.calendar.cutoff:
            if code not in known:
                raise Invalid("check.unknown_field", where="calendar.cutoff", code=code,
                              known=", ".join(sorted(known)))
        for index, counter in enumerate(self.counters):
            for code in counter.fields:
                if code not in known:
                    raise Invalid("check.unknown_field", where=f"counters[{index}].fields",
                                  code=code, known=", ".join(sorted(known)))
            if len(set(counter.fields)) != len(counter.fields):
                raise Invalid("check.field_twice", where=f"counters[{index}].fields")
            outside = counter.hours.outside(self.hours) if counter.hours else None
            if outside is not None:
                day, span = outside
                hall = describe(self.hours.periods(WEEKDAYS.index(day)))
                raise Invalid("check.counter_outside", where=f"counters[{index}].hours.{day}",
                              code=counter.code, span=span,
                              hours=Both("nghỉ", "closed") if hall == "—" else hall)
        identity = self.identity
        if identity.proxy_field is not None and identity.proxy_field not in known:
            raise Invalid("check.unknown_field", where="identity.proxy_field",
                          code=identity.proxy_field, known=", ".join(sorted(known)))
        if identity.enabled and identity.elderly_priority not in {p.code for p in
                                                                  self.priorities}:
            raise Invalid("check.not_a_priority", where="identity.elderly_priority",
                          code=identity.elderly_priority)
        return self

    def unserved_fields(self) -> list[str]:
        served = {code for counter in self.counters for code in counter.fields}
        return [f.code for f in self.fields if f.code not in served]

    def warnings(self) -> list[str]:
        return [f"fields: '{code}' is served by no counter; its tickets would never be called"
                for code in self.unserved_fields()]


def _unique(section: str, key: str, values: Iterable[str | None]) -> None:
    seen: set[str] = set()
    for value in values:
        if value is None:
            continue
        if value in seen:
            raise Invalid("check.duplicate", section=section, key=key, value=value)
        seen.add(value)


def _nfc_deep(data: Any) -> Any:
    if isinstance(data, str):
        return nfc(data)
    if isinstance(data, dict):
        return {nfc(k) if isinstance(k, str) else k: _nfc_deep(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_nfc_deep(v) for v in data]
    return data


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def parse_hall(text: str, source: str = "<hall>",
               base: Callable[[], HallConfig | None] | None = None) -> HallConfig:
    """The hall in `text`. A fragment without [site] (what `plan --out` writes) goes over
    the hall `base` gives, when it gives one: its tables merge key by key, its lists (the
    counters, the fields) replace the base's whole."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("config.syntax", file=source, detail=str(exc)) from None
    if not raw:
        raise ConfigError("config.empty", file=source)
    if base is not None and "site" not in raw:
        under = base()
        if under is None:
            raise ConfigError("config.invalid", file=source, where="site: ",
                              detail=Invalid("check.fragment_alone").said)
        raw = _merged(under.model_dump(), raw)
    return check_hall(raw, source)


def check_hall(raw: dict[str, Any], source: str = "<hall>") -> HallConfig:
    """The hall `raw` describes, checked as a hall file is (the admin screen's forms go
    through here too), or a ConfigError naming the first wrong key."""
    try:
        return HallConfig.model_validate(raw)
    except ValidationError as exc:
        raise invalid(exc, source) from None


def invalid(exc: ValidationError, source: str) -> ConfigError:
    """A validation failure as one line: the file, where in it, what is wrong (in both
    languages: the admin screen tells it in the user's)."""
    first = exc.errors()[0]
    # Our own model-level checks carry their own location inside the message.
    loc = tuple(p for p in first["loc"] if p not in ("function-after", "function-before"))
    where = f"{_loc(loc)}: " if loc else ""
    return ConfigError("config.invalid", file=source, where=where, detail=said(first))


def said(error: Any) -> Both:
    """One of pydantic's errors in both languages: our own checks' words, else pydantic's
    by its type."""
    raised = error.get("ctx", {}).get("error")
    if isinstance(raised, Invalid):
        return raised.said
    key = f"check.{error['type']}"
    params: dict[str, Any] = {name: int(value) if isinstance(value, float) and value.is_integer()
                              else value for name, value in error.get("ctx", {}).items()}
    if "expected" in params:  # a choice of words: 'ticker' or 'line'
        params["expected"] = Both(str(params["expected"]).replace(" or ", " hoặc "),
                                  str(params["expected"]))
    params.update(input=repr(error.get("input")),
                  detail=error["msg"].removeprefix("Value error, "))
    return Both(*(say(key if key in WORDING else "check.other", lang, **params)
                  for lang in ("vi", "en")))


def _merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        inner = out.get(key)
        out[key] = (_merged(inner, value) if isinstance(inner, dict) and isinstance(value, dict)
                    else value)
    return out


HALL_FILE_LIMIT = 1024 * 1024
"""A hall file is a few kilobytes: anything past 1 MiB is not one (and /dev/zero never
ends)."""
SHELL_CHARACTERS = frozenset("|&;<>()$`\\\"'*{}!\n")
"""What a shell would read as more than a word: the hook runs without a shell, so a
command needing one is refused at load rather than failing at every notice."""


def load_hall(path: Path, base: Callable[[], HallConfig | None] | None = None) -> HallConfig:
    return _with_files(parse_hall(_read(path), str(path), base), path)


class ProvinceFile(Strict):
    """A province's file: the `[alerts]` thresholds under every hall's own."""

    alerts: AlertsConfig = AlertsConfig()


def load_province_alerts(path: Path) -> AlertsConfig:
    """The province's default thresholds from its file (`alerts --defaults FILE`)."""
    try:
        raw = tomllib.loads(_read(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("config.syntax", file=str(path), detail=str(exc)) from None
    try:
        return ProvinceFile.model_validate(_nfc_deep(raw)).alerts
    except ValidationError as exc:
        raise invalid(exc, str(path)) from None


def _read(path: Path) -> str:
    try:
        found = path.stat()
        if not stat.S_ISREG(found.st_mode):
            raise ConfigError("config.not_a_file", file=str(path))
        if found.st_size > HALL_FILE_LIMIT:
            raise ConfigError("config.too_big", file=str(path), size=found.st_size,
                              limit=HALL_FILE_LIMIT)
        return path.read_text(encoding="utf-8-sig")  # Notepad saves a BOM: accept it
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError("config.unreadable", file=str(path), detail=str(exc)) from None


def check_notify_command(hall: HallConfig, source: str) -> None:
    """The hook `init` is about to store: split as the deliverer splits it (no shell), its
    program found and executable here, where `serve` or `notify` will run it."""
    command = hall.notify.command.strip()
    if not command:
        return
    try:
        words = shlex.split(command)
    except ValueError as exc:
        raise ConfigError("config.notify_split", file=source, detail=str(exc)) from None
    shell = sorted({c for word in words for c in word} & SHELL_CHARACTERS)
    if shell:
        raise ConfigError("config.notify_shell", file=source, characters=" ".join(shell))
    program = words[0]
    if shutil.which(program) is None:
        where = Path(program).expanduser()
        key = "config.notify_not_executable" if where.is_file() or (
            "/" not in program and shutil.which(program, mode=os.F_OK)) \
            else "config.notify_missing"
        raise ConfigError(key, file=source, program=program)


def _with_files(hall: HallConfig, path: Path) -> HallConfig:
    """The files a hall names, checked when it is loaded and stored as absolute paths: a
    kiosk started from another folder finds them, and a typo fails now, not at a print."""
    sections: dict[str, Strict] = {}
    for section, key, exists, what in (("printer", "logo", Path.is_file, "check.no_image"),
                                       ("display", "voice_pack", Path.is_dir, "check.no_folder")):
        given = getattr(getattr(hall, section), key)
        if not given:
            continue
        found = _beside(path, given)
        if not exists(found):
            raise ConfigError("config.invalid", file=str(path), where=f"{section}.{key}: ",
                              detail=Invalid(what, found=found).said)
        sections[section] = getattr(hall, section).model_copy(update={key: str(found)})
    return hall.model_copy(update=sections)


def _beside(hall_file: Path, name: str) -> Path:
    given = Path(name).expanduser()
    return given if given.is_absolute() else (hall_file.parent / given).resolve()


def default_hall_path() -> Path:
    from queue_kiosk.config.paths import asset_path

    return asset_path("hall.toml")
