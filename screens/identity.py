"""Provides the kiosk's card reading: a scanner that types (keyboard wedge) recognised on any
kiosk screen, the on-screen keypad for the card's 12 digits, and the reading in a thread.

A scanner types the QR text much faster than a person and ends it with Enter. The card's
number starts with a digit, and digits choose fields: so a digit is held back for a moment,
and the keys that follow it that fast are taken as one scan, never as taps. A person's digit
acts a moment later, as typed; keys that were not a card are replayed in order."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from textual import events, work
from textual.app import App, ComposeResult
from textual.containers import Grid, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Input, Label

from queue_kiosk.domain.errors import QueueError
from queue_kiosk.domain.identity import looks_like_card
from queue_kiosk.screens.base import QueueScreen
from queue_kiosk.screens.dialogs.choice import ChoiceDialog
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.identity import Identified, Identities
from queue_kiosk.wording import say

WEDGE_GAP = 0.08
"""Seconds between two keys of a scanner (they type every few milliseconds); a person on a
keypad takes longer."""


class CardScanned(Message):
    """A card's QR text or number arrived from the scanner."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


def reader(service: QueueService) -> Identities:
    """The site's card reader, with the key from this machine's file (read per card)."""
    return Identities.on_this_machine(service)


def elderly_offer(service: QueueService, identified: Identified | None,
                  lang: str) -> tuple[str, ChoiceDialog] | None:
    """For a citizen of the elderly age, the priority's code and the dialog that offers it
    already selected (Enter confirms, "Không" declines)."""
    settings = service.catalog.hall.identity
    elderly = [p for p in service.catalog.hall.priorities
               if p.code == settings.elderly_priority]
    if identified is None or not identified.aged or not elderly:
        return None
    return elderly[0].code, ChoiceDialog(
        say("identity.elderly_offer", lang, age=settings.elderly_age,
            category=elderly[0].label(lang)),
        [("yes", say("kiosk.yes", lang)), ("no", say("kiosk.no", lang))], selected="yes")


class ReadsCards(QueueScreen[None]):
    """A screen a scan reaches: the card is read in a thread, then `card_read`."""

    def on_card_scanned(self, message: CardScanned) -> None:
        message.stop()
        self.read_card(message.text)

    @work(thread=True, exclusive=True, group="card", exit_on_error=False)
    def read_card(self, text: str) -> None:
        try:
            identified = reader(self.service).read(text)
        except QueueError as exc:  # one sentence for the citizen, nothing of the card
            self.app.call_from_thread(self.notify, exc.message(self.lang),
                                      severity="warning", markup=False)
            return
        self.app.call_from_thread(self.card_read, identified)

    def card_read(self, identified: Identified) -> None:
        raise NotImplementedError


class WedgeFilter:
    """The app's key filter while the kiosk reads cards: `take` keeps the keys of a scan
    from the screens and posts `CardScanned` to `deliver` instead."""

    def __init__(self, app: App[None], deliver: Callable[[CardScanned], None],
                 replay: Callable[[events.Key], Awaitable[None]],
                 active: Callable[[], bool], gap: float = WEDGE_GAP,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.deliver = deliver
        self.active = active
        """Whether a kiosk screen is shown (the demo switches to the counter and back)."""
        self.replay = replay
        self.gap = gap
        self.clock = clock
        self.held: list[events.Key] = []
        self.last = -1e9
        self.timer: Timer | None = None

    async def take(self, event: events.Key) -> bool:
        """True where the key was kept (held or part of a scan)."""
        if not self.held and not self.active():
            return False
        now = self.clock()
        burst = bool(self.held) and now - self.last < self.gap
        self.last = now
        if burst and event.key == "enter":
            keys, self.held = self.held, []
            text = "".join(key.character or "" for key in keys)
            if looks_like_card(text) or "|" in text:
                self.deliver(CardScanned(text))
            else:
                await self._replay([*keys, event])
            return True
        if burst:
            self.held.append(event)
            self._arm()
            return True
        await self.flush()
        if event.character is not None and event.character.isdigit():
            self.held = [event]
            self._arm()
            return True
        return False

    def _arm(self) -> None:
        if self.timer is not None:
            self.timer.stop()
        self.timer = self.app.set_timer(self.gap * 1.5, self.flush)

    async def flush(self) -> None:
        """Keys held with no scan following them (a person's digit) go on, as typed."""
        keys, self.held = self.held, []
        await self._replay(keys)

    async def _replay(self, keys: list[events.Key]) -> None:
        for key in keys:
            await self.replay(events.Key(key.key, key.character))


class KeypadDialog(ModalScreen[str | None]):
    """The card's 12 digits, typed on the screen's keypad or the kiosk's keys."""

    DEFAULT_CSS = """
    KeypadDialog { align: center middle; }
    KeypadDialog > Vertical { width: 50; height: auto; border: thick $accent;
                              background: $surface; padding: 1 2; }
    KeypadDialog Grid { grid-size: 3; grid-gutter: 0 1; height: auto; }
    KeypadDialog Grid Button { width: 1fr; min-width: 5; }
    KeypadDialog .keypad-notice { margin-top: 1; color: $text-muted; width: 100%; }
    """
    BINDINGS = [("escape", "cancel", "")]

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(say("kiosk.keypad_title", self.lang), markup=False)
            yield Input(id="keypad-digits", restrict=r"[0-9 ]*", max_length=15)
            with Grid():
                for key in "123456789":
                    yield Button(key, id=f"keypad-{key}")
                yield Button("⌫", id="keypad-back")
                yield Button("0", id="keypad-0")
                yield Button(say("kiosk.keypad_ok", self.lang), id="keypad-ok",
                             variant="success")
            yield Label(say("identity.notice", self.lang), classes="keypad-notice",
                        markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        digits = self.query_one(Input)
        if event.button.id == "keypad-ok":
            self.dismiss(digits.value.strip() or None)
        elif event.button.id == "keypad-back":
            digits.value = digits.value[:-1]
        elif event.button.id and len(digits.value) < 15:
            digits.value += event.button.id.rsplit("-", 1)[1]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
