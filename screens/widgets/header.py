"""Provides the header bar of the kiosk and the display: the centre's name and a clock."""

from __future__ import annotations

from textual import getters
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from queue_kiosk.screens.app import QueueApp
from queue_kiosk.screens.widgets.plain import Plain


class CentreHeader(Horizontal):
    app = getters.app(QueueApp)
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
        site = self.app.service.catalog.hall.site
        self.query_one(".centre", Static).update(site.label(self.app.lang).upper())
        self.tick()
        self.set_interval(self.app.options.clock_seconds, self.tick)

    def tick(self) -> None:
        service = self.app.service
        now = service.clock.now().astimezone(service.catalog.tz)
        self.query_one(".clock", Static).update(now.strftime("%H:%M  %d/%m/%Y"))
