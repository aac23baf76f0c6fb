"""Running screens pick up a hall configuration loaded by another process within seconds."""

from __future__ import annotations

import time
from typing import Any

from queue_kiosk.config.hall import CounterConfig, HallConfig
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.screens.display import CounterTile
from queue_kiosk.screens.kiosk import FieldButton
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.service.facade import QueueService
from tests.ui.conftest import Factory, settle

PICKUP_SECONDS = 5


def _loaded_elsewhere(service: QueueService, hall: HallConfig, clock: FrozenClock) -> None:
    """`init --config` from another process: a service of its own, nothing shared."""
    extra = CounterConfig(code="6", name="Hộ tịch (thêm)", fields=["B"])
    load_catalog(service.store, hall.model_copy(update={
        "fields": [f for f in hall.fields if f.code != "V"],
        "counters": [*[c.model_copy(update={"fields": [x for x in c.fields if x != "V"]})
                       for c in hall.counters], extra]}), clock)


async def _until(pilot: object, done: object, seconds: float = PICKUP_SECONDS) -> float:
    started = time.monotonic()
    while not done():  # type: ignore[operator]
        assert time.monotonic() - started < seconds, "the screen kept the old catalogue"
        await pilot.pause(0.1)  # type: ignore[attr-defined]
    return time.monotonic() - started


def offered(app: Any) -> set[str]:
    """The fields the kiosk's buttons offer now."""
    return {b.field.code for b in app.screen.query(FieldButton)}


async def test_a_running_kiosk_offers_the_fields_of_a_new_catalogue(
        app_for: Factory, service: QueueService, default_hall: HallConfig,
        clock: FrozenClock) -> None:
    app = app_for("kiosk")
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        assert "V" in offered(app)
        _loaded_elsewhere(QueueService(service.store, clock=clock), default_hall, clock)
        await _until(pilot, lambda: "V" not in offered(app))
        await settle(pilot)
        await pilot.press("2")  # Hộ tịch still works, from the new catalogue
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert service.board().waiting  # the ticket was issued
        assert any(q.field == "B" and q.waiting == 1 for q in service.field_queues())


async def test_a_running_display_shows_a_counter_added_at_noon(
        app_for: Factory, service: QueueService, default_hall: HallConfig,
        clock: FrozenClock) -> None:
    app = app_for("display")
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        assert not app.screen.query("#tile-6")
        _loaded_elsewhere(QueueService(service.store, clock=clock), default_hall, clock)
        await _until(pilot, lambda: bool(app.screen.query("#tile-6")))
        service.refresh()
        service.issue("B")
        service.call_next("6")
        await _until(pilot, lambda: app.screen.query_one(
            "#tile-6", CounterTile).has_class("-idle") is False)


async def test_screens_rebuild_even_when_an_action_reloaded_the_catalogue_first(
        app_for: Factory, service: QueueService, default_hall: HallConfig,
        clock: FrozenClock) -> None:
    # A citizen's tap can reach the store before the feed wakes: the action reloads the
    # shared service's catalogue, and the screen must still be rebuilt from it.
    app = app_for("kiosk")
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        _loaded_elsewhere(QueueService(service.store, clock=clock), default_hall, clock)
        service.issue("B")  # reloads the catalogue on the way (its version moved)
        await _until(pilot, lambda: "V" not in offered(app))
