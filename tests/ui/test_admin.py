"""The admin screen through Textual's Pilot: an administrator signs in, changes the centre
with a preview, sees a refusal beside its field, and restores an earlier version."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from textual.widgets import Button, Checkbox, DataTable, Input, Static, TabbedContent

from queue_kiosk.service.admin import HallAdmin
from queue_kiosk.service.calendar import CentreCalendar
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.staff import StaffDirectory
from tests.ui.conftest import Factory, settle, until


async def sign_in(pilot: Any, code: str = "admin", pin: str = "13579") -> None:
    await settle(pilot)
    await pilot.press(*code, "tab", *pin, "enter")
    await settle(pilot, 6)


def text(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def fill(pilot: Any, values: dict[str, str]) -> None:
    for selector, value in values.items():
        pilot.app.screen.query_one(selector, Input).value = value
    await pilot.pause()


async def test_an_official_cannot_open_the_admin_screen(app_for: Factory) -> None:
    app = app_for("admin")
    async with app.run_test(size=(120, 34)) as pilot:
        await sign_in(pilot, "lan", "2468")
        assert "quản trị" in text(app, "#login-error")
        assert type(app.screen).__name__ == "AdminLoginScreen"


async def test_add_a_counter_with_a_preview_then_restore(app_for: Factory,
                                                         service: QueueService) -> None:
    app = app_for("admin")
    async with app.run_test(size=(120, 34)) as pilot:
        await sign_in(pilot)
        assert type(app.screen).__name__ == "AdminScreen"
        await pilot.click("Tab#--content-tab-tab-counters")
        await fill(pilot, {"#counters-code": "9", "#counters-name": "Một cửa (thêm)",
                           "#counters-fields": "B"})
        await pilot.click("#counters-save")
        await settle(pilot)
        assert type(app.screen).__name__ == "PreviewDialog"
        assert "Thêm quầy 9 (Một cửa (thêm))" in text(app, "#preview-changes")
        await pilot.click("#preview-apply")
        await settle(pilot)
        assert "Đã áp dụng" in text(app, "#admin-status")
        service.refresh()
        assert service.catalog.counter("9").name == "Một cửa (thêm)"
        # Undo it from the audit log.
        await pilot.click("Tab#--content-tab-tab-audit")
        await pilot.click("#audit-restore_before")
        await settle(pilot)
        assert "Bỏ quầy 9" in text(app, "#preview-changes")
        await pilot.click("#preview-apply")
        await settle(pilot)
    service.refresh()
    assert "9" not in {c.code for c in service.catalog.counters.values()}
    assert [c.action for c in HallAdmin(service).history()] == ["restore", "hall"]


async def test_a_bad_value_is_told_beside_its_field_and_nothing_changes(
        app_for: Factory, service: QueueService) -> None:
    version = service.catalog.version
    app = app_for("admin")
    async with app.run_test(size=(120, 34)) as pilot:
        await sign_in(pilot)
        await pilot.click("Tab#--content-tab-tab-counters")
        await fill(pilot, {"#counters-code": "9", "#counters-name": "X",
                           "#counters-fields": "ZZ"})
        await pilot.click("#counters-save")
        await settle(pilot)
        assert type(app.screen).__name__ == "AdminScreen"
        # The hall model's own refusal, in the user's language (it was English).
        assert "không có lĩnh vực 'ZZ'" in text(app, "#counters-fields-error")
        await pilot.click("Tab#--content-tab-tab-fields")
        await fill(pilot, {"#fields-code": "B", "#fields-daily_cap": "nhiều"})
        await pilot.click("#fields-save")
        await settle(pilot)
        assert "phải là một số" in text(app, "#fields-daily_cap-error")
        await fill(pilot, {"#fields-name": "Hộ tịch", "#fields-daily_cap": "0"})
        await pilot.click("#fields-save")
        await settle(pilot)
        assert "phải từ 1 trở lên, đang là 0" in text(app, "#fields-daily_cap-error")
    service.refresh()
    assert service.catalog.version == version


async def test_close_a_field_put_a_notice_and_reset_a_pin(app_for: Factory,
                                                         service: QueueService) -> None:
    app = app_for("admin")
    async with app.run_test(size=(120, 34)) as pilot:
        await sign_in(pilot)
        await fill(pilot, {"#fields-code": "B", "#fields-reason": "Mất điện buổi chiều"})
        await pilot.click("#fields-close")
        await settle(pilot)
        table = app.screen.query_one("#fields-table", DataTable)
        assert "Mất điện buổi chiều" in [str(c) for c in table.get_row("B")]
        await pilot.click("Tab#--content-tab-tab-notice")
        await fill(pilot, {"#notice-notice": "Chiều nay nghỉ tiếp nhận Hộ tịch",
                           "#notice-notice_style": "line"})
        await pilot.click("#notice-save")
        await settle(pilot)
        await pilot.click("#preview-apply")
        await settle(pilot)
        await pilot.click("Tab#--content-tab-tab-staff")
        await fill(pilot, {"#staff-code": "lan"})
        await pilot.click("#staff-reset_pin")
        await settle(pilot)
    service.refresh()
    assert service.catalog.hall.display.notice == "Chiều nay nghỉ tiếp nhận Hộ tịch"
    StaffDirectory(service).login("lan", "5555")  # her new PIN, typed by her



def apply_elsewhere(service: QueueService, clock: Any,
                    change: Callable[[dict[str, Any]], None]) -> None:
    """`change` applied through another process's service, as a second screen would."""
    elsewhere = HallAdmin(QueueService(service.store, clock=clock), "admin")
    draft = elsewhere.draft()
    elsewhere.apply(draft, elsewhere.edited(draft, change))


