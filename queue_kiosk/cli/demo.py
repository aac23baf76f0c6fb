"""Provides the throwaway demo centre: a temporary store, the bundled catalogue, a demo
official and PNG ticket previews, optionally pre-filled with a busy morning."""

from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

from queue_kiosk.config.hall import HallConfig, default_hall_path, load_hall
from queue_kiosk.domain.clock import Clock
from queue_kiosk.domain.errors import QueueError
from queue_kiosk.reports.typical_day import TYPICAL_SHARES
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.staff import StaffDirectory
from queue_kiosk.store.migrate import upgrade
from queue_kiosk.store.store import Store

DEMO_STAFF, DEMO_PIN = "demo", "1234"
DEMO_ADMIN, DEMO_ADMIN_PIN = "admin", "9999"


@dataclass(frozen=True)
class Demo:
    service: QueueService
    folder: Path
    previews: Path


def demo_hall() -> HallConfig:
    """The bundled catalogue, open at any hour so the demo works in the evening too."""
    hall = load_hall(default_hall_path())
    hours = hall.hours.model_copy(update={"enforce": False})
    kiosk = hall.kiosk.model_copy(update={"min_seconds_between_tickets": 1})
    return hall.model_copy(update={"hours": hours, "kiosk": kiosk})


def create_demo(clock: Clock, seed: int | None = None) -> Demo:
    folder = Path(tempfile.mkdtemp(prefix="queue-kiosk-demo-"))
    store = Store(f"sqlite:///{folder / 'demo.db'}")
    upgrade(store)
    load_catalog(store, demo_hall(), clock)
    service = QueueService(store, clock=clock)
    directory = StaffDirectory(service)
    directory.add(DEMO_STAFF, "Cán bộ Demo", DEMO_PIN)
    directory.add(DEMO_ADMIN, "Quản trị Demo", DEMO_ADMIN_PIN, role="admin")
    if seed is not None:
        busy_morning(service, seed)
    return Demo(service, folder, folder / "tickets")


def busy_morning(service: QueueService, seed: int, tickets: int = 40) -> None:
    """A morning surge: tickets across fields (more for Hộ tịch and Chứng thực), some
    priority, a few already called, one counter in a meeting."""
    rng = random.Random(seed)
    codes = [f.code for f in service.catalog.fields.values()]
    priorities = [p.code for p in service.catalog.hall.priorities]
    for _ in range(tickets):
        code = rng.choices(codes, [TYPICAL_SHARES.get(c, 1) for c in codes])[0]
        priority = rng.choice(priorities) if priorities and rng.random() < 0.15 else None
        service.issue(code, priority=priority)
    for counter in list(service.catalog.counters.values())[:3]:
        try:
            service.call_next(counter.code, staff=DEMO_STAFF)
        except QueueError:
            continue
    last = list(service.catalog.counters.values())[-2]
    if service.current(last.code) is None:
        service.pause(last.code, "Đi họp", staff=DEMO_STAFF)
