"""Staff accounts: scrypt PINs, five wrong PINs lock the account, admin checks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.domain.errors import IllegalTransition, Refused
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.staff import StaffDirectory, check_pin, hash_pin
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import staff_t


@pytest.fixture
def directory(service: QueueService) -> StaffDirectory:
    directory = StaffDirectory(service)
    directory.add("lan", "Nguyễn Thị Lan", "2468", counters=["1"])
    directory.add("admin", "Trần Văn Quản", "13579", role="admin")
    return directory


def test_pins_are_stored_only_as_salted_scrypt(directory: StaffDirectory,
                                               store: Store) -> None:
    with store.engine.connect() as conn:
        stored = conn.execute(select(staff_t.c.pin_hash)).scalars().all()
    assert all(h.startswith("scrypt$") and "2468" not in h for h in stored)
    assert hash_pin("2468") != hash_pin("2468")  # salted
    assert check_pin("2468", hash_pin("2468")) and not check_pin("2469", hash_pin("2468"))


def test_login_and_counter_permissions(directory: StaffDirectory) -> None:
    lan = directory.login("lan", "2468")
    assert (lan.name, lan.counters) == ("Nguyễn Thị Lan", ["1"])
    assert directory.may_use(lan, "1") and not directory.may_use(lan, "2")
    assert directory.may_use(directory.login("admin", "13579"), "2")


ATTACKER = "192.168.1.77"


def fail(directory: StaffDirectory, clock: FrozenClock, code: str, pin: str = "1111", *,
         client: str = "local") -> str:
    """One refused sign-in, typed once the client's wait is over; returns what it was told."""
    clock.advance(timedelta(seconds=300))  # past any client delay (at most five minutes)
    with pytest.raises(Refused) as refused:
        directory.login(code, pin, client=client)
    return refused.value.message("en")


def test_unknown_code_wrong_pin_and_locked_code_read_alike(directory: StaffDirectory,
                                                            clock: FrozenClock) -> None:
    # Probing: six tries on a real code and six on an unknown one give the same answers.
    real = [fail(directory, clock, "lan", client="a") for _ in range(6)]
    ghost = [fail(directory, clock, "ghost", client="b") for _ in range(6)]
    assert real == ghost
    assert set(real) == {"Wrong staff code or PIN, or sign-in locked (5 wrong in a row lock it "
                         "for 15 min; an administrator unlocks with staff unlock)"}


def test_an_over_long_code_is_an_unknown_one_on_both_databases(directory: StaffDirectory,
                                                               clock: FrozenClock) -> None:
    # PostgreSQL refuses a value wider than its column: that must not undo the count.
    assert fail(directory, clock, "x" * 40) == fail(directory, clock, "lan")


def test_each_failure_makes_the_client_wait_longer_whatever_the_code(
        directory: StaffDirectory, clock: FrozenClock) -> None:
    for waited in (1, 2, 4, 8):
        with pytest.raises(Refused):
            directory.login("lan", "1111", client=ATTACKER)
        with pytest.raises(Refused, match=f"wait {waited} s"):
            directory.login("admin", "13579", client=ATTACKER)  # even a right one, at once
        clock.advance(timedelta(seconds=waited))
    assert directory.login("admin", "13579", client=ATTACKER).code == "admin"


def test_five_wrong_pins_lock_the_code_for_that_client_only(directory: StaffDirectory,
                                                            clock: FrozenClock) -> None:
    for _ in range(5):
        fail(directory, clock, "lan", client=ATTACKER)
    fail(directory, clock, "lan", "2468", client=ATTACKER)  # even the right PIN, while locked
    # Someone on the Wi-Fi cannot lock the official out of the counter PC.
    assert directory.login("lan", "2468").code == "lan"
    clock.advance(timedelta(minutes=15))
    assert directory.login("lan", "2468", client=ATTACKER).code == "lan"


def test_the_account_itself_locks_after_many_failures_from_all_clients(
        directory: StaffDirectory, clock: FrozenClock) -> None:
    from queue_kiosk.service.staff import ACCOUNT_FAILURES

    for n in range(ACCOUNT_FAILURES):
        fail(directory, clock, "lan", client=f"10.0.0.{n}")
    fail(directory, clock, "lan", "2468")  # locked for everyone, the counter PC too
    directory.set_pin("lan", "8642")  # an administrator unlocks it
    clock.advance(timedelta(seconds=1))
    assert directory.login("lan", "8642").code == "lan"


