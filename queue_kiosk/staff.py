"""Provides staff accounts: slow salted PIN hashes, lockout after repeated failures."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, insert, select, update

from queue_kiosk.db import read, write
from queue_kiosk.errors import IllegalTransition, NotFound, Refused
from queue_kiosk.models import Staff
from queue_kiosk.service import QueueService
from queue_kiosk.text import nfc
from queue_kiosk.views import JsonView

staff_t = Staff.__table__  # type: ignore[attr-defined]
MAX_FAILURES = 5
# scrypt cost: ~50 ms per check here, so guessing a 6-digit PIN offline stays expensive.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
ROLES = ("official", "admin")


@dataclass(frozen=True, slots=True)
class StaffView(JsonView):
    code: str
    name: str
    role: str
    counters: list[str]
    """Counter codes this person may use; empty means any."""
    active: bool
    locked_until: datetime | None


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
        with write(self.service.engine) as conn:
            exists = conn.execute(select(staff_t.c.id).where(
                staff_t.c.site_id == self.service.site_id, staff_t.c.code == code)).first()
            if exists:
                raise Refused("staff.exists", code=code)
            conn.execute(insert(staff_t).values(
                site_id=self.service.site_id, code=code, name=name, role=role,
                pin_hash=hash_pin(pin), counters=",".join(counters or []), active=True,
                failed_logins=0))
        return self.get(code)

    def _check(self, code: str, name: str, pin: str, role: str, counters: list[str]) -> None:
        if not code or not name:
            raise Refused("staff.bad_field", field="code/name")
        if role not in ROLES:
            raise Refused("staff.bad_role", role=role)
        if not valid_pin(pin):
            raise Refused("staff.bad_pin")
        for counter in counters:
            self.service.catalog.counter(counter)

    def get(self, code: str) -> StaffView:
        with read(self.service.engine) as conn:
            row = conn.execute(select(staff_t).where(
                staff_t.c.site_id == self.service.site_id,
                staff_t.c.code == nfc(code).strip())).first()
        if row is None:
            raise NotFound("staff.unknown", code=code)
        return _view(row)

    def all(self) -> list[StaffView]:
        with read(self.service.engine) as conn:
            rows = conn.execute(select(staff_t).where(
                staff_t.c.site_id == self.service.site_id).order_by(staff_t.c.code)).all()
        return [_view(r) for r in rows]

    def set_active(self, code: str, active: bool) -> StaffView:
        self._update(code, active=active)
        return self.get(code)

    def set_pin(self, code: str, pin: str) -> StaffView:
        if not valid_pin(pin):
            raise Refused("staff.bad_pin")
        self._update(code, pin_hash=hash_pin(pin), failed_logins=0, locked_until=None)
        return self.get(code)

    def _update(self, code: str, **values: object) -> None:
        with write(self.service.engine) as conn:
            changed = conn.execute(update(staff_t).where(
                staff_t.c.site_id == self.service.site_id,
                staff_t.c.code == nfc(code).strip()).values(**values)).rowcount
        if changed != 1:
            raise NotFound("staff.unknown", code=code)

    def login(self, code: str, pin: str, *, role: str | None = None) -> StaffView:
        """Check a PIN. Five wrong PINs in a row lock the account for `lockout`. The same
        answer for an unknown code and a wrong PIN, so codes cannot be probed."""
        now = self.service.clock.now()
        with write(self.service.engine) as conn:
            row = conn.execute(select(staff_t).where(
                staff_t.c.site_id == self.service.site_id,
                staff_t.c.code == nfc(code).strip())).first()
            if row is None or not row.active:
                check_pin(pin, hash_pin("0000"))  # same cost either way
                raise Refused("staff.bad_login")
            if row.locked_until is not None and row.locked_until > now:
                raise Refused("staff.locked", minutes=_minutes_left(row.locked_until, now))
            failure: Refused | None = None
            if check_pin(pin, row.pin_hash):
                conn.execute(update(staff_t).where(staff_t.c.id == row.id).values(
                    failed_logins=0, locked_until=None))
            else:
                failures = row.failed_logins + 1
                locked = now + self.lockout if failures >= MAX_FAILURES else None
                conn.execute(update(staff_t).where(staff_t.c.id == row.id).values(
                    failed_logins=0 if locked else failures, locked_until=locked))
                failure = Refused("staff.locked", minutes=_minutes_left(locked, now)) \
                    if locked else Refused("staff.bad_login")
        # Raised after the commit, so the failure count is kept.
        if failure is not None:
            raise failure
        view = _view(row)
        if role == "admin" and view.role != "admin":
            raise IllegalTransition("staff.not_admin", code=view.code)
        return view

    def may_use(self, staff: StaffView, counter: str) -> bool:
        info = self.service.catalog.counter(counter)
        return not staff.counters or info.code in staff.counters


def _minutes_left(until: datetime, now: datetime) -> int:
    return max(1, int((until - now).total_seconds() // 60) + 1)


def _view(row: Row[Any]) -> StaffView:
    return StaffView(code=row.code, name=row.name, role=row.role,
                     counters=[c for c in row.counters.split(",") if c], active=row.active,
                     locked_until=row.locked_until)
