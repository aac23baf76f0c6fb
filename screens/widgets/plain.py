"""Provides Plain: a Static that shows its text literally, never parsed as markup.

Names, reasons, notices and numbers come from people (an official types a pause reason, a
centre names its fields); a `[/]` or `[b]` among them must show as typed, not break a screen."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import Static


class Plain(Static):
    def __init__(self, content: str = "", **options: Any) -> None:
        super().__init__(content, markup=False, **options)


def literal(text: str) -> Content:
    """Text for a widget that would read a string as markup (button labels)."""
    return Content(text)
