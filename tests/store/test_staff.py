"""Staff accounts: scrypt PINs, five wrong PINs lock the account, admin checks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from queue_kiosk.clock import FrozenClock
from queue_kiosk.errors import IllegalTransition, Refused
from queue_kiosk.service import QueueService
from queue_kiosk.staff import StaffDirectory, check_pin, hash_pin, staff_t


@pytest.fixture
def directory(service: QueueService) -> StaffDirectory:
    directory = StaffDirectory(service)
    directory.add("lan", "Nguyễn Thị Lan", "2468", counters=["1"])
    directory.add("admin", "Trần Văn Quản", "13579", role="admin")
    return directory


def test_pins_are_stored_only_as_salted_scrypt(directory: StaffDirectory,
                                               engine: Engine) -> None:
    with engine.connect() as conn:
        stored = conn.execute(select(staff_t.c.pin_hash)).scalars().all()
    assert all(h.startswith("scrypt$") and "2468" not in h for h in stored)
    assert hash_pin("2468") != hash_pin("2468")  # salted
    assert check_pin("2468", hash_pin("2468")) and not check_pin("2469", hash_pin("2468"))


def test_login_and_counter_permissions(directory: StaffDirectory) -> None:
    lan = directory.login("lan", "2468")
    assert (lan.name, lan.counters) == ("Nguyễn Thị Lan", ["1"])
    assert directory.may_use(lan, "1") and not directory.may_use(lan, "2")
    assert directory.may_use(directory.login("admin", "13579"), "2")


def test_unknown_code_and_wrong_pin_look_the_same(directory: StaffDirectory) -> None:
    with pytest.raises(Refused) as unknown:
        directory.login("nobody", "2468")
    with pytest.raises(Refused) as wrong:
        directory.login("lan", "0000")
    assert unknown.value.message("en") == wrong.value.message("en") == \
        "Wrong staff code or PIN"


def test_five_wrong_pins_lock_then_the_lock_expires(directory: StaffDirectory,
                                                    clock: FrozenClock) -> None:
    for _ in range(4):
        with pytest.raises(Refused, match="Wrong staff code or PIN"):
            directory.login("lan", "1111")
    with pytest.raises(Refused, match="locked"):
        directory.login("lan", "1111")
    with pytest.raises(Refused, match="locked"):
        directory.login("lan", "2468")  # even the right PIN, while locked
    clock.advance(timedelta(minutes=16))
    assert directory.login("lan", "2468").code == "lan"


def test_the_lockout_time_comes_from_the_hall(engine: Engine, clock: FrozenClock) -> None:
    from tests.conftest import make_service, small_hall

    hall = small_hall()
    hall = hall.model_copy(update={"counter": hall.counter.model_copy(
        update={"lockout_minutes": 2})})
    directory = StaffDirectory(make_service(engine, clock, hall))
    directory.add("tu", "Tú", "1357")
    for _ in range(5):
        with pytest.raises(Refused):
            directory.login("tu", "0000")
    with pytest.raises(Refused, match="locked"):
        directory.login("tu", "1357")
    clock.advance(timedelta(minutes=2, seconds=1))
    assert directory.login("tu", "1357").code == "tu"


def test_a_good_login_resets_the_failure_count(directory: StaffDirectory) -> None:
    for _ in range(4):
        with pytest.raises(Refused):
            directory.login("lan", "1111")
    directory.login("lan", "2468")
    for _ in range(4):
        with pytest.raises(Refused, match="Wrong"):
            directory.login("lan", "1111")


def test_admin_only_logins_and_disabled_accounts(directory: StaffDirectory) -> None:
    with pytest.raises(IllegalTransition, match="not an administrator"):
        directory.login("lan", "2468", role="admin")
    directory.set_active("lan", False)
    with pytest.raises(Refused, match="Wrong staff code or PIN"):
        directory.login("lan", "2468")


def test_bad_accounts_are_refused(directory: StaffDirectory) -> None:
    with pytest.raises(Refused, match="4–12 digits"):
        directory.add("tu", "Tú", "12a4")
    with pytest.raises(Refused, match="already exists"):
        directory.add("lan", "Lan khác", "1234")
    with pytest.raises(Refused, match="Role 'boss'"):
        directory.add("tu", "Tú", "1234", role="boss")


def test_every_action_is_recorded_with_the_staff_member(directory: StaffDirectory,
                                                        service: QueueService,
                                                        engine: Engine) -> None:
    from queue_kiosk.catalog import event_t

    service.issue("B")
    service.call_next("1", staff="lan")
    service.finish("1", staff="lan")
    with engine.connect() as conn:
        staffed = conn.execute(select(event_t.c.kind, staff_t.c.code).join(
            staff_t, staff_t.c.id == event_t.c.staff_id)).all()
    assert [tuple(r) for r in staffed] == [("called", "lan"), ("finished", "lan")]
