"""Provides the booking pages `serve` adds beside the ticket status page: choose a field, a
day and a free slot (or the first free one today: an online number), get a code with its QR,
and see or cancel the booking at /b/<code>. Vietnamese first, English when the browser
prefers it; phone-sized; plain HTML forms, no script."""

from __future__ import annotations

import html
import re
from datetime import date

from aiohttp import web

from queue_kiosk.domain.errors import QueueError
from queue_kiosk.service.appointments import Appointments, BookingView
from queue_kiosk.service.catalog import FieldInfo
from queue_kiosk.service.facade import QueueService
from queue_kiosk.web.pages import RateLimiter, citizen_page, language, message_page, off_loop
from queue_kiosk.wording import say, status_word

CODE_SHAPE = re.compile(r"[A-Z0-9]{6}")


def _e(text: object) -> str:
    return html.escape(str(text))


def _page(lang: str, title: str, main: str) -> web.Response:
    return web.Response(content_type="text/html", charset="utf-8",
                        text=citizen_page(lang, title, main, body_class="booking"))


def qr_svg(text: str) -> str:
    """The QR of `text` as inline SVG: the page needs nothing from elsewhere."""
    import qrcode
    import qrcode.image.svg

    svg = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return re.sub(r'width="[^"]*" height="[^"]*" ', 'class="qr" ',
                  svg.to_string(encoding="unicode"), count=1)


def add_booking_routes(app: web.Application, service: QueueService,
                       limiter: RateLimiter) -> None:
    desk = Appointments(service)

    def field_of(request: web.Request) -> FieldInfo | None:
        found = service.catalog.find_field(request.match_info["field"])
        return found[0] if found is not None and found[1] is None else None

    def enabled() -> bool:
        return bool(service.catalog.hall.appointments.enabled)

    async def choose_field(request: web.Request) -> web.Response:
        lang = language(request)
        if not enabled():
            return message_page(404, say("booking.disabled_page", lang), lang)
        fields = [f for f in service.catalog.fields.values()
                  if await off_loop(desk.open_days, f.code)]
        links = "".join(f'<a class=choice href="/book/{_e(f.code)}">{_e(f.label(lang))}</a>'
                        for f in fields)
        return _page(lang, say("bookpage.title", lang),
                     f"<h2>{_e(service.catalog.hall.site.label(lang))}</h2>"
                     f"<p>{_e(say('bookpage.choose_field', lang))}</p>{links or _none(lang)}")

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
        slots = open_days[day]
        day_links = "".join(
            f'<a class="choice{"" if d == day else " quiet"}" '
            f'href="/book/{_e(field.code)}?day={d.isoformat()}">{_e(_day_name(d, lang))}</a>'
            for d in open_days)
        buttons = "".join(f'<button name=slot value="{_e(s.slot_start)}">'
                          f"{_e(s.slot_start)}</button>" for s in slots)
        asap = (f'<button name=slot value=asap>{_e(say("bookpage.asap", lang))}</button>'
                if day == service.today() and slots else "")
        procedures = [p for p in service.catalog.procedures.values() if p.field_id == field.id]
        ask = service.catalog.hall.kiosk.ask_procedure and procedures
        procedure = (f"<label>{_e(say('bookpage.procedure', lang))}<select name=procedure>"
                     f"<option value=''>—</option>"
                     + "".join(f'<option value="{_e(p.code)}">{_e(p.label(lang))}</option>'
                               for p in procedures) + "</select></label>") if ask else ""
        kept = say("bookpage.phone_note", lang, days=desk.settings.keep_days)
        form = (f'<form method=post action="/book/{_e(field.code)}">'
                f'<input type=hidden name=day value="{day.isoformat()}">{procedure}'
                f"<label>{_e(say('bookpage.phone', lang))}"
                f'<input name=phone type=tel inputmode=tel autocomplete=tel maxlength=20>'
                f"</label><p class=note>{_e(kept)}</p>"
                f"{asap}<p>{_e(say('bookpage.choose_slot', lang))}</p>"
                f"<div class=slots>{buttons}</div></form>")
        return _page(lang, say("bookpage.title", lang),
                     f"<h2>{_e(field.label(lang))}</h2><div class=slots>{day_links}</div>"
                     f"{form}")

    async def book(request: web.Request) -> web.Response:
        lang = language(request)
        field = field_of(request)
        if field is None or not enabled():
            return message_page(404, say("bookpage.no_field", lang), lang)
        if not limiter.allow(request.remote or "?"):
            return message_page(429, say("bookpage.too_many", lang), lang)
        form = await request.post()
        try:
            day = date.fromisoformat(str(form.get("day", "")))
        except ValueError:
            return message_page(400, say("bookpage.no_field", lang), lang)
        slot = str(form.get("slot", ""))
        procedure = str(form.get("procedure", "")) or None
        phone = str(form.get("phone", "")).strip() or None
        try:
            booked = await off_loop(lambda: desk.book(procedure or field.code, day,
                                                      None if slot == "asap" else slot,
                                                      phone=phone))
        except QueueError as exc:
            return message_page(409, exc.message(lang), lang)
        raise web.HTTPSeeOther(f"/b/{booked.code}")

    async def booking_page(request: web.Request) -> web.Response:
        lang = language(request)
        booked = await find(request)
        if booked is None:
            return message_page(404, say("booking.unknown", lang,
                                         code=request.match_info["code"][:12]), lang)
        base = service.catalog.hall.site.public_url or f"{request.scheme}://{request.host}"
        rows = [(say("page.field", lang), booked.field_label(lang)),
                (say("bookpage.when", lang), f"{_day_name(booked.date, lang)} "
                                             f"{booked.slot_start}–{booked.slot_end}"),
                (say("page.state", lang), status_word(booked.status, lang))]
        if booked.ticket:
            rows.append((say("bookpage.ticket", lang), booked.ticket))
        table = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
        advice = ""
        cancel = ""
        if booked.status == "booked":
            opens, closes = desk.window(booked)
            advice = (f"<p class=advice>"
                      f"{_e(say('bookpage.advice', lang, opens=opens, closes=closes))}</p>")
            cancel = (f'<form method=post action="/b/{booked.code}/cancel">'
                      f'<button class=quiet>{_e(say("bookpage.cancel", lang))}</button></form>')
        return _page(lang, say("bookpage.code_title", lang, code=booked.code),
                     f"<p class=note>{_e(service.catalog.hall.site.label(lang))}</p>"
                     f'<h1 class=number id=code>{_e(booked.code)}</h1>'
                     f"{qr_svg(f'{base}/b/{booked.code}')}<table id=details>{table}</table>"
                     f"{advice}{cancel}")

    async def cancel(request: web.Request) -> web.Response:
        lang = language(request)
        booked = await find(request)
        if booked is None:
            return message_page(404, say("booking.unknown", lang,
                                         code=request.match_info["code"][:12]), lang)
        if not limiter.allow(request.remote or "?"):
            return message_page(429, say("bookpage.too_many", lang), lang)
        try:
            await off_loop(desk.cancel, booked.code)
        except QueueError as exc:
            return message_page(409, exc.message(lang), lang)
        raise web.HTTPSeeOther(f"/b/{booked.code}")

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


def _day_name(day: date, lang: str) -> str:
    weekday = say(f"weekday.{day.weekday()}", lang)
    return f"{weekday} {day:%d/%m}"


def _none(lang: str) -> str:
    return f"<p class=advice>{_e(say('bookpage.none', lang))}</p>"
