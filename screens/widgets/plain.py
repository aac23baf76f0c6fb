"""Provides Plain: a Static that shows its text literally, never parsed as markup.

Names, reasons, notices and numbers come from people (an official types a pause reason, a
centre names its fields); a `[/]` or `[b]` among them must show as typed, not break a screen."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import RenderResult
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from queue_kiosk.domain.text import fit_lines


class Plain(Static):
    def __init__(self, content: str = "", **options: Any) -> None:
        super().__init__(content, markup=False, **options)


def cells(*values: object) -> list[Text]:
    """A table row as literal text: a name with brackets is never read as markup."""
    return [Text(str(value)) for value in values]


def literal(text: str) -> Content:
    """Text for a widget that would read a string as markup (button labels)."""
    return Content(text)


class Fitted(Widget):
    """Literal text fitted to its box: broken between words over at most `most` rows, the
    rest cut after a whole word with "…" (a counter's name cut mid-word reads as a fault)."""

    DEFAULT_CSS = "Fitted { height: auto; width: 1fr; text-align: center; }"
    text: reactive[str] = reactive("", layout=True)

    def __init__(self, *, most: int = 2, **options: Any) -> None:
        super().__init__(**options)
        self.most = most

    def update(self, text: str) -> None:
        self.text = text

    def lines(self, width: int) -> list[str]:
        return fit_lines(self.text, cell_len, max(1, width), self.most)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> RenderResult:
        return Text("\n".join(self.lines(self.content_size.width)))
