"""Provides bookings (lịch hẹn): a citizen books a slot of a field on a working day, holds a
short code, and checks in with it at the kiosk for a ticket like any other.

Rules:
- Slots: each opening window of the day cut into `appointments.slot_minutes`; a slot holds
  `share` × (the field's counters × slot minutes ÷ its service minutes) bookings, rounded
  down, counting only the counters whose own window (if they keep one) covers the slot;
  `daily_cap` bounds a field's day. Booking closes `cutoff_minutes` before a slot.
- The database keeps the count: a booking raises a slot's `booked` only where it is still
  below its capacity (and the day's, on the row of slot "*"), in the booking's transaction,
  so no slot is ever overbooked, whatever the concurrency.
- Check-in is open from `early_minutes` before the slot to `late_minutes` after its start.
  The ticket's place in line is the slot's start: a citizen who booked 09:00 stands behind
  those who came before 09:00 and ahead of those who came after, early or late within the
  window. Later, the booking is marked missed and the citizen takes a normal ticket.
- A phone number is optional, shown nowhere but the staff's list, and deleted
  `keep_days` after the booking's day (Decree 13/2023/NĐ-CP on personal data).
"""

from __future__ import annotations

import math
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Row, or_, select, text, update

from queue_kiosk.config.hall import AppointmentsConfig
from queue_kiosk.domain.calendar import covers
from queue_kiosk.domain.clock import local_day
from queue_kiosk.domain.dates import today_or
from queue_kiosk.domain.errors import IllegalTransition, NotFound, Refused
from queue_kiosk.domain.models import BookingStatus
from queue_kiosk.domain.text import nfc
from queue_kiosk.domain.views import JsonView, TicketView
from queue_kiosk.service import notify
from queue_kiosk.service.calendar import CentreCalendar
from queue_kiosk.service.catalog import FieldInfo
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.identity import Identified
from queue_kiosk.store.tables import (
    BOOKING_HELD,
    booking_slot_t,
    booking_t,
    field_t,
    procedure_t,
    ship_map_t,
    ticket_t,
)

CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
"""No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud on the phone or copied from paper."""
CODE_LENGTH = 6
"""25⁶ ≈ 244 million codes: guessing one that exists takes millions of tries."""
WHOLE_DAY = "*"
"""The `booking_slot` row that counts a field's whole day against `daily_cap`."""


@dataclass(frozen=True, slots=True)
class SlotView(JsonView):
    slot_start: str
    slot_end: str
    capacity: int
    booked: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)


@dataclass(frozen=True, slots=True)
class BookingView(JsonView):
    code: str
    field: str
    field_name: str
    field_name_en: str
    procedure: str | None
    date: date
    slot_start: str
    slot_end: str
    status: str
    ticket: str | None = None
    """The number of the ticket checked in for."""
    phone: str | None = None
    """Only in the staff's list; never on a page or the board."""

    def field_label(self, lang: str) -> str:
        return self.field_name_en if lang == "en" and self.field_name_en else self.field_name


@dataclass(frozen=True)
class Booked:
    """A booking being checked in: `QueueService.issue` claims it in the ticket's own
    transaction (two kiosks scanning one code: the second finds it taken) and links it."""

    code: str
    site_id: int
    slot_start: datetime
    """The ticket's place in line."""

    def claim(self, conn: Connection, now: datetime) -> None:
        claimed = conn.execute(update(booking_t).where(
            booking_t.c.site_id == self.site_id, booking_t.c.code == self.code,
            booking_t.c.status == BookingStatus.BOOKED).values(
            status=BookingStatus.CHECKED_IN, changed_at=now))
        if claimed.rowcount != 1:
            raise IllegalTransition("booking.used", code=self.code)

    def link(self, conn: Connection, ticket_id: int) -> None:
        conn.execute(update(booking_t).where(booking_t.c.site_id == self.site_id,
                                             booking_t.c.code == self.code)
                     .values(ticket_id=ticket_id))


def give_back_room(conn: Connection, site_id: int, field_id: int, day: date,
                   slot: str) -> None:
    """A cancelled booking's place, in its slot and in its day's cap."""
    for each in (slot, WHOLE_DAY):
        conn.execute(update(booking_slot_t).where(
            booking_slot_t.c.site_id == site_id, booking_slot_t.c.field_id == field_id,
            booking_slot_t.c.day == day, booking_slot_t.c.slot == each,
            booking_slot_t.c.booked > 0).values(booked=booking_slot_t.c.booked - 1))


