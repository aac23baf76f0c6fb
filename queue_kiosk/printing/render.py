"""Provides the ticket as a 1-bit raster image, drawn with the bundled Vietnamese font."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

from queue_kiosk.config.paths import asset_path
from queue_kiosk.domain.text import wrap
from queue_kiosk.printing.content import TicketContent
from queue_kiosk.wording import say, wait_words

FONT_REGULAR = "DejaVuSansCondensed.ttf"
FONT_BOLD = "DejaVuSansCondensed-Bold.ttf"
DOTS_PER_MM = 8  # 203 dpi, the common thermal head; 80 mm paper prints 72 mm = 576 dots
BASE_WIDTH = 576
QR_TARGET = 192
"""QR side in dots at 576 wide: 24 mm, easy for a phone at arm's length."""
PRINTER_QR_MODULE = 6
"""Module size for a printer-drawn QR (GS ( k size 6: about 20 mm for a short payload)."""
INK, PAPER = 0, 255
NARROW_TEXT_SCALE = 0.9
NARROW_THRESHOLD = 100
"""58 mm paper: text at 0.9 of its 80 mm size and a lower ink threshold, the pair with which
OCR read every line of the sample ticket right at both widths (0.8 and 128 misread "Quầy")."""


def width_for(paper_mm: int) -> int:
    return 576 if paper_mm >= 80 else 384


@functools.cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(asset_path("fonts", FONT_BOLD if bold else FONT_REGULAR)),
                              size)


def font_path(bold: bool = False) -> Path:
    return asset_path("fonts", FONT_BOLD if bold else FONT_REGULAR)


@dataclass(frozen=True)
class QrPart:
    """A QR code the printer draws itself (GS ( k)."""

    payload: str
    module_dots: int


