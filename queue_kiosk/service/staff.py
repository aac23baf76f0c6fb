"""Provides staff accounts: slow salted PIN hashes, lockout after repeated failures."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Connection, Row, delete, insert, select, update

from queue_kiosk.domain.errors import IllegalTransition, NotFound, Refused
from queue_kiosk.domain.text import nfc
from queue_kiosk.domain.views import JsonView
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.tables import (
    counter_sign_in_t,
    counter_t,
    guard_t,
    staff_counter_t,
    staff_t,
)

MAX_FAILURES = 5
"""Wrong PINs in a row on one code that lock it for the client that typed them."""
ACCOUNT_FAILURES = 30
"""Wrong PINs on one account from all clients together that lock the account itself."""
LOCAL_CLIENT = "local"
# scrypt cost: tens of milliseconds a check, so guessing a PIN offline stays expensive.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
ROLES = ("official", "admin", "province")
READ_ONLY = "province"
"""The province's viewers: they sign in to the overview, never at a counter."""
PIN_RESET = "reset"
"""A PIN hash after an administrator reset it: no PIN matches it (it is no scrypt hash), and
the official's next sign-in sets the PIN they type, so the administrator never learns it."""


class NewPinNeeded(Refused):
    """The account's PIN was reset: the sign-in that asked for it (`ask_again`) must send the
    new PIN a second time, so that a slip of the finger does not become the PIN."""


@dataclass(frozen=True, slots=True)
class StaffView(JsonView):
    code: str
    name: str
    role: str
    counters: list[str]
    """Counter codes this person may use; empty means any."""
    active: bool
    locked_until: datetime | None


@dataclass(frozen=True, slots=True)
class CounterHolder:
    """The official signed in at a counter, and the screen they signed in from."""

    staff: str
    name: str
    session: str
    since: datetime


def hash_pin(pin: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    encoded = [base64.b64encode(part).decode() for part in (salt, digest)]
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), *encoded])


def check_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(pin.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r),
                               p=int(p))
    return hmac.compare_digest(candidate, base64.b64decode(digest))


def valid_pin(pin: str) -> bool:
    return pin.isdigit() and 4 <= len(pin) <= 12


def insert_staff(conn: Connection, site_id: int, code: str, name: str, pin: str, *,
                 role: str, counter_ids: set[int] | None = None) -> None:
    """One account, inside the caller's transaction (set-up adds the first administrator in
    the one that loads its centre). The code, name and PIN are checked already."""
    exists = conn.execute(select(staff_t.c.id).where(
        staff_t.c.site_id == site_id, staff_t.c.code == code)).first()
    if exists:
        raise Refused("staff.exists", code=code)
    staff_id = conn.execute(insert(staff_t).values(
        site_id=site_id, code=code, name=name, role=role, pin_hash=hash_pin(pin), active=True,
        failed_logins=0).returning(staff_t.c.id)).scalar_one()
    if counter_ids:
        conn.execute(insert(staff_counter_t), [
            {"staff_id": staff_id, "counter_id": c} for c in sorted(counter_ids)])


