"""Provides the hall display: who is called to which counter, seen and heard across the room."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult, RenderResult
from textual.containers import Grid, Horizontal, Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from queue_kiosk.domain.errors import QueueError
from queue_kiosk.domain.text import fit_lines
from queue_kiosk.domain.views import BoardView, CallView, CounterView, FieldQueueView
from queue_kiosk.screens.base import QueueScreen
from queue_kiosk.screens.messages import CatalogReloaded, StoreChanged
from queue_kiosk.screens.widgets.big_text import MAX_STRETCH, MIN_GLYPH_WIDTH, BigText
from queue_kiosk.screens.widgets.header import CentreHeader
from queue_kiosk.screens.widgets.plain import Fitted, Plain
from queue_kiosk.screens.widgets.store_banner import StoreBanner
from queue_kiosk.voice.announce import Announcement
from queue_kiosk.wording import say

CALL_KINDS = ("called", "recalled")
SIDE_WIDTH = 30
VOICE_CHECK_SECONDS = 10.0
"""How often the display records whether the hall hears its calls, for the counters."""
"""The side column's least width; on a wide TV it takes a quarter of the screen."""
TILE_FRAME = (5, 5)
"""Columns and rows of a tile that are not its number: border, padding, gutter; border,
title, name and state lines."""
NUMBER_LENGTH = 4
GLYPH_ASPECT = 0.65
"""A bold digit's width over its height in the bundled font."""


def tile_columns(count: int, width: int, height: int) -> int:
    """The grid's columns that draw a ticket number tallest, for 1 to 30 counters in the
    space the tiles have (a wide TV and a square monitor want different grids). Where no
    grid leaves room for large digits (80×24), every tile must still show its number and
    name as text, in as few columns as allow that."""
    def fit(columns: int) -> tuple[float, int, int]:
        rows = math.ceil(count / columns)
        tile_width = width // columns - TILE_FRAME[0]
        tile_height = height // rows - TILE_FRAME[1]
        if tile_width < NUMBER_LENGTH or tile_height < 0:
            return (-1.0, 0, -columns)
        glyphs = 0.0
        if tile_width >= NUMBER_LENGTH * MIN_GLYPH_WIDTH:
            glyphs = min(2.0 * tile_height,
                         tile_width / NUMBER_LENGTH / GLYPH_ASPECT * MAX_STRETCH)
        return (glyphs, min(tile_height, 2), -columns)
    return max(range(1, count + 1), key=fit)


@dataclass(frozen=True)
class BoardUpdate:
    board: BoardView
    calls: list[Announcement]
    """New calls since the last update, oldest first."""


class CounterTile(Vertical):
    def __init__(self, code: str) -> None:
        super().__init__(id=f"tile-{code}", classes="tile")
        self.code = code

    def compose(self) -> ComposeResult:
        yield Plain(classes="tile-title")
        yield Fitted(classes="tile-name")
        yield BigText(classes="tile-number")
        yield Fitted(classes="tile-state")

    def show(self, counter: CounterView, lang: str) -> None:
        self.query_one(".tile-title", Static).update(say("display.counter", lang,
                                                          code=counter.code))
        self.query_one(".tile-name", Fitted).update(counter.short_label(lang))
        current = counter.current
        self.query_one(BigText).text = current.number if current else ""
        if counter.paused_reason is not None:
            state = say("display.paused", lang, reason=counter.paused_reason or "—")
        elif current is None:
            state = say("display.outside_hours" if counter.outside_hours else "display.idle",
                        lang)
        else:
            state = say("display.serving" if current.status == "serving"
                         else "display.calling_state", lang)
        self.query_one(".tile-state", Fitted).update(state)
        self.set_class(counter.paused_reason is not None, "-paused")
        self.set_class(current is None, "-idle")


class CallBanner(Horizontal):
    """MỜI CÔNG DÂN CÓ SỐ [number] ĐẾN QUẦY SỐ [counter]: the words in the terminal's font,
    the number and the counter as large as the banner's height allows."""

    call: Announcement | None = None

    def compose(self) -> ComposeResult:
        yield Plain(classes="call-words", id="call-before")
        yield BigText(id="call-number")
        yield Plain(classes="call-words", id="call-to")
        yield BigText(id="call-counter")

    def show(self, call: Announcement, lang: str) -> None:
        self.call = call
        self.query_one("#call-before", Static).update(say("display.calling_before", lang))
        self.query_one("#call-number", BigText).text = call.number
        self.query_one("#call-to", Static).update(say("display.calling_to", lang))
        self.query_one("#call-counter", BigText).text = call.counter

    def sentence(self, lang: str) -> str:
        """The banner read as one line: what the voice says, what a test looks for."""
        if self.call is None:
            return ""
        return say("display.calling", lang, number=self.call.number,
                   counter=self.call.counter)


