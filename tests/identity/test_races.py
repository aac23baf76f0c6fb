"""Kiosks scanning one card at the same instant: the database lets one number through."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import identity_ticket_t
from tests.conftest import MORNING
from tests.identity import race_workers
from tests.identity.cards import card_text
from tests.identity.conftest import identities
from tests.store.test_appointments import _at_once

ROUNDS = 6


def _kiosks(db_url: str, key: bytes, fields: list[str], cards: list[str]) -> list[list[Any]]:
    """Each card's outcomes, one per kiosk, the kiosks scanning each card at one instant."""
    results = _at_once(race_workers.scan_at_once,
                       [(db_url, MORNING, key, field, cards) for field in fields])
    return [list(per_card) for per_card in zip(*results, strict=True)]


def _issued(outcomes: list[Any]) -> int:
    return sum(kind == "ok" for kind, _ in outcomes)


def _refusals(rounds: list[list[Any]]) -> set[str]:
    return {code for outcomes in rounds for kind, code in outcomes if kind == "refused"}


def _cards(first: int) -> list[str]:
    return [card_text(date(1960 + i, 3, 1 + i), serial=first + i) for i in range(ROUNDS)]


@pytest.mark.slow
def test_kiosks_scanning_one_card_for_one_field_issue_one_ticket(
        store: Store, db_url: str, clock: FrozenClock, key: bytes) -> None:
    identities(store, clock, key)
    rounds = _kiosks(db_url, key, ["B"] * 4, _cards(100))
    assert [_issued(outcomes) for outcomes in rounds] == [1] * ROUNDS
    assert _refusals(rounds) == {"identity.held_field"}
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(
            identity_ticket_t)).scalar_one() == ROUNDS


@pytest.mark.slow
def test_kiosks_scanning_one_card_for_different_fields_keep_the_day_limit(
        store: Store, db_url: str, clock: FrozenClock, key: bytes) -> None:
    """Different fields take different numbering rows: only the day's count orders them."""
    identities(store, clock, key, per_person_per_day=1)
    rounds = _kiosks(db_url, key, ["A", "B", "C"], _cards(200))
    assert [_issued(outcomes) for outcomes in rounds] == [1] * ROUNDS
    assert _refusals(rounds) == {"identity.held_day"}


@pytest.mark.slow
def test_phones_booking_with_one_card_at_once_book_once_and_the_other_hears_why(
        store: Store, db_url: str, clock: FrozenClock, key: bytes) -> None:
    """Two phones book one card for one field and day at the same instant, round after
    round: one booking each round, and the other is refused in words ("Quý khách đã có
    lịch hẹn …"), never a database error (on PostgreSQL, the unique index refused the
    second insert as a generic error before)."""
    from datetime import timedelta

    from queue_kiosk.config.hall import AppointmentsConfig
    from queue_kiosk.store.tables import booking_t
    from tests.conftest import make_service

    service, _ = identities(store, clock, key)
    hall = service.catalog.hall
    make_service(store, clock, hall.model_copy(update={
        "appointments": AppointmentsConfig(enabled=True, share=1.0)}))
    tomorrow = MORNING.date() + timedelta(days=1)  # a Thursday
    bookings = [("B", tomorrow, f"{8 + i // 2:02d}:{30 * (i % 2):02d}", card)
                for i, card in enumerate(_cards(300))]
    results = _at_once(race_workers.book_at_once, [(db_url, MORNING, key, bookings)] * 2)
    rounds = [list(per_card) for per_card in zip(*results, strict=True)]
    assert [_issued(outcomes) for outcomes in rounds] == [1] * ROUNDS
    assert _refusals(rounds) == {"identity.booked"}
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(booking_t)).scalar_one() == ROUNDS
