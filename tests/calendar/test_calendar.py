"""The centre's calendar through every surface: public holidays (01/01, Tết 2027, 30/04,
02/09), a Saturday, a make-up Saturday, the hall's own days and an administrator's changes,
seen by `issue`, `book`, `calendar`, the kiosk and the booking pages."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from queue_kiosk.config.hall import default_hall_path, parse_hall
from queue_kiosk.domain.calendar import Calendar, Change, Kind
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.domain.dates import day_from_text
from queue_kiosk.domain.errors import ConfigError, Refused
from queue_kiosk.service.calendar import CentreCalendar
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.store import Store
from queue_kiosk.web.pages import RateLimiter, build_app
from tests.cli.test_cli import qk  # noqa: F401  (the CLI fixture)
from tests.conftest import VN, make_service, small_hall
from tests.store.test_appointments import booking_hall


def at(day: str, hhmm: str = "09:00") -> str:
    return f"{day_from_text(day).isoformat()}T{hhmm}:00+07:00"


def refused(qk: Any, monkeypatch: Any, when: str, *args: str) -> str:  # noqa: F811
    monkeypatch.setenv("QUEUE_KIOSK_NOW", when)
    code, out, err = qk("--json", *args)
    assert code == 2 and out == "", (code, out, err)
    return str(json.loads(err)["message"])


@pytest.mark.parametrize(("today", "named", "back"), [
    ("01/01/2026", "Thứ Năm 01/01/2026 (Tết Dương lịch)", "Thứ Sáu 02/01/2026"),
    ("08/02/2027", "Thứ Hai 08/02/2027 (Mùng ba Tết Nguyên Đán)", "Thứ Năm 11/02/2027"),
    ("30/04/2026", "Thứ Năm 30/04/2026 (Ngày Chiến thắng)", "Thứ Hai 04/05/2026"),
    ("02/09/2026", "Thứ Tư 02/09/2026 (Quốc khánh)", "Thứ Năm 03/09/2026"),
    ("05/12/2026", "Thứ Bảy 05/12/2026,", "Thứ Hai 07/12/2026"),
])
def test_issue_on_a_closed_day_says_what_and_when(
        qk: Any, monkeypatch: Any, today: str, named: str, back: str) -> None:  # noqa: F811
    qk("init")
    said = refused(qk, monkeypatch, at(today), "issue", "B")
    assert said.startswith(f"Hôm nay, {named}") and "Trung tâm không làm việc" in said
    assert f"Mời Quý khách quay lại {back} từ 07:30." in said


def test_the_acceptance_checks_of_quoc_khanh(qk: Any, monkeypatch: Any) -> None:  # noqa: F811
    qk("init")
    said = refused(qk, monkeypatch, at("02/09/2026", "08:00"), "issue", "B")
    assert said.startswith("Hôm nay, Thứ Tư 02/09/2026 (Quốc khánh), Trung tâm không làm "
                           "việc. Mời Quý khách quay lại Thứ Năm 03/09/2026 từ 07:30.")
    # Booked ahead from a working day, and on the day itself: refused the same way.
    for today in ("28/08/2026", "02/09/2026"):
        said = refused(qk, monkeypatch, at(today, "08:00"), "book", "B", "--date",
                       "02/09/2026", "--time", "09:00")
        assert "Thứ Tư 02/09/2026 (Quốc khánh), Trung tâm không làm việc" in said
        assert "Thứ Năm 03/09/2026" in said
    code, out, _ = qk("--json", "calendar", "--from", "2026-08-22", "--days", "14")
    days = {d["date"]: d for d in json.loads(out)}
    assert code == 0 and len(days) == 14
    for closed in ("2026-08-31", "2026-09-01", "2026-09-02"):
        assert not days[closed]["open"] and days[closed]["kind"] == "holiday"
    assert days["2026-09-02"]["reason"] == "Quốc khánh"
    assert "22/08/2026" in days["2026-08-31"]["reason"]  # the day off moved from Saturday
    assert days["2026-08-22"]["open"] and days["2026-08-22"]["kind"] == "extra"
    assert days["2026-08-22"]["hours"] == "07:30-11:30, 13:30-17:00"
    assert not days["2026-08-23"]["open"] and days["2026-08-23"]["reason"] is None
    # …and the make-up Saturday takes tickets.
    monkeypatch.setenv("QUEUE_KIOSK_NOW", at("22/08/2026"))
    code, _, err = qk("issue", "B")
    assert code == 0, err


def test_the_halls_own_days_and_an_administrators_stay_per_site(
        qk: Any, monkeypatch: Any, tmp_path: Path) -> None:  # noqa: F811
    hall = default_hall_path().read_text(encoding="utf-8").replace("[policy]", """
