"""A hall configuration loaded while the hall runs (`init --config` at noon): numbering never
repeats within a day, processes holding the old catalogue follow the new one at their next
action, and a load that would leave waiting citizens with no counter is refused whole."""

from __future__ import annotations

import pytest

from queue_kiosk.config.hall import HallConfig, parse_hall
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.domain.errors import ConfigError, NotFound
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.store import Store
from tests.conftest import small_hall


def edited(hall: HallConfig, **changes: object) -> HallConfig:
    """The hall as a centre would edit its file: the same TOML with some parts changed."""
    data = hall.model_dump()
    data.update(changes)
    return HallConfig.model_validate(data)


def test_moving_a_number_block_never_hands_out_a_number_twice(
        service: QueueService, store: Store, clock: FrozenClock) -> None:
    first = [service.issue("C").number for _ in range(6)]
    assert first == ["1001", "1002", "1003", "1004", "1005", "1006"]
    hall = small_hall()
    fields = [f.model_dump() for f in hall.fields]
    fields[2]["block"] = 1005  # the centre moves Đất đai's block at noon
    load_catalog(store, edited(hall, fields=fields), clock)
    service.refresh()
    later = [service.issue("C").number for _ in range(3)]
    assert later == ["1007", "1008", "1009"]
    assert len(set(first + later)) == 9


def test_a_process_with_the_old_catalogue_follows_the_new_one_at_its_next_action(
        service: QueueService, store: Store, clock: FrozenClock) -> None:
    service.issue("B")
    running_kiosk = QueueService(store, clock=clock)
    running_counter = QueueService(store, clock=clock)
    hall = small_hall()
    # Chứng thực (A) is dropped; counter 1 now takes Đất đai only, counter 2 both others.
    counters = [c.model_dump() for c in hall.counters]
    counters[0]["fields"], counters[1]["fields"] = ["C"], ["C", "B"]
    load_catalog(store, edited(hall, fields=[f.model_dump() for f in hall.fields[1:]],
                                counters=counters), clock)
    with pytest.raises(NotFound, match="'A'"):
        running_kiosk.issue("A")  # not a ticket for a field that no longer exists
    assert running_counter.call_next("1") is None  # B001 is no longer counter 1's to call
    called = running_counter.call_next("2")
    assert called is not None and called.number == "B001"
    load_catalog(store, edited(small_hall(recall_limit=5)), clock)  # again, at noon
    finished = running_counter.finish("2")  # holding the catalogue before this load
    assert finished.status == "done" and running_counter.catalog.hall.policy.recall_limit == 5


def test_a_load_that_would_strand_waiting_citizens_is_refused_whole(
        service: QueueService, store: Store, clock: FrozenClock) -> None:
    service.issue("B")
    service.issue("B")
    hall = small_hall()
    counters = [c.model_dump() for c in hall.counters]
    counters[0]["fields"] = ["A"]  # nobody would serve Hộ tịch any more
    before = service.catalog_view()
    with pytest.raises(ConfigError) as refused:
        load_catalog(store, edited(hall, counters=counters), clock)
    assert "B (Hộ tịch): 2" in refused.value.message("vi")
    service.refresh()
    assert service.catalog_view() == before  # nothing of the load was kept
    # With the waiting citizens dealt with first, the same load goes through.
    service.close_field("B", "Chuyển quầy", cancel_waiting=True)
    load_catalog(store, edited(hall, counters=counters), clock)


def test_a_counter_with_a_citizen_at_it_cannot_be_removed(
        service: QueueService, store: Store, clock: FrozenClock) -> None:
    service.issue("C")
    service.call_next("2")
    hall = small_hall()
    with pytest.raises(ConfigError, match="C \\(Đất đai\\): 1"):
        load_catalog(store, edited(hall, counters=[hall.counters[0].model_dump()]), clock)


def test_a_hall_toml_edited_and_loaded_again_keeps_numbers_unique_on_disk(
        store: Store, clock: FrozenClock) -> None:
    # The same through parse_hall, as `init --config` reads it, with a prefix change.
    toml = """
[site]
code = "x"
name = "Trung tâm Phục vụ hành chính công xã X"
[hours]
enforce = false
[[fields]]
code = "B"
prefix = "{prefix}"
name = "Hộ tịch"
[[counters]]
code = "1"
name = "Hộ tịch"
fields = ["B"]
"""
    load_catalog(store, parse_hall(toml.format(prefix="B")), clock)
    service = QueueService(store, clock=clock)
    assert service.issue("B").number == "B001"
    load_catalog(store, parse_hall(toml.format(prefix="HT")), clock)
    assert service.issue("B").number == "HT001"  # the running kiosk took the new prefix
    load_catalog(store, parse_hall(toml.format(prefix="B")), clock)
    assert service.issue("B").number == "B002"