class StaffDirectory:
    """Staff accounts of one site."""

    def __init__(self, service: QueueService, lockout: timedelta | None = None) -> None:
        self.service = service
        self.lockout = lockout or timedelta(
            minutes=service.catalog.hall.counter.lockout_minutes)

    def add(self, code: str, name: str, pin: str, *, role: str = "official",
            counters: list[str] | None = None) -> StaffView:
        code, name = nfc(code).strip(), nfc(name).strip()
        self._check(code, name, pin, role, counters or [])
        allowed = {self.service.catalog.counter(c).id for c in counters or []}
        with self.service.write() as conn:
            insert_staff(conn, self.service.site_id, code, name, pin, role=role,
                         counter_ids=allowed)
        return self.get(code)

    def _check(self, code: str, name: str, pin: str, role: str, counters: list[str]) -> None:
        if not code or not name:
            raise Refused("staff.bad_field", field="code/name")
        if role not in ROLES:
            raise Refused("staff.bad_role", role=role)
        if not valid_pin(pin):
            raise Refused("staff.bad_pin")
        if role == READ_ONLY and counters:
            raise Refused("staff.read_only", code=code)
        for counter in counters:
            self.service.catalog.counter(counter)

    def get(self, code: str) -> StaffView:
        with self.service.store.read() as conn:
            row = conn.execute(select(staff_t).where(
                staff_t.c.site_id == self.service.site_id,
                staff_t.c.code == nfc(code).strip())).first()
            if row is None:
                raise NotFound("staff.unknown", code=code)
            return _views(conn, [row])[0]

    def all(self) -> list[StaffView]:
        with self.service.store.read() as conn:
            return _views(conn, conn.execute(select(staff_t).where(
                staff_t.c.site_id == self.service.site_id).order_by(staff_t.c.code)).all())

    def set_active(self, code: str, active: bool) -> StaffView:
        with self.service.write() as conn:
            self._update(conn, code, active=active)
        return self.get(code)

    def set_pin(self, code: str, pin: str) -> StaffView:
        """A new PIN, and the account unlocked."""
        if not valid_pin(pin):
            raise Refused("staff.bad_pin")
        return self.unlock(code, pin_hash=hash_pin(pin))

    def unlock(self, code: str, **values: object) -> StaffView:
        """The account unlocked, and no client locked out of it any more."""
        with self.service.write() as conn:
            self._update(conn, code, failed_logins=0, locked_until=None, **values)
            conn.execute(delete(guard_t).where(guard_t.c.site_id == self.service.site_id,
                                               guard_t.c.code == nfc(code).strip()))
        return self.get(code)

    def is_locked(self, view: StaffView) -> bool:
        return view.locked_until is not None and view.locked_until > self.service.clock.now()

    def has_admin(self) -> bool:
        """Whether anyone could unlock a locked kiosk."""
        with self.service.store.read() as conn:
            return conn.execute(select(staff_t.c.id).where(
                staff_t.c.site_id == self.service.site_id, staff_t.c.role == "admin",
                staff_t.c.active.is_(True))).first() is not None

    def _update(self, conn: Connection, code: str, **values: object) -> None:
        changed = conn.execute(update(staff_t).where(
            staff_t.c.site_id == self.service.site_id,
            staff_t.c.code == nfc(code).strip()).values(**values)).rowcount
        if changed != 1:
            raise NotFound("staff.unknown", code=code)

    def login(self, code: str, pin: str, *, role: str | None = None,
              client: str = LOCAL_CLIENT, ask_again: bool = False,
              pin_again: str | None = None) -> StaffView:
        """Check a PIN typed at `client` (a browser's address, or "local").

        After a reset the PIN typed becomes the account's; with `ask_again` only once it is
        sent again as `pin_again` (NewPinNeeded until then, a refusal if they differ).

        Every failure makes the client wait longer before its next try, whatever the code;
        five in a row on one code lock that code for that client for `lockout`; and
        ACCOUNT_FAILURES across all clients lock the account itself. Unknown codes are
        counted like real ones and every refusal reads alike, so codes cannot be probed, and
        someone on the hall's Wi-Fi cannot lock an official out of their own counter PC."""
        now = self.service.clock.now()
        # Cut to the columns' widths: an over-long code is simply unknown, and is counted.
        code, client = nfc(code).strip()[:32], client[:64]
        with self.service.store.write() as conn:
            whole = self._guard(conn, client, "")
            # A clock nobody moves (QUEUE_KIOSK_NOW) would make the back-off last forever.
            waits = getattr(self.service.clock, "advances", True)
            if waits and whole.blocked_until is not None and whole.blocked_until > now:
                raise Refused("staff.slow_down",
                              seconds=max(1, int((whole.blocked_until - now).total_seconds())))
            row = conn.execute(select(staff_t).where(
                staff_t.c.site_id == self.service.site_id, staff_t.c.code == code)).first()
            this = self._guard(conn, client, code)
            blocked = ((this.blocked_until is not None and this.blocked_until > now)
                       or (row is not None and row.locked_until is not None
                           and row.locked_until > now))
            # The same scrypt cost whatever the outcome, so timing tells nothing either.
            right = check_pin(pin, row.pin_hash if row is not None else _decoy())
            fresh = row is not None and row.pin_hash == PIN_RESET and valid_pin(pin)
            failure: Refused | None
            view: StaffView | None
            again = fresh and ask_again and row is not None and row.active and not blocked
            if again and pin_again != pin:
                # Nothing written: not a wrong PIN, and the account stays reset.
                failure, view = (NewPinNeeded("staff.new_pin") if pin_again is None
                                 else Refused("staff.pin_mismatch")), None
            elif (right or fresh) and row is not None and row.active and not blocked:
                if fresh:
                    conn.execute(update(staff_t).where(staff_t.c.id == row.id).values(
                        pin_hash=hash_pin(pin)))
                conn.execute(delete(guard_t).where(guard_t.c.site_id == self.service.site_id,
                                                   guard_t.c.client == client,
                                                   guard_t.c.code.in_(["", code])))
                conn.execute(update(staff_t).where(staff_t.c.id == row.id).values(
                    failed_logins=0))
                failure, view = None, _views(conn, [row])[0]
            else:
                self._count_failure(conn, client, "", whole.failures + 1,
                                    now + _client_delay(whole.failures + 1))
                failures = this.failures + 1
                self._count_failure(conn, client, code, failures,
                                    now + self.lockout if failures >= MAX_FAILURES else None)
                if row is not None:
                    total = row.failed_logins + 1
                    locked = total >= ACCOUNT_FAILURES
                    conn.execute(update(staff_t).where(staff_t.c.id == row.id).values(
                        failed_logins=0 if locked else total,
                        locked_until=now + self.lockout if locked else row.locked_until))
                failure, view = Refused("staff.bad_login", tries=MAX_FAILURES,
                                        minutes=_minutes(self.lockout)), None
        # Raised after the commit, so the failure count is kept.
        if failure is not None:
            raise failure
        assert view is not None
        if role == "admin" and view.role != "admin":
            raise IllegalTransition("staff.not_admin", code=view.code)
        if (role == READ_ONLY) != (view.role == READ_ONLY):
            raise IllegalTransition("staff.read_only" if view.role == READ_ONLY
                                    else "staff.not_province", code=view.code)
        return view

    def _guard(self, conn: Connection, client: str, code: str) -> _Guard:
        found = conn.execute(select(guard_t.c.failures, guard_t.c.blocked_until).where(
            guard_t.c.site_id == self.service.site_id, guard_t.c.client == client,
            guard_t.c.code == code)).first()
        return _Guard(0, None) if found is None else _Guard(found.failures, found.blocked_until)

    def _count_failure(self, conn: Connection, client: str, code: str, failures: int,
                       blocked_until: datetime | None) -> None:
        key = {"site_id": self.service.site_id, "client": client, "code": code}
        changed = conn.execute(update(guard_t).where(
            *(guard_t.c[name] == value for name, value in key.items())).values(
            failures=failures, blocked_until=blocked_until)).rowcount
        if changed == 0:
            conn.execute(insert(guard_t).values(**key, failures=failures,
                                                blocked_until=blocked_until))

    def holder(self, counter: str) -> CounterHolder | None:
        """Who is signed in at `counter` now, if anyone."""
        info = self.service.catalog.counter(counter)
        with self.service.store.read() as conn:
            row = conn.execute(
                select(staff_t.c.code, staff_t.c.name, counter_sign_in_t.c.session,
                       counter_sign_in_t.c.since)
                .join(staff_t, staff_t.c.id == counter_sign_in_t.c.staff_id)
                .where(counter_sign_in_t.c.counter_id == info.id)).first()
        return None if row is None else CounterHolder(row.code, row.name, row.session,
                                                       row.since)

    def take_counter(self, counter: str, staff: StaffView, session: str) -> None:
        """`staff` works at `counter` from the screen `session`; whoever held it before no
        longer does (their screen sees that and signs them out)."""
        info = self.service.catalog.counter(counter)
        with self.service.store.write() as conn:
            staff_id = conn.execute(select(staff_t.c.id).where(
                staff_t.c.site_id == self.service.site_id,
                staff_t.c.code == staff.code)).scalar_one()
            row = {"counter_id": info.id, "site_id": self.service.site_id,
                   "staff_id": staff_id, "session": session, "since": self.service.clock.now()}
            statement = self.service.store.insert(counter_sign_in_t).values(**row)
            conn.execute(statement.on_conflict_do_update(
                index_elements=["counter_id"],
                set_={name: statement.excluded[name] for name in ("staff_id", "session",
                                                                  "since")}))

    def release_counter(self, counter: str, session: str) -> None:
        """The screen `session` signed out: the counter is free, unless another screen took
        it over meanwhile."""
        info = self.service.catalog.counter(counter)
        with self.service.store.write() as conn:
            conn.execute(delete(counter_sign_in_t).where(
                counter_sign_in_t.c.counter_id == info.id,
                counter_sign_in_t.c.session == session))

    def may_use(self, staff: StaffView, counter: str) -> bool:
        info = self.service.catalog.counter(counter)
        return not staff.counters or info.code in staff.counters


