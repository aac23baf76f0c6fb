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
MIN_GLYPH_WIDTH = 5
MIN_GLYPH_HEIGHT = 7
"""Pixels (columns, half rows) below which a letter or digit cannot be told apart."""
MAX_STRETCH = 1.7
HALF_BLOCKS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


@functools.lru_cache(maxsize=256)
def big_lines(text: str, columns: int, rows: int) -> tuple[str, ...]:
    """The text as half-block rows filling columns × rows, or the text alone where glyphs
    that small would be unreadable."""
    if not text or rows < MIN_ROWS:
        return (text,)
    height = rows * 2
    size = height
    while size > MIN_GLYPH_HEIGHT:
        face = font(size, True)
        left, top, right, bottom = (round(edge) for edge in face.getbbox(text))
        if right - left <= columns and bottom - top <= height:
            break
        size -= 1
    else:
        return (text,)
    if (right - left) < MIN_GLYPH_WIDTH * len(text):
        return (text,)
    glyphs = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(glyphs).text((-left, -top), text, font=face, fill=255)
    # A wide, low box (a TV tile) would leave the number a thin strip: draw it taller, as a
    # condensed face is, up to MAX_STRETCH.
    tall = min(height, round(glyphs.height * MAX_STRETCH))
    if tall > glyphs.height:
        glyphs = glyphs.resize((glyphs.width, tall), Image.Resampling.BICUBIC)
    canvas = Image.new("L", (columns, height), 0)
    canvas.paste(glyphs, ((columns - glyphs.width) // 2, (height - glyphs.height) // 2))
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
    note: reactive[str] = reactive("")
    """Words after the text when it is drawn plain (too small for large glyphs)."""

    def __init__(self, text: str = "", *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = text

    def render(self) -> RenderResult:
        width, height = self.content_size
        lines = big_lines(self.text, width, height)
        if len(lines) == 1:
            return Text(" ".join(filter(None, (lines[0], self.note))), style="bold",
                        justify="center")
        return Text("\n".join(line.ljust(width) for line in lines))