def slot_times(periods: list[tuple[time, time]], minutes: int) -> list[tuple[time, time]]:
    """The whole slots of `minutes` in each opening window, from its start."""
    out = []
    for start, end in periods:
        at = datetime.combine(date.min, start)
        while (at + timedelta(minutes=minutes)).time() <= end and \
                at + timedelta(minutes=minutes) > at:
            out.append((at.time(), (at + timedelta(minutes=minutes)).time()))
            at += timedelta(minutes=minutes)
            if at.time() < start:  # past midnight
                break
    return out


def normal_code(text: str) -> str:
    """A code as typed or scanned: case, spaces and dashes do not matter, and a scanned QR
    of the booking's page (`…/b/CODE`) is its code."""
    text = nfc(text).strip()
    if "/b/" in text:
        text = text.rsplit("/b/", 1)[1].split("?")[0].strip("/")
    return re.sub(r"[\s-]", "", text).upper()


def normal_phone(text: str) -> str:
    """A Vietnamese phone number as typed (full-width digits, spaces, dots, dashes, +84 or
    0084) in the one form the store keeps and the hook receives: ten ASCII digits from 0
    ("0901234567"), as staff read and dial it. Anything else is refused: other digits
    (Arabic-Indic, say) are not turned into ASCII ones."""
    plain = re.sub(r"[\s.()-]", "", unicodedata.normalize("NFKC", text))
    national = re.sub(r"^(?:\+|00)84", "0", plain)
    if not re.fullmatch(r"0[0-9]{9}", national) or national.startswith("00"):
        raise Refused("booking.phone", phone=text.strip()[:30])
    return national