async def test_a_running_display_shows_a_counter_renamed_on_the_admin_screen(
        app_for: Factory, service: QueueService, clock: Any) -> None:
    """Within seconds of the apply (the feed wakes every 0.25 s; `_until` allows 5 s on a
    loaded machine), made through another process's service."""
    from queue_kiosk.screens.display import CounterTile
    from tests.ui.test_catalog_reload import _until

    app = app_for("display")
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        tile = "#tile-" + service.catalog_view().counters[0].code

        def rename(data: dict[str, Any]) -> None:
            data["counters"][0]["short_name"] = "Hộ tịch – Quầy mới"
        apply_elsewhere(service, clock, rename)
        await _until(pilot, lambda: "Quầy mới" in str(
            app.screen.query_one(tile, CounterTile).query_one(".tile-name").render()))


async def test_a_running_kiosk_offers_a_field_added_on_the_admin_screen(
        app_for: Factory, service: QueueService, clock: Any) -> None:
    from tests.ui.test_catalog_reload import _until, offered

    app = app_for("kiosk")
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)

        def add(data: dict[str, Any]) -> None:
            data["fields"].append({"code": "Z", "prefix": "Z", "name": "Lĩnh vực mới"})
            data["counters"][0]["fields"].append("Z")
        apply_elsewhere(service, clock, add)
        await _until(pilot, lambda: "Z" in offered(app))


async def test_a_counters_opening_hours_are_edited_on_its_form(app_for: Factory,
                                                             service: QueueService) -> None:
    """Counter 2 (Đất đai – Nông nghiệp: fields C and H) on Tuesday and Thursday mornings;
    a Saturday is refused beside its field, in Vietnamese; applied, C and H say when they
    open again (the clock stands on a Wednesday)."""
    app = app_for("admin")
    async with app.run_test(size=(120, 34)) as pilot:
        await sign_in(pilot)
        await pilot.click("Tab#--content-tab-tab-counters")
        table = app.screen.query_one("#counters-table", DataTable)
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("enter")
        await pilot.pause()
        box = app.screen.query_one("#counters-hall_hours", Checkbox)
        tuesday = app.screen.query_one("#counters-weekday_tue", Input)
        assert box.value and tuesday.disabled
        assert tuesday.value == "07:30-11:30, 13:30-17:00"  # the centre's, greyed
        await pilot.click("#counters-hall_hours")
        assert not box.value and not tuesday.disabled
        await fill(pilot, {"#counters-weekday_mon": "", "#counters-weekday_wed": "",
                           "#counters-weekday_fri": "", "#counters-weekday_tue": "07:30-11:30",
                           "#counters-weekday_thu": "07:30-11:30",
                           "#counters-weekday_sat": "07:30-11:30"})
        await pilot.click("#counters-save")
        await settle(pilot)
        assert type(app.screen).__name__ == "AdminScreen"
        assert text(app, "#counters-weekday_sat-error") == (
            "Thứ Bảy: trung tâm không làm việc, quầy không mở '07:30-11:30' được")
        await fill(pilot, {"#counters-weekday_sat": ""})
        app.screen.query_one("#counters-save").scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#counters-save")
        await settle(pilot)
        assert "Quầy 2: giờ tiếp nhận riêng" in text(app, "#preview-changes")
        await pilot.click("#preview-apply")
        await settle(pilot)
        assert "Đã áp dụng" in text(app, "#admin-status")
        assert not box.value and tuesday.value == "07:30-11:30"  # the form shows it applied
    service.refresh()
    hours = service.catalog.counter("2").hours
    assert hours is not None and [len(day) for day in hours] == [0, 1, 0, 1, 0, 0, 0]
    assert {q.field: q.why_not("vi", service.today()) for q in service.field_queues()
            if q.field in ("C", "H")} == {"C": "Tiếp nhận từ 07:30 thứ Năm",
                                          "H": "Tiếp nhận từ 07:30 thứ Năm"}


