"""Provides the hall display: who is called to which counter, seen and heard across the room."""

from __future__ import annotations

import math
from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import Static

from queue_kiosk.announce import Announcement
from queue_kiosk.errors import QueueError
from queue_kiosk.screens.base import QueueScreen
from queue_kiosk.screens.messages import CatalogReloaded, StoreChanged
from queue_kiosk.screens.widgets.big_text import BigText
from queue_kiosk.screens.widgets.header import CentreHeader
from queue_kiosk.screens.widgets.plain import Plain
from queue_kiosk.screens.widgets.store_banner import StoreBanner
from queue_kiosk.views import BoardView, CounterView

CALL_KINDS = ("called", "recalled")
SIDE_WIDTH = 30


@dataclass(frozen=True)
class BoardUpdate:
    board: BoardView
    calls: list[Announcement]
    """New calls since the last update, oldest first."""
    last_event_id: int


class CounterTile(Vertical):
    def __init__(self, code: str) -> None:
        super().__init__(id=f"tile-{code}", classes="tile")
        self.code = code

    def compose(self) -> ComposeResult:
        yield Plain(classes="tile-title")
        yield Plain(classes="tile-name")
        yield BigText(classes="tile-number")
        yield Plain(classes="tile-state")

    def show(self, counter: CounterView, lang: str) -> None:
        from queue_kiosk.wording import say

        self.query_one(".tile-title", Static).update(say("display.counter", lang,
                                                          code=counter.code))
        name = counter.label(lang)
        self.query_one(".tile-name", Static).update(name)
        current = counter.current
        self.query_one(BigText).text = current.number if current else ""
        if counter.paused_reason is not None:
            state = say("display.paused", lang, reason=counter.paused_reason or "—")
        elif current is None:
            state = say("display.idle", lang)
        else:
            state = say("display.serving" if current.status == "serving"
                         else "display.calling_state", lang)
        self.query_one(".tile-state", Static).update(state)
        self.set_class(counter.paused_reason is not None, "-paused")
        self.set_class(current is None, "-idle")


class DisplayScreen(QueueScreen[None]):
    """Follows the change feed; each new call flashes, shows in the banner and is announced."""

    def __init__(self) -> None:
        super().__init__()
        self.last_seen = -1
        self.notice_offset = 0
        self.tiles: dict[str, CounterTile] = {}

    def compose(self) -> ComposeResult:
        yield CentreHeader(id="display-header")
        yield StoreBanner()
        yield Plain(id="display-calling")
        with Horizontal(id="display-body"):
            yield Grid(id="display-tiles")
            with Vertical(id="display-side"):
                yield Plain(id="display-recent")
                yield Plain(id="display-waiting")
        yield Plain(id="display-printer")
        yield Plain(id="display-notice")

    def on_mount(self) -> None:
        self._build_tiles()
        self.notice_offset = -1
        self._scroll_notice()
        self.set_interval(self.options.marquee_seconds, self._scroll_notice)
        self._layout_tiles()
        self.load_board(announce=False)

    def _build_tiles(self) -> None:
        service = self.service
        grid = self.query_one("#display-tiles", Grid)
        self.tiles = {counter.code: CounterTile(counter.code)
                      for counter in service.catalog.counters.values()}
        grid.mount_all(self.tiles.values())
        self.settings = service.catalog.hall.display

    async def on_catalog_reloaded(self, _: CatalogReloaded) -> None:
        """A new hall configuration: one tile per counter it has."""
        await self.query_one("#display-tiles", Grid).remove_children()
        self._build_tiles()
        self._layout_tiles()
        self.load_board(announce=True)

    def on_resize(self) -> None:
        self._layout_tiles()

    def _layout_tiles(self) -> None:
        """Choose columns so tiles stay wide enough for the number, for 2 to 24 counters."""
        grid = self.query_one("#display-tiles", Grid)
        count = max(1, len(self.tiles))
        width = max(20, self.size.width - SIDE_WIDTH)
        height = max(6, self.size.height - 8)
        columns = max(1, min(count, math.ceil(math.sqrt(count * width / (height * 3)))))
        grid.styles.grid_size_columns = columns
        grid.styles.grid_size_rows = math.ceil(count / columns)

    def _scroll_notice(self) -> None:
        text = self.settings.notice
        if not text:
            return
        width = max(1, self.size.width)
        looped = text + " " * 10
        self.notice_offset = (self.notice_offset + 1) % len(looped)
        line = (looped[self.notice_offset:] + looped) * (width // len(looped) + 2)
        self.query_one("#display-notice", Static).update(line[:width])

    def on_store_changed(self, _: StoreChanged) -> None:
        self.load_board(announce=True)

    @work(thread=True, exclusive=True, group="board", exit_on_error=False)
    def load_board(self, announce: bool) -> None:
        service = self.service
        try:
            board = service.board()
            calls: list[Announcement] = []
            if announce and self.last_seen >= 0:
                feed = service.feed()
                calls = [Announcement(c.number, c.counter) for c in feed.changes(self.last_seen)
                         if c.kind in CALL_KINDS and c.number and c.counter]
        except QueueError:
            return  # the feed worker reports outages; the board keeps its last state
        self.app.call_from_thread(self.show, BoardUpdate(board, calls, board.last_event_id))

    def show(self, update: BoardUpdate) -> None:
        from queue_kiosk.wording import say

        lang = self.lang
        board = update.board
        self.last_seen = max(self.last_seen, update.last_event_id)
        for counter in board.counters:
            if counter.code in self.tiles:
                self.tiles[counter.code].show(counter, lang)
        recent = [say("display.recent", lang)]
        shown: set[tuple[str, str]] = set()
        for made in board.recent_calls:  # newest first: a recall replaces its call's line
            if (made.number, made.counter) in shown:
                continue
            shown.add((made.number, made.counter))
            again = f" {say('display.recalled', lang)}" if made.kind == "recalled" else ""
            recent.append(f" {made.number:>6} → {made.counter}{again}")
        self.query_one("#display-recent", Static).update("\n".join(recent))
        waiting = [say("display.waiting", lang)] + [
            f" {(q.label(lang))[:20]:<20} {q.waiting:>3}"
            for q in board.waiting if q.waiting]
        self.query_one("#display-waiting", Static).update("\n".join(waiting))
        printer = self.query_one("#display-printer", Static)
        announcer = self.options.announcer
        alerts = ([say("display.printer_failed", lang)] if board.printer_failed else []) + (
            [say("display.voice_problem", lang)] if announcer and announcer.problem else [])
        printer.update("   ".join(alerts))
        printer.set_class(bool(alerts), "-alert")
        for call in update.calls:
            self.highlight(call)

    def highlight(self, call: Announcement) -> None:
        from queue_kiosk.wording import say

        banner = self.query_one("#display-calling", Static)
        banner.update(say("display.calling", self.lang, number=call.number,
                           counter=call.counter))
        banner.add_class("-active")
        tile = self.tiles.get(call.counter)
        if tile is not None:
            tile.add_class("-flash")
        announcer = self.options.announcer
        if announcer is not None:
            announcer.announce(call)
        seconds = self.settings.highlight_seconds

        def fade() -> None:
            if str(banner.content) == say(
                    "display.calling", self.lang, number=call.number, counter=call.counter):
                banner.remove_class("-active")
            if tile is not None:
                tile.remove_class("-flash")
        self.set_timer(seconds, fade)
