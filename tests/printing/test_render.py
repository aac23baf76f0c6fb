"""Rendering: width, determinism, glyph coverage, QR bits, a reference image."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from queue_kiosk.domain.numbering import scanned_token
from queue_kiosk.printing.content import TicketContent
from queue_kiosk.printing.job import vietnamese_letters
from queue_kiosk.printing.render import QrPart, font_path, qr_matrix, render_ticket
from tests.conftest import VN

REFERENCE = Path(__file__).parent / "reference" / "ticket-80mm.png"


def sample(**changes: object) -> TicketContent:
    values: dict[str, object] = dict(
        centre="TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG\nXÃ MẪU", address="", number="B015",
        field="Hộ tịch", procedure="Liên thông khai sinh – thường trú – thẻ BHYT",
        priority="Người cao tuổi", counters=["Quầy số 1 – Tư pháp - Hộ tịch"], ahead=7,
        eta_minutes=36, issued_at=datetime(2025, 7, 15, 8, 42, tzinfo=VN),
        qr_payload="QK1:xa-mau:20250715:B015:AbCdEfGhIjKlMnOpQrStUv", qr_is_url=False,
        footer=["Phiếu chỉ có giá trị trong ngày", "Cảm ơn Quý khách!"])
    values.update(changes)
    return TicketContent(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("width", [576, 384])
def test_ticket_is_a_one_bit_image_at_the_paper_width(width: int) -> None:
    image = render_ticket(sample(), width).image
    assert image.mode == "1" and image.width == width
    assert 500 < image.height < 1400
    histogram = image.convert("L").histogram()
    assert [level for level, n in enumerate(histogram) if n] == [0, 255]  # no greys


def test_rendering_is_deterministic() -> None:
    first = render_ticket(sample()).image.tobytes()
    assert render_ticket(sample()).image.tobytes() == first


def test_the_raster_qr_carries_exactly_the_payload_matrix() -> None:
    rendered = render_ticket(sample())
    assert rendered.qr_box is not None
    left, top, right, bottom = rendered.qr_box
    module = rendered.qr_module
    matrix = qr_matrix(sample().qr_payload)
    crop = rendered.image.crop(rendered.qr_box)
    assert crop.width == len(matrix) * module
    for row, cells in enumerate(matrix):
        for col, dark in enumerate(cells):
            pixel = crop.getpixel((col * module + module // 2, row * module + module // 2))
            assert (pixel == 0) == dark


def test_printer_drawn_qr_leaves_the_code_to_the_printer() -> None:
    rendered = render_ticket(sample(), qr="printer")
    images = [p for p in rendered.parts if isinstance(p, Image.Image)]
    qrs = [p for p in rendered.parts if isinstance(p, QrPart)]
    assert len(images) == 2 and [q.payload for q in qrs] == [sample().qr_payload]
    raster_only = render_ticket(sample()).image
    assert sum(i.height for i in images) < raster_only.height


def test_missing_lines_are_left_out() -> None:
    full = render_ticket(sample()).image
    bare = render_ticket(sample(procedure=None, priority=None, ahead=None,
                                eta_minutes=None)).image
    assert bare.height < full.height - 100


@pytest.mark.parametrize("bold", [False, True])
def test_every_vietnamese_letter_has_a_real_glyph(bold: bool) -> None:
    face = ImageFont.truetype(str(font_path(bold)), 40)

    def glyph(text: str) -> bytes:
        canvas = Image.new("L", (80, 80), 0)
        ImageDraw.Draw(canvas).text((10, 10), text, font=face, fill=255)
        return canvas.tobytes()

    notdef, blank = glyph("\U0010fffd"), glyph(" ")
    for letter in vietnamese_letters():
        drawn = glyph(letter)
        assert drawn not in (notdef, blank), f"no glyph for {letter!r} (U+{ord(letter):04X})"
    # A tone mark must change the glyph (no silently dropped combining marks).
    assert glyph("ệ") != glyph("ê") != glyph("e")


def test_alphabet_covers_134_letters() -> None:
    letters = vietnamese_letters()
    assert len(letters) == len(set(letters)) == 2 * (12 * 6 + 17)
    assert {"ặ", "Ỵ", "Đ", "ờ", "Ữ"} <= set(letters)


def test_matches_the_reviewed_reference_image() -> None:
    """Layout regressions show here; a few pixels may move between FreeType versions."""
    image = render_ticket(sample()).image
    reference = Image.open(REFERENCE).convert("1")
    assert image.size == reference.size
    diff = ImageChops.difference(image.convert("L"), reference.convert("L"))
    changed = sum(diff.histogram()[1:])
    assert changed / (image.width * image.height) < 0.005


def test_scanned_codes_give_back_the_token() -> None:
    assert scanned_token("QK1:xa-mau:20250715:B015:AbCdEf") == "AbCdEf"
    assert scanned_token("https://hcc.example.vn/t/AbCdEf?x=1") == "AbCdEf"
    assert scanned_token("B015") is None


def test_an_optional_logo_goes_on_top(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("L", (300, 120), 0).save(logo)
    plain = render_ticket(sample()).image
    with_logo = render_ticket(sample(), logo=logo).image
    assert with_logo.height > plain.height + 60
    top = with_logo.crop((0, 12, with_logo.width, 60)).convert("L")
    assert top.histogram()[0] > 1000  # the black logo printed at the top


@pytest.mark.parametrize("width", [576, 384])
def test_the_header_breaks_between_the_centres_kind_and_its_commune(width: int) -> None:
    from queue_kiosk.domain.text import wrap
    from queue_kiosk.printing.content import centre_lines
    from queue_kiosk.printing.render import font

    centre = centre_lines("Trung tâm Phục vụ hành chính công xã Mẫu")
    face = font(max(1, round(24 * max(width / 576, 0.8))), True)
    lines = wrap(centre, face.getlength, width - 2 * round(12 * width / 576))
    assert lines[-1] == "XÃ MẪU"
    assert "CÔNG XÃ" not in " / ".join(lines)
    assert all(len(line.split()) > 1 for line in lines)  # no word alone on a line
    if width == 576:
        assert lines == ["TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", "XÃ MẪU"]


def test_a_last_word_is_not_left_alone() -> None:
    from queue_kiosk.domain.text import wrap

    assert wrap("một hai ba bốn", len, 12) == ["một hai", "ba bốn"]
    assert wrap("một hai", len, 4) == ["một", "hai"]  # nothing to give it company


@pytest.mark.parametrize("width", [576, 384])
def test_tone_marks_stay_apart_on_paper_at_both_widths(width: int, tmp_path: Path) -> None:
    """OCR of the 1-bit ticket (what the printer gets): "Quầy" must not come back as "Quảy"
    or "Quấy", nor "Người" as "Ngưởi". Needs tesseract with its Vietnamese data."""
    import os
    import shutil
    import subprocess

    tesseract = shutil.which("tesseract")
    languages = subprocess.run([tesseract, "--list-langs"], capture_output=True,
                               text=True).stdout if tesseract else ""
    if "vie" not in languages.split():
        reason = "OCR needs tesseract-ocr and tesseract-ocr-vie (Debian packages)"
        if os.environ.get("QUEUE_KIOSK_REQUIRE_OCR"):
            pytest.fail(f"{reason} (QUEUE_KIOSK_REQUIRE_OCR is set)")
        pytest.skip(reason)
    assert tesseract is not None
    image = tmp_path / "ticket.png"
    render_ticket(sample(), width).image.convert("L").save(image)
    text = subprocess.run([tesseract, str(image), "-", "-l", "vie"], capture_output=True,
                          text=True, check=True).stdout.replace("–", "-")
    for line in ("Quầy giải quyết:", "Quầy số 1 - Tư pháp - Hộ tịch",
                 "ƯU TIÊN", "Số người chờ trước Quý khách: 7",
                 "Phiếu chỉ có giá trị trong ngày"):
        assert line in text, f"{width} dots: {line!r} not read back from:\n{text}"