class RecentCalls(Vertical):
    """VỪA GỌI: each call one line, drawn large when the side column has rows to spare; a
    recall is marked (in colour when large, in words when small)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.entries: list[BigText] = []

    def compose(self) -> ComposeResult:
        yield Plain(classes="side-title", id="recent-title")

    def show(self, calls: list[CallView], lang: str) -> None:
        self.query_one("#recent-title", Static).update(say("display.recent", lang))
        shown: set[tuple[str, str]] = set()
        lines: list[tuple[str, bool, bool]] = []
        for made in calls:  # newest first: a recall replaces its call's line
            if (made.number, made.counter) not in shown:
                shown.add((made.number, made.counter))
                lines.append((f"{made.number} → {made.counter}", made.kind == "recalled",
                              made.booked))
        # Lines are kept and hidden, never removed: a board update may arrive while the
        # last one's widgets are still being mounted.
        while len(self.entries) < len(lines):
            self.entries.append(BigText(classes="recent-call"))
            self.mount(self.entries[-1])
        for index, entry in enumerate(self.entries):
            entry.display = index < len(lines)
            if index < len(lines):
                entry.text, again, booked = lines[index]
                entry.note = say("display.recalled", lang) if again else (
                    say("display.booked", lang) if booked else "")
                entry.set_class(again, "-recalled")

    def lines(self) -> list[str]:
        """What the column says, line by line."""
        return [" ".join(filter(None, (entry.text, entry.note)))
                for entry in self.entries if entry.display]


class WaitingList(Widget):
    """ĐANG CHỜ: each field's name, shortened after a whole word, and its waiting count."""

    DEFAULT_CSS = "WaitingList { height: auto; }"
    rows: reactive[tuple[tuple[str, int], ...]] = reactive(())
    title: reactive[str] = reactive("")

    def show(self, queues: list[FieldQueueView], lang: str) -> None:
        self.title = say("display.waiting", lang)
        self.rows = tuple((q.label(lang), q.waiting) for q in queues if q.waiting)

    def render(self) -> RenderResult:
        width = max(8, self.content_size.width)
        lines = [self.title] + [
            f"{fit_lines(label, cell_len, width - 5, 1)[0]:<{width - 5}}{count:>5}"
            for label, count in self.rows]
        return Text("\n".join(lines))

    def get_content_height(self, *_: object) -> int:
        return 1 + len(self.rows)


