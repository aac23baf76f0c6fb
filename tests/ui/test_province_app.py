"""The province's terminal overview: a tile per commune, the worst first, filters, one commune
drilled into; a change reaches the tiles through the follower; nothing here acts on a queue."""

from __future__ import annotations

import html
from pathlib import Path

from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.ops.province import ProvinceOverview
from queue_kiosk.screens.province import OverviewScreen, ProvinceApp, SiteScreen, Tile
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.migrate import upgrade
from queue_kiosk.store.store import Store
from tests.ops.test_province import commune
from tests.ui.conftest import until


def province(tmp_path: Path, clock: FrozenClock) -> tuple[Store, dict[str, QueueService]]:
    store = Store(f"sqlite:///{tmp_path / 'province.db'}")
    upgrade(store)
    codes = ("a-1", "b-2", "c-3")
    for code in codes:
        load_catalog(store, commune(code, "Phú Bình" if code < "b" else "Đại Từ"), clock)
    return store, {code: QueueService(store, site=code, clock=clock) for code in codes}


async def test_tiles_follow_the_queue_worst_first_and_open_a_commune(
        tmp_path: Path, clock: FrozenClock) -> None:
    store, sites = province(tmp_path, clock)
    app = ProvinceApp(ProvinceOverview(store, clock), "vi", poll_seconds=0.05)
    async with app.run_test(size=(200, 56)) as pilot:
        screen = app.screen
        assert isinstance(screen, OverviewScreen)

        def codes() -> list[str]:
            return [t.code for t in screen.query(Tile)]
        await until(lambda: len(codes()) == 3, pilot)
        sites["c-3"].issue("B")
        clock.advance(minutes=25)
        await until(lambda: codes()[0] == "c-3", pilot)
        first = screen.query(Tile).first()
        assert "Chờ 1 · lâu nhất 25′" in str(first.render())
        await pilot.press("s")  # normal communes only: the one with a long wait goes
        assert screen.state == "ok"
        await until(lambda: codes() == ["a-1", "b-2"], pilot)
        await pilot.press("s", "s", "s", "s", "s", "d", "d")  # busy, fault, closed, offline, all
        assert (screen.state, screen.district) == ("", "Đại Từ")
        await until(lambda: codes() == ["c-3", "b-2"], pilot)
        await pilot.press("right", "left", "enter")
        await until(lambda: isinstance(app.screen, SiteScreen), pilot)
        assert app.screen.code == "c-3"  # type: ignore[attr-defined]
        await pilot.press("escape")
        assert isinstance(app.screen, OverviewScreen)
    assert sum(q.waiting for q in sites["c-3"].board().waiting) == 1  # looking changed nothing


async def test_an_open_alert_shows_on_its_commune_s_tile(tmp_path: Path,
                                                        clock: FrozenClock) -> None:
    """In the state's line, inside the tile's eight lines (an added ninth was cut off)."""
    from queue_kiosk.service.alerts import evaluate_sites

    store, sites = province(tmp_path, clock)
    sites["b-2"].issue("B")
    clock.advance(minutes=25)
    evaluate_sites(store, clock)
    app = ProvinceApp(ProvinceOverview(store, clock), "vi", poll_seconds=0.05)
    async with app.run_test(size=(200, 56)) as pilot:
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        await until(lambda: len(screen.query(Tile)) == 3, pilot)
        tile = screen.query(Tile).first()  # the worst first
        assert tile.code == "b-2"

        def shown() -> str:
            return html.unescape(app.export_screenshot()).replace("\xa0", " ")
        # The tiles were just mounted: wait for their first paint. A line cut off never shows.
        await until(lambda: "Cảnh báo: Chờ lâu: lĩnh vực" in shown(), pilot)
