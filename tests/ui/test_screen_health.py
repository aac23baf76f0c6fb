"""A screen says it is alive from a timer; an administrator's counter is told of a screen
that stopped; a feed that died shows as an outage, never as a frozen board."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.worker import Worker, WorkerState

from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.ops.heartbeat import Heartbeat, screens_seen
from queue_kiosk.service.facade import QueueService
from tests.ui.conftest import Factory, settle
from tests.ui.test_counter import sign_in


async def test_a_display_beats_and_forgets_itself_when_closed_on_purpose(
        app_for: Factory, service: QueueService, clock: FrozenClock) -> None:
    app = app_for("display")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        [seen] = screens_seen(service.store, clock.now())
        assert (seen.role, seen.alive) == ("display", True)
        assert app.heartbeat is not None
        app.heartbeat.stop()  # what the launcher does once the app has closed
    assert screens_seen(service.store, clock.now()) == []


async def test_an_admin_is_told_of_a_screen_that_stopped(
        app_for: Factory, service: QueueService, clock: FrozenClock) -> None:
    earlier = QueueService(service.store, clock=FrozenClock(clock.now()
                                                             - timedelta(minutes=5)))
    Heartbeat(earlier, "kiosk", client="192.168.1.30").beat()
    app = app_for("counter", counter="1")
    notes: list[str] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "admin", "13579")
        await settle(pilot, rounds=5)
        notes = [str(n.message) for n in app._notifications]
    assert any("Màn hình không thấy tín hiệu quá 2 phút: kiosk @" in n for n in notes), notes


async def test_a_feed_follower_that_died_shows_the_outage_banner(app_for: Factory) -> None:
    app = app_for("display")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        [feed] = [w for w in app.workers if w.group == "feed"]
        feed._error = RuntimeError("boom")
        app.on_worker_state_changed(Worker.StateChanged(feed, WorkerState.ERROR))
        await pilot.pause()
        assert app.store_problem is not None and "RuntimeError" in app.store_problem


async def test_a_display_without_a_sound_player_says_so_at_start(
        app_for: Factory, monkeypatch: pytest.MonkeyPatch) -> None:
    from queue_kiosk.voice import announce

    monkeypatch.setattr(announce, "system_player", lambda: None)
    unheard = announce.Announcer(announce.VoiceSettings(use_espeak=False))
    app = app_for("display", announcer=unheard)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        notes = [str(n.message) for n in app._notifications]
    assert any("Không có chương trình phát âm thanh" in n for n in notes), notes
    muted = announce.Announcer(announce.VoiceSettings(use_espeak=False), mute=True)
    app = app_for("display", announcer=muted)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert not [n for n in app._notifications if "phát âm thanh" in str(n.message)]


async def test_an_admin_counter_shows_the_sites_open_alerts(
        app_for: Factory, service: QueueService, clock: FrozenClock) -> None:
    from queue_kiosk.service.alerts import evaluate

    service.issue("C")
    service.pause("2", "Đi họp")
    clock.advance(minutes=5)
    evaluate(service)
    app = app_for("counter", counter="1")
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "admin", "13579")
        await settle(pilot, rounds=5)
        notes = [str(n.message) for n in app._notifications]
    assert "Cảnh báo: Lĩnh vực Đất đai: 1 người chờ, không quầy nào mở" in notes, notes


async def test_a_display_raises_its_sites_alerts_and_its_own_voice_problem(
        app_for: Factory, service: QueueService, clock: FrozenClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from queue_kiosk.service.alerts import open_alerts
    from queue_kiosk.voice import announce

    monkeypatch.setattr(announce, "system_player", lambda: None)
    unheard = announce.Announcer(announce.VoiceSettings(use_espeak=False))
    service.issue("B")
    clock.advance(minutes=25)
    app = app_for("display", announcer=unheard)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await app.evaluate_alerts().wait()
    assert sorted(a.kind for a in open_alerts(service.store)) == ["voice", "wait"]
