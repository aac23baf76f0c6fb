"""The ticket job: render and ESC/POS encoding of one ticket, QR drawn in the raster or by
the printer."""

from __future__ import annotations

from bench.harness import MORNING, Result, per_second


def bench_ticket_job(quick: bool) -> list[Result]:
    """Render + ESC/POS encode of one ticket; baseline: python-escpos encoding an
    already-rendered image of the same size (the transport's own share)."""
    from escpos.printer import Dummy
    from PIL import Image

    from queue_kiosk.printing.content import TicketContent
    from queue_kiosk.printing.render import QrPart, render_ticket

    content = TicketContent(
        centre="TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG\nXÃ MẪU", address="", number="B015",
        field="Hộ tịch", procedure="Đăng ký khai sinh", priority=None,
        counters=["Quầy số 1 – Tư pháp - Hộ tịch"], ahead=7, eta_minutes=36,
        issued_at=MORNING, qr_payload="QK1:xa-mau:20261125:B015:AbCdEfGhIjKlMnOpQrStUv",
        qr_is_url=False, footer=["Phiếu chỉ có giá trị trong ngày", "Cảm ơn Quý khách!"])
    rounds = 20 if quick else 100
    results = []
    sizes = {}
    for qr in ("raster", "printer"):
        def job(qr: str = qr) -> bytes:
            printer = Dummy(profile="TM-T20II")
            for part in render_ticket(content, 576, qr=qr).parts:
                if isinstance(part, QrPart):
                    printer.qr(part.payload, size=part.module_dots, native=True)
                else:
                    printer.image(part, impl="bitImageRaster")
            printer.cut()
            return bytes(printer.output)

        sizes[qr] = len(job())
        image = render_ticket(content, 576, qr=qr).image

        def encode_only(image: Image.Image = image) -> None:
            Dummy(profile="TM-T20II").image(image, impl="bitImageRaster")
        per_job = 1000 / per_second(rounds, job)
        per_encode = 1000 / per_second(rounds, encode_only)
        results.append(Result(f"ticket_job_ms_qr_{qr}", round(per_job, 2), "ms",
                              round(per_encode, 2), round(per_job / per_encode, 2),
                              f"576x{image.height}; baseline: encode only"))
    results.append(Result("ticket_bytes_qr_printer", sizes["printer"], "bytes",
                          sizes["raster"], round(sizes["printer"] / sizes["raster"], 3),
                          "baseline: the same ticket with the QR in the raster"))
    return results
