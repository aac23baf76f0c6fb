"""Text people type (names, pause reasons, notices) is shown as typed on every screen and page:
`[/]`, `[b]…[/b]` or `<b>` never parsed, never breaking a screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from textual.widgets import Button, DataTable, Static

from queue_kiosk.config.hall import HallConfig
from queue_kiosk.screens.app import AppOptions, QueueApp, make_app
from queue_kiosk.screens.display import CounterTile
from queue_kiosk.screens.kiosk import FieldButton
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.staff import StaffDirectory
from queue_kiosk.web.pages import RateLimiter, build_app
from tests.ui.conftest import called, rendered, settle
from tests.ui.test_counter import sign_in

REASON = "[/]"
FIELD = "Hộ tịch [b]đậm[/b]"
COUNTER = "[red]Tư pháp[/red] <b>1</b>"
SITE = "Xã [/] Mẫu <script>"
NOTICE = "[@click=app.quit]Bấm[/] <i>đây</i>"
STAFF = "[/] Nguyễn Thị Lan"


@pytest.fixture
def hostile(hall_service: Callable[[HallConfig | None], QueueService],
            default_hall: HallConfig) -> QueueService:
    fields = [f.model_copy(update={"name": FIELD}) if f.code == "B" else f
              for f in default_hall.fields]
    counters = [c.model_copy(update={"name": COUNTER, "short_name": COUNTER})
                if c.code == "1" else c for c in default_hall.counters]
    hall = default_hall.model_copy(update={
        "site": default_hall.site.model_copy(update={"name": SITE}),
        "fields": fields, "counters": counters,
        "display": default_hall.display.model_copy(update={"notice": NOTICE}),
        "counter": default_hall.counter.model_copy(update={"pause_reasons": [REASON, "Họp"]}),
    })
    service = hall_service(hall)
    StaffDirectory(service).add("lan", STAFF, "2468", counters=["1"])
    return service


def _app(service: QueueService, *modes: str) -> QueueApp:
    return make_app(service, AppOptions(modes=modes, clock_seconds=3600, marquee_seconds=3600))


def shown(app: QueueApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


async def test_the_display_keeps_calling_with_a_hostile_pause_reason(
        hostile: QueueService) -> None:
    hostile.issue("B")
    hostile.issue("B")
    hostile.pause("2", REASON)
    app = _app(hostile, "display")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        hostile.call_next("1")
        await pilot.pause(1.0)
        await settle(pilot)
        assert called(app).split("\n") == ["MỜI CÔNG DÂN CÓ SỐ B001 ĐẾN QUẦY SỐ 1",
                                            "B001 → 1"]
        tile = app.screen.query_one("#tile-2", CounterTile)
        assert str(tile.query_one(".tile-state").render()) == f"Quầy tạm dừng: {REASON}"
        assert str(app.screen.query_one("#tile-1", CounterTile)
                   .query_one(".tile-name").render()) == COUNTER
        assert FIELD in rendered(app, "#display-waiting")
        assert SITE.upper() in str(app.screen.query_one("#display-header .centre",
                                                        Static).content)
        assert "Bấm[/] <i>đây</i>" in shown(app, "#display-notice") or app.size.width < 40
        assert app.is_running


async def test_the_kiosk_shows_hostile_names_as_typed_and_still_issues(
        hostile: QueueService) -> None:
    app = _app(hostile, "kiosk")
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        button = app.screen.query_one("#field-B", FieldButton)
        assert FIELD in str(button.label)
        await pilot.press("2")
        await settle(pilot)
        assert shown(app, "#confirm-field") == FIELD
        await pilot.press("enter")
        await settle(pilot)
        assert FIELD in shown(app, "#ticket-details")


async def test_the_counter_shows_hostile_names_and_reasons_as_typed(
        hostile: QueueService) -> None:
    hostile.issue("B")
    app = _app(hostile, "counter")
    async with app.run_test(size=(120, 34)) as pilot:
        await sign_in(pilot, typed=True)
        assert STAFF in shown(app, "#counter-title") and COUNTER in shown(app, "#counter-title")
        assert FIELD in str(app.screen.query_one(DataTable).get_row_at(0)[1])
        await pilot.press("f6")  # pause: the reasons offered include the hostile one
        await settle(pilot)
        labels = [str(b.label) for b in app.screen.query(Button)]
        assert any(REASON in label for label in labels), labels
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert FIELD in shown(app, "#current-details")


async def test_the_status_page_escapes_hostile_names(hostile: QueueService) -> None:
    ticket = hostile.issue("B")
    server: Any = TestServer(build_app(hostile, limiter=RateLimiter(limit=1000)))
    async with TestClient(server) as client:
        page = await (await client.get(f"/t/{ticket.token}")).text()
    assert "Hộ tịch [b]đậm[/b]" in page and "<script>" not in page and "<b>1</b>" not in page


def test_every_text_widget_in_the_screens_is_literal() -> None:
    """A guard for new code: Static and Label only through Plain or with markup off, every
    notification with markup off, every DataTable cell as a Text."""
    import ast
    from pathlib import Path

    import screens

    offenders = []
    for path in Path(screens.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else (
                func.attr if isinstance(func, ast.Attribute) else "")
            literal_off = any(k.arg == "markup" and isinstance(k.value, ast.Constant)
                              and k.value.value is False for k in node.keywords)
            if name in ("Static", "Label", "notify") and not literal_off:
                offenders.append(f"{path.name}:{node.lineno} {name}")
            if name == "add_row" and not all(
                    isinstance(a, ast.Starred) or (isinstance(a, ast.Call)
                                                   and getattr(a.func, "id", "") == "Text")
                    or isinstance(a, ast.JoinedStr) for a in node.args):
                offenders.append(f"{path.name}:{node.lineno} add_row")
    assert offenders == []