@dataclass(frozen=True)
class RenderedTicket:
    parts: list[Image.Image | QrPart]
    """Images (mode "1") and printer-drawn QR codes, top to bottom."""
    qr_box: tuple[int, int, int, int] | None
    """Where the raster QR sits in the first image (left, top, right, bottom)."""
    qr_module: int

    @property
    def image(self) -> Image.Image:
        """The whole ticket as one image (printer QR parts drawn in), for previews."""
        images = [p if isinstance(p, Image.Image)
                  else _qr_image(qr_matrix(p.payload), p.module_dots) for p in self.parts]
        width = max(i.width for i in images)
        out = Image.new("1", (width, sum(i.height for i in images)), 1)
        y = 0
        for part in images:
            out.paste(part, ((width - part.width) // 2, y))
            y += part.height
        return out


def qr_matrix(payload: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(payload)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    return matrix


def _footer(canvas: _Canvas, content: TicketContent) -> None:
    for line in content.footer:
        canvas.text(line, 22, bold=True)


def _qr_image(matrix: list[list[bool]], module: int) -> Image.Image:
    # One pixel per module, then scaled up without smoothing: a module stays a crisp square
    # of module x module dots (far cheaper than drawing a rectangle per module).
    count = len(matrix)
    cells = bytes(INK if dark else PAPER for row in matrix for dark in row)
    image = Image.frombytes("L", (count, count), cells)
    return image.resize((count * module, count * module), Image.Resampling.NEAREST).convert(
        "1", dither=Image.Dither.NONE)


class _Canvas:
    """A tall greyscale strip we draw down, then crop and threshold."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.scale = width / BASE_WIDTH
        self.margin = round(12 * self.scale)
        self.image = Image.new("L", (width, 3000), PAPER)
        self.draw = ImageDraw.Draw(self.image)
        self.y = self.margin

    def px(self, size: float) -> int:
        # On 58 mm paper text shrinks less than the paper: smaller, its tone marks merge
        # (OCR read "Quầy" as "Quảy" at 0.8).
        return max(1, round(size * max(self.scale, NARROW_TEXT_SCALE)))

    def text(self, text: str, size: float, *, bold: bool = False, gap: float = 6) -> None:
        face = font(self.px(size), bold)
        for line in wrap(text, face.getlength, self.width - 2 * self.margin):
            left, top, right, bottom = self.draw.textbbox((0, 0), line, font=face)
            x = (self.width - (right - left)) // 2 - left
            self.draw.text((x, self.y - top + self.px(2)), line, font=face, fill=INK)
            self.y += round(face.size) + self.px(gap)

    def fitted(self, text: str, size: float, *, bold: bool = True) -> None:
        """One line as large as fits: the number must be readable across the hall."""
        px = self.px(size)
        while px > 10 and font(px, bold).getlength(text) > (self.width - 2 * self.margin):
            px -= 4
        face = font(px, bold)
        left, top, right, bottom = self.draw.textbbox((0, 0), text, font=face)
        self.draw.text(((self.width - (right - left)) // 2 - left, self.y - top), text,
                       font=face, fill=INK)
        self.y += int(bottom - top) + self.px(14)

    def banner(self, text: str, size: float) -> None:
        """White on black: the priority mark stands out even in a glance."""
        face = font(self.px(size), True)
        lines = wrap(text, face.getlength, self.width - 4 * self.margin)
        height = len(lines) * (round(face.size) + self.px(6)) + self.px(12)
        self.draw.rectangle((self.margin, self.y, self.width - self.margin, self.y + height),
                            fill=INK)
        y = self.y + self.px(6)
        for line in lines:
            left, top, right, _ = self.draw.textbbox((0, 0), line, font=face)
            self.draw.text(((self.width - (right - left)) // 2 - left, y - top), line,
                           font=face, fill=PAPER)
            y += round(face.size) + self.px(6)
        self.y += height + self.px(10)

    def rule(self) -> None:
        self.y += self.px(4)
        self.draw.line((self.margin, self.y, self.width - self.margin, self.y), fill=INK,
                       width=self.px(3))
        self.y += self.px(10)

    def paste(self, image: Image.Image) -> tuple[int, int, int, int]:
        x = (self.width - image.width) // 2
        self.image.paste(image.convert("L"), (x, self.y))
        box = (x, self.y, x + image.width, self.y + image.height)
        self.y += image.height + self.px(8)
        return box

    def space(self, amount: float) -> None:
        self.y += self.px(amount)

    def finish(self) -> Image.Image:
        cropped = self.image.crop((0, 0, self.width, self.y + self.margin))
        # Hard threshold, no dithering: grey anti-aliasing would print as speckle. Narrow
        # paper keeps only the darkest greys as ink, so a tone mark stays apart from its
        # letter's hat (ầ, not ẩ).
        threshold = 128 if self.width >= BASE_WIDTH else NARROW_THRESHOLD
        return cropped.point(lambda v: PAPER if v >= threshold else INK).convert(
            "1", dither=Image.Dither.NONE)


def qr_module_for(matrix: list[list[bool]], width: int) -> int:
    return max(2, round(QR_TARGET * width / BASE_WIDTH / len(matrix)))


def render_ticket(content: TicketContent, width: int = BASE_WIDTH, *, qr: str = "raster",
                  logo: Path | None = None) -> RenderedTicket:
    lang = content.lang
    top = _Canvas(width)
    if logo is not None:
        with Image.open(logo) as source:
            mark = source.convert("L")
            mark.thumbnail((width // 2, width // 4))
            top.paste(mark)
    top.text(content.centre, 24, bold=True, gap=4)
    if content.address:
        top.text(content.address, 19)
    top.rule()
    top.text(say("ticket.title", lang), 32, bold=True, gap=10)
    top.fitted(content.number, 180)
    top.text(say("ticket.field", lang, field=content.field), 30, bold=True)
    if content.procedure:
        top.text(content.procedure, 23)
    if content.priority:
        top.space(4)
        top.banner(say("ticket.priority", lang), 26)
    if content.appointment:
        top.space(4)
        top.banner(say("ticket.appointment", lang, code=content.appointment), 26)
    top.space(2)
    if content.counters:
        top.text(say("ticket.go_to", lang), 22)
        for line in content.counters:
            top.text(line, 27, bold=True, gap=4)
    top.space(2)
    if content.ahead is not None:
        top.text(say("ticket.ahead", lang, ahead=content.ahead), 25)
    if content.eta_minutes is not None:
        top.text(wait_words("ticket.eta", lang, content.eta_minutes), 23)
    top.text(say("ticket.issued", lang,
                         time=content.issued_at.strftime("%H:%M – %d/%m/%Y")), 21)
    top.rule()
    matrix = qr_matrix(content.qr_payload) if qr == "raster" else []
    caption = say("ticket.qr_url" if content.qr_is_url else "ticket.qr_code", lang)
    if qr == "raster":
        module = qr_module_for(matrix, width)
        box = top.paste(_qr_image(matrix, module))
        top.text(caption, 19)
        top.space(8)
        _footer(top, content)
        return RenderedTicket([top.finish()], box, module)
    if qr == "none":
        _footer(top, content)
        return RenderedTicket([top.finish()], None, 0)
    bottom = _Canvas(width)
    bottom.text(caption, 19)
    bottom.space(8)
    _footer(bottom, content)
    return RenderedTicket([top.finish(), QrPart(content.qr_payload, PRINTER_QR_MODULE),
                           bottom.finish()], None, PRINTER_QR_MODULE)
