"""Provides BigText: a ticket number drawn as large as its box allows, readable across a hall.

Textual's Digits only knows 0-9 and A-F (tickets also start with G, H, K, T, V…), so the text
is rasterised with the bundled font into half-block characters: one cell is one pixel wide and
two pixels tall, which keeps the letters' proportions."""

from __future__ import annotations

import functools

from PIL import Image, ImageDraw
from rich.text import Text
from textual.app import RenderResult
from textual.reactive import reactive
from textual.widget import Widget

from queue_kiosk.printing.render import font

MIN_ROWS = 4
"""Below this height a rasterised glyph is mush; plain bold text reads better."""
HALF_BLOCKS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


@functools.lru_cache(maxsize=256)
def big_lines(text: str, columns: int, rows: int) -> tuple[str, ...]:
    if not text or rows < MIN_ROWS or columns < 2 * len(text):
        return (text,)
    height = rows * 2
    size = height
    while size > 6:
        face = font(size, True)
        left, top, right, bottom = face.getbbox(text)
        if right - left <= columns and bottom - top <= height:
            break
        size -= 1
    canvas = Image.new("L", (columns, height), 0)
    draw = ImageDraw.Draw(canvas)
    x = (columns - (right - left)) // 2 - left
    y = (height - (bottom - top)) // 2 - top
    draw.text((x, y), text, font=face, fill=255)
    pixels = canvas.load()
    assert pixels is not None
    lines = []
    for row in range(rows):
        lines.append("".join(
            HALF_BLOCKS[(bool(pixels[col, 2 * row] >= 128),  # type: ignore[operator]
                         bool(pixels[col, 2 * row + 1] >= 128))]  # type: ignore[operator]
            for col in range(columns)).rstrip())
    return tuple(lines)


class BigText(Widget):
    DEFAULT_CSS = """
    BigText { height: 1fr; width: 1fr; content-align: center middle; text-style: bold; }
    """

    text: reactive[str] = reactive("")

    def __init__(self, text: str = "", *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = text

    def render(self) -> RenderResult:
        width, height = self.content_size
        lines = big_lines(self.text, width, height)
        if len(lines) == 1:
            return Text(lines[0], style="bold", justify="center")
        return Text("\n".join(line.ljust(width) for line in lines))
