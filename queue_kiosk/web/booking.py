"""Provides the booking pages `serve` adds beside the ticket status page: choose a field, a
day and a free slot (or the first free one today: an online number), get a code with its QR,
and see or cancel the booking at /b/<code>. Vietnamese first, English when the browser
prefers it; phone-sized; plain HTML forms, no script."""

from __future__ import annotations

import re

from aiohttp import web
from markupsafe import Markup

from queue_kiosk.domain.dates import day_from_text
from queue_kiosk.domain.errors import QueueError
from queue_kiosk.service.appointments import Appointments, BookingView
from queue_kiosk.service.catalog import FieldInfo, ProcedureInfo
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.identity import Identities
from queue_kiosk.web.common import (
    RateLimiter,
    language,
    message_page,
    off_loop,
    read_form,
    render,
)
from queue_kiosk.wording import day_words, say, status_word

CODE_SHAPE = re.compile(r"[A-Z0-9]{6}")


def qr_svg(text: str) -> Markup:
    """The QR of `text` as inline SVG: the page needs nothing from elsewhere. The SVG is
    qrcode's own drawing (`text` is in its path data, never in its markup)."""
    import qrcode
    import qrcode.image.svg

    svg = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return Markup(re.sub(r'width="[^"]*" height="[^"]*" ', 'class="qr" ',
                         svg.to_string(encoding="unicode"), count=1))


def add_booking_routes(app: web.Application, service: QueueService,
                       limiter: RateLimiter) -> None:
    desk = Appointments(service)

    def field_of(request: web.Request) -> FieldInfo | None:
        found = service.catalog.find_field(request.match_info["field"])
        return found[0] if found is not None and found[1] is None else None

    def procedures_of(field: FieldInfo) -> list[ProcedureInfo]:
        return [p for p in service.catalog.procedures.values() if p.field_id == field.id]

    def enabled() -> bool:
        return bool(service.catalog.hall.appointments.enabled)

    async def choose_field(request: web.Request) -> web.Response:
        lang = language(request)
        if not enabled():
            return message_page(404, say("booking.disabled_page", lang), lang)
        fields = [(f.code, f.label(lang)) for f in service.catalog.fields.values()
                  if await off_loop(desk.open_days, f.code)]
        return render("book_fields.html", lang, site=service.catalog.hall.site.label(lang),
                      fields=fields)

    async def choose_slot(request: web.Request) -> web.Response:
        lang = language(request)
        field = field_of(request)
        if field is None or not enabled():
            return message_page(404, say("bookpage.no_field", lang), lang)
        open_days = dict(await off_loop(desk.open_days, field.code))
        if not open_days:
            return message_page(404, say("booking.full_page", lang, field=field.label(lang)),
                                lang)
        wanted = request.query.get("day", "")
        day = next((d for d in open_days if d.isoformat() == wanted), next(iter(open_days)))
        slots = [s.slot_start for s in open_days[day]]
        asked = service.catalog.hall.kiosk.ask_procedure
        return render("book_slots.html", lang, field=field.label(lang), code=field.code,
                      day=day.isoformat(),
                      days=[(d.isoformat(), day_words(d, lang)) for d in open_days],
                      slots=slots, asap=day == service.today() and bool(slots),
                      procedures=[(p.code, p.label(lang)) for p in procedures_of(field)]
                      if asked else [], keep_days=desk.settings.keep_days,
                      cards=service.catalog.hall.identity.enabled)

    async def book(request: web.Request) -> web.Response:
        lang = language(request)
        field = field_of(request)
        if field is None or not enabled():
            return message_page(404, say("bookpage.no_field", lang), lang)
        if not limiter.allow(request.remote or "?"):
            return message_page(429, say("bookpage.too_many", lang), lang)
        form = await read_form(request)
        try:
            day = day_from_text(form.get("day", ""))
        except QueueError as exc:
            return message_page(400, exc.message(lang), lang)
        slot = form.get("slot", "")
        phone = form.get("phone", "").strip() or None
        wanted = form.get("procedure", "").strip()
        # The page books the field in its URL, and only a procedure of that field: the code
        # is matched here, not resolved through the whole catalogue.
        procedure = next((p for p in procedures_of(field)
                          if p.code.casefold() == wanted.casefold()), None)
        if wanted and procedure is None:
            return message_page(400, say("bookpage.not_this_field", lang,
                                         field=field.label(lang)), lang)
        card = form.get("cccd", "").strip()
        try:
            # The card's number is hashed on reading; the form is never logged.
            identity = await off_loop(lambda: Identities.on_this_machine(service).read(card)) \
                if card else None
        except QueueError as exc:
            return message_page(400, exc.message(lang), lang)
        try:
            booked = await off_loop(lambda: desk.book((procedure or field).code, day,
                                                      None if slot == "asap" else slot,
                                                      phone=phone, identity=identity))
        except QueueError as exc:
            return message_page(409, exc.message(lang), lang)
        raise web.HTTPSeeOther(f"/b/{booked.code}")

    async def booking_page(request: web.Request) -> web.Response:
        lang = language(request)
        booked = await find(request)
        if booked is None:
            return unknown(request, lang)
        base = service.catalog.hall.site.public_url or f"{request.scheme}://{request.host}"
        rows = [(say("page.field", lang), booked.field_label(lang)),
                (say("bookpage.when", lang), f"{day_words(booked.date, lang)} "
                                             f"{booked.slot_start}–{booked.slot_end}"),
                (say("page.state", lang), status_word(booked.status, lang))]
        if booked.ticket:
            rows.append((say("bookpage.ticket", lang), booked.ticket))
        return render("booking.html", lang, site=service.catalog.hall.site.label(lang),
                      code=booked.code, qr=qr_svg(f"{base}/b/{booked.code}"), rows=rows,
                      window=desk.window(booked) if booked.status == "booked" else None)

    async def cancel(request: web.Request) -> web.Response:
        lang = language(request)
        booked = await find(request)
        if booked is None:
            return unknown(request, lang)
        if not limiter.allow(request.remote or "?"):
            return message_page(429, say("bookpage.too_many", lang), lang)
        await read_form(request)  # the button sends no field; a body it never sends is a 400
        try:
            await off_loop(desk.cancel, booked.code)
        except QueueError as exc:
            return message_page(409, exc.message(lang), lang)
        raise web.HTTPSeeOther(f"/b/{booked.code}")

    def unknown(request: web.Request, lang: str) -> web.Response:
        return message_page(404, say("booking.unknown", lang,
                                     code=request.match_info["code"][:12]), lang)

    async def find(request: web.Request) -> BookingView | None:
        code = request.match_info["code"].upper()
        try:
            # The same lookup for any shape, so a miss takes as long as a hit.
            return await off_loop(desk.find, code if CODE_SHAPE.fullmatch(code) else "-")
        except QueueError:
            return None

    app.add_routes([web.get("/book", choose_field), web.get("/book/{field}", choose_slot),
                    web.post("/book/{field}", book), web.get("/b/{code}", booking_page),
                    web.post("/b/{code}/cancel", cancel)])

