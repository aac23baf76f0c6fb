"""Provides the banner every screen shows while the store cannot be reached."""

from __future__ import annotations

from textual import getters

from queue_kiosk.screens.app import QueueApp
from queue_kiosk.screens.widgets.plain import Plain


class StoreBanner(Plain):
    app = getters.app(QueueApp)
    DEFAULT_CSS = """
    StoreBanner { display: none; height: auto; width: 1fr; background: $error;
                  color: $text; text-style: bold; padding: 0 1; }
    StoreBanner.-down { display: block; }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "store_problem", self._show)

    def _show(self, problem: str | None) -> None:
        from queue_kiosk.wording import say

        self.set_class(problem is not None, "-down")
        if problem is not None:
            self.update(say("store.down", self.app.lang, detail=problem))