def test_the_lockout_time_comes_from_the_hall(store: Store, clock: FrozenClock) -> None:
    from tests.conftest import make_service, small_hall

    hall = small_hall()
    hall = hall.model_copy(update={"counter": hall.counter.model_copy(
        update={"lockout_minutes": 10})})
    directory = StaffDirectory(make_service(store, clock, hall))
    directory.add("tu", "Tú", "1357")
    for _ in range(5):
        assert "lock it for 10 min" in fail(directory, clock, "tu", "0000")
    with pytest.raises(Refused):
        directory.login("tu", "1357")
    clock.advance(timedelta(minutes=10, seconds=1))
    assert directory.login("tu", "1357").code == "tu"


def test_a_good_login_resets_the_failure_count(directory: StaffDirectory,
                                               clock: FrozenClock) -> None:
    for _ in range(4):
        fail(directory, clock, "lan")
    clock.advance(timedelta(seconds=300))
    directory.login("lan", "2468")
    for _ in range(4):
        fail(directory, clock, "lan")
    clock.advance(timedelta(seconds=300))
    assert directory.login("lan", "2468").code == "lan"


def test_admin_only_logins_and_disabled_accounts(directory: StaffDirectory) -> None:
    with pytest.raises(IllegalTransition, match="not an administrator"):
        directory.login("lan", "2468", role="admin")
    directory.set_active("lan", False)
    with pytest.raises(Refused, match="Wrong staff code or PIN"):
        directory.login("lan", "2468", client="another PC")


def test_bad_accounts_are_refused(directory: StaffDirectory) -> None:
    with pytest.raises(Refused, match="4–12 digits"):
        directory.add("tu", "Tú", "12a4")
    with pytest.raises(Refused, match="already exists"):
        directory.add("lan", "Lan khác", "1234")
    with pytest.raises(Refused, match="Role 'boss'"):
        directory.add("tu", "Tú", "1234", role="boss")


def test_every_action_is_recorded_with_the_staff_member(directory: StaffDirectory,
                                                        service: QueueService,
                                                        store: Store) -> None:
    from queue_kiosk.store.tables import event_t

    service.issue("B")
    service.call_next("1", staff="lan")
    service.finish("1", staff="lan")
    with store.engine.connect() as conn:
        staffed = conn.execute(select(event_t.c.kind, staff_t.c.code).join(
            staff_t, staff_t.c.id == event_t.c.staff_id)).all()
    assert [tuple(r) for r in staffed] == [("called", "lan"), ("finished", "lan")]


def test_a_counter_renamed_in_the_hall_file_keeps_its_staff(
        directory: StaffDirectory, store: Store, clock: FrozenClock) -> None:
    from queue_kiosk.service.catalog import load_catalog
    from tests.conftest import small_hall

    hall = small_hall()
    renamed = hall.model_copy(update={"counters": [
        hall.counters[0].model_copy(update={"name": "Quầy Hộ tịch (mới)"}), *hall.counters[1:]]})
    load_catalog(store, renamed, clock)
    directory.service.refresh()
    lan = directory.login("lan", "2468")
    assert lan.counters == ["1"] and directory.may_use(lan, "1")
    assert directory.service.catalog.counter("1").name == "Quầy Hộ tịch (mới)"


def test_the_sign_in_back_off_ends_under_a_still_clock(directory: StaffDirectory,
                                                       clock: FrozenClock) -> None:
    """QUEUE_KIOSK_NOW's clock never moves: a second's back-off measured on it used to last
    for ever ("Vui lòng chờ 1 giây…" at every try)."""
    from queue_kiosk.domain.clock import StillClock

    with pytest.raises(Refused, match="Wrong staff code"):
        directory.login("lan", "1111")
    with pytest.raises(Refused, match="wait 1 s"):  # a moving clock: the second is waited
        directory.login("lan", "2468")
    directory.service.clock = StillClock(clock.now())
    assert directory.login("lan", "2468").code == "lan"
