"""Provides a report as tables: its columns in both languages, cells written as a reader of
the language writes them, and the CSV and Excel files."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from queue_kiosk.reports.centre import Report
from queue_kiosk.wording import percent, say

COLUMNS: list[tuple[str, str, str]] = [
    # (attribute, Vietnamese header, English header)
    ("key", "Mã", "Code"), ("name", "Tên", "Name"), ("issued", "Đã cấp số", "Issued"),
    ("served", "Đã phục vụ", "Served"), ("no_show", "Vắng mặt", "No-show"),
    ("transferred", "Chuyển", "Transferred"), ("expired", "Hết hạn", "Expired"),
    ("cancelled", "Đã hủy", "Cancelled"),
    ("waiting_median", "Chờ trung vị (phút)", "Wait median (min)"),
    ("waiting_p90", "90% chờ không quá (phút)", "90% wait at most (min)"),
    ("waiting_max", "Chờ lâu nhất (phút)", "Wait max (min)"),
    ("walkup_median", "Đến quầy trung vị (phút)", "Walk-up median (min)"),
    ("service_median", "Phục vụ trung vị (phút)", "Service median (min)"),
    ("service_p90", "90% phục vụ không quá (phút)", "90% served within (min)"),
    ("within_target", "Tỷ lệ đạt chỉ tiêu chờ", "Share within target"),
    ("satisfaction", "Tỷ lệ hài lòng", "Satisfaction rate"),
    ("unrated", "Phục vụ xong chưa đánh giá", "Served, not rated"),
]


SCOPES = {"totals": ("Tổng hợp", "Totals"), "by_field": ("Lĩnh vực", "Field"),
          "by_counter": ("Quầy", "Counter"), "by_staff": ("Cán bộ", "Staff"),
          "by_hour": ("Giờ", "Hour")}


HOUR_COLUMNS = [("hour", "Giờ", "Hour"), ("issued", "Đã cấp số", "Issued"),
                ("served", "Đã phục vụ", "Served"),
                ("waiting_median", "Chờ trung vị (phút)", "Wait median (min)")]


RATING_COLUMNS = [("number", "Số", "Number"), ("day", "Ngày", "Day"),
                  ("field", "Lĩnh vực", "Field"), ("counter", "Quầy", "Counter"),
                  ("staff", "Cán bộ", "Staff"), ("level", "Mức", "Level"),
                  ("level_name", "Mức đánh giá", "Rating"),
                  ("rated_at", "Thời điểm đánh giá", "Rated at")]


SHARES = {"within_target", "satisfaction"}
"""Columns holding a share from 0 to 1: shown as percentages."""


MINUTES = {"waiting_median", "waiting_p90", "waiting_max", "walkup_median", "service_median",
           "service_p90"}
"""Columns holding minutes with a decimal."""


def format_cell(column: str, value: Any, lang: str) -> str:
    """A figure as a reader of `lang` writes it: by what the column holds, not by its
    value (a 0.8-minute median is not 80 %), with a decimal comma in Vietnamese."""
    if value is None:
        return "—"
    if column in SHARES:
        text = percent(value)
    elif column in MINUTES:
        text = f"{value:.1f}"
    else:
        return str(value)
    return text.replace(".", ",") if lang != "en" else text


def _header(columns: Iterable[tuple[str, str, str]], lang: str) -> list[str]:
    return [en if lang == "en" else vi for _, vi, en in columns]


def _cells(item: Any, columns: Iterable[tuple[str, str, str]]) -> list[Any]:
    out = []
    for attribute, _, _ in columns:
        value = getattr(item, attribute)
        out.append(value.isoformat(sep=" ", timespec="seconds") if isinstance(value, datetime)
                   else value.isoformat() if isinstance(value, date) else value)
    return out


FIGURE_KEYS = ["scope", *(attribute for attribute, _, _ in COLUMNS)]
"""What each column of `figure_rows` holds, before the rating counts."""


def figure_rows(report: Report, lang: str) -> list[list[Any]]:
    """One table: a scope column, then COLUMNS and the rating counts per level, each rating
    column headed by its level's name."""
    levels = list(report.totals.ratings)
    names = {lv.code: lv.label(lang) for lv in report.levels}
    header: list[Any] = [say("report.scope", lang), *_header(COLUMNS, lang),
                         *[say("report.rated_as", lang, level=names.get(lv, lv))
                           for lv in levels]]
    rows = [header]
    for scope in ("totals", "by_field", "by_counter", "by_staff"):
        items = [report.totals] if scope == "totals" else getattr(report, scope)
        label = SCOPES[scope][1 if lang == "en" else 0]
        for item in items:
            rows.append([label, *_cells(item, COLUMNS), *[item.ratings[lv] for lv in levels]])
    return rows


