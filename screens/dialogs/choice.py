"""Provides a modal list of numbered choices: tap one, or press its digit."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from queue_kiosk.screens.widgets.plain import literal


class ChoiceDialog(ModalScreen[str | None]):
    """Returns the chosen option's value, or None when cancelled (Esc)."""

    DEFAULT_CSS = """
    ChoiceDialog { align: center middle; }
    ChoiceDialog > Vertical { width: 70%; max-width: 90; height: auto; max-height: 90%;
                              border: thick $accent; background: $surface; padding: 1 2; }
    ChoiceDialog Label { width: 1fr; text-style: bold; margin-bottom: 1; }
    ChoiceDialog VerticalScroll { height: auto; max-height: 30; }
    ChoiceDialog Button { width: 1fr; margin-bottom: 1; }
    """
    BINDINGS = [("escape", "cancel", "")]

    def __init__(self, title: str, options: list[tuple[str, str]],
                 cancel_label: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.options = options
        self.cancel_label = cancel_label

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, markup=False)
            with VerticalScroll():
                for index, (value, label) in enumerate(self.options, start=1):
                    shortcut = f"{index % 10}  " if index <= 10 else ""
                    yield Button(literal(f"{shortcut}{label}"), id=f"choice-{index}",
                                 name=value)
                if self.cancel_label:
                    yield Button(literal(f"Esc  {self.cancel_label}"), id="choice-cancel",
                                 variant="default")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None if event.button.id == "choice-cancel" else event.button.name)

    def on_key(self, event: events.Key) -> None:
        if event.key.isdigit():
            index = int(event.key) or 10
            if index <= len(self.options):
                event.stop()
                self.dismiss(self.options[index - 1][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
