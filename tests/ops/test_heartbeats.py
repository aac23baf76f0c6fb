"""Heartbeats: at most one write a minute per screen, on both databases; a clean exit is
forgotten, a screen that died is reported; the screens beat from a timer."""

from __future__ import annotations

from datetime import timedelta

from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.ops import heartbeat
from queue_kiosk.ops.heartbeat import Heartbeat, screens_seen, stopped_note
from queue_kiosk.service.facade import QueueService


def test_a_screen_writes_at_most_once_a_minute_and_a_clean_exit_is_forgotten(
        service: QueueService) -> None:
    kiosk = Heartbeat(service, "kiosk")
    assert [kiosk.beat(), kiosk.beat()] == [True, False]
    assert kiosk.written is not None
    kiosk.written -= heartbeat.BEAT_SECONDS - 1
    assert not kiosk.beat()
    kiosk.written -= 2  # a minute since the last write
    assert kiosk.beat()
    Heartbeat(service, "counter", counter="2", client="192.168.1.20").beat()
    seen = screens_seen(service.store, service.clock.now(), service.site_id)
    assert sorted(s.name.split(" @")[0] for s in seen) == ["counter 2", "kiosk"]
    assert all(s.alive and s.version for s in seen)
    kiosk.stop()
    assert [s.role for s in screens_seen(service.store, service.clock.now())] == ["counter"]


def test_a_restarted_screen_takes_its_row_and_a_silent_one_is_told_to_admins(
        service: QueueService) -> None:
    assert stopped_note(service, "vi") is None
    Heartbeat(service, "display").beat()
    Heartbeat(service, "display").beat()  # the same screen started again: one row
    assert len(screens_seen(service.store, service.clock.now())) == 1
    later = QueueService(service.store, clock=FrozenClock(service.clock.now()
                                                          + timedelta(minutes=3)))
    note = stopped_note(later, "en")
    assert note is not None and "display @" in note
    long_after = QueueService(service.store, clock=FrozenClock(service.clock.now()
                                                               + timedelta(hours=13)))
    assert stopped_note(long_after, "vi") is None  # yesterday's tab closed: forgotten
