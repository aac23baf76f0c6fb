"""Statements run on SQLite's cursor give what SQLAlchemy gives: same rows, same types."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import bindparam, insert, select

from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.domain.errors import StoreError
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.direct import DirectStatement
from queue_kiosk.store.statements import Sql
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import series_t, ticket_t
from tests.conftest import VN


@pytest.fixture
def busy(service: QueueService, clock: FrozenClock) -> QueueService:
    """Tickets in every state worth reading back: waiting, priority, finished."""
    service.issue("B")
    service.issue("B", priority="elderly")
    service.call_next("1")
    clock.advance(minutes=7)
    service.finish("1")
    service.issue("C")
    return service


def both_ways(store: Store, statement: object, params: dict[str, object]
              ) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    direct = DirectStatement(statement)  # type: ignore[arg-type]
    with store.read() as conn:
        ours = direct.on_cursor(conn, params)
        theirs = list(conn.execute(statement, params))  # type: ignore[call-overload]
    assert [tuple(r._fields) for r in ours] == [tuple(r._fields) for r in theirs]
    return [tuple(r) for r in ours], [tuple(r) for r in theirs]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_every_ticket_reads_back_alike(busy: QueueService) -> None:
    ours, theirs = both_ways(busy.store, select(ticket_t).where(
        ticket_t.c.site_id == bindparam("site_id")), {"site_id": busy.site_id})
    assert ours == theirs and len(ours) == 3
    finished = next(r for r in ours if r[ticket_t.c.keys().index("status")] == "done")
    at = finished[ticket_t.c.keys().index("finished_at")]
    assert isinstance(at, datetime) and at.utcoffset() == timedelta(0)  # aware, in UTC


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("priority", [False, True])
def test_the_issue_check_reads_back_alike(busy: QueueService, priority: bool) -> None:
    field = busy.catalog.field("B")[0]
    ours, theirs = both_ways(busy.store, Sql.issue_check(busy.store, priority).statement, {
        "site_id": busy.site_id, "field_id": field.id, "day": busy.today(),
        "now": busy.clock.now(), "series": field.series})
    assert ours == theirs
    assert len(ours) == 2  # the check, and the one finished service with its times


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_what_is_written_directly_is_what_sqlalchemy_reads(busy: QueueService) -> None:
    at = datetime(2026, 11, 25, 9, 30, 15, 123456, tzinfo=VN)
    values = {"site_id": busy.site_id, "day": date(2026, 11, 25), "series": "Ư",
              "seq": 7, "number": "Ư007", "token": "tök", "field_id": 1,
              "procedure_id": None, "priority": None, "status": "waiting",
              "issued_at": at, "queue_at": at, "recalls": 0, "transfers": 0,
              "appointment": "K4M7QX", "identity": False}
    with busy.store.write() as conn:
        returned = Sql.insert_ticket(busy.store).on_cursor(conn, values)[0]
        twin = conn.execute(insert(ticket_t).returning(ticket_t.c.id),
                            {**values, "seq": 8, "number": "Ư008", "token": "twin"}).scalar()
    with busy.store.read() as conn:
        stored = conn.execute(select(ticket_t).where(ticket_t.c.id == returned.id)).one()
        # Stored exactly as SQLAlchemy stores it, so that SQL compares and orders them alike.
        raw = conn.exec_driver_sql(
            "SELECT issued_at, queue_at, day, typeof(issued_at) FROM ticket WHERE id IN (?, ?)",
            (returned.id, twin)).all()
    assert tuple(returned) == tuple(stored)
    assert (stored.number, stored.day, stored.issued_at) == ("Ư007", date(2026, 11, 25), at)
    assert raw[0] == raw[1]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_list_expanded_into_in_is_left_to_sqlalchemy(busy: QueueService) -> None:
    ours, theirs = both_ways(busy.store, select(ticket_t.c.number).where(
        ticket_t.c.number.in_(bindparam("numbers", expanding=True))),
        {"numbers": ["B001", "1001"]})
    assert sorted(ours) == sorted(theirs) == [("1001",), ("B001",)]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_driver_error_is_one_clear_line(busy: QueueService) -> None:
    twice = DirectStatement(insert(series_t))
    row = {"site_id": busy.site_id, "day": busy.today(), "series": "B", "last": 1}
    with pytest.raises(StoreError, match="UNIQUE constraint failed") as error:
        with busy.store.write() as conn:
            twice.on_cursor(conn, row)
    assert "\n" not in error.value.message("en")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_parameter_left_out_is_not_taken_for_null(busy: QueueService) -> None:
    by_number = DirectStatement(select(ticket_t).where(ticket_t.c.number == bindparam("n")))
    with busy.store.read() as conn, pytest.raises(KeyError, match="'n'"):
        by_number.on_cursor(conn, {})
