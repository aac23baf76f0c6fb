"""Local first, end to end: a commune on SQLite works while its shipper (`queue-kiosk ship`,
a process) cannot reach the province's `serve` (a process, on PostgreSQL); the link comes back,
the province's copy equals the commune's row by row, in order, and the province's view of the
link said "mất kết nối" during the outage and is live within 2 s of the catch-up. The same
with the shipper killed (-9) mid-batch and with the province's server restarted mid-batch."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bench.harness import answers
from queue_kiosk.config.hall import default_hall_path, load_hall
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.ops.shipping import link_state, new_token
from queue_kiosk.service.appointments import Appointments
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store import shiplog
from queue_kiosk.store.migrate import upgrade
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import booking_t, event_t, ship_site_t, site_t
from tests.conftest import MORNING, make_service
from tests.ops.shipped import copy_differences
from tests.store.test_appointments import DAY, booking_hall

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
COMMAND = [sys.executable, "-m", "queue_kiosk"]
PROVINCE_SITE = load_hall(default_hall_path()).site.code


class Province:
    """The province's database and its `serve`, stopped and started on one port."""

    def __init__(self, url: str, folder: Path) -> None:
        self.store = Store(url)
        upgrade(self.store)
        load_catalog(self.store, load_hall(default_hall_path()), FrozenClock(MORNING))
        self.token = new_token(self.store, "test")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        # The queue's clock says which bookings are still to come; the link's is real time.
        self.env = {**os.environ, "QUEUE_KIOSK_DB": url, "QUEUE_KIOSK_SITE": PROVINCE_SITE,
                    "HOME": str(folder), "QUEUE_KIOSK_NOW": MORNING.isoformat()}
        self.server: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.server = subprocess.Popen([*COMMAND, "serve", "--port", str(self.port)],
                                       env=self.env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
        until(lambda: answers(f"{self.url}/health"), "serve answers /health", 30)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        assert self.server is not None
        self.server.send_signal(sig)
        self.server.wait(timeout=10)
        self.server = None

    def applied(self) -> int:
        with self.store.read() as conn:
            return int(conn.execute(select(ship_site_t.c.applied)
                                    .where(ship_site_t.c.code == "test")).scalar_one())



def until(ready: Callable[[], bool], what: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.05)


@pytest.fixture
def province(pg_url: str, tmp_path: Path) -> Iterator[Province]:
    province = Province(pg_url, tmp_path)
    province.start()
    yield province
    if province.server is not None:
        province.stop()
    province.store.dispose()


@pytest.fixture
def commune(tmp_path: Path) -> Iterator[QueueService]:
    url = f"sqlite:///{tmp_path / 'commune.db'}"
    store = Store(url)
    upgrade(store)
    service = make_service(store, FrozenClock(MORNING), booking_hall())
    shiplog.install(store)  # as the shipper's first start does
    yield service
    store.dispose()


class Shipper:
    def __init__(self, commune: QueueService, province: Province, folder: Path) -> None:
        self.env = {**os.environ, "QUEUE_KIOSK_DB": str(commune.store.engine.url),
                    "QUEUE_KIOSK_SHIP_TOKEN": province.token, "HOME": str(folder)}
        self.url = province.url
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [*COMMAND, "ship", "--to", self.url, "--retry-max", "0.3"], env=self.env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()  # SIGKILL: no goodbye, no clean-up
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def shipper(commune: QueueService, province: Province,
            tmp_path: Path) -> Iterator[Shipper]:
    shipper = Shipper(commune, province, tmp_path)
    shipper.start()
    yield shipper
    shipper.stop()


def hall_hour(service: QueueService, clock: FrozenClock, tickets: int) -> None:
    """An hour of the hall: tickets issued and called through the hour, half of them served."""
    for n in range(tickets):
        clock.advance(timedelta(minutes=60 / tickets))
        service.issue("B" if n % 2 else "C")
        if n % 2:
            if service.call_next("1") is not None:
                service.finish("1")


def caught_up(province: Province, commune: QueueService) -> Callable[[], bool]:
    return lambda: province.applied() == shiplog.newest(commune.store)


def has_booking(commune: QueueService, code: str) -> bool:
    with commune.store.read() as conn:
        return conn.execute(select(booking_t.c.id).where(booking_t.c.code == code)).first() \
            is not None


def events_in_order(commune: QueueService, province: Province) -> None:
    with commune.store.read() as conn:
        here = conn.execute(select(event_t.c.kind, event_t.c.at)
                            .order_by(event_t.c.id)).all()
    with province.store.read() as conn:
        site_id = conn.execute(select(site_t.c.id).where(site_t.c.code == "test")).scalar()
        there = conn.execute(select(event_t.c.kind, event_t.c.at)
                             .where(event_t.c.site_id == site_id).order_by(event_t.c.id)).all()
    assert [tuple(r) for r in there] == [tuple(r) for r in here]


def test_an_hour_cut_off_then_caught_up(commune: QueueService, province: Province,
                                        shipper: Shipper) -> None:
    clock = commune.clock
    assert isinstance(clock, FrozenClock)
    commune.issue("B")
    until(caught_up(province, commune), "the first ticket at the province", 20)
    first = link_state(province.store, "test", datetime.now(UTC))
    assert first is not None and first.live

    province.stop()  # the link is down: the shipper cannot reach the province
    started = time.monotonic()
    hall_hour(commune, clock, 120)
    assert time.monotonic() - started < 30  # the hall did not wait for the province
    # Citizens book on the province's pages meanwhile (its database is up, the link not).
    booked = Appointments(QueueService(province.store, site="test", clock=FrozenClock(
        MORNING))).book("B", DAY + timedelta(days=1)).code
    an_hour_later = datetime.now(UTC) + timedelta(hours=1)
    cut_off = link_state(province.store, "test", an_hour_later)
    assert cut_off is not None and not cut_off.live
    assert cut_off.word().startswith("mất kết nối từ ")
    assert province.applied() < shiplog.newest(commune.store)

    province.start()  # the link is back
    until(lambda: has_booking(commune, booked), "the booking sent down", 60)
    until(caught_up(province, commune), "the catch-up", 60)
    done = datetime.now(UTC)
    link = link_state(province.store, "test", done)
    assert link is not None and link.live and link.word() == "trực tuyến"
    assert link.heard_at is not None and abs(link.heard_at - done) < timedelta(seconds=2)
    assert copy_differences(commune.store, province.store, "test") == []
    events_in_order(commune, province)
    assert Appointments(commune).find(booked).status == "booked"  # to check in offline


@pytest.mark.parametrize("crash", ["shipper", "province"])
def test_killed_mid_batch_nothing_lost_nothing_twice(
        commune: QueueService, province: Province, shipper: Shipper, crash: str) -> None:
    clock = commune.clock
    assert isinstance(clock, FrozenClock)
    province.stop()
    hall_hour(commune, clock, 800)  # a backlog of some batches
    province.start()
    target = shiplog.newest(commune.store)
    until(lambda: province.applied() > 0, "a first batch", 30)
    if crash == "shipper":
        shipper.kill()
        shipper.start()
    else:
        province.stop(signal.SIGKILL)
        province.start()
    assert province.applied() < target  # the crash came mid-way
    until(caught_up(province, commune), "the catch-up", 60)
    assert copy_differences(commune.store, province.store, "test") == []
    events_in_order(commune, province)


def test_a_week_offline_ships_a_backlog_of_20000_entries(
        commune: QueueService, province: Province, tmp_path: Path) -> None:
    from queue_kiosk.ops.shipper import Shipper as InProcess

    clock = commune.clock
    assert isinstance(clock, FrozenClock)
    from queue_kiosk.service.day_end import close_day

    # Seven working days (Wednesday to the next Thursday), each closed as a centre does.
    for n, day in enumerate((0, 1, 2, 5, 6, 7, 8)):
        clock.set(MORNING + timedelta(days=day))
        while shiplog.newest(commune.store) < (n + 1) * 20_000 // 7:
            commune.issue("B" if shiplog.newest(commune.store) % 2 else "C")
            if commune.call_next("1") is not None:
                commune.finish("1")
        close_day(commune)
    assert shiplog.newest(commune.store) >= 20_000
    applied = InProcess(commune.store, province.url, province.token).ship_pending()
    assert applied == shiplog.newest(commune.store) == province.applied()
    assert copy_differences(commune.store, province.store, "test") == []
    events_in_order(commune, province)


def test_a_province_restored_from_an_older_backup_is_sent_again_what_it_lost(
        commune: QueueService, province: Province, shipper: Shipper) -> None:
    for _ in range(5):
        commune.issue("B")
    until(caught_up(province, commune), "the catch-up", 30)
    with province.store.begin() as conn:  # the province went back to an older copy
        conn.execute(ship_site_t.update().values(applied=3))
    commune.issue("C")  # the shipper is told 409 and sends again from 3
    until(caught_up(province, commune), "the second catch-up", 30)
    assert copy_differences(commune.store, province.store, "test") == []
    events_in_order(commune, province)
