"""Provides what the kiosk's screens share: their state (the clocks, the card read, the keys
pressed while issuing) and `KioskStep`, the base of every kiosk screen."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual import events
from textual.binding import Binding

from queue_kiosk.screens.identity import ReadsCards

if TYPE_CHECKING:
    from queue_kiosk.service.identity import Identified


@dataclass
class KioskState:
    """Shared by the kiosk's screens: the debounce and idle clocks (monotonic seconds)."""

    last_issue: float = -1e9
    last_activity: float = 0.0
    clock: Callable[[], float] = time.monotonic
    """Injectable: tests move this clock, never the event loop's."""
    identified: Identified | None = None
    """The citizen whose card was read, until their ticket is issued or the kiosk idles."""
    pending: list[tuple[str, str | None]] = field(default_factory=list)
    """Keys pressed while a ticket was being issued (the next citizen's field and Enter, in
    a burst): replayed in order once the ticket shows, never lost."""


class KioskStep(ReadsCards):
    """Every kiosk screen: any touch or key counts as activity; Esc goes back."""

    BINDINGS = [Binding("escape", "back", show=False)]

    def __init__(self, state: KioskState) -> None:
        super().__init__()
        self.state = state

    def on_key(self, _: events.Key) -> None:
        self.state.last_activity = self.state.clock()

    def on_mouse_down(self, _: events.MouseDown) -> None:
        self.state.last_activity = self.state.clock()

    def action_back(self) -> None:
        self.app.pop_screen()

    def card_read(self, identified: Identified) -> None:
        """Read before a field was chosen: home, where the next choice takes it along."""
        self.state.identified = identified
        self.state.last_activity = self.state.clock()
        for home in [s for s in self.app.screen_stack if isinstance(s, KioskHomeStep)]:
            home.go_home()
            home.show_identity()

    def start_over(self, character: str | None) -> bool:
        """A field's key (or the booking key) pressed on a step a citizen left on screen:
        that step is closed and the key chooses as it would at home. True if it was one."""
        home = next((s for s in self.app.screen_stack if isinstance(s, KioskHomeStep)), None)
        if home is None or not home.is_shortcut(character):
            return False
        home.go_home()
        home.shortcut(character)
        return True

    def replay(self) -> None:
        """The keys pressed while a ticket was being issued, now that this step shows: a
        field's key starts over with that field; Enter on a choice takes its ticket."""
        while self.state.pending:
            key, character = self.state.pending.pop(0)
            if key == "escape":
                self.replay_escape()
                return
            if key == "enter" and self.replay_enter():
                return
            if self.start_over(character):
                return

    def replay_escape(self) -> None:
        """Esc, pressed while issuing, once this step shows."""
        self.action_back()

    def replay_enter(self) -> bool:
        """Enter, pressed while issuing, once this step shows: True if it acted."""
        return False


class KioskHomeStep(KioskStep):
    """What the other steps ask of the kiosk's first screen (`kiosk.KioskHome`)."""

    def go_home(self) -> None:
        raise NotImplementedError

    def show_identity(self) -> None:
        raise NotImplementedError

    def is_shortcut(self, character: str | None) -> bool:
        raise NotImplementedError

    def shortcut(self, character: str | None) -> bool:
        raise NotImplementedError
