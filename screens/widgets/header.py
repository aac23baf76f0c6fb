"""Provides the header bar of the kiosk and the display: the centre's name and a clock."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from queue_kiosk.screens.widgets.plain import Plain


class CentreHeader(Horizontal):
    DEFAULT_CSS = """
    CentreHeader { height: 3; background: $primary; color: $text; }
    CentreHeader > .centre { width: 1fr; height: 1fr; content-align: left middle;
                              text-style: bold; padding: 0 2; }
    CentreHeader > .clock { width: auto; height: 1fr; content-align: right middle;
                             text-style: bold; padding: 0 2; }
    """

    def compose(self) -> ComposeResult:
        yield Plain(classes="centre")
        yield Plain(classes="clock")

    def on_mount(self) -> None:
        service = self.app.service  # type: ignore[attr-defined]
        lang = self.app.lang  # type: ignore[attr-defined]
        self.query_one(".centre", Static).update(service.catalog.hall.site.label(lang).upper())
        self.tick()
        self.set_interval(self.app.options.clock_seconds, self.tick)  # type: ignore[attr-defined]

    def tick(self) -> None:
        service = self.app.service  # type: ignore[attr-defined]
        now = service.clock.now().astimezone(service.catalog.tz)
        self.query_one(".clock", Static).update(now.strftime("%H:%M  %d/%m/%Y"))
