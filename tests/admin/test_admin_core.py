"""Changing a centre as the admin screen does: previewed, applied in one transaction, stale
forms refused, every change in the audit log and any version restorable."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.domain.errors import ConfigError, Refused
from queue_kiosk.service.admin import HallAdmin
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.staff import MAX_FAILURES, NewPinNeeded, StaffDirectory
from queue_kiosk.store.tables import admin_change_t, counter_t, site_t


def _rename(name: str) -> Any:
    def change(data: dict[str, Any]) -> None:
        data["counters"][0]["name"] = name
    return change


def _state(service: QueueService) -> tuple[Any, ...]:
    with service.store.read() as conn:
        return (conn.execute(select(site_t.c.catalog_version, site_t.c.hall_json)).one(),
                conn.execute(select(counter_t.c.code, counter_t.c.name, counter_t.c.active)
                             .order_by(counter_t.c.code)).all(),
                conn.execute(select(func.count()).select_from(admin_change_t)).scalar_one())


def test_a_change_is_previewed_applied_and_logged(service: QueueService) -> None:
    admin = HallAdmin(service, "admin")
    draft = admin.draft()
    hall = admin.edited(draft, _rename("Tư pháp – Hộ tịch (mới)"))
    preview = admin.preview(draft, hall)
    assert preview.refusal is None
    assert preview.changes == ["counters[1].name: «Tư pháp - Hộ tịch» → "
                               "«Tư pháp – Hộ tịch (mới)»"]
    version = admin.apply(draft, hall)
    assert version == draft.version + 1
    assert service.catalog.counter("1").name == "Tư pháp – Hộ tịch (mới)"
    [change] = admin.history()
    assert (change.staff, change.action, change.version) == ("admin", "hall", version)
    assert "Tư pháp - Hộ tịch" in change.before and "(mới)" in change.after


def test_a_stale_form_is_refused_with_what_changed(service: QueueService,
                                                   clock: FrozenClock) -> None:
    first = HallAdmin(service, "an")
    second = HallAdmin(QueueService(service.store, clock=clock), "binh")
    a, b = first.draft(), second.draft()
    first.apply(a, first.edited(a, _rename("Quầy của An")))
    before = _state(service)
    with pytest.raises(Refused) as refused:
        second.apply(b, second.edited(b, _rename("Quầy của Bình")))
    assert refused.value.code == "manage.stale"
    assert "Quầy của An" in refused.value.message("vi")
    assert _state(service) == before


def test_stranding_citizens_is_previewed_and_refused_untouched(service: QueueService) -> None:
    service.issue("B")
    service.issue("B")
    admin = HallAdmin(service, "admin")
    draft = admin.draft()

    def drop_b(data: dict[str, Any]) -> None:
        data["counters"][0]["fields"] = ["A"]
    hall = admin.edited(draft, drop_b)
    preview = admin.preview(draft, hall)
    assert preview.warnings == ["2 công dân đang chờ Hộ tịch sẽ không còn quầy nào gọi"]
    assert preview.refusal is not None and "B (Hộ tịch): 2" in preview.refusal
    before = _state(service)
    with pytest.raises(ConfigError):
        admin.apply(draft, hall)
    assert _state(service) == before


def test_a_form_error_names_its_key(service: QueueService) -> None:
    admin = HallAdmin(service, "admin")

    def bad(data: dict[str, Any]) -> None:
        data["fields"][0]["prefix"] = "a1"
    with pytest.raises(ConfigError) as refused:
        admin.edited(admin.draft(), bad)
    assert "fields[0].prefix" in refused.value.message("vi")


def test_an_earlier_version_is_restored_and_the_restore_logged(service: QueueService) -> None:
    admin = HallAdmin(service, "admin")
    draft = admin.draft()
    admin.apply(draft, admin.edited(draft, _rename("Một")))
    draft = admin.draft()
    admin.apply(draft, admin.edited(draft, _rename("Hai")))
    first = admin.history()[-1]
    admin.restore(admin.draft(), first.id)
    assert service.catalog.counter("1").name == "Một"
    latest = admin.history()[0]
    assert latest.action == "restore" and "«Hai» → «Một»" in latest.summary


def test_a_sign_in_that_asks_again_sets_a_reset_pin_only_when_typed_twice_alike(
        service: QueueService) -> None:
    admin = HallAdmin(service, "admin")
    admin.add_staff("lan", "Nguyễn Thị Lan", "2468")
    admin.reset_pin("lan")
    directory = StaffDirectory(service)
    for _ in range(MAX_FAILURES):  # neither is a wrong PIN: never locks her out
        with pytest.raises(NewPinNeeded):
            directory.login("lan", "8642", ask_again=True)
        with pytest.raises(Refused) as differ:
            directory.login("lan", "8642", ask_again=True, pin_again="8643")
        assert differ.value.code == "staff.pin_mismatch"
    assert directory.login("lan", "8642", ask_again=True, pin_again="8642").code == "lan"
    assert directory.login("lan", "8642", ask_again=True).code == "lan"  # set: no asking


def test_staff_changes_are_logged_and_a_reset_pin_is_set_by_the_official(
        service: QueueService) -> None:
    admin = HallAdmin(service, "admin")
    admin.add_staff("boss", "Quản trị", "97531", role="admin")
    admin.add_staff("lan", "Nguyễn Thị Lan", "2468", counters=["1"])
    admin.staff_allowed("lan", ["1", "2"])
    admin.reset_pin("lan")
    directory = StaffDirectory(service)
    directory.login("lan", "8642")  # the first PIN she types becomes hers
    assert directory.login("lan", "8642").code == "lan"
    with pytest.raises(Refused):
        directory.login("lan", "2468")  # the old one is gone
    admin.set_active("lan", False)
    with pytest.raises(Refused) as last:
        admin.staff_role("boss", "official")
    assert last.value.code == "manage.last_admin"
    actions = [c.action for c in admin.history()]
    assert actions == ["staff.active", "staff.pin", "staff.counters", "staff.add", "staff.add"]
    assert all("8642" not in c.summary and "2468" not in c.summary for c in admin.history())


def test_two_administrators_applying_at_once_never_overwrite_each_other(
        service: QueueService, clock: FrozenClock) -> None:
    """Both read the same version and press apply together: one wins, the other is told."""
    import threading

    admins = [HallAdmin(QueueService(service.store, clock=clock), who) for who in ("an", "binh")]
    drafts = [a.draft() for a in admins]
    halls = [a.edited(d, _rename(f"Quầy của {a.staff}")) for a, d in zip(admins, drafts,
                                                                          strict=True)]
    start = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def apply(index: int) -> None:
        start.wait()
        try:
            outcomes[index] = admins[index].apply(drafts[index], halls[index])
        except Refused as exc:
            outcomes[index] = exc.code
    threads = [threading.Thread(target=apply, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, outcomes)) == [str(drafts[0].version + 1), "manage.stale"]
    [change] = admins[0].history()
    winner = change.staff
    service.refresh()
    assert service.catalog.counter("1").name == f"Quầy của {winner}"


def test_a_notice_time_is_checked_as_the_hall_file_checks_it(service: QueueService) -> None:
    admin = HallAdmin(service, "admin")

    def bad(data: dict[str, Any]) -> None:
        data["display"]["notice_from"] = "7/12 13h30"
    with pytest.raises(ConfigError) as refused:
        admin.edited(admin.draft(), bad)
    assert "display.notice_from" in refused.value.message("vi")
    assert "YYYY-MM-DD HH:MM" in refused.value.message("vi")


def test_a_counters_own_hours_are_checked_previewed_and_applied(service: QueueService) -> None:
    """Counter 2 (Đất đai, field C) on Tuesday and Thursday mornings, while citizens wait
    for C on a Wednesday: the field keeps its counter (not refused, no warning), the
    counter is merely outside its window now."""
    from datetime import datetime

    from queue_kiosk.service.admin import counter_week
    from tests.conftest import VN

    admin = HallAdmin(service, "admin")
    draft = admin.draft()
    for days, key, where, vi in (
            ({"tue": "7:30-25:00"}, "manage.window_bad", "hours.tue: ",
             "Thứ Ba: '7:30-25:00' không phải giờ trong ngày"),
            ({"thu": "07:00-11:30"}, "manage.window_outside", "hours.thu: ",
             "Thứ Năm: '07:00-11:30' nằm ngoài giờ làm việc của trung tâm "
             "(07:30-11:30, 13:30-17:00)"),
            ({"sat": "07:30-11:30"}, "manage.window_closed", "hours.sat: ",
             "Thứ Bảy: trung tâm không làm việc, quầy không mở '07:30-11:30' được")):
        with pytest.raises(Refused) as refused:
            counter_week(draft.hall, days)
        assert (refused.value.code, refused.value.params["where"]) == (key, where)
        assert refused.value.message("vi") == vi
    week = counter_week(draft.hall, {"tue": "07:30-11:30", "thu": " 07:30-11:30 ", "fri": ""})
    assert week == {"tue": ["07:30-11:30"], "thu": ["07:30-11:30"]}
    service.issue("C")

    def own(data: dict[str, Any]) -> None:
        data["counters"][1]["hours"] = week
    hall = admin.edited(draft, own)
    preview = admin.preview(draft, hall)
    assert (preview.warnings, preview.refusal) == ([], None)
    assert preview.changes == ["counters[2].hours.tue: — → [«07:30-11:30»]",
                               "counters[2].hours.thu: — → [«07:30-11:30»]",
                               "Quầy 2: giờ tiếp nhận riêng; ngày không ghi giờ thì quầy "
                               "nghỉ",
                               "Lĩnh vực C (Đất đai) chỉ tiếp nhận trong giờ riêng của quầy 2"]
    admin.apply(draft, hall)
    land = next(q for q in service.field_queues() if q.field == "C")
    assert (land.state, land.opens) == ("no_counter", datetime(2026, 11, 26, 7, 30, tzinfo=VN))
    # The centre's hours may not then leave the counter's window outside them.
    draft = admin.draft()

    def shorter(data: dict[str, Any]) -> None:
        data["hours"]["thu"] = ["08:00-11:30"]
    with pytest.raises(ConfigError) as refused_hall:
        admin.edited(draft, shorter)
    assert "counters[1].hours.thu: quầy '2' mở '07:30-11:30', ngoài giờ làm việc của trung " \
        "tâm hôm đó (08:00-11:30)" in refused_hall.value.message("vi")

    def back(data: dict[str, Any]) -> None:
        data["counters"][1]["hours"] = None
    hall = admin.edited(draft, back)
    assert admin.preview(draft, hall).changes[-1] == "Quầy 2: theo giờ của trung tâm"
    admin.apply(draft, hall)
    assert next(q for q in service.field_queues() if q.field == "C").state == "open"
