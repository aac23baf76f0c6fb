"""Provides the centre's calendar as rules: whether a local day is open and with which hours,
why a closed day is closed, and the next open day. Pure: the public holidays, the hall's own
days and an administrator's changes come in from the layers above.

Precedence, strongest first: a day set by an administrator (`calendar close|open`), then the
hall's `[calendar]` closed and make-up days, then the public holidays, then the week's hours.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from queue_kiosk.domain.errors import Invalid
from queue_kiosk.wording import Both

Span = tuple[time, time]
Week = Sequence[Sequence[Span]]
"""Seven days of opening periods, Monday first."""
HORIZON_DAYS = 400
"""How far `next_open` looks: past a whole year's holidays, never forever."""


class SpanError(Invalid):
    """What is wrong with a span of hours."""

    def __init__(self, key: str, span: str) -> None:
        super().__init__(key, span=span)


def parse_span(span: str) -> Span:
    """'07:30-11:30' as two times; raises SpanError with what is wrong."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})", span.strip())
    if not match:
        raise SpanError("hours.shape", span)
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
        raise SpanError("hours.no_time", span)
    start = time(h1, m1)
    end = time.max if h2 == 24 else time(h2, m2)
    if end <= start:
        raise SpanError("hours.reversed", span)
    return start, end


def check_spans(spans: Sequence[str]) -> list[Span]:
    """The periods of a day, in order and apart; raises SpanError naming the bad one."""
    periods = [parse_span(span) for span in spans]
    for (_, end), span, (start, _) in zip(periods, spans[1:], periods[1:], strict=False):
        if start < end:
            raise SpanError("hours.overlap", span)
    return periods


def overlap(ours: Sequence[Span], theirs: Sequence[Span]) -> tuple[Span, ...]:
    """The times both lists of periods cover, in order."""
    return tuple((max(a, c), min(b, d)) for a, b in ours for c, d in theirs
                 if max(a, c) < min(b, d))


def covers(periods: Sequence[Span], start: time, end: time) -> bool:
    """Whether one of `periods` holds the whole span from `start` to `end`."""
    return any(first <= start and end <= last for first, last in periods)


def describe(periods: Sequence[Span]) -> str:
    """07:30-11:30, 13:30-17:00 (— for none)."""
    return ", ".join(f"{start:%H:%M}-{_hhmm(end)}" for start, end in periods) or "—"


def _hhmm(at: time) -> str:
    return "24:00" if at == time.max else f"{at:%H:%M}"


class Kind(StrEnum):
    OPEN = "open"
    """A working day by the week's hours."""
    EXTRA = "extra"
    """Open although the week or a holiday would close it: a make-up day (làm bù)."""
    HOLIDAY = "holiday"
    CLOSED = "closed"
    """Closed by the hall or an administrator, with a reason."""
    WEEKLY = "weekly"
    """No hours that weekday (a Sunday)."""


@dataclass(frozen=True, slots=True)
class Change:
    """A day set apart from the week and the holidays: closed with a reason, or open."""

    open: bool
    reason: str = ""
    periods: tuple[Span, ...] = ()
    """An open day's hours; none: a working weekday's."""


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    periods: tuple[Span, ...]
    kind: Kind
    reason: Both
    """Why a closed day is closed (the holiday's name, the hall's reason); why an extra day
    is open. Empty for an ordinary day."""

    @property
    def open(self) -> bool:
        return bool(self.periods)

    @property
    def opens(self) -> time | None:
        return self.periods[0][0] if self.periods else None

    def open_at(self, at: time) -> bool:
        return any(start <= at < end for start, end in self.periods)

    def hours(self) -> str:
        return describe(self.periods)


