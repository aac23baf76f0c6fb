"""Provides who may read the province's overview, and which communes: province accounts (a
staff row whose role is `province`, read-only) and the operations centre's bearer tokens,
each scoped to every site or a list; tokens are shown once and stored hashed."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from queue_kiosk.domain.clock import Clock
from queue_kiosk.domain.errors import NotFound, Refused
from queue_kiosk.domain.text import nfc
from queue_kiosk.domain.views import JsonView
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import province_grant_t, site_t, staff_t

TOKEN_PREFIX = "qkp_"
"""Says what a leaked token is, in a log or a secret scanner."""
ACCOUNT, TOKEN = "account", "token"


@dataclass(frozen=True)
class Scope:
    """What a province viewer may see: every commune (`sites` None) or the ones listed."""
    sites: frozenset[str] | None = None

    def allows(self, code: str) -> bool:
        return self.sites is None or code in self.sites

    @classmethod
    def parse(cls, text: str | None) -> Scope:
        """`a,b` (codes, comma-separated); empty: every site."""
        codes = frozenset(c.strip() for c in nfc(text or "").split(",") if c.strip())
        return cls(codes or None)

    def __str__(self) -> str:
        return ",".join(sorted(self.sites)) if self.sites is not None else ""


@dataclass(frozen=True, slots=True)
class GrantView(JsonView):
    kind: str
    name: str
    sites: list[str]
    """Empty: every site."""
    created_at: datetime
    revoked_at: datetime | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ProvinceAccess:
    """The grants of one database (province-wide: not one site's)."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def _checked(self, conn: Connection, scope: Scope) -> str:
        """The scope as stored, every site in it known."""
        known = [code for (code,) in conn.execute(select(site_t.c.code).order_by(site_t.c.code))]
        for code in sorted(scope.sites or ()):
            if code not in known:
                raise NotFound("site.unknown", code=code, sites=", ".join(known) or "—")
        return str(scope)

    def add_token(self, name: str, scope: Scope) -> str:
        """A new token for `name`, returned once: only its hash is kept."""
        name = nfc(name).strip()
        if not name or len(name) > 100:
            raise Refused("province.bad_name")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.store.write() as conn:
            sites = self._checked(conn, scope)
            if conn.execute(select(province_grant_t.c.id).where(
                    province_grant_t.c.kind == TOKEN,
                    province_grant_t.c.name == name)).first() is not None:
                raise Refused("province.token_exists", name=name)
            conn.execute(insert(province_grant_t).values(
                kind=TOKEN, name=name, token_hash=token_hash(token), sites=sites,
                created_at=self.clock.now()))
        return token

    def revoke_token(self, name: str) -> GrantView:
        with self.store.write() as conn:
            changed = conn.execute(update(province_grant_t).where(
                province_grant_t.c.kind == TOKEN, province_grant_t.c.name == nfc(name).strip(),
                province_grant_t.c.revoked_at.is_(None)).values(
                revoked_at=self.clock.now())).rowcount
        if changed != 1:
            raise NotFound("province.token_unknown", name=name)
        return next(g for g in self.grants(TOKEN) if g.name == nfc(name).strip())

    def grants(self, kind: str | None = None) -> list[GrantView]:
        query = select(province_grant_t).order_by(province_grant_t.c.kind,
                                                  province_grant_t.c.name)
        if kind is not None:
            query = query.where(province_grant_t.c.kind == kind)
        with self.store.read() as conn:
            return [GrantView(r.kind, r.name, sorted(Scope.parse(r.sites).sites or ()),
                              r.created_at, r.revoked_at) for r in conn.execute(query)]

    def token_scope(self, token: str) -> Scope | None:
        """What a bearer token may see; None for a token unknown or revoked alike."""
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        with self.store.read() as conn:
            row = conn.execute(select(province_grant_t.c.sites).where(
                province_grant_t.c.kind == TOKEN,
                province_grant_t.c.token_hash == token_hash(token),
                province_grant_t.c.revoked_at.is_(None))).first()
        return None if row is None else Scope.parse(row.sites)

    def grant_account(self, site_id: int, code: str, scope: Scope) -> None:
        """Scope a province account (a staff row of role `province`): without a grant it
        sees nothing, so a half-made account is never one that sees everything."""
        with self.store.write() as conn:
            sites = self._checked(conn, scope)
            staff = conn.execute(select(staff_t.c.id, staff_t.c.role).where(
                staff_t.c.site_id == site_id, staff_t.c.code == nfc(code).strip())).first()
            if staff is None or staff.role != "province":
                raise NotFound("staff.unknown", code=code)
            site = conn.execute(select(site_t.c.code).where(site_t.c.id == site_id)).scalar_one()
            conn.execute(insert(province_grant_t).values(
                kind=ACCOUNT, name=f"{site}/{nfc(code).strip()}", staff_id=staff.id,
                sites=sites, created_at=self.clock.now()))

    def account_scope(self, site_id: int, code: str) -> Scope | None:
        """What a signed-in province account may see; None: nothing (no grant)."""
        with self.store.read() as conn:
            row = conn.execute(select(province_grant_t.c.sites).join(
                staff_t, staff_t.c.id == province_grant_t.c.staff_id).where(
                staff_t.c.site_id == site_id, staff_t.c.code == nfc(code).strip(),
                staff_t.c.role == "province", staff_t.c.active.is_(True),
                province_grant_t.c.revoked_at.is_(None))).first()
        return None if row is None else Scope.parse(row.sites)
