"""A scripted day with exact figures; day boundaries in the centre's time zone; exports."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.reports.centre import Report, build_report
from queue_kiosk.reports.tables import write_csv, write_ratings_csv, write_xlsx
from queue_kiosk.service.facade import QueueService
from tests.cli.test_cli import qk  # noqa: F401  (the CLI fixture)
from tests.conftest import VN

DAY = date(2026, 11, 25)


def at(clock: FrozenClock, hhmm: str) -> None:
    hour, minute = (int(p) for p in hhmm.split(":"))
    clock.set(datetime(2026, 11, 25, hour, minute, tzinfo=VN))


SCRIPT: list[tuple[str, Callable[[QueueService], object]]] = [
    ("08:00", lambda s: s.issue("B")),  # B001
    ("08:05", lambda s: s.issue("B")),  # B002
    ("08:10", lambda s: s.issue("C")),  # 1001
    ("08:20", lambda s: s.call_next("1")),  # B001 waited 20
    ("08:22", lambda s: s.start("1")),  # walk-up 2
    ("08:30", lambda s: s.finish("1", rating="3")),  # service 8
    ("08:30", lambda s: s.call_next("1")),  # B002 waited 25
    ("08:32", lambda s: s.recall("1")),
    ("08:34", lambda s: s.no_show("1")),
    ("08:35", lambda s: s.call_next("2")),  # 1001 waited 25
    ("08:36", lambda s: s.transfer("2", "B")),
    ("08:40", lambda s: s.call_next("1")),  # 1001 again
    ("08:41", lambda s: s.start("1")),  # walk-up 1
    ("08:53", lambda s: s.finish("1", rating="1")),  # service 12
    ("09:10", lambda s: s.issue("A")),  # A001
    ("09:12", lambda s: s.issue("A")),  # A002
    ("09:15", lambda s: s.return_ticket("B002")),
    ("09:20", lambda s: s.call_next("1")),  # B002 back
    ("09:21", lambda s: s.start("1")),  # walk-up 1
    ("09:26", lambda s: s.finish("1")),  # service 5
    ("09:30", lambda s: s.call_next("1")),  # A001 waited 20
    ("09:33", lambda s: s.finish("1", rating="2")),  # service 3
    ("17:00", lambda s: s.close_day()),  # A002 expires
]


@pytest.fixture
def day(service: QueueService, clock: FrozenClock) -> Report:
    """Arrivals, calls, a recall, a no-show who returns, a transfer, ratings, an expiry."""
    for hhmm, step in SCRIPT:
        at(clock, hhmm)
        step(service)
    return build_report(service, DAY, DAY)


def test_totals_of_the_scripted_day(day: Report) -> None:
    t = day.totals
    assert (t.issued, t.served, t.no_show, t.transferred, t.expired, t.cancelled) == (
        5, 4, 0, 1, 1, 0)
    assert (t.waiting_median, t.waiting_p90, t.waiting_max) == (22.5, 25.0, 25.0)
    assert t.walkup_median == 1.0
    assert (t.service_median, t.service_p90) == (6.5, 12.0)
    assert t.within_target == 0.0
    assert t.ratings == {"3": 1, "2": 1, "1": 1}
    assert t.satisfaction == pytest.approx(0.667)
    assert t.unrated == 1  # B002 finished at 09:26 without a rating


def test_breakdowns_of_the_scripted_day(day: Report) -> None:
    fields = {f.key: (f.issued, f.served, f.expired, f.transferred, f.waiting_median)
              for f in day.by_field}
    # 1001 was transferred from Đất đai to Hộ tịch: it counts where the citizen asked.
    assert fields == {"A": (2, 1, 1, 0, 20.0), "B": (2, 2, 0, 0, 22.5),
                      "C": (1, 1, 0, 1, 25.0)}
    assert [(c.key, c.served) for c in day.by_counter] == [("1", 4)]
    assert day.by_staff == []
    assert [(h.hour, h.issued, h.served) for h in day.by_hour] == [(8, 3, 2), (9, 2, 2)]
    assert day.busiest_hours == [8, 9]
    assert [(r.number, r.level, r.rated_at.strftime("%H:%M")) for r in day.ratings] == [
        ("B001", "3", "08:30"), ("1001", "1", "08:53"), ("A001", "2", "09:33")]


def test_days_are_the_centres_local_days(service: QueueService, clock: FrozenClock) -> None:
    from queue_kiosk.service.catalog import load_catalog
    from tests.conftest import small_hall

    hall = small_hall()
    load_catalog(service.store, hall.model_copy(update={"hours": hall.hours.model_copy(
        update={"enforce": False})}), clock)
    service.refresh()
    clock.set(datetime(2026, 11, 25, 23, 30, tzinfo=VN))   # 16:30 UTC, still the 25th here
    service.issue("B")
    clock.advance(timedelta(hours=1))                     # 00:30 local: the 26th
    service.issue("B")
    first = build_report(service, DAY, DAY)
    second = build_report(service, date(2026, 11, 26), date(2026, 11, 26))
    assert (first.totals.issued, second.totals.issued) == (1, 1)
    assert [h.hour for h in first.by_hour] == [23] and [h.hour for h in second.by_hour] == [0]
    both = build_report(service, DAY, date(2026, 11, 26))
    assert both.totals.issued == 2


def test_csv_reads_back_with_vietnamese_headers(day: Report, tmp_path: Path) -> None:
    # For Vietnamese Excel: semicolons between cells, decimal commas, shares as percentages.
    path = tmp_path / "report.csv"
    write_csv(day, path, "vi")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header = rows[0]
    assert header[:5] == ["Phạm vi", "Mã", "Tên", "Đã cấp số", "Đã phục vụ"]
    assert header[-3:] == ["Đánh giá: Rất hài lòng", "Đánh giá: Hài lòng",
                           "Đánh giá: Không hài lòng"]
    totals = dict(zip(header, rows[1], strict=True))
    assert (totals["Phạm vi"], totals["Đã cấp số"], totals["Chờ trung vị (phút)"]) == (
        "Tổng hợp", "5", "22,5")
    assert (totals["Tỷ lệ hài lòng"], totals["Phục vụ xong chưa đánh giá"]) == ("67%", "1")
    assert [r[1] for r in rows if r[0] == "Lĩnh vực"] == ["A", "B", "C"]
    write_csv(day, path, "en")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        english = list(csv.DictReader(handle))
    assert (english[0]["Wait median (min)"], english[0]["Satisfaction rate"]) == ("22.5", "67%")


def test_the_text_report_formats_each_column_by_what_it_holds(day: Report) -> None:
    from queue_kiosk.cli.apps import _report_text

    text = _report_text(day, "vi")
    totals = next(line for line in text.splitlines() if line.startswith("Tổng hợp"))
    # A median of minutes stays minutes; a share is a percentage, whatever its value.
    assert "22,5" in totals and "0%" in totals and "67%" in totals
    assert "Chưa" not in totals and "2250" not in totals


def test_xlsx_reads_back(day: Report, tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    write_xlsx(day, path, "en")
    book = load_workbook(path)
    assert book.sheetnames == ["Figures", "Hours", "Ratings", "Bookings"]
    figures = list(book["Figures"].iter_rows(values_only=True))
    assert figures[0][:4] == ("Scope", "Code", "Name", "Issued")
    assert figures[1][3] == 5 and figures[1][15] == 0.0
    shares = book["Figures"].cell(row=2, column=17)  # satisfaction: a number shown as a %
    assert (shares.value, shares.number_format) == (0.667, "0%")
    ratings = list(book["Ratings"].iter_rows(values_only=True))
    assert [r[0] for r in ratings[1:]] == ["B001", "1001", "A001"]
    assert list(book["Bookings"].iter_rows(values_only=True))[0][:4] == (
        "Day", "Field", "Name", "Booked")


def test_ratings_export_has_timestamps(day: Report, tmp_path: Path) -> None:
    path = tmp_path / "ratings.csv"
    write_ratings_csv(day, path, "vi")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))  # as report.csv
    assert rows[0]["Số"] == "B001" and rows[0]["Mức đánh giá"] == "Rất hài lòng"
    assert rows[0]["Thời điểm đánh giá"] == "2026-11-25 08:30:00+07:00"


def test_the_report_command(qk: Any, tmp_path: Path) -> None:  # noqa: F811
    qk("init")
    qk("issue", "B")
    qk("call", "1")
    qk("finish", "1", "--rating", "3")
    code, out, _ = qk("report", "--json", "--csv", str(tmp_path / "r.csv"),
                      "--xlsx", str(tmp_path / "r.xlsx"), "--ratings", str(tmp_path / "x.csv"))
    data = json.loads(out)
    assert code == 0 and {"issued", "served", "no_show", "transferred",
                          "expired"} <= set(data["totals"])
    assert data["totals"]["issued"] == 1 and data["by_field"][0]["key"] == "B"
    assert all((tmp_path / name).stat().st_size for name in ("r.csv", "r.xlsx", "x.csv"))
    code, out, _ = qk("report", "--date", "2026-11-25")
    assert code == 0 and "Tổng hợp" in out and "Hộ tịch" in out
    code, _, err = qk("report", "--from", "2026-11-26", "--to", "2026-11-25")
    assert code == 2 and "--to phải sau --from" in err
    code, out, _ = qk("report", "--csv", str(tmp_path / "r.csv"))
    assert code == 0 and out.strip() == f"Đã ghi {tmp_path / 'r.csv'}"
    code, _, err = qk("report", "--date", "31/11/2026")
    assert code == 2 and "không phải ngày có thật" in err
    code, out, _ = qk("report", "--date", "25/11/2026")  # as Vietnamese write it
    assert code == 0 and "Hộ tịch" in out


def test_report_screen_snapshot(snap_compare: Any, day: Report,
                                service: QueueService) -> None:
    from queue_kiosk.screens.app import AppOptions, make_app

    app = make_app(service, AppOptions(modes=("report",), report=day, clock_seconds=3600))
    assert snap_compare(app, terminal_size=(120, 40))


async def test_the_report_screen_opens_the_counter_plan(day: Report,
                                                        service: QueueService) -> None:
    """From the report, `p` shows the planner's two plans for the report's days, worked out
    off the UI thread, and Escape goes back to the figures."""
    from queue_kiosk.reports.centre import plan_from_tickets
    from queue_kiosk.screens.app import AppOptions, make_app
    from queue_kiosk.screens.plan import PlanScreen
    from queue_kiosk.screens.report import ReportScreen
    from queue_kiosk.screens.widgets.plain import Plain

    expected = plan_from_tickets(service, DAY, DAY)
    assert expected is not None
    app = make_app(service, AppOptions(modes=("report",), report=day, clock_seconds=3600))
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        assert str(screen.query_one("#plan-verdict", Plain).render()) == expected.verdict
        current = str(screen.query_one("#plan-current", Plain).render())
        assert f"95% không quá {expected.current.p95_minutes:g}′".replace(".", ",") in current
        assert expected.current.counters is not None
        for code, roles in expected.current.counters.items():
            assert f"Quầy {code}: {', '.join(roles['primary'])} + " in current
        chart = str(screen.query_one("#plan-chart", Plain).render())
        assert chart.splitlines()[0].startswith("07:30")
        await pilot.press("escape")
        assert isinstance(app.screen, ReportScreen)


def test_plan_screen_snapshot(snap_compare: Any, day: Report, service: QueueService) -> None:
    from textual.pilot import Pilot

    from queue_kiosk.screens.app import AppOptions, make_app

    async def planned(pilot: Pilot[None]) -> None:
        await pilot.press("p")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    app = make_app(service, AppOptions(modes=("report",), report=day, clock_seconds=3600))
    assert snap_compare(app, terminal_size=(120, 44), run_before=planned)


async def test_the_report_screen_shows_the_bookings(store: Any, clock: FrozenClock) -> None:
    from queue_kiosk.screens.app import AppOptions, make_app
    from queue_kiosk.screens.widgets.plain import Plain
    from queue_kiosk.service.appointments import Appointments
    from tests.conftest import make_service
    from tests.store.test_appointments import booking_hall

    service = make_service(store, clock, booking_hall())
    Appointments(service).book("B", DAY, "09:00")
    report = build_report(service, DAY, DAY)
    app = make_app(service, AppOptions(modes=("report",), report=report, clock_seconds=3600))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = str(app.screen.query_one("#report-bookings", Plain).render())
    assert shown.startswith("Lịch hẹn: đã đặt 1, đã lấy số 0")