class Calendar:
    """The open days of one centre."""

    def __init__(self, weekly: Sequence[Sequence[Span]], *,
                 holiday: Callable[[date], Both | None] = lambda _: None,
                 make_up: Callable[[date], Both | None] = lambda _: None,
                 changes: Mapping[date, Change] | None = None,
                 cutoffs: Mapping[str, time] | None = None) -> None:
        self.weekly = [tuple(periods) for periods in weekly]
        self.holiday = holiday
        self.make_up = make_up
        self.changes = dict(changes or {})
        self.cutoffs = dict(cutoffs or {})
        # A make-up day without its own hours keeps those of an ordinary working day.
        self.workday = next((p for p in self.weekly[:5] if p), ())

    def day(self, day: date) -> Day:
        change = self.changes.get(day)
        usual = self.weekly[day.weekday()]
        if change is not None and not change.open:
            return Day(day, (), Kind.CLOSED, Both(change.reason, change.reason))
        name = self.holiday(day)
        if change is not None:
            kind = Kind.OPEN if usual and name is None else Kind.EXTRA
            return Day(day, change.periods or (usual or self.workday), kind,
                       Both(change.reason, change.reason))
        if name is not None:
            return Day(day, (), Kind.HOLIDAY, name)
        worked = None if usual else self.make_up(day)
        if worked is not None:
            return Day(day, self.workday, Kind.EXTRA, worked)
        return Day(day, usual, Kind.OPEN if usual else Kind.WEEKLY, Both("", ""))

    def days(self, first: date, count: int) -> list[Day]:
        return [self.day(first + timedelta(days=n)) for n in range(count)]

    def next_open(self, after: date) -> Day | None:
        """The first open day after `after`; None when none is in sight (a hall whose week
        has no hours)."""
        for n in range(1, HORIZON_DAYS + 1):
            found = self.day(after + timedelta(days=n))
            if found.open:
                return found
        return None

    def working_days(self, first: date, last: date) -> int:
        """The open days from `first` to `last`, both included."""
        return sum(self.day(first + timedelta(days=n)).open
                   for n in range((last - first).days + 1))

    def open_at(self, moment: datetime) -> bool:
        """`moment` in the centre's local time."""
        return self.day(moment.date()).open_at(moment.time())

    def periods_of(self, found: Day, week: Week) -> tuple[Span, ...]:
        """The periods on `found` (a day of this calendar) of a counter keeping its own
        `week`: its hours that weekday, or on a day the week closes that is worked anyway (a
        make-up day), those of its first working weekday, as the centre takes its own; either
        within the day's hours (a day opened with shorter hours shortens the counter's)."""
        weekday = found.day.weekday()
        own = week[weekday] if self.weekly[weekday] else next((p for p in week[:5] if p), ())
        return overlap(own, found.periods)

    def settled_on(self, field: str, moment: datetime) -> Day | None:
        """The day a dossier of `field` received at `moment` (local) is settled, when that
        is not the same day: received after the field's cut-off."""
        cutoff = self.cutoffs.get(field)
        if cutoff is None or moment.time() < cutoff:
            return None
        return self.next_open(moment.date())


class Windows:
    """The counters keeping hours of their own within the centre's, at `moment` (local):
    which are outside their window while the centre is open, when each window began and
    when one opens next. A counter outside its window still calls (an official at the desk
    serves); the window steers citizens' expectations: a field, its estimates, its
    bookings."""

    def __init__(self, calendar: Calendar, weeks: Mapping[int, Week],
                 moment: datetime) -> None:
        self.calendar, self.weeks, self.moment = calendar, dict(weeks), moment
        today = calendar.day(moment.date())
        at = moment.time()
        self.periods = {counter: calendar.periods_of(today, week)
                        for counter, week in self.weeks.items()}
        # While the centre is closed (lunch, a holiday) a window closes nothing more.
        self.closed = frozenset(
            counter for counter, periods in self.periods.items()
            if today.open_at(at) and not any(start <= at < end for start, end in periods))

    def since(self, counter: int) -> datetime | None:
        """When the window `counter` is in began (None for one following the centre's
        hours, or outside its window)."""
        at = self.moment.time()
        return next((datetime.combine(self.moment.date(), start, self.moment.tzinfo)
                     for start, end in self.periods.get(counter, ()) if start <= at < end),
                    None)

    def opens(self, counters: Iterable[int]) -> datetime | None:
        """The first moment after now at which one of `counters` (each keeping its own
        hours) is in its window; None when none opens within HORIZON_DAYS."""
        weeks = [self.weeks[c] for c in counters if c in self.weeks]
        if not weeks:
            return None
        for n in range(HORIZON_DAYS + 1):
            found = self.calendar.day(self.moment.date() + timedelta(days=n))
            starts = [start for week in weeks
                      for start, _ in self.calendar.periods_of(found, week)
                      if n or start > self.moment.time()]
            if starts:
                return datetime.combine(found.day, min(starts), self.moment.tzinfo)
        return None


def why(day: Day) -> Both:
    """" (Quốc khánh)": a closed day's reason as it follows the day's name; "" for none."""
    reason = day.reason
    if not reason.vi or day.open:
        return Both("", "")
    return Both(f" ({reason.vi})", f" ({reason.en or reason.vi})")


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why nobody is received at a moment: a wording key and its parameters."""

    key: str
    params: dict[str, object]


def refusal(calendar: Calendar, moment: datetime) -> Refusal | None:
    """What a citizen is told at `moment` (local) when the centre receives nobody then:
    what today is and when to come back. None when it is open."""
    today = calendar.day(moment.date())
    at = moment.time()
    if today.open_at(at):
        return None
    later = [start for start, _ in today.periods if start > at]
    if later:
        return Refusal("calendar.later_today", {"opens": f"{later[0]:%H:%M}",
                                                "hours": today.hours()})
    following = calendar.next_open(today.day)
    params: dict[str, object] = {"day": today.day, "why": why(today)}
    if following is None:
        return Refusal("calendar.closed_no_next" if not today.open else "calendar.over_no_next",
                       params)
    params |= {"next": following.day, "opens": f"{following.opens:%H:%M}"}
    return Refusal("calendar.closed_today" if not today.open else "calendar.over_today",
                   params)