class _Guard(NamedTuple):
    failures: int
    blocked_until: datetime | None


@functools.cache
def _decoy() -> str:
    """A hash to check a PIN against when the code is unknown: the same cost either way."""
    return hash_pin(secrets.token_hex(8))


def _client_delay(failures: int) -> timedelta:
    """How long a client waits after its n-th failure in a row: 1, 2, 4… seconds, at most
    five minutes. Typing a PIN wrong once costs an official a second; guessing costs hours."""
    return timedelta(seconds=min(2 ** (failures - 1), 300))


def _minutes(span: timedelta) -> int:
    return max(1, round(span.total_seconds() / 60))


def _views(conn: Connection, rows: Sequence[Row[Any]]) -> list[StaffView]:
    allowed: dict[int, list[str]] = {}
    for staff_id, code in conn.execute(
            select(staff_counter_t.c.staff_id, counter_t.c.code)
            .join(counter_t, counter_t.c.id == staff_counter_t.c.counter_id)
            .where(staff_counter_t.c.staff_id.in_([r.id for r in rows]))
            .order_by(counter_t.c.position)):
        allowed.setdefault(staff_id, []).append(code)
    return [StaffView(code=r.code, name=r.name, role=r.role, counters=allowed.get(r.id, []),
                      active=r.active, locked_until=r.locked_until) for r in rows]
