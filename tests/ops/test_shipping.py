"""Local first: a commune (SQLite) ships its changes to the province (PostgreSQL), applied
exactly once, in order, under the province's own ids, and equal row by row after catch-up."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from queue_kiosk.cli.main import main
from queue_kiosk.config.hall import default_hall_path, load_hall
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.domain.errors import Refused
from queue_kiosk.ops.shipper import take_bookings
from queue_kiosk.ops.shipping import SiteLink, ingest, link_state, new_token
from queue_kiosk.reports.centre import build_report
from queue_kiosk.service.admin import HallAdmin
from queue_kiosk.service.appointments import Appointments
from queue_kiosk.service.calendar import CentreCalendar
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.service.day_end import close_day
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.staff import StaffDirectory
from queue_kiosk.store import shiplog
from queue_kiosk.store.migrate import upgrade
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import booking_t, event_t, site_t, ticket_t
from tests.conftest import MORNING, make_service, small_hall
from tests.ops.shipped import copy_differences
from tests.store.test_appointments import DAY, at, booking_hall

pytestmark = pytest.mark.postgres


@pytest.fixture
def commune(tmp_path: Path) -> Iterator[QueueService]:
    store = Store(f"sqlite:///{tmp_path / 'commune.db'}")
    upgrade(store)
    service = make_service(store, FrozenClock(MORNING), small_hall())
    shiplog.install(store)
    yield service
    store.dispose()


@pytest.fixture
def province(pg_url: str) -> Iterator[Store]:
    store = Store(pg_url)
    upgrade(store)
    # The province's own centre, served from its database as today: ids 1… are taken.
    load_catalog(store, load_hall(default_hall_path()), FrozenClock(MORNING))
    yield store
    store.dispose()


def ship(commune: Store, province: Store, token: str, *, batch: int = 100,
         today: datetime = MORNING) -> int:
    """What the shipper does, without the network: every pending entry, in batches, and the
    bookings sent down taken."""
    after = 0
    while True:
        entries = shiplog.pending(commune, after, batch)
        done = ingest(province, "test", token, after,
                      [(e.seq, e.tbl, e.op, e.row) for e in entries], datetime.now(UTC), today)
        assert done.accepted
        after = done.applied
        taken = take_bookings(commune, done.bookings)
        if len(entries) < batch and not taken:
            return after


def link_of(province: Store, code: str, now: datetime) -> SiteLink:
    found = link_state(province, code, now)
    assert found is not None
    return found


def work(service: QueueService, tickets: int) -> None:
    for n in range(tickets):
        service.issue("B" if n % 2 else "A1")
    while service.call_next("1") is not None:
        service.finish("1")


def test_a_commune_is_copied_row_by_row_under_the_provinces_ids(
        commune: QueueService, province: Store) -> None:
    token = new_token(province, "test")
    work(commune, 6)
    ship(commune.store, province, token)
    assert copy_differences(commune.store, province, "test") == []
    with province.read() as conn:
        site_id = conn.execute(select(site_t.c.id).where(site_t.c.code == "test")).scalar()
        assert site_id != 1  # the province's own centre has 1
        numbers = conn.execute(select(ticket_t.c.number).where(ticket_t.c.site_id == site_id)
                               .order_by(ticket_t.c.id)).scalars().all()
    assert len(numbers) == 6
    # The province's reports read the shipped rows as the commune's own.
    day = MORNING.date()
    there = QueueService(province, site="test", clock=FrozenClock(MORNING))
    assert build_report(there, day, day).to_json() == build_report(commune, day, day).to_json()


def test_a_resent_batch_is_applied_once_and_order_is_kept(
        commune: QueueService, province: Store) -> None:
    token = new_token(province, "test")
    work(commune, 4)
    entries = [(e.seq, e.tbl, e.op, e.row) for e in shiplog.pending(commune.store, 0, 10_000)]
    now = datetime.now(UTC)
    assert ingest(province, "test", token, 0, entries[:30], now).applied == entries[29][0]
    # The answer was lost: the shipper sends everything from 0 again.
    assert ingest(province, "test", token, 0, entries, now).applied == entries[-1][0]
    assert ingest(province, "test", token, 0, entries, now).applied == entries[-1][0]
    assert copy_differences(commune.store, province, "test") == []
    with commune.store.read() as conn:
        here = conn.execute(select(event_t.c.kind).order_by(event_t.c.id)).scalars().all()
    with province.read() as conn:
        site_id = conn.execute(select(site_t.c.id).where(site_t.c.code == "test")).scalar()
        there = conn.execute(select(event_t.c.kind).where(event_t.c.site_id == site_id)
                             .order_by(event_t.c.id)).scalars().all()
    assert there == here


def test_a_wrong_token_is_refused_and_a_commune_ahead_is_told_where_we_are(
        commune: QueueService, province: Store) -> None:
    token = new_token(province, "test")
    with pytest.raises(Refused, match="Wrong token"):
        ingest(province, "test", "guess", 0, [], datetime.now(UTC))
    done = ingest(province, "test", token, 500, [], datetime.now(UTC))
    assert (done.applied, done.accepted) == (0, False)


def test_the_link_is_live_then_cut_off_after_two_silent_minutes(
        commune: QueueService, province: Store) -> None:
    token = new_token(province, "test")
    assert link_of(province, "test", datetime.now(UTC)).word() == "chưa kết nối"
    heard = datetime(2026, 11, 25, 2, 12, 30, tzinfo=UTC)  # 09:12 in Hà Nội
    ingest(province, "test", token, 0, [], heard)
    ship(commune.store, province, token)  # the site row (its time zone) arrives
    with province.begin() as conn:
        from queue_kiosk.store.tables import ship_site_t

        conn.execute(ship_site_t.update().values(heard_at=heard))
    assert link_of(province, "test", heard + timedelta(seconds=119)).live
    link = link_of(province, "test", heard + timedelta(minutes=2))
    assert not link.live
    assert link.word() == "mất kết nối từ 09:12"
    assert link.word("en") == "cut off since 09:12"


def test_a_quiet_capture_costs_nothing_and_a_snapshot_starts_the_log(
        commune: QueueService) -> None:
    with commune.store.read() as conn:
        from queue_kiosk.store.tables import ship_log_t

        first = conn.execute(select(func.count()).select_from(ship_log_t)).scalar()
    assert first and not shiplog.install(commune.store)  # installed once, not again
    before = shiplog.newest(commune.store)
    commune.issue("B")
    written = shiplog.pending(commune.store, before, 100)
    # The number's series, the ticket, its event: in the order they were written.
    assert [(e.tbl, e.op) for e in written] == [
        ("day_series", "I"), ("ticket", "I"), ("ticket_event", "I")]


def test_the_province_books_the_commune_checks_in_and_cancels_the_room_stays_right(
        tmp_path: Path, province: Store) -> None:
    """The province owns a slot's room and the making of bookings; the commune what happens
    to them. A slot filled at the province, sent down, one booking cancelled at the commune's
    desk and one checked in while the link is down: once back, the province has the room of
    one booking again (once, whatever is resent), and books it, and no more."""
    store = Store(f"sqlite:///{tmp_path / 'commune.db'}")
    upgrade(store)
    clock = FrozenClock(MORNING)
    here = make_service(store, clock, booking_hall())
    shiplog.install(store)
    token = new_token(province, "test")
    ship(store, province, token)
    there = Appointments(QueueService(province, site="test", clock=FrozenClock(MORNING)))
    slot = next(s for s in there.slots("B", DAY) if s.capacity >= 2)
    codes = [there.book("B", DAY, slot.slot_start, phone="0912345678").code
             for _ in range(slot.capacity)]
    with pytest.raises(Refused):
        there.book("B", DAY, slot.slot_start)

    # Sent down in an answer the shipper never took (killed): the province has sent them,
    # so they are the centre's already, and they are sent again.
    assert len(ingest(province, "test", token, shiplog.acked(store), [], datetime.now(UTC),
                      MORNING).bookings) == len(codes)
    with pytest.raises(Refused, match="please call the centre"):
        there.cancel(codes[0])  # online, at the province: the centre owns it now
    ship(store, province, token)  # the bookings go down ahead of their day
    desk = Appointments(here)
    assert sorted(b.code for b in desk.day_list(DAY)) == sorted(codes)
    with store.read() as conn:  # the turn-near notice, sent from the commune, needs it
        phones = set(conn.execute(select(booking_t.c.phone)).scalars())
    assert phones == {"0912345678"}

    desk.cancel(codes[0])  # offline: nothing shipped in between
    at(clock, slot.slot_start)
    ticket = desk.checkin(codes[1])
    ship(store, province, token)
    ship(store, province, token)  # sent again: the room is given back once
    assert copy_differences(store, province, "test") == []
    assert there.find(codes[0]).status == "cancelled"
    assert there.find(codes[1]).status == "checked_in"
    room = next(s for s in there.slots("B", DAY) if s.slot_start == slot.slot_start)
    assert (room.booked, room.capacity) == (slot.capacity - 1, slot.capacity)
    there.book("B", DAY, slot.slot_start)
    with pytest.raises(Refused):
        there.book("B", DAY, slot.slot_start)
    assert ticket.number
    store.dispose()


def test_a_commune_on_postgresql_ships_the_same(province: Store) -> None:
    """A commune running its own PostgreSQL: the triggers there (`to_jsonb`, the advisory
    lock that makes seq order commit order) give the same copy."""
    from tests.conftest import postgres_url

    schemas = postgres_url()
    url = next(schemas)  # a second schema: the commune's own server
    store = Store(url)
    try:
        upgrade(store)
        here = make_service(store, FrozenClock(MORNING), small_hall())
        assert shiplog.install(store) and not shiplog.install(store)
        work(here, 5)
        token = new_token(province, "test")
        ship(store, province, token)
        assert copy_differences(store, province, "test") == []
        shiplog.remove(store)
        before = shiplog.newest(store)
        here.issue("B")
        assert shiplog.newest(store) == before  # no triggers, no log
    finally:
        store.dispose()
        next(schemas, None)  # drops the schema


READ_ONLY = ("Trung tâm test gửi dữ liệu từ xã lên tỉnh (chạy độc lập): dữ liệu ở tỉnh chỉ để "
             "xem; thao tác tại máy của xã")


def test_a_shipped_centre_is_read_only_at_the_province(
        commune: QueueService, province: Store) -> None:
    """Every change of a shipping commune started at the province is refused in one line and
    changes nothing; reading works, the ingest still applies, and the province's own centre
    (on its database) is unaffected."""
    token = new_token(province, "test")
    work(commune, 2)
    commune.issue("B")  # one waiting
    ship(commune.store, province, token)
    clock = FrozenClock(MORNING)
    there = QueueService(province, site="test", clock=clock)
    admin = HallAdmin(there)
    draft = admin.draft()
    renamed = draft.hall.model_copy(update={
        "site": draft.hall.site.model_copy(update={"name": "Trung tâm khác"})})
    changes: list[Callable[[], object]] = [
        lambda: there.issue("B"), lambda: there.call_next("1"), lambda: there.pause("1"),
        lambda: there.close_field("B", "Hết giờ"), lambda: close_day(there),
        lambda: admin.apply(draft, renamed), lambda: load_catalog(province, small_hall()),
        lambda: StaffDirectory(there).add("cb9", "Cán bộ", "2468"),
        lambda: CentreCalendar(there).set_day(MORNING.date(), open_=False, reason="Nghỉ"),
    ]
    for change in changes:
        with pytest.raises(Refused) as refused:
            change()
        assert refused.value.message("vi") == READ_ONLY
    assert copy_differences(commune.store, province, "test") == []  # nothing changed
    assert [t.number for t in there.waiting("1")] == [t.number for t in commune.waiting("1")]

    commune.issue("A1")  # the ingest writes the commune's rows
    ship(commune.store, province, token)
    assert copy_differences(commune.store, province, "test") == []
    own = QueueService(province, site=load_hall(default_hall_path()).site.code, clock=clock)
    own.pause("1")  # a centre on the province's database, as before
    assert own.resume("1").paused_reason is None


def test_issuing_for_a_shipped_centre_at_the_province_fails_in_one_line(
        commune: QueueService, province: Store, pg_url: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    ship(commune.store, province, new_token(province, "test"))
    monkeypatch.setenv("QUEUE_KIOSK_DB", pg_url)
    monkeypatch.setenv("QUEUE_KIOSK_NOW", MORNING.isoformat())
    assert main(["issue", "B", "--site", "test"]) != 0
    err = capsys.readouterr().err
    assert err == f"queue-kiosk: {READ_ONLY}\n"
    assert copy_differences(commune.store, province, "test") == []
