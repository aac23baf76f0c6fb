from __future__ import annotations

from queue_kiosk.domain.estimates import service_minutes, wait_minutes


def test_configured_minutes_until_enough_observations() -> None:
    assert service_minutes([], 12) == 12
    assert service_minutes([3, 4], 12) == 12


def test_median_of_observations_once_there_are_enough() -> None:
    assert service_minutes([3, 5, 40], 12) == 5


def test_a_floor_keeps_estimates_positive() -> None:
    assert service_minutes([0, 0, 0], 12) == 0.5


def test_wait_divides_by_open_counters_and_rounds_up() -> None:
    assert wait_minutes(3, 10, 1) == 30
    assert wait_minutes(3, 10, 2) == 15
    assert wait_minutes(1, 4, 3) == 2
    assert wait_minutes(0, 10, 1) == 0


def test_no_open_counter_means_no_estimate() -> None:
    assert wait_minutes(3, 10, 0) is None