[[calendar.closed]]
date = 2026-12-31
reason = "Tổng kết cuối năm"
[[calendar.open]]
date = "09/01/2027"
reason = "Làm bù cho ngày 04/02/2027"
hours = ["07:30-11:30"]

[policy]""", 1)
    (tmp_path / "hall.toml").write_text(hall, encoding="utf-8")
    (tmp_path / "other.toml").write_text(hall.replace('code = "', 'code = "x', 1),
                                         encoding="utf-8")
    assert qk("init", "--config", str(tmp_path / "hall.toml"))[0] == 0
    said = refused(qk, monkeypatch, at("31/12/2026"), "issue", "B")
    assert said.startswith("Hôm nay, Thứ Năm 31/12/2026 (Tổng kết cuối năm)")
    # 01/01 is Tết Dương lịch, 02–03/01 a weekend: the make-up Saturday is not until 09/01.
    assert "quay lại Thứ Hai 04/01/2027" in said
    monkeypatch.setenv("QUEUE_KIOSK_NOW", at("09/01/2027", "10:00"))
    assert qk("issue", "B")[0] == 0
    said = refused(qk, monkeypatch, at("09/01/2027", "14:00"), "issue", "B")
    assert "hết giờ làm việc hôm nay, Thứ Bảy 09/01/2027" in said
    # An administrator closes a working day and opens a holiday: kept in the database.
    monkeypatch.setenv("QUEUE_KIOSK_NOW", at("07/12/2026"))
    code, out, err = qk("calendar", "close", "08/12/2026", "--reason", "Mất điện cả xã")
    assert code == 0 and out.strip() == \
        "Đã đặt lịch làm việc: Thứ Ba 08/12/2026: nghỉ – Mất điện cả xã", err
    assert qk("calendar", "open", "2027-01-01", "--hours", "07:30-11:30")[0] == 0
    said = refused(qk, monkeypatch, at("08/12/2026"), "issue", "B")
    assert said.startswith("Hôm nay, Thứ Ba 08/12/2026 (Mất điện cả xã)")
    monkeypatch.setenv("QUEUE_KIOSK_NOW", at("01/01/2027"))
    assert qk("issue", "B")[0] == 0
    code, out, _ = qk("calendar", "--from", "08/12/2026", "--days", "1")
    assert out.strip() == "Thứ Ba 08/12/2026: nghỉ – Mất điện cả xã"
    # Another centre in the same database keeps its own calendar.
    assert qk("--site", "xxa-mau", "init", "--config", str(tmp_path / "other.toml"))[0] == 0
    code, out, _ = qk("--site", "xxa-mau", "calendar", "--from", "08/12/2026", "--days", "1")
    assert code == 0 and out.strip() == "Thứ Ba 08/12/2026: làm việc 07:30-11:30, 13:30-17:00"


def test_bad_calendar_input_says_what_is_wrong(qk: Any, monkeypatch: Any) -> None:  # noqa: F811
    qk("init")
    code, _, err = qk("calendar", "close", "31/02/2027", "--reason", "x")
    assert code == 2 and "'31/02/2027' không phải ngày có thật trên lịch" in err
    code, _, err = qk("calendar", "close", "01/03/2027")
    assert code == 2 and "--reason" in err
    code, _, err = qk("calendar", "open", "01/03/2027", "--hours", "07:30-41:30")
    assert code == 2 and "Giờ làm việc '07:30-41:30' không hợp lệ" in err
    # Each fault of --hours in words of the user's language, on one line, with what to type.
    for hours, detail in (("7:30-11", "'7:30-11' không đúng dạng giờ:phút-giờ:phút"),
                          ("07:30-41:30", "'07:30-41:30' không phải giờ trong ngày"),
                          ("11:00-07:00", "'11:00-07:00' có giờ kết thúc trước giờ bắt đầu"),
                          ("07:30-11:30,11:00-12:00",
                           "'11:00-12:00' chồng lên khoảng giờ trước nó")):
        code, out, err = qk("calendar", "open", "01/03/2027", "--hours", hours)
        assert (code, out) == (2, "") and err.count("\n") == 1, err
        assert f"không hợp lệ: {detail}. " in err and "--hours 07:30-11:30,13:30-17:00" in err
        assert not any(word in err for word in ("expected", "closes", "overlaps", "time of"))
    code, _, err = qk("--lang", "en", "calendar", "open", "01/03/2027", "--hours", "7:30-11")
    assert code == 2 and "expected 'HH:MM-HH:MM', got '7:30-11'" in err
    with pytest.raises(ConfigError, match="calendar.cutoff: unknown field 'Z'"):
        parse_hall(default_hall_path().read_text(encoding="utf-8").replace(
            'cutoff = { A = "15:00", B = "15:00" }', 'cutoff = { Z = "15:00" }'))


def test_the_rules_strongest_first() -> None:
    week = [[(time(7, 30), time(11, 30))]] * 5 + [[], []]
    holidays = {date(2026, 9, 2): None}
    calendar = Calendar(week, holiday=lambda d: ("Quốc khánh", "National Day")  # type: ignore
                        if d in holidays else None,
                        changes={date(2026, 9, 3): Change(False, "Họp"),
                                 date(2026, 9, 5): Change(True, "Làm bù")})
    assert calendar.day(date(2026, 9, 2)).kind is Kind.HOLIDAY
    assert calendar.day(date(2026, 9, 3)).kind is Kind.CLOSED
    assert calendar.next_open(date(2026, 9, 2)).day == date(2026, 9, 4)  # type: ignore
    assert calendar.day(date(2026, 9, 5)).periods == ((time(7, 30), time(11, 30)),)
    assert calendar.working_days(date(2026, 8, 31), date(2026, 9, 6)) == 4
    assert Calendar([[]] * 7).next_open(date(2026, 9, 2)) is None


async def test_the_booking_page_offers_only_open_days(store: Store,
                                                      clock: FrozenClock) -> None:
    clock.set(datetime(2026, 8, 28, 8, 0, tzinfo=VN))  # Friday before the long weekend
    service = make_service(store, clock, booking_hall(days_ahead=7))
    app = build_app(service, limiter=RateLimiter(limit=1000),
                    booking_limiter=RateLimiter(limit=30, window=3600))
    async with TestClient(TestServer(app)) as client:
        page = await (await client.get("/book/B")).text()
        offered = set(__import__("re").findall(r"\?day=(\d{4}-\d\d-\d\d)", page))
        assert offered == {"2026-08-28", "2026-09-03", "2026-09-04"}, offered
        response = await client.post("/book/B", data={"day": "2026-09-02", "slot": "09:00",
                                                       "phone": ""}, allow_redirects=False)
        assert "Quốc khánh" in await response.text()


def test_a_service_refuses_while_enforced_and_not_otherwise(store: Store,
                                                            clock: FrozenClock) -> None:
    clock.set(datetime(2026, 9, 2, 8, 0, tzinfo=VN))
    service: QueueService = make_service(store, clock, small_hall())
    with pytest.raises(Refused) as caught:
        service.issue("B")
    assert caught.value.code == "calendar.closed_today"
    assert CentreCalendar(service).working_days(date(2026, 8, 24), date(2026, 9, 6)) == 7


def test_close_day_reports_and_the_planner_count_working_days(store: Store,
                                                              clock: FrozenClock) -> None:
    from queue_kiosk.reports.centre import build_report, issue_hours
    from queue_kiosk.service.day_end import close_day, summary

    service = make_service(store, clock, small_hall(carry_over=True))
    for day in (date(2026, 8, 24), date(2026, 8, 28), date(2026, 9, 3)):
        clock.set(datetime.combine(day, time(8, 0), tzinfo=VN))
        service.issue("B")
    # Friday before the long weekend: what is left waits until Thursday 03/09.
    clock.set(datetime(2026, 8, 28, 17, 30, tzinfo=VN))
    view = close_day(service)
    assert view.next_open == date(2026, 9, 3)
    assert "chuyển sang ngày làm việc tiếp theo (Thứ Năm 03/09/2026)" in summary(view, "vi")
    report = build_report(service, date(2026, 8, 24), date(2026, 9, 4))
    # 24–28/08 and 03–04/09: seven; 31/08, 01/09 and 02/09 are holidays.
    assert report.working_days == 7
    assert report.title("vi").endswith("· 24/08/2026 → 04/09/2026 · 7 ngày làm việc")
    # The planner's average day: the working days since the first with tickets (24/08 to
    # 03/09: six), not the three days that happened to have tickets.
    assert issue_hours(service, date(2026, 8, 1), date(2026, 9, 3))[1] == 6


def test_after_the_cut_off_the_ticket_says_when_the_dossier_is_settled(
        qk: Any, monkeypatch: Any, tmp_path: Path) -> None:  # noqa: F811
    qk("init")
    monkeypatch.setenv("QUEUE_KIOSK_NOW", at("28/08/2026", "14:59"))
    code, out, _ = qk("--json", "issue", "B")
    assert code == 0 and json.loads(out)["settled_on"] is None
    monkeypatch.setenv("QUEUE_KIOSK_NOW", at("28/08/2026", "15:00"))
    code, out, _ = qk("--json", "issue", "B")
    assert json.loads(out)["settled_on"] == "2026-09-03"  # past the long weekend
    code, out, _ = qk("--json", "issue", "C")  # no cut-off for Đất đai
    assert json.loads(out)["settled_on"] is None
    from queue_kiosk.printing.content import ticket_content
    from queue_kiosk.service.calendar import with_settled_on
    from queue_kiosk.service.facade import QueueService as Service

    service = Service(Store(f"sqlite:///{tmp_path / 'cli.db'}"),
                      clock=FrozenClock(datetime(2026, 8, 28, 16, 0, tzinfo=VN)))
    paper = ticket_content(service.catalog, with_settled_on(service, service.ticket("B002")),
                           "vi")
    assert paper.footer[0] == "Hồ sơ nhận từ 15:00 được giải quyết vào Thứ Năm 03/09/2026."
    assert ticket_content(service.catalog, with_settled_on(service, service.ticket("B001")),
                          "vi").footer == \
        service.catalog.hall.site.footer


def test_english_headings_use_the_english_names(qk: Any, monkeypatch: Any) -> None:  # noqa: F811
    qk("init")
    code, out, _ = qk("--lang", "en", "board")
    assert code == 0 and out.startswith("Public Administrative Service Centre, Mau Commune\n")
    code, out, _ = qk("--lang", "en", "report", "--from", "23/11/2026", "--to", "27/11/2026")
    # 24/11 is Ngày Văn hóa Việt Nam: four working days that week.
    assert out.startswith("Public Administrative Service Centre, Mau Commune · 23/11/2026 → "
                          "27/11/2026 · 4 working days")
