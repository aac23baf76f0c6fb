"""Property tests of the ticket's life: which action each status allows, recalls, and where
a returning no-show joins its line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from queue_kiosk.domain.models import EventKind, Status
from queue_kiosk.domain.transitions import (
    ALLOWED,
    after_recall,
    allows,
    heads_to_read,
    returned_queue_at,
    taken_elsewhere,
)

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
ENDED = (Status.DONE, Status.EXPIRED, Status.CANCELLED)

# Queue times of the waiting, in line order: all before now, some at the same instant.
lines = st.lists(st.integers(1, 600), max_size=12).map(
    lambda minutes: [NOW - timedelta(minutes=m) for m in sorted(minutes, reverse=True)])


@given(st.sampled_from(list(ALLOWED)), st.sampled_from(list(Status)))
def test_an_ended_ticket_allows_nothing_and_a_waiting_one_only_a_call(action: str,
                                                                      status: Status) -> None:
    if status in ENDED:
        assert not allows(action, status)  # type: ignore[arg-type]
    if status == Status.WAITING:
        assert allows(action, status) == (action == "call")  # type: ignore[arg-type]


def test_only_a_no_show_comes_back_and_only_a_called_one_is_recalled() -> None:
    assert [s for s in Status if allows("return", s)] == [Status.NO_SHOW]
    assert [s for s in Status if allows("recall", s)] == [Status.CALLED]
    assert [s for s in Status if allows("finish", s)] == [Status.CALLED, Status.SERVING]


@given(st.integers(0, 10), st.integers(0, 10))
def test_a_recall_past_the_limit_is_a_no_show(recalls: int, limit: int) -> None:
    expected = EventKind.NO_SHOW if recalls >= limit else EventKind.RECALLED
    assert after_recall(recalls, limit) == expected


def test_only_a_refused_call_names_the_counter_that_has_the_ticket() -> None:
    assert taken_elsewhere("call", Status.CALLED)
    assert not taken_elsewhere("call", Status.DONE)
    assert not taken_elsewhere("finish", Status.CALLED)


@given(lines, st.integers(0, 15))
def test_a_returning_no_show_goes_behind_exactly_return_after_citizens(
        line: list[datetime], return_after: int) -> None:
    at = returned_queue_at(NOW, line[:heads_to_read(return_after)], return_after)
    ahead = [queued for queued in line if queued < at]
    assert at <= NOW
    if len(line) < return_after:
        assert at == NOW  # at the back
    elif return_after == 0:
        assert ahead == []  # at the front
    else:
        # Behind the first `return_after`, and in front of everyone queued after them.
        assert len(ahead) >= return_after
        assert all(queued <= line[return_after - 1] for queued in ahead)
