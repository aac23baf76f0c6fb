"""Provides the plan screen (from the report): the counters as they are and as the planner
proposes, side by side, with the citizens waiting through the day under each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer

from queue_kiosk.reports.centre import plan_from_tickets
from queue_kiosk.reports.plan_files import describe, last_leaves
from queue_kiosk.reports.planner import CHART_MINUTES, Outcome, PlanReport
from queue_kiosk.reports.workload import clock_time
from queue_kiosk.screens.base import QueueScreen
from queue_kiosk.screens.report import bar
from queue_kiosk.screens.widgets.plain import Plain
from queue_kiosk.wording import say


def plans_chart(report: PlanReport, label: Callable[[int], str], width: int = 30) -> str:
    """Citizens waiting every CHART_MINUTES on the first simulated day, on one scale: the
    current plan (█) beside the proposal (▒). `label` names a step's time of day."""
    current, proposal = report.current.waiting, report.proposal.waiting
    largest = max([*current, *proposal, 0])
    lines = []
    for step in range(max(len(current), len(proposal))):
        before = current[step] if step < len(current) else 0
        after = proposal[step] if step < len(proposal) else 0
        lines.append(f"{label(step):<11} {bar(before, largest, width):<{width}} {before:>4}  "
                     f"{bar(after, largest, width).replace('█', '▒'):<{width}} {after:>4}")
    return "\n".join(lines)


class PlanScreen(QueueScreen[None]):
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Quay lại / Back")]

    def __init__(self, start: date, end: date) -> None:
        super().__init__()
        self.start, self.end = start, end

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Plain(say("plan.key", lang), id="plan-title")
        yield Plain(say("plan.working", lang), id="plan-verdict")
        with VerticalScroll(id="plan-body"):
            with Horizontal(id="plan-columns"):
                for key in ("current", "proposal"):
                    with Vertical():
                        yield Plain(say(f"plan.{key}", lang), classes="plan-heading")
                        yield Plain("", id=f"plan-{key}")
            yield Plain(say("plan.chart", lang), classes="plan-heading")
            yield Plain("", id="plan-chart")
        yield Footer()

    def on_mount(self) -> None:
        self.compute()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def compute(self) -> None:
        """Off the UI thread: several simulated days per plan take seconds."""
        report = plan_from_tickets(self.service, self.start, self.end)
        self.app.call_from_thread(self.show, report)

    def show(self, report: PlanReport | None) -> None:
        lang = self.lang
        verdict = self.query_one("#plan-verdict", Plain)
        if report is None:
            verdict.update(say("plan.no_tickets", lang))
            return
        hall = self.service.catalog.hall
        self.query_one("#plan-title", Plain).update(say(
            "plan.heading", lang, citizens=report.citizens_per_day, days=report.days))
        verdict.update(report.verdict_en if lang == "en" else report.verdict)
        for key in ("current", "proposal"):
            outcome: Outcome = getattr(report, key)
            self.query_one(f"#plan-{key}", Plain).update("\n".join([
                say("plan.figures", lang, mean=outcome.mean_minutes, p95=outcome.p95_minutes,
                    max=outcome.max_minutes, last=last_leaves(outcome, lang)),
                *describe(outcome, lang)]))
        self.query_one("#plan-chart", Plain).update(
            plans_chart(report, lambda step: clock_time(hall, step * CHART_MINUTES)))