async def test_a_running_kiosk_says_when_a_field_closed_by_its_counters_hours_opens(
        app_for: Factory, service: QueueService, clock: Any) -> None:
    from queue_kiosk.screens.kiosk import FieldButton
    from tests.ui.test_catalog_reload import _until

    app = app_for("kiosk")
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#field-C", FieldButton).disabled

        def land_official(data: dict[str, Any]) -> None:
            data["counters"][1]["hours"] = {"tue": ["07:30-11:30"], "thu": ["07:30-11:30"]}
        apply_elsewhere(service, clock, land_official)
        # Its buttons one line high at 120×34: the short form beside the name.
        await _until(pilot, lambda: str(app.screen.query_one("#field-C", FieldButton).label)
                     == "3  Đất đai · Từ 07:30 thứ Năm")
        assert app.screen.query_one("#field-C", FieldButton).disabled


async def test_add_an_official_hours_a_closed_day_and_a_test_page(
        app_for: Factory, service: QueueService) -> None:
    app = app_for("admin")
    async with app.run_test(size=(120, 34)) as pilot:
        await sign_in(pilot)
        await pilot.click("Tab#--content-tab-tab-staff")
        await fill(pilot, {"#staff-code": "hoa", "#staff-name": "Lê Thị Hoa",
                           "#staff-role": "official", "#staff-counters": "2",
                           "#staff-pin": "8080"})
        await pilot.click("#staff-add")
        await settle(pilot)
        table = app.screen.query_one("#staff-table", DataTable)
        assert [str(c) for c in table.get_row("hoa")][:4] == ["hoa", "Lê Thị Hoa", "official",
                                                               "2"]
        await pilot.click("Tab#--content-tab-tab-hours")
        await fill(pilot, {"#hours-weekday_sat": "07:30-25:00"})
        await pilot.click("#hours-save")
        await settle(pilot)
        assert "25:00" in text(app, "#hours-weekday_sat-error")
        await fill(pilot, {"#hours-weekday_sat": "07:30-11:30"})
        await pilot.click("#hours-save")
        await settle(pilot)
        assert "hours.sat: [] → [«07:30-11:30»]" in text(app, "#preview-changes")
        await pilot.click("#preview-apply")
        await settle(pilot)
        await fill(pilot, {"#day-day": "31/02/2026"})
        await pilot.click("#day-close_day")
        await settle(pilot)
        assert "31/02/2026" in text(app, "#day-day-error")
        await fill(pilot, {"#day-day": "04/12/2026", "#day-day_reason": "Bầu cử"})
        await pilot.click("#day-close_day")
        await settle(pilot)
        await pilot.click("Tab#--content-tab-tab-devices")
        await pilot.click("#devices-test_page")
        await until(lambda: "Đã in thử" in text(app, "#admin-status"), pilot)
    StaffDirectory(service).login("hoa", "8080")
    service.refresh()
    assert service.catalog.hall.hours.sat == ["07:30-11:30"]
    assert not CentreCalendar(service).days(date(2026, 12, 4), 1)[0].open
    actions = [c.action for c in HallAdmin(service).history()]
    assert actions == ["calendar", "hall", "staff.add"]


async def test_the_display_shows_a_notice_only_between_its_start_and_end(
        app_for: Factory, service: QueueService) -> None:
    """The clock stands at 25/11/2026 08:00."""
    admin = HallAdmin(service, "admin")
    for start, end, shown in (("2026-11-25 07:00", "2026-11-25 12:00", True),
                              ("2026-11-25 13:30", "", False),
                              ("", "2026-11-25 08:00", False)):
        draft = admin.draft()

        def notice(data: dict[str, Any], start: str = start, end: str = end) -> None:
            data["display"].update(notice="Chiều nay nghỉ tiếp nhận đất đai",
                                   notice_style="line", notice_from=start, notice_until=end)
        admin.apply(draft, admin.edited(draft, notice))
        app = app_for("display")
        async with app.run_test(size=(120, 34)) as pilot:
            await settle(pilot)
            line = text(app, "#display-notice")
            assert ("Chiều nay nghỉ tiếp nhận đất đai" in line) is shown, (start, end, line)


async def test_a_procedure_is_added_under_its_field(app_for: Factory,
                                                    service: QueueService) -> None:
    app = app_for("admin")
    async with app.run_test(size=(120, 34)) as pilot:
        await sign_in(pilot)
        await pilot.click("Tab#--content-tab-tab-procedures")
        await fill(pilot, {"#procedures-field": "Q", "#procedures-code": "B9",
                           "#procedures-name": "Đăng ký kết hôn có yếu tố nước ngoài"})
        await pilot.click("#procedures-save")
        await settle(pilot)
        assert "'Q'" in text(app, "#procedures-field-error")
        await fill(pilot, {"#procedures-field": "B"})
        await pilot.click("#procedures-save")
        await settle(pilot)
        assert text(app, "#preview-changes") == (
            "• Thêm thủ tục B9 (Đăng ký kết hôn có yếu tố nước ngoài) vào lĩnh vực B")
        await pilot.click("#preview-apply")
        await settle(pilot)
    service.refresh()
    field, procedure = service.catalog.field("B9")
    assert field.code == "B" and procedure is not None


