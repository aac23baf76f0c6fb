"""Provides a modal list of choices: tap one, or type its key (a digit by default; a counter's
own code where the choice is a counter, so that "2" always means counter 2)."""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from queue_kiosk.screens.widgets.plain import literal

Option = tuple[str, str] | tuple[str, str, str]
"""(value, label) keyed by position (1…9, 0), or (value, label, key) with its own key."""


def keyed(options: Sequence[Option]) -> list[tuple[str, str, str | None]]:
    """Every option with its key; a key two options would share goes to the first only."""
    taken: set[str] = set()
    out: list[tuple[str, str, str | None]] = []
    for index, option in enumerate(options, start=1):
        key: str | None = option[2] if len(option) == 3 else (
            str(index % 10) if index <= 10 else None)
        if key is not None and key.casefold() in taken:
            key = None
        if key is not None:
            taken.add(key.casefold())
        out.append((option[0], option[1], key))
    return out


class ChoiceDialog(ModalScreen[str | None]):
    """Returns the chosen option's value, or None when cancelled (Esc). A key longer than
    one character is typed out ("12"); Enter takes what was typed when another key starts
    with it ("1" beside "10")."""

    DEFAULT_CSS = """
    ChoiceDialog { align: center middle; }
    ChoiceDialog > Vertical { width: 70%; max-width: 90; height: auto; max-height: 90%;
                              border: thick $accent; background: $surface; padding: 1 2; }
    ChoiceDialog Label { width: 1fr; text-style: bold; margin-bottom: 1; }
    ChoiceDialog VerticalScroll { height: auto; max-height: 30; }
    ChoiceDialog Button { width: 1fr; margin-bottom: 1; }
    """
    BINDINGS = [("escape", "cancel", "")]

    def __init__(self, title: str, options: Sequence[Option],
                 cancel_label: str | None = None, selected: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.options = keyed(options)
        self.cancel_label = cancel_label
        self.selected = selected
        """The option offered already selected (focused: Enter takes it)."""
        self.typed = ""

    def on_mount(self) -> None:
        values = [value for value, _, _ in self.options]
        if self.selected in values:
            self.query_one(f"#choice-{values.index(self.selected) + 1}", Button).focus()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, markup=False)
            with VerticalScroll():
                for index, (value, label, key) in enumerate(self.options, start=1):
                    shortcut = f"{key}  " if key is not None else ""
                    yield Button(literal(f"{shortcut}{label}"), id=f"choice-{index}",
                                 name=value)
                if self.cancel_label:
                    yield Button(literal(f"Esc  {self.cancel_label}"), id="choice-cancel",
                                 variant="default")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None if event.button.id == "choice-cancel" else event.button.name)

    def on_key(self, event: events.Key) -> None:
        if event.key == "enter" and self.typed:
            exact = self._starting(self.typed, exact=True)
            if exact:
                event.stop()
                self.dismiss(exact[0])
            return
        if event.character is None or not event.character.isprintable() \
                or event.character.isspace():
            return
        typed = (self.typed + event.character).casefold()
        if not self._starting(typed):
            typed = event.character.casefold()  # a slip: start again from this key
        self.typed = typed if self._starting(typed) else ""
        if not self.typed:
            return
        event.stop()
        exact = self._starting(self.typed, exact=True)
        if exact and len(self._starting(self.typed)) == 1:
            self.dismiss(exact[0])
            return
        # Still ambiguous ("1" beside "10"): the exact one waits, focused, for Enter.
        target = (exact or self._starting(self.typed))[0]
        index = [value for value, _, _ in self.options].index(target) + 1
        self.query_one(f"#choice-{index}", Button).focus()

    def _starting(self, typed: str, *, exact: bool = False) -> list[str]:
        """The values of the options whose key is (or, unless `exact`, starts with) `typed`."""
        return [value for value, _, key in self.options if key is not None
                and (key.casefold() == typed if exact else key.casefold().startswith(typed))]

    def action_cancel(self) -> None:
        self.dismiss(None)
