"""Provides identity at the kiosk and the counter: a card read (`domain.identity`) becomes a
keyed hash and an "aged" flag, the one claim `QueueService.issue` makes inside the ticket's
own transaction against the hall's per-person limits, and the holder's check at the counter.

Kept: HMAC-SHA256 of the ID number under a per-site key (a file outside the database, mode
0600, made at `init`; every kiosk of a networked hall needs the same file) and which ticket
it took; never the number, the name, the address, the QR text or an image. Nothing of it goes
into events, the notification hook, reports or pages; close-day deletes it all."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from sqlalchemy import Connection, delete, select, text, update

from queue_kiosk.config.identity import IdentityConfig
from queue_kiosk.config.paths import data_dir
from queue_kiosk.config.settings import Settings
from queue_kiosk.domain.errors import IllegalTransition, Refused, StoreError
from queue_kiosk.domain.identity import read_card
from queue_kiosk.domain.views import TicketView
from queue_kiosk.service.catalog import FieldInfo
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.db import sqlite_path
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import (
    BOOKING_HELD,
    booking_t,
    identity_ticket_t,
    identity_use_t,
    ticket_t,
)

KEY_FILE = "identity.key"
WHOLE_DAY = "*"
Holder = Literal["match", "mismatch", "unverified"]


def key_path(db_url: str, configured: str = "") -> Path:
    """Where the key is: as configured (QUEUE_KIOSK_IDENTITY_KEY), else next to a SQLite
    database, else in the user's data directory."""
    if configured:
        return Path(configured).expanduser()
    database = sqlite_path(db_url)
    return (database.parent if database is not None else data_dir()) / KEY_FILE


def make_key(path: Path) -> bool:
    """A new random key at `path`, readable by its owner only; False where one exists (it
    is never replaced: the day's hashes would no longer match)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_hex(32) + "\n")
    return True


def load_key(path: Path) -> bytes:
    try:
        key = bytes.fromhex(path.read_text().strip())
    except (OSError, ValueError):
        raise StoreError("identity.no_key", path=str(path)) from None
    if len(key) < 16:
        raise StoreError("identity.no_key", path=str(path))
    return key


@dataclass(frozen=True)
class Identified:
    """A citizen identified by their card: `issue` claims a number for them in the ticket's
    own transaction (`claim`), then records which ticket it was (`link`)."""

    person: str = field(repr=False)
    """The keyed hash of the ID number."""
    aged: bool
    """Of the elderly age on the day read (see `domain.identity.Card.age`)."""
    site_id: int
    settings: IdentityConfig = field(repr=False)
    store: Store = field(repr=False, compare=False)

    def offered_priority(self) -> str | None:
        """The priority offered, pre-selected, to a citizen of the elderly age."""
        return self.settings.elderly_priority if self.aged else None

    def claim(self, conn: Connection, field: FieldInfo, day: date) -> None:
        """One more number for this person in each of the field's scopes, where each is
        still below its limit; else `Refused`, naming the numbers already held."""
        for scope, limit in self.settings.limits(field.code).items():
            key = {"site_id": self.site_id, "day": day, "person": self.person, "scope": scope}
            conn.execute(self.store.insert(identity_use_t).values(**key, used=0)
                         .on_conflict_do_nothing())
            taken = conn.execute(update(identity_use_t).where(
                *(identity_use_t.c[name] == value for name, value in key.items()),
                identity_use_t.c.used < limit).values(used=identity_use_t.c.used + 1))
            if taken.rowcount != 1:
                raise self._held(conn, field, day, scope, limit)

    def check_booking(self, conn: Connection, field: FieldInfo, day: date) -> None:
        """`Refused` where this person holds a live booking of `field` on `day` already."""
        held = conn.execute(select(booking_t.c.code).where(
            booking_t.c.site_id == self.site_id, booking_t.c.day == day,
            booking_t.c.field_id == field.id, booking_t.c.person == self.person,
            text(BOOKING_HELD))).scalar()
        if held is not None:
            raise Refused("identity.booked", code=held, field=field.name,
                          day=f"{day:%d/%m/%Y}")

    def link(self, conn: Connection, ticket_id: int, field: FieldInfo, day: date) -> None:
        conn.execute(identity_ticket_t.insert().values(
            ticket_id=ticket_id, site_id=self.site_id, day=day, person=self.person,
            field_id=field.id))

    def _held(self, conn: Connection, field: FieldInfo, day: date, scope: str,
              limit: int) -> Refused:
        held = select(ticket_t.c.number).join(
            identity_ticket_t, identity_ticket_t.c.ticket_id == ticket_t.c.id).where(
            identity_ticket_t.c.site_id == self.site_id, identity_ticket_t.c.day == day,
            identity_ticket_t.c.person == self.person).order_by(ticket_t.c.id)
        if scope == WHOLE_DAY:
            numbers = conn.execute(held).scalars().all()
            return Refused("identity.held_day", limit=limit, numbers=", ".join(numbers))
        number = conn.execute(held.where(identity_ticket_t.c.field_id == field.id)).scalar()
        return Refused("identity.held_field", number=number or "?", field=field.name)


class Identities:
    """Cards read at one site's kiosks and counters, hashed under the site's key."""

    def __init__(self, service: QueueService, key: bytes) -> None:
        self.service = service
        self.key = key

    @classmethod
    def on_this_machine(cls, service: QueueService, configured: str | None = None) -> Identities:
        """With the key file of this machine (`key_path`; `configured` None: as this
        process's settings say), read now: one copied in later is taken without a restart."""
        if configured is None:
            configured = Settings.from_env().identity_key
        return cls(service, load_key(key_path(service.store.url, configured)))

    @property
    def settings(self) -> IdentityConfig:
        return self.service.catalog.hall.identity

    def read(self, text: str) -> Identified:
        """The citizen of a scanned QR or a typed number; `Refused` in one sentence for
        anything else, or where the hall reads no cards."""
        if not self.settings.enabled:
            raise Refused("identity.off")
        card = read_card(text, self.service.today())
        return Identified(self._hash(card.number), card.aged(self.service.today(),
                                                              self.settings.elderly_age),
                          self.service.site_id, self.settings, self.service.store)

    def offered_priority(self, identified: Identified) -> str | None:
        return identified.offered_priority()

    def holder(self, ticket: TicketView, text: str) -> Holder:
        """Whether the card scanned at the counter is the one `ticket` was taken with."""
        person = self.read(text).person
        with self.service.store.read() as conn:
            held = conn.execute(select(identity_ticket_t.c.person).where(
                identity_ticket_t.c.ticket_id == ticket.id)).scalar()
        if held is None:
            return "unverified"
        return "match" if hmac.compare_digest(held, person) else "mismatch"

    def current_holder(self, counter: str, text: str) -> tuple[TicketView, Holder]:
        """`holder` for the ticket a counter has called."""
        current = self.service.current(counter)
        if current is None:
            raise IllegalTransition("counter.idle", counter=counter)
        return current, self.holder(current, text)

    def _hash(self, number: str) -> str:
        # The site in the message: one key file serving two sites gives unrelated hashes.
        message = f"{self.service.site_id}:{number}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()


def forget(service: QueueService, day: date) -> int:
    """Deletes the identity hashes of `day` and before (close-day); returns how many
    tickets had one."""
    with service.store.write() as conn:
        site = service.site_id
        conn.execute(delete(identity_use_t).where(identity_use_t.c.site_id == site,
                                                  identity_use_t.c.day <= day))
        return int(conn.execute(delete(identity_ticket_t).where(
            identity_ticket_t.c.site_id == site, identity_ticket_t.c.day <= day)).rowcount)
