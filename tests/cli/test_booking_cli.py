"""`queue-kiosk book` and `checkin` as staff and scripts use them."""

from __future__ import annotations

from typing import Any

from tests.cli.test_cli import ok_json, qk  # noqa: F401  (the CLI fixture)


def test_book_list_cancel_and_check_in(qk: Any, monkeypatch: Any) -> None:  # noqa: F811
    assert qk("init")[0] == 0
    booked = ok_json(qk, "book", "A", "--date", "2026-11-26", "--time", "9:00",
                     "--phone", "0901 234 567")
    assert {key: booked[key] for key in ("field", "date", "slot_start", "slot_end",
                                         "status")} == {
        "field": "A", "date": "2026-11-26", "slot_start": "09:00", "slot_end": "09:30",
        "status": "booked"}
    assert len(booked["code"]) == 6 and booked["phone"] is None  # only the list shows it
    today = ok_json(qk, "book", "A")  # the next free slot today (08:00 now: 08:30)
    assert today["slot_start"] == "08:30"
    listed = ok_json(qk, "book", "list", "--date", "2026-11-26")
    assert [(b["code"], b["phone"]) for b in listed] == [(booked["code"], "0901234567")]
    assert ok_json(qk, "book", "cancel", booked["code"])["status"] == "cancelled"
    code, out, err = qk("book", "cancel", booked["code"])
    assert code == 2 and "không còn dùng được (Đã hủy)" in err
    code, out, err = qk("checkin", today["code"])
    assert code == 2 and "quay lại lấy số từ 08:15" in err
    monkeypatch.setenv("QUEUE_KIOSK_NOW", "2026-11-25T08:20:00+07:00")
    ticket = ok_json(qk, "checkin", today["code"])
    assert ticket["appointment"] == today["code"] and ticket["number"] == "A001"
    assert ok_json(qk, "ticket", "A001")["appointment"] == today["code"]


def test_booking_mistakes_are_one_line(qk: Any) -> None:  # noqa: F811
    assert qk("init")[0] == 0
    for args, message in (
            (("book", "A", "--time", "25:00"), "'25:00' không phải giờ hợp lệ"),
            (("book", "A", "--date", "2026-12-31", "--time", "09:00"),
             "chỉ từ hôm nay đến Thứ Tư 02/12/2026"),
            (("book", "A", "--time", "08:15"), "Không có khung giờ 08:15"),
            (("book", "A", "--time", "09:00", "--phone", "abc"), "'abc' không phải số điện"),
            (("book", "cancel"), "book cancel cần CODE"),
            (("book", "A", "--date", "2026-11-26"), "cần --time cho ngày khác hôm nay"),
            (("checkin", "ZZZZZZ"), "Không tìm thấy lịch hẹn mã ZZZZZZ")):
        code, out, err = qk(*args)
        assert code == 2 and out == "" and message in err and err.count("\n") == 1, (args, err)