def test_admin_snapshots(snap_compare: Any, app_for: Factory, service: QueueService) -> None:
    """The fields tab after sign-in (a long closure reason, the state readable), and the
    preview of a change refused because waiting citizens would lose every counter. The clock
    and hall are the frozen fixtures', so the captures hold at any date or hour."""
    admin = HallAdmin(service, "admin")
    admin.close_field("B", "Mất điện cả buổi chiều, tiếp nhận lại từ 7 giờ 30 sáng mai")
    assert snap_compare(app_for("admin"), terminal_size=(120, 34), run_before=sign_in)
    for _ in range(2):
        service.issue("D")

    async def refused(pilot: Any) -> None:
        await sign_in(pilot)
        await fill(pilot, {"#fields-code": "D"})
        await pilot.click("#fields-remove")
        await settle(pilot)
        assert "2 công dân đang chờ" in text(pilot.app, "#preview-warnings")
    assert snap_compare(app_for("admin"), terminal_size=(120, 34), run_before=refused)


async def test_after_a_pin_reset_the_counter_sign_in_asks_for_the_new_pin_twice(
        app_for: Factory, service: QueueService) -> None:
    HallAdmin(service, "admin").reset_pin("lan")
    app = app_for("counter")
    async with app.run_test(size=(120, 34)) as pilot:
        await sign_in(pilot, "lan", "5555")
        again = app.screen.query_one("#login-pin-again", Input)
        assert type(app.screen).__name__ == "CounterLoginScreen"
        assert "nhập lại mã PIN mới" in text(app, "#login-error")
        assert again.display and app.screen.focused is again
        await pilot.press(*"5556", "enter")  # a slip: refused, the PIN stays unset
        await settle(pilot, 6)
        assert "không khớp" in text(app, "#login-error")
        assert not again.display
        await pilot.press(*"5555", "enter")  # the PIN field again, then the second time
        await settle(pilot, 6)
        assert app.screen.focused is again
        await pilot.press(*"5555", "enter")
        await settle(pilot, 6)
        assert type(app.screen).__name__ == "CounterScreen"
        assert "Đã đặt mã PIN mới" in [n.message for n in app._notifications]
    assert StaffDirectory(service).login("lan", "5555").code == "lan"


async def test_preview_and_apply_run_off_the_ui_thread(
        app_for: Factory, service: QueueService, monkeypatch: Any) -> None:
    """Each loads the hall in a transaction: the screen keeps answering meanwhile."""
    import threading

    threads: list[str] = []
    for name in ("preview", "apply"):
        real = getattr(HallAdmin, name)

        def recorded(self: HallAdmin, *args: Any, real: Any = real, **kwargs: Any) -> Any:
            threads.append(threading.current_thread().name)
            return real(self, *args, **kwargs)
        monkeypatch.setattr(HallAdmin, name, recorded)
    app = app_for("admin")
    async with app.run_test(size=(120, 34)) as pilot:
        await sign_in(pilot)
        await fill(pilot, {"#fields-code": "B", "#fields-name": "Hộ tịch – Chứng thực",
                           "#fields-prefix": "B"})
        await pilot.click("#fields-save")
        await settle(pilot)
        await pilot.click("#preview-apply")
        await settle(pilot)
        assert "Đã áp dụng" in text(app, "#admin-status")
    assert len(threads) == 2 and threading.main_thread().name not in threads


async def test_the_f_keys_open_their_tabs_after_a_preview(app_for: Factory) -> None:
    """F2…F9 reach every tab without a mouse, also once a preview was closed (the focus left
    on the form's button pulled its own tab back)."""
    app = app_for("admin")
    async with app.run_test(size=(120, 34)) as pilot:
        await sign_in(pilot)
        await pilot.press("f4")
        tabs = app.screen.query_one("#admin-tabs", TabbedContent)
        assert tabs.active == "tab-counters"
        await fill(pilot, {"#counters-code": "9", "#counters-name": "X",
                           "#counters-fields": "B"})
        app.screen.query_one("#counters-save", Button).focus()
        await pilot.press("enter")
        await settle(pilot, 6)
        assert type(app.screen).__name__ == "PreviewDialog"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert tabs.active == "tab-fields"
        await pilot.press("f9")
        await settle(pilot)
        assert tabs.active == "tab-audit"
