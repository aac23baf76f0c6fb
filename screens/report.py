"""Provides the report screen: tables per field and counter, and charts in the terminal."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer

from queue_kiosk.domain.text import fit_lines
from queue_kiosk.reports.centre import Figures, Report
from queue_kiosk.reports.tables import COLUMNS, bookings_line, format_cell
from queue_kiosk.screens.base import QueueScreen
from queue_kiosk.screens.widgets.plain import Plain
from queue_kiosk.wording import say

TABLE_COLUMNS = ["key", "name", "issued", "served", "no_show", "waiting_median", "waiting_p90",
                 "service_median", "within_target", "satisfaction", "unrated"]
BAR = "█"


def bar(value: float, largest: float, width: int) -> str:
    return BAR * (round(width * value / largest) if largest else 0)


def hourly_chart(report: Report, width: int = 40) -> str:
    """Arrivals (█) against served (▒) per hour: where another counter would help."""
    largest = max([max(h.issued, h.served) for h in report.by_hour] or [0])
    lines = []
    for hour in report.by_hour:
        lines.append(f"{hour.hour:02d}h {bar(hour.issued, largest, width):<{width}} "
                     f"{hour.issued:>4}")
        lines.append(f"    {bar(hour.served, largest, width).replace(BAR, '▒'):<{width}} "
                     f"{hour.served:>4}")
    return "\n".join(lines)


def waiting_chart(rows: list[Figures], width: int = 40) -> str:
    """Median wait per field, with the p90 marked."""
    largest = max([r.waiting_p90 or 0 for r in rows] or [0])
    return "\n".join(f"{fit_lines(r.name, cell_len, 22, 1)[0]:<22} "
                     f"{bar(r.waiting_median or 0, largest, width):<{width}} "
                     f"{r.waiting_median if r.waiting_median is not None else '—':>5}′"
                     for r in rows)


class ReportScreen(QueueScreen[None]):
    BINDINGS = [Binding("q,escape", "app.quit", "Thoát / Quit"),
                Binding("p", "plan", "Kế hoạch quầy / Counter plan")]

    def compose(self) -> ComposeResult:
        report = self.shown
        lang = self.lang
        totals = report.totals
        yield Plain(report.title(lang), id="report-title")
        yield Plain(say(
            "report.totals", lang, i=totals.issued, s=totals.served, n=totals.no_show,
            t=totals.transferred, e=totals.expired, target=f"{report.target_minutes:g}",
            w=format_cell("within_target", totals.within_target, lang),
            sat=format_cell("satisfaction", totals.satisfaction, lang)),
            id="report-totals")
        if report.bookings:
            yield Plain(bookings_line(report, lang), id="report-bookings")
        with VerticalScroll(id="report-body"):
            yield Plain(say("report.by_field", lang), classes="report-heading")
            yield DataTable(id="report-fields", zebra_stripes=True)
            yield Plain(say("report.by_counter", lang), classes="report-heading")
            yield DataTable(id="report-counters", zebra_stripes=True)
            with Horizontal(id="report-charts"):
                with Vertical():
                    yield Plain(say("report.per_hour", lang), classes="report-heading")
                    yield Plain(hourly_chart(report, 30), id="report-hours")
                with Vertical():
                    yield Plain(say("report.median_wait", lang), classes="report-heading")
                    yield Plain(waiting_chart(report.by_field, 24), id="report-waits")
        yield Footer()

    @property
    def shown(self) -> Report:
        assert self.options.report is not None, "the report mode needs a report"
        return self.options.report

    def on_mount(self) -> None:
        report = self.shown
        lang = self.lang
        headers = {attribute: (en if lang == "en" else vi) for attribute, vi, en in COLUMNS}
        for table_id, rows in (("#report-fields", report.by_field),
                               ("#report-counters", report.by_counter)):
            table = self.query_one(table_id, DataTable)
            table.add_columns(*(headers[c] for c in TABLE_COLUMNS))
            for row in rows:
                table.add_row(*(Text(self.cell(row, c)) for c in TABLE_COLUMNS))

    def action_plan(self) -> None:
        from queue_kiosk.screens.plan import PlanScreen

        self.app.push_screen(PlanScreen(self.shown.start, self.shown.end))

    def cell(self, row: Figures, column: str) -> str:
        return format_cell(column, getattr(row, column), self.lang)
