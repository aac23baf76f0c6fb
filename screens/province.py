"""Provides the province's overview in a terminal: one tile per commune, the worst first,
filtered by district or state, and one commune drilled into (its counters, who waits for
which field, its last calls, its screens). Read-only: no key here acts on a queue."""

from __future__ import annotations

import time
from datetime import datetime

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable
from textual.worker import get_current_worker

from queue_kiosk.domain.errors import QueueError
from queue_kiosk.ops.province import (
    POLL_SECONDS,
    STATES,
    ProvinceOverview,
    SiteDetail,
    SiteSummary,
    filtered,
)
from queue_kiosk.screens.widgets.plain import Plain, cells
from queue_kiosk.wording import percent, say

RETRY_SECONDS = (0.5, 1, 2, 5)
TILE_WIDTH = 33
"""A tile's columns with its margin: six across a 200-column terminal."""


class OverviewChanged(Message, bubble=False):
    """The follower saw something new (or the store came back). It does not bubble: the
    app hands it to its screens, which must not hand it back."""


class OverviewDown(Message):
    def __init__(self, detail: str) -> None:
        super().__init__()
        self.detail = detail


def minutes(value: int | None, lang: str) -> str:
    return say("overview.nothing", lang) if value is None else \
        say("overview.minutes", lang, minutes=value)


def printer_words(printer: str | None, lang: str) -> str:
    if printer is None:
        return say("overview.printer_unknown", lang)
    if printer == "ok":
        return say("overview.printer_ok", lang)
    return say("overview.printer_failed", lang, detail=printer)


def state_words(tile: SiteSummary, lang: str) -> str:
    """The tile's state; a commune cut off says since when ("mất kết nối từ 09:12")."""
    if tile.state == "offline" and tile.link is not None:
        return str(tile.link["what_en" if lang == "en" else "what"])
    return say(f"overview.state.{tile.state}", lang)


def tile_text(tile: SiteSummary, lang: str) -> str:
    """A commune's tile, one figure group a line."""
    good = percent(tile.good_ratings) if tile.good_ratings is not None else \
        say("overview.nothing", lang)
    seen = say("overview.screens_seen", lang,
               time=tile.screens_last_seen.astimezone().strftime("%H:%M")) \
        if tile.screens_last_seen is not None else say("overview.nothing", lang)
    lines = [
        tile.name, state_words(tile, lang),
        say("overview.waiting", lang, waiting=tile.waiting,
            longest=minutes(tile.longest_wait_minutes, lang)),
        say("overview.served", lang, served=tile.served, p95=minutes(tile.p95_minutes, lang)),
        say("overview.counters", lang, open=tile.counters_open, paused=tile.counters_paused,
            idle=tile.counters_idle),
        say("overview.ratings", lang, good=good, due=tile.bookings_due),
        say("overview.printer", lang, printer=printer_words(tile.printer, lang)),
        say("overview.screens", lang, alive=tile.screens - tile.screens_down,
            screens=tile.screens, seen=seen),
    ]
    if tile.alerts:  # in the state's place: the tile's height holds eight lines
        lines[1] = say("overview.alerts", lang,
                       alerts="; ".join(str(a["what_en" if lang == "en" else "what"])
                                       for a in tile.alerts))
    return "\n".join(lines)


class Tile(Plain, can_focus=True):
    """One commune; Enter opens it."""

    def __init__(self) -> None:
        super().__init__(classes="tile")
        self.code = ""