class Appointments:
    """Bookings of one site, over the queue service (its store, clock and catalogue)."""

    def __init__(self, service: QueueService) -> None:
        self.service = service

    @property
    def settings(self) -> AppointmentsConfig:
        return self.service.catalog.hall.appointments

    def per_slot(self, field: FieldInfo, counters: int) -> float:
        """Citizens of `field` so many of its counters serve in one slot, times the booked
        share."""
        settings = self.settings
        return settings.share * counters * settings.slot_minutes / max(field.minutes, 0.5)

    def rooms(self, field: FieldInfo, day: date) -> list[tuple[time, time, int]]:
        """Each slot of `day` with the bookings it holds: the share of the counters serving
        `field` whose window covers the slot (a counter keeping hours of its own counts in
        its window only), spread over the day in whole citizens (0.75 a slot gives 0, 1, 1,
        1, 0, 1, …), so that a field served in 12 minutes still takes bookings in 30-minute
        slots."""
        calendar = CentreCalendar(self.service).calendar()
        found = calendar.day(day)
        counters = self.service.catalog.counters_for(field.id)
        own = [calendar.periods_of(found, c.hours) for c in counters if c.hours is not None]
        times = slot_times(list(found.periods), self.settings.slot_minutes)
        serving = [len(counters) - len(own) + sum(covers(periods, start, end) for periods in own)
                   for start, end in times]

        def share(slots: int) -> float:
            # Grouped by counters serving: a day without windows multiplies one share by
            # the slots, as before windows, rather than adding it up slot by slot.
            return sum(self.per_slot(field, n) * serving[:slots].count(n)
                       for n in set(serving[:slots]))
        return [(start, end, math.floor(share(index + 1)) - math.floor(share(index)))
                for index, (start, end) in enumerate(times)]

    def _instant(self, day: date, at: time) -> datetime:
        return datetime.combine(day, at, tzinfo=self.service.catalog.tz)

    def slots(self, what: str, day: date,
              booked: dict[str, int] | None = None) -> list[SlotView]:
        """The slots of a field on `day` that can still be booked, with their room
        (`booked`: the day's counts per slot, when the caller read them already)."""
        field, _ = self.service.catalog.field(what)
        rooms = self._check_day(field, day)
        if booked is None:
            booked = self._booked(field, day, day).get(day, {})
        if self._day_full(booked):
            return []  # whatever room its slots have
        now = self.service.clock.now()
        cutoff = timedelta(minutes=self.settings.cutoff_minutes)
        return [SlotView(f"{start:%H:%M}", f"{end:%H:%M}", room,
                         booked.get(f"{start:%H:%M}", 0))
                for start, end, room in rooms
                if self._instant(day, start) - cutoff >= now and room]

    def open_days(self, what: str) -> list[tuple[date, list[SlotView]]]:
        """The days `what` can still be booked, from today, each with its free slots."""
        today = self.service.today()
        last = today + timedelta(days=self.settings.days_ahead)
        booked = self._booked(self.service.catalog.field(what)[0], today, last)
        days = []
        for offset in range(self.settings.days_ahead + 1):
            day = today + timedelta(days=offset)
            try:
                free = [slot for slot in self.slots(what, day, booked.get(day, {}))
                        if slot.free > 0]
            except Refused:
                continue  # a closed day, or no room for bookings
            if free:
                days.append((day, free))
        return days

    def _day_full(self, booked: dict[str, int]) -> bool:
        cap = self.settings.daily_cap
        return cap is not None and booked.get(WHOLE_DAY, 0) >= cap

    def _booked(self, field: FieldInfo, first: date, last: date) -> dict[date, dict[str, int]]:
        """Bookings per day and slot of `field` from `first` to `last`, in one read."""
        out: dict[date, dict[str, int]] = {}
        with self.service.store.read() as conn:
            for day, slot, booked in conn.execute(
                    select(booking_slot_t.c.day, booking_slot_t.c.slot, booking_slot_t.c.booked)
                    .where(booking_slot_t.c.site_id == self.service.site_id,
                           booking_slot_t.c.field_id == field.id,
                           booking_slot_t.c.day.between(first, last))):
                out.setdefault(day, {})[slot] = booked
        return out

    def _check_day(self, field: FieldInfo, day: date) -> list[tuple[time, time, int]]:
        """Refuses a day `field` cannot be booked on; else its slots' rooms."""
        settings = self.settings
        if not settings.enabled:
            raise Refused("booking.disabled")
        today = self.service.today()
        if not today <= day <= today + timedelta(days=settings.days_ahead):
            raise Refused("booking.day", day=day, first=today_or(today, today),
                          last=today + timedelta(days=settings.days_ahead))
        CentreCalendar(self.service).check_day(day)
        rooms = self.rooms(field, day)
        if not any(room for _, _, room in rooms):
            raise Refused("booking.no_capacity", field=field.names)
        return rooms

    def book(self, what: str, day: date, at: str | None = None, *,
             phone: str | None = None, identity: Identified | None = None) -> BookingView:
        """Book `what` (a field or a procedure) on `day` at the slot starting `at` (HH:MM);
        without `at`, the first slot of the day with room: an online number for today.
        With `identity` (a card read), one live booking per person, field and day."""
        catalog = self.service.catalog
        field, procedure = catalog.field(what)
        phone = normal_phone(phone) if phone else None
        if self._day_full(self._booked(field, day, day).get(day, {})):
            raise Refused("booking.day_full", field=field.names, day=day,
                          cap=self.settings.daily_cap)
        open_slots = [s for s in self.slots(field.code, day) if s.free > 0 or at is not None]
        if at is not None:
            wanted = _hhmm(at)
            chosen = next((s for s in open_slots if s.slot_start == wanted), None)
            if chosen is None:
                raise Refused("booking.no_slot", time=wanted, day=day)
        elif not open_slots:
            raise Refused("booking.full", field=field.names, day=day)
        else:
            chosen = open_slots[0]
        with self.service.store.write() as conn:
            now = self.service.clock.now()
            self._purge(conn, now)
            if identity is not None:
                identity.check_booking(conn, field, day)  # a unique index backs it up
            if not self._reserve(conn, field, day, chosen.slot_start, chosen.capacity):
                raise Refused("booking.slot_full", time=chosen.slot_start, day=day)
            cap = self.settings.daily_cap
            if cap is not None and not self._reserve(conn, field, day, WHOLE_DAY, cap):
                raise Refused("booking.day_full", field=field.names, day=day,
                              cap=cap)
            code = self._new_code(conn)
            start = self._instant(day, time.fromisoformat(chosen.slot_start))
            inserted = conn.execute(self.service.store.insert(booking_t).values(
                site_id=self.service.site_id, code=code, field_id=field.id,
                procedure_id=procedure.id if procedure else None, day=day,
                slot=chosen.slot_start, slot_start=start,
                slot_end=self._instant(day, time.fromisoformat(chosen.slot_end)),
                status=BookingStatus.BOOKED, phone=phone, created_at=now, changed_at=now,
                near_sent=False, person=identity.person if identity else None,
                aged=identity.aged if identity else None).on_conflict_do_nothing(
                index_elements=["site_id", "day", "field_id", "person"],
                index_where=text(BOOKING_HELD)).returning(booking_t.c.id)).first()
            if inserted is None and identity is not None:
                # Another phone booked this person since `check_booking` read (PostgreSQL
                # lets both read; the index refuses the second): the refusal in words.
                identity.check_booking(conn, field, day)
            booked = self._view(conn, code)
            notify.enqueue(conn, self.service, notify.booking_event(
                "booked", booked.to_json(), phone), now)
        return booked

    def _reserve(self, conn: Connection, field: FieldInfo, day: date, slot: str,
                 capacity: int) -> bool:
        """One more booking on the slot's row if it has room; the row lock (PostgreSQL) or
        the writer lock (SQLite) serialises two bookings of one slot."""
        key = {"site_id": self.service.site_id, "field_id": field.id, "day": day, "slot": slot}
        conn.execute(self.service.store.insert(booking_slot_t).values(
            **key, booked=0, capacity=capacity).on_conflict_do_nothing())
        taken = conn.execute(update(booking_slot_t).where(
            *(booking_slot_t.c[name] == value for name, value in key.items()),
            booking_slot_t.c.booked < capacity).values(
            booked=booking_slot_t.c.booked + 1, capacity=capacity))
        return taken.rowcount == 1

    def _new_code(self, conn: Connection) -> str:
        while True:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if conn.execute(select(booking_t.c.id).where(booking_t.c.code == code)).first() \
                    is None:
                return code

    def cancel(self, code: str) -> BookingView:
        code = normal_code(code)
        with self.service.store.write() as conn:
            row = self._row(conn, code)
            if self._held_by_centre(conn, row.id):
                raise Refused("booking.held_by_centre", code=code)
            now = self.service.clock.now()
            if not self._leave_booked(conn, row.id, BookingStatus.CANCELLED, now):
                raise IllegalTransition("booking.not_booked", code=code,
                                        status=self._row(conn, code).status)
            # Only the cancel that changed the booking gives its place back.
            give_back_room(conn, row.site_id, row.field_id, row.day, row.slot)
            cancelled = self._view(conn, code)
            notify.enqueue(conn, self.service, notify.booking_event(
                "cancelled", cancelled.to_json(), row.phone), now)
        return cancelled

    def _held_by_centre(self, conn: Connection, booking_id: int) -> bool:
        """At a province: a local-first centre has this booking (it came back up from
        there), so what happens to it is the centre's to decide, not ours (one owner per
        fact, see docs/province.md)."""
        return conn.execute(select(ship_map_t.c.local_id).where(
            ship_map_t.c.code == self.service.catalog.site_code,
            ship_map_t.c.tbl == "booking", ship_map_t.c.province_id == booking_id)
        ).first() is not None

    def find(self, code: str) -> BookingView:
        with self.service.store.read() as conn:
            return self._view(conn, normal_code(code))

    def day_list(self, day: date) -> list[BookingView]:
        """The day's bookings in slot order, phone numbers included: the staff's list."""
        with self.service.store.read() as conn:
            codes = conn.execute(select(booking_t.c.code).where(
                booking_t.c.site_id == self.service.site_id, booking_t.c.day == day)
                .order_by(booking_t.c.slot_start, booking_t.c.id)).scalars().all()
            return [self._view(conn, code, with_phone=True) for code in codes]

    def window(self, booking: BookingView) -> tuple[str, str]:
        """When check-in opens and closes for `booking`, local HH:MM."""
        start = datetime.combine(booking.date, time.fromisoformat(booking.slot_start))
        return (f"{start - timedelta(minutes=self.settings.early_minutes):%H:%M}",
                f"{start + timedelta(minutes=self.settings.late_minutes):%H:%M}")

    def identity(self, code: str) -> Identified | None:
        """The citizen a booking was made for with their card, as its check-in claims them
        (None without a card, or where the hall reads no cards any more)."""
        with self.service.store.read() as conn:
            return self._identity(self._row(conn, normal_code(code)))

    def _identity(self, row: Row[Any]) -> Identified | None:
        settings = self.service.catalog.hall.identity
        if row.person is None or not settings.enabled:
            return None
        return Identified(row.person, bool(row.aged), row.site_id, settings,
                          self.service.store)

    def checkin(self, code: str, *, elderly: bool = True) -> TicketView:
        """The ticket for a booking, inside its check-in window. A booking made with a card
        gives a ticket taken with it, as a scan at the kiosk would: within the person's
        limits, verified at the counter, and with the elderly priority offered by the card
        unless `elderly` is False (the citizen declined it)."""
        code = normal_code(code)
        service = self.service
        with service.store.read() as conn:
            row = self._row(conn, code)
        if row.status != BookingStatus.BOOKED:
            raise IllegalTransition("booking.not_booked", code=code,
                                    status=row.status)
        now = service.clock.now()
        settings = self.settings
        opens = row.slot_start - timedelta(minutes=settings.early_minutes)
        closes = row.slot_start + timedelta(minutes=settings.late_minutes)
        local = service.catalog.tz
        if now < opens:
            raise Refused("booking.early", code=code, day=today_or(row.day, self.service.today()),
                          time=f"{opens.astimezone(local):%H:%M}")
        if now > closes:
            self._mark_missed(row.id, now)
            raise Refused("booking.late", code=code, time=f"{closes.astimezone(local):%H:%M}")
        identity = self._identity(row)
        priority = identity.offered_priority() if identity is not None and elderly else None
        return service.issue(self._what(row), booked=Booked(code, row.site_id, row.slot_start),
                             identity=identity, priority=priority)

    def _what(self, row: Row[Any]) -> str:
        """What a booking's ticket is for, by the catalogue (read again once where it does
        not know the booking's procedure or field: made since this process loaded it);
        refused where the hall no longer offers it."""
        for _ in range(2):
            catalog = self.service.catalog
            found = catalog.procedures.get(row.procedure_id) if row.procedure_id is not None \
                else catalog.fields.get(row.field_id)
            if found is not None:
                return found.code
            self.service.refresh()
        raise Refused("booking.gone", code=row.code)

    def _mark_missed(self, booking_id: int, now: datetime) -> None:
        with self.service.write() as conn:
            self._leave_booked(conn, booking_id, BookingStatus.MISSED, now)

    @staticmethod
    def _leave_booked(conn: Connection, booking_id: int, status: BookingStatus,
                      now: datetime) -> bool:
        """The guarded change out of "booked", as a ticket's: of two transactions that read
        the booking booked, the second changes nothing (PostgreSQL re-checks the WHERE once
        the first commits). True where this one changed it."""
        return conn.execute(update(booking_t).where(
            booking_t.c.id == booking_id, booking_t.c.status == BookingStatus.BOOKED)
            .values(status=status, changed_at=now)).rowcount == 1

    def end_of_day(self, day: date) -> int:
        """Bookings of `day` and before never checked in become missed (close-day), and old
        phone numbers go. Returns how many were missed."""
        with self.service.write() as conn:
            now = self.service.clock.now()
            self._purge(conn, now)
            return conn.execute(update(booking_t).where(
                booking_t.c.site_id == self.service.site_id, booking_t.c.day <= day,
                booking_t.c.status == BookingStatus.BOOKED).values(
                status=BookingStatus.MISSED, changed_at=now)).rowcount

    def _purge(self, conn: Connection, now: datetime) -> None:
        """Phone numbers and card hashes of bookings past `keep_days` are deleted (the
        booking stays, for the reports)."""
        before = local_day(now, self.service.catalog.tz) - timedelta(
            days=self.settings.keep_days)
        conn.execute(update(booking_t).where(
            booking_t.c.site_id == self.service.site_id, booking_t.c.day < before,
            or_(booking_t.c.phone.is_not(None), booking_t.c.person.is_not(None)))
            .values(phone=None, person=None, aged=None))

    def _row(self, conn: Connection, code: str) -> Row[Any]:
        row = conn.execute(select(booking_t).where(booking_t.c.site_id == self.service.site_id,
                                                   booking_t.c.code == code)).first()
        if row is None:
            raise NotFound("booking.unknown", code=code)
        return row

    def _view(self, conn: Connection, code: str, *, with_phone: bool = False) -> BookingView:
        row = conn.execute(
            select(booking_t, field_t.c.code.label("field_code"),
                   field_t.c.name.label("field_name"),
                   field_t.c.name_en.label("field_name_en"),
                   procedure_t.c.code.label("procedure_code"),
                   ticket_t.c.number.label("ticket_number"))
            .join(field_t, field_t.c.id == booking_t.c.field_id)
            .outerjoin(procedure_t, procedure_t.c.id == booking_t.c.procedure_id)
            .outerjoin(ticket_t, ticket_t.c.id == booking_t.c.ticket_id)
            .where(booking_t.c.site_id == self.service.site_id, booking_t.c.code == code)).first()
        if row is None:
            raise NotFound("booking.unknown", code=code)
        local = self.service.catalog.tz
        return BookingView(
            code=row.code, field=row.field_code, field_name=row.field_name,
            field_name_en=row.field_name_en,
            procedure=row.procedure_code, date=row.day,
            slot_start=f"{row.slot_start.astimezone(local):%H:%M}",
            slot_end=f"{row.slot_end.astimezone(local):%H:%M}", status=row.status,
            ticket=row.ticket_number, phone=row.phone if with_phone else None)


def _hhmm(text: str) -> str:
    """A time as staff type it ("9:00", "09:00", "9h00") in the HH:MM the slots use."""
    match = re.fullmatch(r"(\d{1,2})[:hH.](\d{2})", text.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise Refused("booking.time", time=text)
    return f"{int(match[1]):02d}:{match[2]}"
