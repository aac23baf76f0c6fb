"""Provides a one-line text prompt (a pause reason, a number to call, a scanned code)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class TextPrompt(ModalScreen[str | None]):
    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt > Vertical { width: 60; height: auto; border: thick $accent;
                            background: $surface; padding: 1 2; }
    """
    BINDINGS = [("escape", "cancel", "")]

    def __init__(self, title: str, value: str = "", suggestions: list[str] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.suggestions = suggestions or []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, markup=False)
            yield Input(value=self.value, id="prompt-input")
            if self.suggestions:
                yield Label(" · ".join(self.suggestions), classes="prompt-hint", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
