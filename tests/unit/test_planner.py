"""The staffing planner on halls small enough that the best plan is known by hand."""

from __future__ import annotations

from typing import Any

import pytest

from queue_kiosk.config.hall import CounterHours, HallConfig, parse_hall
from queue_kiosk.domain import routing
from queue_kiosk.domain.errors import ConfigError
from queue_kiosk.reports import plan_files, planner, workload
from tests.conftest import small_hall

# small_hall: counter 1 serves Hộ tịch (B, 12 min) then Chứng thực (A); counter 2 Đất đai (C).


def only(code: str, per_hour: float, hall: HallConfig) -> workload.Demand:
    hours = [hour.clock_hour for hour in workload.opening_hours(hall)]
    return workload.Demand({code: dict.fromkeys(hours, per_hour)})


def test_an_idle_counter_takes_the_overloaded_field() -> None:
    """All citizens want B, which only counter 1 serves, at 8 an hour against its 5: the
    best plan has counter 2 (idle) serve B too, and then the two counters are one line."""
    hall = small_hall()
    report = planner.make_plan(hall, only("B", 8, hall), seeds=3)
    assert report.proposal.counters == {"1": {"primary": ["B"], "secondary": ["A"]},
                                        "2": {"primary": ["C"], "secondary": ["B"]}}
    assert report.proposal.p95_minutes == report.pooled.p95_minutes
    assert report.proposal.p95_minutes < report.current.p95_minutes / 3
    assert report.verdict.startswith("Quầy 2 nhận thêm Hộ tịch (khi quầy hết người")
    assert f"95% công dân chờ không quá {round(report.proposal.p95_minutes)} phút thay vì " \
           f"{round(report.current.p95_minutes)} phút" in report.verdict
    assert report.verdict_en.startswith("Counter 2 also serves Hộ tịch (when its own line")


def test_a_field_no_counter_serves_is_served_first() -> None:
    """Chứng thực (A) left off every counter: its citizens would never be called, and their
    waits would vanish from the figures; the proposal gives it a counter before anything."""
    hall = small_hall()
    hall = hall.model_copy(update={"counters": [
        hall.counters[0].model_copy(update={"fields": ["B"]}), hall.counters[1]]})
    demand = workload.Demand({"A": {9: 3.0, 14: 3.0}, "B": {8: 3.0, 13: 3.0}})
    report = planner.make_plan(hall, demand, seeds=2)
    assert report.current.unserved["A"] >= 4 and "A" not in report.current.fields
    assert report.proposal.unserved == {} and report.proposal.fields["A"].max_minutes < 60
    assert any("A" in roles["secondary"] for roles in (report.proposal.counters or {}).values())
    assert "Không quầy nào gọi (số công dân): A (" in "\n".join(
        plan_files.describe(report.current, "vi"))


def test_a_counter_never_takes_a_field_its_official_may_not_serve() -> None:
    hall = small_hall()
    report = planner.make_plan(hall, only("B", 8, hall), competence={"2": ["C"]}, seeds=3)
    assert report.proposal.counters == report.current.counters
    assert report.proposal.p95_minutes == report.current.p95_minutes
    assert report.verdict.startswith("Giữ nguyên cách bố trí quầy")