class DisplayScreen(QueueScreen[None]):
    """Follows the change feed; each new call flashes, shows in the banner and is announced."""

    def __init__(self) -> None:
        super().__init__()
        self.last_seen = -1
        """The newest event whose calls were handed to `show`; moved by one reader at a time."""
        self.reading = threading.Lock()
        self.notice_offset = 0
        self.tiles: dict[str, CounterTile] = {}
        self.voice_failing: bool | None = None
        """What the store says of the hall's voice, as this display last saw or wrote it."""

    def compose(self) -> ComposeResult:
        yield CentreHeader(id="display-header")
        yield StoreBanner()
        yield CallBanner(id="display-calling")
        with Horizontal(id="display-body"):
            yield Grid(id="display-tiles")
            with Vertical(id="display-side"):
                yield RecentCalls(id="display-recent")
                yield WaitingList(id="display-waiting")
        yield Plain(id="display-printer")
        yield Plain(id="display-notice")

    def on_mount(self) -> None:
        self._build_tiles()
        self.notice_offset = -1
        self._scroll_notice()
        self.set_interval(self.options.marquee_seconds, self._scroll_notice)
        self._layout()
        self.load_board(announce=False)
        if self.options.announcer is not None:
            self.set_interval(VOICE_CHECK_SECONDS, self.record_voice)
            self.record_voice()

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
        self._layout()
        self.load_board(announce=True)

    def on_resize(self) -> None:
        self._layout()

    def _layout(self) -> None:
        """Size the parts to the screen: from a desk monitor (80×24) to a hall TV (200×56 in a
        terminal, 1920×1080 in a browser), the called number is what must carry."""
        width, height = self.size
        side = max(SIDE_WIDTH, width // 4)
        self.query_one("#display-side").styles.width = side
        banner = 3 if height < 30 else height // 6
        self.query_one("#display-calling").styles.height = banner
        grid = self.query_one("#display-tiles", Grid)
        count = max(1, len(self.tiles))
        columns = tile_columns(count, width - side - 2, height - 4 - banner)
        grid.styles.grid_size_columns = columns
        grid.styles.grid_size_rows = math.ceil(count / columns)

    def _scroll_notice(self) -> None:
        service = self.service
        text = self.settings.notice_at(service.clock.now().astimezone(service.catalog.tz))
        notice = self.query_one("#display-notice", Static)
        if not text or self.settings.notice_style == "line":
            notice.update(text)  # also clears a notice whose time is over
            return
        width = max(1, self.size.width)
        looped = text + " " * 10
        self.notice_offset = (self.notice_offset + 1) % len(looped)
        line = (looped[self.notice_offset:] + looped) * (width // len(looped) + 2)
        notice.update(line[:width])

    @work(thread=True, exclusive=True, group="voice", exit_on_error=False)
    def record_voice(self) -> None:
        """The officials are told at their counters when the hall stops hearing the calls
        (the hall itself only sees a line on this screen): each change is recorded once."""
        announcer = self.options.announcer
        if announcer is None:
            return
        problem = announcer.problem
        try:
            if self.voice_failing is None:  # as it stood before this display started
                self.voice_failing = self.service.voice_problem() is not None
            if (problem is not None) != self.voice_failing:
                self.service.record_voice(problem)
                self.voice_failing = problem is not None
        except QueueError:
            return  # the banner reports the outage; the next check records it

    def on_store_changed(self, _: StoreChanged) -> None:
        self.load_board(announce=True)

    @work(thread=True, exclusive=True, group="board", exit_on_error=False)
    def load_board(self, announce: bool) -> None:
        service = self.service
        # A newer change cancels this worker but not its thread: the next read waits for
        # this one to move the cursor and show its calls, else both read from the same
        # cursor and a call was heard twice (on a loaded machine).
        with self.reading:
            try:
                board = service.board()
                calls: list[Announcement] = []
                seen = board.last_event_id
                if announce and self.last_seen >= 0:
                    changes = service.feed().changes(self.last_seen)
                    # Those committed after the board was read count as seen too.
                    seen = max(seen, changes[-1].id if changes else seen)
                    calls = [Announcement(c.number, c.counter) for c in changes
                             if c.kind in CALL_KINDS and c.number and c.counter]
            except QueueError:
                return  # the feed worker reports outages; the board keeps its last state
            self.last_seen = max(self.last_seen, seen)
            self.app.call_from_thread(self.show, BoardUpdate(board, calls))

    def show(self, update: BoardUpdate) -> None:
        lang = self.lang
        board = update.board
        for counter in board.counters:
            if counter.code in self.tiles:
                self.tiles[counter.code].show(counter, lang)
        self.query_one(RecentCalls).show(board.recent_calls, lang)
        self.query_one(WaitingList).show(board.waiting, lang)
        printer = self.query_one("#display-printer", Static)
        announcer = self.options.announcer
        alerts = ([say("display.printer_failed", lang)] if board.printer_failed else []) + (
            [say("display.voice_problem", lang)] if announcer and announcer.problem else [])
        printer.update("   ".join(alerts))
        printer.set_class(bool(alerts), "-alert")
        for call in update.calls:
            self.highlight(call)

    def highlight(self, call: Announcement) -> None:
        banner = self.query_one(CallBanner)
        banner.show(call, self.lang)
        banner.add_class("-active")
        tile = self.tiles.get(call.counter)
        if tile is not None:
            tile.add_class("-flash")
        announcer = self.options.announcer
        if announcer is not None:
            announcer.announce(call)

        def fade() -> None:
            if banner.call == call:  # a later call keeps the banner lit for its own time
                banner.remove_class("-active")
            if tile is not None:
                tile.remove_class("-flash")
        self.set_timer(self.settings.highlight_seconds, fade)