class ProvinceApp(App[None]):
    TITLE = "queue-kiosk province"
    CSS_PATH = "province.tcss"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("q", "quit", "Thoát / Quit")]

    problem: reactive[str | None] = reactive(None)

    def __init__(self, overview: ProvinceOverview, lang: str = "vi", *,
                 poll_seconds: float = POLL_SECONDS) -> None:
        super().__init__()
        self.overview = overview
        self.lang = lang
        self.poll_seconds = poll_seconds

    def on_mount(self) -> None:
        self.push_screen(OverviewScreen())
        self.follow()

    @work(thread=True, exclusive=True, group="follow", exit_on_error=False)
    def follow(self) -> None:
        """One look a second off the UI thread; the screens redraw when something moved."""
        worker = get_current_worker()
        failures = 0
        while not worker.is_cancelled:
            try:
                changed = self.overview.step()
            except QueueError as exc:
                self.post_message(OverviewDown(exc.message(self.lang)))
                time.sleep(RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)])
                failures += 1
                continue
            if changed or failures:
                failures = 0
                self.post_message(OverviewChanged())
            time.sleep(self.poll_seconds)

    def on_overview_changed(self, _: OverviewChanged) -> None:
        self.problem = None
        for screen in self.screen_stack:
            screen.post_message(OverviewChanged())

    def on_overview_down(self, message: OverviewDown) -> None:
        self.problem = message.detail


