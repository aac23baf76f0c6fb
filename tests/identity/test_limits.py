"""Per-person limits, the elderly offer, the holder's check at the counter, and the key."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.domain.errors import IllegalTransition, Refused, StoreError
from queue_kiosk.service.day_end import close_day
from queue_kiosk.service.identity import Identities, key_path, load_key, make_key
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import booking_t, identity_ticket_t, identity_use_t
from tests.conftest import make_service, small_hall
from tests.identity.cards import card_text, number_for
from tests.identity.conftest import identities

ELDER = card_text(date(1950, 1, 1), serial=11)
YOUNG = card_text(date(1990, 5, 17), serial=12)


def test_a_second_number_for_the_same_field_names_the_first(
        store: Store, clock: FrozenClock, key: bytes) -> None:
    service, cards = identities(store, clock, key)
    first = service.issue("B", identity=cards.read(ELDER))
    assert first.identity and service.ticket(first.number).identity
    with pytest.raises(Refused) as refused:
        service.issue("B", identity=cards.read(number_for(1950, serial=11)))  # typed, same
    assert refused.value.message("vi") == f"Quý khách đã có số {first.number} cho Hộ tịch hôm nay"
    other = service.issue("B", identity=cards.read(YOUNG))
    assert other.number != first.number
    assert not service.issue("B").identity  # without a card, as before


def test_the_day_limit_counts_every_field_but_the_proxy_field(
        store: Store, clock: FrozenClock, key: bytes) -> None:
    service, cards = identities(store, clock, key, per_person_per_day=1, proxy_field="C",
                                per_proxy_per_day=2)
    a = service.issue("A", identity=cards.read(YOUNG))
    with pytest.raises(Refused) as refused:
        service.issue("B", identity=cards.read(YOUNG))
    assert refused.value.code == "identity.held_day" and a.number in refused.value.message()
    service.issue("C", identity=cards.read(YOUNG))
    service.issue("C", identity=cards.read(YOUNG))  # a proxy files for two people
    with pytest.raises(Refused):
        service.issue("C", identity=cards.read(YOUNG))


def test_zero_turns_a_limit_off(store: Store, clock: FrozenClock, key: bytes) -> None:
    service, cards = identities(store, clock, key, per_person_per_field=0,
                                per_person_per_day=0)
    assert len({service.issue("B", identity=cards.read(YOUNG)).number
                for _ in range(4)}) == 4


def test_the_elderly_priority_is_offered_by_age(
        store: Store, clock: FrozenClock, key: bytes) -> None:
    _, cards = identities(store, clock, key)
    assert cards.offered_priority(cards.read(ELDER)) == "elderly"
    assert cards.offered_priority(cards.read(YOUNG)) is None


def test_a_hall_without_identity_refuses_cards(
        store: Store, clock: FrozenClock, key: bytes) -> None:
    cards = Identities(make_service(store, clock, small_hall()), key)
    with pytest.raises(Refused) as refused:
        cards.read(ELDER)
    assert refused.value.code == "identity.off"


def test_the_counter_checks_the_holder(store: Store, clock: FrozenClock, key: bytes) -> None:
    service, cards = identities(store, clock, key)
    with pytest.raises(IllegalTransition):
        cards.current_holder("1", ELDER)
    service.issue("B", identity=cards.read(ELDER))
    service.issue("B")
    called = service.call_next("1")
    assert called is not None
    assert cards.current_holder("1", number_for(1950, serial=11)) == (called, "match")
    assert cards.holder(called, YOUNG) == "mismatch"
    service.finish("1")
    service.call_next("1")
    assert cards.current_holder("1", ELDER)[1] == "unverified"


def test_close_day_deletes_the_hashes_and_keeps_the_flag(
        store: Store, clock: FrozenClock, key: bytes) -> None:
    service, cards = identities(store, clock, key)
    issued = service.issue("B", identity=cards.read(ELDER))
    close_day(service)
    with store.read() as conn:
        for table in (identity_use_t, identity_ticket_t):
            assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 0
    assert service.ticket(issued.number).identity


def test_the_key_is_made_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = key_path(f"sqlite:///{tmp_path / 'queue.db'}")
    assert path == tmp_path / "identity.key"
    with pytest.raises(StoreError) as missing:
        load_key(path)
    assert str(path) in missing.value.message("vi")
    assert make_key(path) and not make_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(load_key(path)) == 32
    assert key_path("postgresql://x/y", str(tmp_path / "k")) == tmp_path / "k"


def test_one_live_booking_per_person_field_and_day(
        store: Store, clock: FrozenClock, key: bytes) -> None:
    from datetime import timedelta

    from queue_kiosk.service.appointments import Appointments

    service, cards = identities(store, clock, key)
    hall = service.catalog.hall.model_copy(update={"appointments": service.catalog.hall
                                                   .appointments.model_copy(
                                                       update={"enabled": True})})
    service = make_service(store, clock, hall)
    cards = Identities(service, key)
    desk = Appointments(service)
    day = clock.now().date() + timedelta(days=1)
    first = desk.book("B", day, "09:00", identity=cards.read(YOUNG))
    with pytest.raises(Refused) as refused:
        desk.book("B", day, "10:00", identity=cards.read(YOUNG))
    assert refused.value.message("vi") == (
        f"Quý khách đã có lịch hẹn {first.code} cho Hộ tịch ngày {day:%d/%m/%Y}")
    desk.book("A", day, "09:00", identity=cards.read(YOUNG))  # another field
    desk.cancel(first.code)
    desk.book("B", day, "10:00", identity=cards.read(YOUNG))  # cancelled: the place is free
    clock.set(clock.now() + timedelta(days=32))
    desk.end_of_day(clock.now().date())
    with store.read() as conn:
        assert conn.execute(select(func.count()).where(
            booking_t.c.person.is_not(None))).scalar_one() == 0


def test_a_booking_made_with_a_card_checks_in_as_that_card(
        store: Store, clock: FrozenClock, key: bytes) -> None:
    """The check-in's ticket is taken with the booking's card: verified at the counter,
    within the person's limits (a walk-in number for the field is refused, naming it), and
    the elderly priority the card offered, unless declined."""
    from datetime import datetime, timedelta

    from queue_kiosk.service.appointments import Appointments

    service, _ = identities(store, clock, key)
    hall = service.catalog.hall
    service = make_service(store, clock, hall.model_copy(update={
        "appointments": hall.appointments.model_copy(update={"enabled": True})}))
    cards, desk = Identities(service, key), Appointments(service)
    today = clock.now().astimezone(service.catalog.tz).date()
    elder = desk.book("B", today, "10:00", identity=cards.read(ELDER))
    young = desk.book("B", today, "10:30", identity=cards.read(YOUNG))
    plain = desk.book("A", today, "10:00")
    clock.set(datetime.combine(today, datetime.min.time(), service.catalog.tz)
              + timedelta(hours=9, minutes=55))
    assert desk.identity(plain.code) is None
    ticket = desk.checkin(elder.code)
    assert ticket.identity and ticket.priority == "elderly" and ticket.appointment == elder.code
    assert cards.holder(ticket, ELDER) == "match"
    with pytest.raises(Refused) as refused:
        service.issue("B", identity=cards.read(ELDER))
    assert refused.value.message("vi") == f"Quý khách đã có số {ticket.number} cho Hộ tịch hôm nay"
    assert not desk.checkin(plain.code).identity
    clock.set(clock.now() + timedelta(minutes=30))
    declined = desk.checkin(young.code, elderly=False)
    assert declined.identity and declined.priority is None
