"""Provides the frozen views the core hands to callers (never ORM rows)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from queue_kiosk.wording import Both, field_state_word, opens_words


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


class Labelled:
    """Something with a Vietnamese name and, optionally, an English one."""

    __slots__ = ()
    name: str
    name_en: str

    def label(self, lang: str) -> str:
        """The name in the language; Vietnamese where no English name was given."""
        return self.name_en if lang == "en" and self.name_en else self.name

    @property
    def names(self) -> Both:
        """Both names, for a message worded later in the reader's language."""
        return Both(self.name, self.name_en)


class JsonView:
    def to_json(self) -> dict[str, Any]:
        result: dict[str, Any] = _jsonable(asdict(self))  # type: ignore[call-overload]
        return result


@dataclass(frozen=True, slots=True)
class TicketView(JsonView):
    id: int
    number: str
    day: date
    field: str
    field_name: str
    field_name_en: str
    procedure: str | None
    procedure_name: str | None
    priority: str | None
    status: str
    counter: str | None
    counters: list[str]
    """Codes of the counters that serve this ticket's field (where to go)."""
    issued_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    recalls: int
    transfers: int
    ahead: int | None
    eta_minutes: int | None
    token: str
    appointment: str | None = None
    """The booking code, for a ticket a booked citizen checked in for."""
    identity: bool = False
    """Taken with a CCCD or VNeID code (shown at the counter as "Đã xác thực CCCD")."""
    settled_on: date | None = None
    """At issue, past the field's cut-off: the working day its dossier is settled."""

    def field_label(self, lang: str) -> str:
        return self.field_name_en if lang == "en" and self.field_name_en else self.field_name


@dataclass(frozen=True, slots=True)
class ProcedureView(Labelled, JsonView):
    code: str
    name: str
    name_en: str


@dataclass(frozen=True, slots=True)
class FieldView(Labelled, JsonView):
    code: str
    name: str
    name_en: str
    prefix: str | None
    block: int | None
    daily_cap: int | None
    minutes: float
    closed_reason: str | None
    procedures: list[ProcedureView]
    counters: list[str]


@dataclass(frozen=True, slots=True)
class CounterView(Labelled, JsonView):
    code: str
    name: str
    name_en: str
    fields: list[str]
    paused_reason: str | None
    current: TicketView | None = None
    short_name: str = ""
    """The TV tile's name (the hall's `short_name`); empty: the name."""
    short_name_en: str = ""
    outside_hours: bool = False
    """Outside its own opening window while the centre is open (it may still call)."""

    def short_label(self, lang: str) -> str:
        short = self.short_name_en if lang == "en" and self.short_name_en else self.short_name
        return short or self.label(lang)


@dataclass(frozen=True, slots=True)
class NamedView(Labelled, JsonView):
    code: str
    name: str
    name_en: str


@dataclass(frozen=True, slots=True)
class CatalogView(JsonView):
    site: str
    site_name: str
    fields: list[FieldView]
    counters: list[CounterView]
    priorities: list[NamedView]
    rating_levels: list[NamedView]


@dataclass(frozen=True, slots=True)
class CallView(JsonView):
    number: str
    counter: str
    kind: str
    at: datetime
    booked: bool = False
    """A booked citizen's ticket: the board says so."""


@dataclass(frozen=True, slots=True)
class FieldQueueView(Labelled, JsonView):
    field: str
    name: str
    name_en: str
    waiting: int
    eta_minutes: int | None
    state: str
    """open, or why tickets cannot be issued now: closed, capped (daily cap), no_counter."""
    reason: str | None
    """The reason given for an emergency closure."""
    opens: datetime | None = None
    """With no_counter because every counter of the field is outside its own window: when
    the first opens again (the centre's local time)."""

    @property
    def available(self) -> bool:
        return self.state == "open"

    def why_not(self, lang: str, today: date, *, short: bool = False) -> str:
        """What the kiosk says of a field it issues no ticket for now: the closure's reason,
        when its counters' own hours open again (`short`: in fewer words), or the state in
        words."""
        if self.reason:
            return self.reason
        if self.opens is not None:
            return opens_words(self.opens, today, lang, short=short)
        return field_state_word(self.state, lang)


@dataclass(frozen=True, slots=True)
class BoardView(JsonView):
    site_name: str
    counters: list[CounterView]
    recent_calls: list[CallView]
    waiting: list[FieldQueueView]
    printer_failed: str | None
    last_event_id: int
    at: datetime = field(default_factory=lambda: datetime.min)


@dataclass(frozen=True, slots=True)
class DayClosedView(JsonView):
    day: date
    expired: int
    carried_over: int
    still_serving: list[str]
    bookings_missed: int = 0
    next_open: date | None = None
    """The next working day, by the centre's calendar: when carried-over tickets are called."""


@dataclass(frozen=True, slots=True)
class LoadedView(JsonView):
    site: str
    fields: int
    procedures: int
    counters: int
    deactivated: list[str]
    warnings: list[str]


@dataclass(frozen=True, slots=True)
class CounterFiguresView(JsonView):
    counter: str
    served: int
    no_shows: int
    average_service_minutes: float | None
