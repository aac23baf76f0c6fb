"""A commune's day simulated through the real service, and the staffing planner on it."""

from __future__ import annotations

import time

from bench.harness import Result
from queue_kiosk.config.hall import default_hall_path, load_hall


def bench_simulator(quick: bool) -> list[Result]:
    """A commune day through the real service with the injectable clock."""
    from queue_kiosk.reports.simulate import SimulationSettings, simulate

    hall = load_hall(default_hall_path())
    cases = [(300, 5)] if quick else [(300, 5), (1000, 10)]
    results = []
    for tickets, counters in cases:
        by_mode = {}
        for mode in ("interleave", "strict"):
            began = time.perf_counter()
            by_mode[mode] = simulate(hall, SimulationSettings(tickets=tickets, counters=counters,
                                                              priority_mode=mode))
            elapsed = time.perf_counter() - began
        r = by_mode["interleave"]
        results.append(Result(
            f"simulated_day_{tickets}_tickets_{counters}_counters_mean_wait", r.mean_wait,
            "min", r.baseline_mean_wait, round(r.mean_wait / max(r.baseline_mean_wait, 0.1), 2),
            f"p95 {r.p95_wait}, max {r.max_wait}, overtakes {r.overtakes}; longest normal "
            f"wait interleave {r.longest_normal_wait} vs strict "
            f"{by_mode['strict'].longest_normal_wait}; baseline: pooled FCFS "
            f"(p95 {r.baseline_p95_wait}, max {r.baseline_max_wait}); simulated in "
            f"{elapsed:.1f} s"))
    return results


def bench_planner(quick: bool) -> list[Result]:
    """The staffing planner on the bundled hall (300 citizens, 5 counters) and, in the full
    run, on 12 counters (the hall's counters repeated, 720 citizens): the proposal's p95 wait
    against the pooled line's on the same simulated days (the aim: within 1.3×), and the
    planner's run time against one evaluation of the current plan."""
    from queue_kiosk.reports import planner, workload

    hall = load_hall(default_hall_path())
    seeds = 2 if quick else 5
    results: list[Result] = []
    overtakes = plans = 0
    for counters, citizens in [(5, 300)] if quick else [(5, 300), (12, 720)]:
        demand = workload.typical_demand(hall, citizens)
        began = time.perf_counter()
        report = planner.make_plan(hall, demand, counters=counters, seeds=seeds)
        took = time.perf_counter() - began
        began = time.perf_counter()
        planner.evaluate(hall, planner.current_plan(hall, counters),
                         planner.plan_days(hall, demand, seeds))
        once = time.perf_counter() - began
        current, proposal, pooled = report.current, report.proposal, report.pooled
        overtakes += current.overtakes + proposal.overtakes + pooled.overtakes
        plans += 3
        results += [
            Result(f"plan_{counters}_counters_p95", proposal.p95_minutes, "min",
                   pooled.p95_minutes, round(proposal.p95_minutes / pooled.p95_minutes, 2),
                   f"proposal vs one pooled line, {citizens} citizens a day, {seeds} days; "
                   f"current plan p95 {current.p95_minutes} (mean {current.mean_minutes} → "
                   f"{proposal.mean_minutes}, last leaves {current.last_leaves_at} → "
                   f"{proposal.last_leaves_at}); aim ratio ≤ 1.3"),
            Result(f"plan_{counters}_counters_seconds", round(took, 3), "s", round(once, 4),
                   round(round(took, 3) / round(once, 4), 1), "the whole planner against one "
                   "simulation of the current plan on the same days")]
        extra = report.extra_counter
        if extra is not None:
            results.append(Result(
                f"plan_{counters}_counters_extra_p95", extra.p95_minutes, "min",
                proposal.p95_minutes, round(extra.p95_minutes / proposal.p95_minutes, 2),
                f"the proposal with one more counter {extra.opens_at}–{extra.closes_at} "
                f"(every field, {extra.fields[0]} first) vs the proposal alone"))
    results.append(Result("plan_errors", float(overtakes), "errors", float(plans),
                          round(overtakes / plans, 2), "calls that passed an earlier citizen "
                          "of the same field and class, over the plans simulated (the "
                          "baseline)"))
    return results
