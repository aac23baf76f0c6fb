"""Provides the centre's calendar over the store: the week's hours, the public holidays, the
hall's `[calendar]` and the days an administrator closed or opened (`calendar close|open`,
kept per site in `calendar_day`), as one `Calendar` (built in `opening`); and the refusal a
closed moment gets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import Connection, delete, insert

from queue_kiosk.domain.calendar import Calendar, Day, SpanError, check_spans, refusal, why
from queue_kiosk.domain.errors import Refused
from queue_kiosk.domain.views import TicketView
from queue_kiosk.service.opening import centre_calendar, forget_set_days
from queue_kiosk.service.reading import QueueReader
from queue_kiosk.store.tables import calendar_day_t
from queue_kiosk.wording import say


class CentreCalendar:
    """The open days of the service's site."""

    def __init__(self, service: QueueReader) -> None:
        self.service = service

    def calendar(self, conn: Connection | None = None) -> Calendar:
        """The calendar as it stands now (reads the administrator's days in `conn`, or in a
        transaction of its own)."""
        if conn is None:
            with self.service.store.read() as own:
                return self.calendar(own)
        return centre_calendar(conn, self.service.catalog, self.service)

    def check_open(self, conn: Connection, now: datetime) -> None:
        """Refuses when the centre receives nobody at `now`, saying what today is and when
        to come back; the hall's `hours.enforce = false` receives at any time."""
        if not self.service.catalog.hall.hours.enforce:
            return
        refused = refusal(self.calendar(conn), now.astimezone(self.service.catalog.tz))
        if refused is not None:
            raise Refused(refused.key, **refused.params)

    def check_day(self, day: date) -> Day:
        """`day` if the centre works then; else refuses, naming it and the next open day."""
        calendar = self.calendar()
        found = calendar.day(day)
        if found.open:
            return found
        following = calendar.next_open(day)
        raise Refused("calendar.closed_day", day=day, why=why(found),
                      next=following.day if following else "—")

    def settled_on(self, ticket: TicketView, conn: Connection | None = None) -> date | None:
        """The working day `ticket`'s dossier is settled, when its field's cut-off had
        passed at issue; None for the same day."""
        issued = ticket.issued_at.astimezone(self.service.catalog.tz)
        later = self.calendar(conn).settled_on(ticket.field, issued)
        return later.day if later else None

    def days(self, first: date, count: int) -> list[Day]:
        return self.calendar().days(first, count)

    def set_day(self, day: date, *, open_: bool, reason: str = "",
                hours: list[str] | None = None) -> Day:
        """Close `day` (with its reason) or open it (with `hours`, else an ordinary
        working day's); it replaces what the hall or an earlier change said of that day."""
        spans = hours or []
        try:
            check_spans(spans)
        except SpanError as exc:
            raise Refused("calendar.bad_hours", hours=",".join(spans), detail=exc.said) \
                from None
        forget_set_days(self.service)
        with self.service.write() as conn:
            site = self.service.site_id
            conn.execute(delete(calendar_day_t).where(calendar_day_t.c.site_id == site,
                                                      calendar_day_t.c.day == day))
            conn.execute(insert(calendar_day_t).values(
                site_id=site, day=day, open=open_, hours=",".join(spans), reason=reason,
                changed_at=self.service.clock.now()))
            forget_set_days(self.service)
            return self.calendar(conn).day(day)

    def working_days(self, first: date, last: date) -> int:
        return self.calendar().working_days(first, last)

    def last_working_days(self, count: int, before: date) -> list[date]:
        """The last `count` open days before `before` (a planner's averaging window),
        looking back no further than a year."""
        calendar = self.calendar()
        found: list[date] = []
        day = before
        while len(found) < count and (before - day).days < 366:
            day -= timedelta(days=1)
            if calendar.day(day).open:
                found.append(day)
        return found


def with_settled_on(service: QueueReader, ticket: TicketView) -> TicketView:
    """The ticket with the day its dossier is settled when received after its field's
    cut-off (set at issue; a reprint works it out from the ticket's time of issue)."""
    if ticket.settled_on is not None or ticket.field not in service.catalog.hall.calendar.cutoff:
        return ticket
    return replace(ticket, settled_on=CentreCalendar(service).settled_on(ticket))


def settled_words(cutoffs: Mapping[str, str], ticket: TicketView, lang: str) -> str | None:
    """What the kiosk and the paper say of a dossier received after its field's cut-off."""
    cutoff = cutoffs.get(ticket.field)
    if cutoff is None or ticket.settled_on is None:
        return None
    return say("calendar.settled_next", lang, cutoff=cutoff, day=ticket.settled_on)

