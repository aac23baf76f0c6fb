"""The province's page in real headless Chromium at 1920×1080: signed in as a province
account, a tile per commune (the worst first), a change arriving live within 2 s, a filter,
a commune drilled into, and a screenshot kept for a person to look at."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.province_access import ProvinceAccess, Scope
from queue_kiosk.service.staff import StaffDirectory
from queue_kiosk.store.migrate import upgrade
from queue_kiosk.store.store import Store
from tests.conftest import MORNING
from tests.ops.test_province import commune
from tests.web.test_board_page import Served

pytestmark = pytest.mark.slow
COMMUNES = 12


def test_the_overview_in_a_browser(tmp_path: Path, browser: Any) -> None:
    clock = FrozenClock(MORNING)
    store = Store(f"sqlite:///{tmp_path / 'province.db'}")
    upgrade(store)
    codes = [f"xa-{n:02d}" for n in range(COMMUNES)]
    for n, code in enumerate(codes):
        load_catalog(store, commune(code, "Phú Bình" if n % 2 else "Đại Từ"), clock)
    sites = {code: QueueService(store, site=code, clock=clock) for code in codes}
    home = sites["xa-00"]
    StaffDirectory(home).add("tinh", "Sở Nội vụ", "2468", role="province")
    ProvinceAccess(store, clock).grant_account(home.site_id, "tinh", Scope())
    for _ in range(3):
        sites["xa-07"].issue("B")
    clock.advance(minutes=25)
    served = Served(home)
    url = served.start()
    try:
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{url}/province/")
        page.fill("#code", "tinh")
        page.fill("#pin", "2468")
        page.click("button[type=submit]")
        page.wait_for_selector(".tile")
        tiles = page.locator(".tile")
        assert tiles.count() == COMMUNES
        assert "Xã xa-07" in tiles.nth(0).inner_text()  # the longest wait first
        assert "Chờ 3 · lâu nhất 25′" in tiles.nth(0).inner_text()
        committed = time.monotonic()
        sites["xa-03"].issue("A")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.tile')].some(t => t.dataset.site === 'xa-03'"
            " && t.innerText.includes('Chờ 1'))", timeout=2000)
        assert time.monotonic() - committed < 2
        page.screenshot(path=str(tmp_path / "province.png"))
        page.select_option("#district", "Phú Bình")
        assert page.locator(".tile").count() == COMMUNES // 2
        page.locator(".tile", has_text="xa-07").click()
        page.wait_for_selector("#detail.on table")
        detail = page.inner_text("#detail")
        assert "Hộ tịch" in detail and "25′" in detail
        page.screenshot(path=str(tmp_path / "province-detail.png"))
        overflow = page.evaluate("document.documentElement.scrollWidth > innerWidth")
        assert not overflow
    finally:
        served.stop()
        store.dispose()