def test_the_plan_calls_through_the_products_routing(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    real = routing.choose_next

    def counted(*args: Any) -> Any:
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(routing, "choose_next", counted)
    hall = small_hall()
    planner.evaluate(hall, planner.current_plan(hall), [workload.citizens_of(
        hall, only("B", 4, hall), seed=1)])
    assert len(calls) >= 4 * 7  # a call per citizen at least, on the 7.5-hour day


@pytest.mark.parametrize("mode", ["strict", "interleave"])
def test_no_citizen_is_called_before_an_earlier_one_of_the_same_field_and_class(
        mode: str) -> None:
    hall = small_hall(priority_mode=mode, secondary_max_wait_minutes=5)
    demand = workload.Demand({code: dict.fromkeys(
        (h.clock_hour for h in workload.opening_hours(hall)), rate)
        for code, rate in (("A", 6), ("B", 4), ("C", 2))})
    days = planner.plan_days(hall, demand, 4)
    start = planner.current_plan(hall)
    for plan in (start, planner.pooled_plan(hall, start), planner.propose(hall, start, days)):
        outcome = planner.evaluate(hall, plan, days)
        assert outcome.overtakes == 0
        assert sum(len(day) for day in days) > 300  # the property was tried on real lines


def test_typical_demand_keeps_the_days_citizens(default_hall: HallConfig) -> None:
    demand = workload.typical_demand(default_hall, 300)
    assert demand.total == pytest.approx(300)
    by_hour = {hour: sum(h.get(hour, 0) for h in demand.per_hour.values())
               for hour in (7, 8, 12, 13, 16)}
    assert by_hour[12] == 0  # lunch
    assert by_hour[7] > by_hour[8] / 2  # the half hour from 07:30 is the morning rush
    assert sum(demand.per_hour["B"].values()) > sum(demand.per_hour["K"].values()) * 10


def test_demand_from_tickets_is_the_average_day_in_opening_hours() -> None:
    hall = small_hall()
    tickets = [("B", 8)] * 6 + [("A", 14)] * 2 + [("B", 12), ("B", 20), ("Z", 8)]
    demand = workload.demand_from_tickets(hall, tickets, days=2)
    assert demand.per_hour["B"] == {8: 3.0}
    assert demand.per_hour["A"] == {14: 1.0}
    assert demand.total == 4.0


def test_a_demand_file_reads_and_its_mistakes_name_their_line() -> None:
    hall = small_hall()
    demand = workload.parse_demand(hall, "field,hour,citizens\nB,8,6\nB,9,4.5\nA,8,2\n", "d.csv")
    assert demand.per_hour["B"] == {8: 6.0, 9: 4.5} and demand.total == 12.5
    for text, message in (
            ("B,8,6\nX,9,1\n", "d.csv: line 2: unknown field 'X' (known: A, B, C)"),
            ("B,12,6\n", "d.csv: line 1: hour must be an opening hour of the hall "
                         "(7, 8, 9, 10, 11, 13, 14, 15, 16), got '12'"),
            ("B,8,many\n", "d.csv: line 1: citizens must be a number from 0 to 10000, "
                           "got 'many'"),
            ("B,8\n", "d.csv: line 1: expected 'field,hour,citizens', got 'B,8'"),
            ("field,hour,citizens\n", "d.csv: no citizens in the demand")):
        with pytest.raises(ConfigError) as caught:
            workload.parse_demand(hall, text, "d.csv")
        assert str(caught.value).startswith(message)


def test_the_officials_file_is_checked_against_the_hall() -> None:
    hall = small_hall()
    assert plan_files.read_competence('[counters]\n"2" = ["C", "B"]\n', "o.toml", ["1", "2"],
                                   hall) == {"2": ["C", "B"]}
    for text, message in (('[counters]\n"9" = ["A"]\n', "counters.9: no such counter"),
                          ('[counters]\n"1" = ["Q"]\n', "counters.1: unknown field 'Q'"),
                          ('[counters]\n"1" = "A"\n', "counters.1: expected a list"),
                          ('"1" = ["A"]\n', "expected one table [counters]")):
        with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
            plan_files.read_competence(text, "o.toml", ["1", "2"], hall)


def test_the_fragment_loads_over_the_hall_and_changes_only_the_counters() -> None:
    hall = small_hall(recall_limit=5)
    land = hall.counters[1].model_copy(update={"hours": CounterHours(
        tue=["07:30-11:30"], thu=["07:30-11:30", "13:30-16:00"])})
    hall = hall.model_copy(update={"counters": [hall.counters[0], land]})
    report = planner.make_plan(hall, only("B", 8, hall), seeds=2)
    text = plan_files.fragment(hall, report)
    assert "[site]" not in text
    loaded = parse_hall(text, "plan.toml", lambda: hall)
    assert [(c.code, c.name, c.fields, c.hours) for c in loaded.counters] == [
        ("1", "Tư pháp - Hộ tịch", ["B", "A"], None), ("2", "Đất đai", ["C", "B"], land.hours)]
    assert loaded.policy.recall_limit == 5  # the rest of the hall as it was
    assert loaded.policy.secondary_max_wait_minutes == report.proposal.secondary_wait_minutes
    assert loaded.model_dump(exclude={"counters", "policy"}) == hall.model_dump(
        exclude={"counters", "policy"})
    with pytest.raises(ConfigError, match="loads only over a hall already in the database"):
        parse_hall(text, "plan.toml", lambda: None)


def test_more_counters_repeat_the_halls_and_the_last_citizen_leaves_in_local_time() -> None:
    hall = small_hall()
    assert planner.current_plan(hall, 4).counters == {
        "1": ("B", "A"), "2": ("C",), "3": ("B", "A"), "4": ("C",)}
    assert workload.clock_time(hall, 0) == "07:30"
    assert workload.clock_time(hall, 240) == "13:30"  # after lunch
    assert workload.clock_time(hall, 450 + 60) == "18:00"
    assert workload.clock_time(hall, 450 + 24 * 60) == "17:00 (+1)"


def test_a_counter_with_hours_calls_no_one_before_or_after_them() -> None:
    plan = planner.Plan({"+": ("C",)}, 0, {"+": (60.0, 120.0)})
    citizens = [workload.Citizen(0.0, "C", False, 10.0),
                workload.Citizen(130.0, "C", False, 10.0)]
    day = planner.run_day(plan, citizens, routing.Rules(), {"C": 3})
    assert day.waits == {"C": [60.0]}  # called at its opening; the second, after, never
    assert day.unserved == {"C": 1}


def test_one_more_counter_is_proposed_for_the_surge_hours() -> None:
    """Đất đai (C) has counter 2 alone and a surge at 9:00; counter 1's official may not
    serve it, so only one more counter helps, and from 9:00."""
    hall = small_hall()
    hours = [hour.clock_hour for hour in workload.opening_hours(hall)]
    demand = workload.Demand({"C": {hour: 12.0 if hour == 9 else 1.0 for hour in hours}})
    report = planner.make_plan(hall, demand, competence={"1": ["B", "A"]}, seeds=3)
    extra = report.extra_counter
    assert extra is not None and extra.opens_at == "09:00" and extra.fields[0] == "C"
    assert extra.p95_minutes < report.proposal.p95_minutes / 2
    assert f"mở thêm một quầy từ 09:00 đến {extra.closes_at}" in report.verdict
    assert "open one more counter from 09:00" in report.verdict_en


def test_no_extra_counter_where_no_one_waits() -> None:
    hall = small_hall()
    report = planner.make_plan(hall, only("C", 1, hall), seeds=2)
    assert report.extra_counter is None and "một quầy" not in report.verdict


def test_a_block_of_hours_ending_at_lunch_ends_when_lunch_starts() -> None:
    hall = small_hall()  # open 7:30–11:30 and 13:30–17:00
    morning_end = sum(hour.minutes for hour in workload.opening_hours(hall)
                      if hour.clock_hour < 12)
    assert workload.closing_time(hall, morning_end) == "11:30"
    assert workload.clock_time(hall, morning_end) == "13:30"  # what starts there