def hour_rows(report: Report, lang: str) -> list[list[Any]]:
    return [_header(HOUR_COLUMNS, lang), *[_cells(h, HOUR_COLUMNS) for h in report.by_hour]]


def rating_rows(report: Report, lang: str) -> list[list[Any]]:
    return [_header(RATING_COLUMNS, lang), *[_cells(r, RATING_COLUMNS) for r in report.ratings]]


BOOKING_COLUMNS = [("day", "Ngày", "Day"), ("field", "Lĩnh vực", "Field"),
                   ("name", "Tên", "Name"), ("booked", "Đã đặt", "Booked"),
                   ("checked_in", "Đã lấy số", "Checked in"), ("cancelled", "Đã hủy", "Cancelled"),
                   ("missed", "Lỡ hẹn", "Missed"),
                   ("waiting_median", "Chờ từ giờ hẹn, trung vị (phút)",
                    "Wait from the slot, median (min)"),
                   ("waiting_p90", "Chờ từ giờ hẹn, 90% không quá (phút)",
                    "Wait from the slot, 90% at most (min)")]


def bookings_line(report: Report, lang: str) -> str:
    """The period's bookings in one line: made, checked in, cancelled, missed, and the
    longest of the median waits from the slot (per day and field)."""
    waits = [b.waiting_median for b in report.bookings if b.waiting_median is not None]
    return say("report.bookings", lang, **{
        key: sum(getattr(b, key) for b in report.bookings)
        for key in ("booked", "checked_in", "cancelled", "missed")},
        wait=format_cell("waiting_median", max(waits), lang) if waits else "—")


def booking_rows(report: Report, lang: str) -> list[list[Any]]:
    return [_header(BOOKING_COLUMNS, lang),
            *[_cells(figures, BOOKING_COLUMNS) for figures in report.bookings]]


def write_csv(report: Report, path: Any, lang: str) -> None:
    """For the spreadsheet of the reader's locale: Vietnamese Excel reads a decimal comma
    and semicolons between cells; English, a decimal point and commas."""
    rows = figure_rows(report, lang)
    keys = FIGURE_KEYS + ["rating"] * (len(rows[0]) - len(FIGURE_KEYS))
    cells = [rows[0], *[[format_cell(key, value, lang) if key in SHARES | MINUTES
                         else value for key, value in zip(keys, row, strict=True)]
                        for row in rows[1:]]]
    _write_csv(cells, path, lang)


def write_ratings_csv(report: Report, path: Any, lang: str) -> None:
    _write_csv(rating_rows(report, lang), path, lang)


def _write_csv(rows: list[list[Any]], path: Any, lang: str) -> None:
    import csv

    with open(path, "w", newline="", encoding="utf-8-sig") as handle:  # BOM: Excel reads UTF-8
        csv.writer(handle, delimiter=";" if lang != "en" else ",").writerows(rows)


def write_xlsx(report: Report, path: Any, lang: str) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheets: list[tuple[str, list[list[Any]]]] = [
        (say("report.sheet_figures", lang), figure_rows(report, lang)),
        (say("report.sheet_hours", lang), hour_rows(report, lang)),
        (say("report.sheet_ratings", lang), rating_rows(report, lang)),
        (say("report.sheet_bookings", lang), booking_rows(report, lang))]
    for index, (title, rows) in enumerate(sheets):
        add_sheet(book, title, rows, first=index == 0)
    # Shares as percentages, minutes with one decimal; the cells stay numbers.
    figures = book.worksheets[0]
    for index, key in enumerate(FIGURE_KEYS, start=1):
        style = "0%" if key in SHARES else "0.0" if key in MINUTES else None
        if style is not None:
            for (cell,) in figures.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = style
    book.save(path)


def add_sheet(book: Any, title: str, rows: list[list[Any]], *, first: bool = False) -> None:
    """A sheet of `rows` in the workbook (`first`: the one a new workbook opens with)."""
    sheet = book.active if first else book.create_sheet()
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