class OverviewScreen(Screen[None]):
    BINDINGS = [Binding("d", "district", "Huyện / District"),
                Binding("s", "state", "Trạng thái / State"),
                # Before the scroll container's own arrows: they move between the tiles.
                Binding("right", "move(1)", show=False, priority=True),
                Binding("left", "move(-1)", show=False, priority=True),
                Binding("down", "move_row(1)", show=False, priority=True),
                Binding("up", "move_row(-1)", show=False, priority=True),
                Binding("enter", "open", "Xem xã / Open")]

    district: reactive[str] = reactive("")
    state: reactive[str] = reactive("")

    @property
    def papp(self) -> ProvinceApp:
        assert isinstance(self.app, ProvinceApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Plain(id="province-title")
        yield Plain(id="province-problem")
        scroll = VerticalScroll(Grid(id="province-tiles"), id="province-scroll")
        scroll.can_focus = False  # the arrows move between tiles, not the scroll bar
        yield scroll
        yield Plain(say("overview.keys", self.papp.lang), id="province-keys")

    def on_mount(self) -> None:
        self.redraw()

    def on_overview_changed(self, _: OverviewChanged) -> None:
        self.redraw()
        if self.focused is None and self.app.screen is self:
            first = next(iter(self.query(Tile)), None)
            if first is not None:
                first.focus()

    def watch_district(self) -> None:
        self.redraw()

    def watch_state(self) -> None:
        self.redraw()

    def shown(self) -> list[SiteSummary]:
        return filtered(self.papp.overview.summaries(), district=self.district,
                        state=self.state)

    def redraw(self) -> None:
        if not self.is_mounted:
            return
        lang = self.papp.lang
        tiles = self.shown()
        every = say("overview.any", lang)
        self.query_one("#province-title", Plain).update(
            say("overview.title", lang, count=len(self.papp.overview.sites)) + " · "
            + say("overview.filters", lang, district=self.district or every,
                  state=say(f"overview.state.{self.state}", lang) if self.state else every)
            + " · " + say("overview.updated", lang,
                          time=datetime.now().astimezone().strftime("%H:%M:%S")))
        problem = self.query_one("#province-problem", Plain)
        problem.display = self.papp.problem is not None
        problem.update(say("store.down", lang, detail=self.papp.problem or ""))
        grid = self.query_one("#province-tiles", Grid)
        focused = self.focused.code if isinstance(self.focused, Tile) else None
        slots = list(grid.query(Tile))
        if len(slots) < len(tiles):
            extra = [Tile() for _ in range(len(tiles) - len(slots))]
            grid.mount_all(extra)
            slots += extra
        for slot in slots[len(tiles):]:
            slot.remove()
        for slot, tile in zip(slots, tiles, strict=False):
            slot.code = tile.site
            slot.update(tile_text(tile, lang))
            slot.set_classes(f"tile -{tile.state}")
            if tile.site == focused and self.focused is not slot:
                slot.focus(scroll_visible=False)
        if not tiles:
            self.query_one("#province-problem", Plain).display = True
            self.query_one("#province-problem", Plain).update(say("overview.none", lang))

    def action_district(self) -> None:
        choices = ["", *self.papp.overview.districts()]
        self.district = choices[(choices.index(self.district) + 1) % len(choices)] \
            if self.district in choices else ""

    def action_state(self) -> None:
        choices = ["", *STATES]
        self.state = choices[(choices.index(self.state) + 1) % len(choices)]

    def _columns(self) -> int:
        return max(1, self.query_one("#province-tiles", Grid).size.width // TILE_WIDTH)

    def action_move(self, step: int) -> None:
        tiles = list(self.query(Tile))
        if not tiles:
            return
        here = tiles.index(self.focused) if self.focused in tiles else -step
        tiles[max(0, min(len(tiles) - 1, here + step))].focus()

    def action_move_row(self, rows: int) -> None:
        self.action_move(rows * self._columns())

    def action_open(self) -> None:
        if isinstance(self.focused, Tile) and self.focused.code:
            self.app.push_screen(SiteScreen(self.focused.code))


class SiteScreen(Screen[None]):
    """One commune: its tile, its counters, who waits for which field, its last calls."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Quay lại / Back")]

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code

    @property
    def papp(self) -> ProvinceApp:
        assert isinstance(self.app, ProvinceApp)
        return self.app

    def compose(self) -> ComposeResult:
        lang = self.papp.lang
        yield Plain(id="site-title")
        yield Plain(id="site-summary")
        yield Plain(say("overview.counters_title", lang), classes="site-heading")
        yield DataTable(id="site-counters", cursor_type="none")
        yield Plain(say("overview.fields_title", lang), classes="site-heading")
        yield DataTable(id="site-fields", cursor_type="none")
        yield Plain(say("overview.calls_title", lang), classes="site-heading")
        yield Plain(id="site-calls")
        yield Plain(say("overview.screens_title", lang), classes="site-heading")
        yield Plain(id="site-screens")
        yield Plain(say("overview.keys", lang), id="province-keys")

    def on_mount(self) -> None:
        lang = self.papp.lang
        self.query_one("#site-counters", DataTable).add_columns(
            *(say(f"overview.col.{c}", lang) for c in ("counter", "name", "state", "number")))
        self.query_one("#site-fields", DataTable).add_columns(
            *(say(f"overview.col.{c}", lang) for c in ("field", "waiting", "longest", "open")))
        self.redraw()

    def on_overview_changed(self, _: OverviewChanged) -> None:
        self.redraw()

    def redraw(self) -> None:
        lang = self.papp.lang
        detail = self.papp.overview.detail(self.code)
        if detail is None:
            self.notify(say("overview.gone", lang, code=self.code), markup=False)
            self.app.pop_screen()
            return
        self.query_one("#site-title", Plain).update(
            say("overview.site_title", lang, name=detail.summary.name, code=self.code))
        self.query_one("#site-summary", Plain).update(
            tile_text(detail.summary, lang).split("\n", 1)[1])
        self._tables(detail, lang)
        self.load_calls()

    def _tables(self, detail: SiteDetail, lang: str) -> None:
        counters = self.query_one("#site-counters", DataTable)
        counters.clear()
        for c in detail.counters:
            state = say(f"overview.counter.{c.state}", lang, minutes=c.paused_minutes or 0)
            counters.add_row(*cells(c.code, c.name, state, c.number or ""))
        fields = self.query_one("#site-fields", DataTable)
        fields.clear()
        for f in detail.fields:
            fields.add_row(*cells(f.name_en if lang == "en" and f.name_en else f.name,
                                  f.waiting, minutes(f.longest_wait_minutes, lang),
                                  f.counters_open))
        screens = [f"{s.role} {s.counter or ''}".strip() + " · "
                   + say("overview.screen.alive" if s.alive else "overview.screen.down", lang)
                   + " · " + say("overview.screens_seen", lang,
                                 time=s.seen_at.astimezone().strftime("%H:%M"))
                   for s in detail.screens]
        self.query_one("#site-screens", Plain).update("\n".join(screens)
                                                       or say("overview.nothing", lang))

    @work(thread=True, exclusive=True, group="calls", exit_on_error=False)
    def load_calls(self) -> None:
        calls = self.papp.overview.calls(self.code)
        text = "  ".join(f"{c.number} → {c.counter}" for c in calls) or \
            say("overview.nothing", self.papp.lang)
        self.app.call_from_thread(self.query_one("#site-calls", Plain).update, text)
