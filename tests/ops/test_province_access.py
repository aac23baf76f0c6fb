"""Province accounts and tokens: read-only, scoped to sites, tokens shown once and kept hashed,
a revoked token refused like an unknown one."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.domain.errors import IllegalTransition, NotFound, Refused
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.province_access import ProvinceAccess, Scope
from queue_kiosk.service.staff import StaffDirectory
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import province_grant_t
from tests.ops.test_province import commune


def test_a_token_is_shown_once_kept_hashed_and_refused_alike_once_revoked(
        store: Store, clock: FrozenClock) -> None:
    for code in ("a-1", "b-2"):
        load_catalog(store, commune(code), clock)
    access = ProvinceAccess(store, clock)
    token = access.add_token("IOC Thái Nguyên", Scope.parse("a-1"))
    with store.read() as conn:
        stored = conn.execute(select(province_grant_t)).one()
    assert token not in str(tuple(stored)) and stored.sites == "a-1"
    assert access.token_scope(token) == Scope(frozenset({"a-1"}))
    with pytest.raises(Refused):
        access.add_token("IOC Thái Nguyên", Scope())
    with pytest.raises(NotFound):
        access.add_token("khác", Scope.parse("x-9"))
    assert access.revoke_token("IOC Thái Nguyên").revoked_at is not None
    assert access.token_scope(token) is None
    assert access.token_scope(token[:-1] + "x") is None
    with pytest.raises(NotFound):
        access.revoke_token("IOC Thái Nguyên")
    assert access.token_scope(access.add_token("tỉnh", Scope())) == Scope(None)


def test_a_province_account_views_and_never_acts_on_a_queue(
        service: QueueService, clock: FrozenClock) -> None:
    staff = StaffDirectory(service)
    staff.add("tinh", "Sở Nội vụ", "2468", role="province")
    access = ProvinceAccess(service.store, clock)
    assert access.account_scope(service.site_id, "tinh") is None  # no grant: sees nothing
    access.grant_account(service.site_id, "tinh", Scope())
    assert access.account_scope(service.site_id, "tinh") == Scope(None)
    assert staff.login("tinh", "2468", role="province").role == "province"
    with pytest.raises(IllegalTransition, match="tinh"):
        staff.login("tinh", "2468")  # the counter's sign-in
    with pytest.raises(IllegalTransition):
        staff.login("tinh", "2468", role="admin")
    service.issue("B")
    with pytest.raises(IllegalTransition):
        service.call_next("1", staff="tinh")
    with pytest.raises(IllegalTransition):
        service.pause("1", "họp", staff="tinh")
    assert service.call_next("1") is not None  # the queue itself was untouched
    staff.add("ms", "Cán bộ", "1357")
    with pytest.raises(IllegalTransition):
        staff.login("ms", "1357", role="province")
    with pytest.raises(Refused):
        staff.add("tinh2", "Sở", "2468", role="province", counters=["1"])
