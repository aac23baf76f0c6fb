"""Provides the commands over the queue and the hall: what a script, a kiosk's printer
hook or the centre's IT person runs, each returning its JSON value and its text."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from queue_kiosk.config.settings import Settings
from queue_kiosk.domain.errors import NotFound, QueueError
from queue_kiosk.wording import field_state_word, say, status_word

# Heavy imports (SQLAlchemy, Alembic, Textual) happen inside the commands that need them, so
# `queue-kiosk --help` and argument errors answer at once.
if TYPE_CHECKING:
    from queue_kiosk.config.hall import HallConfig
    from queue_kiosk.domain.views import TicketView
    from queue_kiosk.service.appointments import BookingView
    from queue_kiosk.service.facade import QueueService
    from queue_kiosk.service.staff import StaffView
    from queue_kiosk.store.store import Store



class CliError(Exception):
    """A usage error, already worded."""



@dataclass
class Context:
    args: argparse.Namespace
    settings: Settings = field(default_factory=Settings)
    print_failure: QueueError | None = None
    """Set when a ticket was issued but its printing failed: reported after the ticket."""

    @property
    def lang(self) -> str:
        return str(self.args.lang or self.settings.lang)

    def say(self, code: str, **params: Any) -> str:
        return say(code, self.lang, **params)

    @cached_property
    def store(self) -> Store:
        from queue_kiosk.store.store import Store

        return Store(self.args.db or self.settings.db_url())

    @cached_property
    def service(self) -> QueueService:
        from queue_kiosk.service.facade import QueueService
        from queue_kiosk.store.migrate import check_schema

        check_schema(self.store)
        return QueueService(self.store, site=self.args.site or self.settings.site or None,
                            clock=self.settings.clock())

    def ticket_line(self, view: TicketView) -> str:
        counter = self.say("cli.at_counter", counter=view.counter) if view.counter else ""
        return self.say("cli.ticket", number=view.number, field=self.field_name(view),
                        status=status_word(view.status, self.lang), counter=counter)

    def field_name(self, view: TicketView) -> str:
        return view.field_label(self.lang)


Result = tuple[Any, str]
"""What a command returns: the JSON-able value and the human-readable text."""


def cmd_init(ctx: Context) -> Result:
    from queue_kiosk.config.hall import default_hall_path, load_hall
    from queue_kiosk.service.catalog import load_catalog
    from queue_kiosk.store.migrate import current_revision, upgrade

    hall = load_hall(Path(ctx.args.config), lambda: _stored_hall(ctx)) if ctx.args.config \
        else None
    upgrade(ctx.store)
    lines = [ctx.say("cli.initialised", url=ctx.store.url,
                     revision=current_revision(ctx.store))]
    result: dict[str, Any] = {"url": ctx.store.url, "loaded": None}
    if hall is None and not _has_site(ctx.store):
        hall = load_hall(default_hall_path())
    if hall is not None:
        loaded = load_catalog(ctx.store, hall, ctx.settings.clock())
        result["loaded"] = loaded.to_json()
        lines.append(ctx.say("cli.loaded", site=loaded.site, fields=loaded.fields,
                             procedures=loaded.procedures, counters=loaded.counters))
        if loaded.deactivated:
            lines.append(ctx.say("cli.deactivated", codes=", ".join(loaded.deactivated)))
        for warning in loaded.warnings:
            print(ctx.say("cli.warning", detail=warning), file=sys.stderr)
    from queue_kiosk.service.staff import StaffDirectory

    if not StaffDirectory(ctx.service).has_admin():
        lines.append(ctx.say("cli.no_admin"))
    if not ctx.service.catalog.hall.site.public_url:
        lines.append(ctx.say("cli.no_public_url"))
    return result, "\n".join(lines)


def _stored_hall(ctx: Context) -> HallConfig | None:
    """The hall the database holds for this site, if it holds one (a fragment goes over it)."""
    from queue_kiosk.domain.errors import StoreError

    try:
        return ctx.service.catalog.hall
    except (StoreError, NotFound):
        return None


def _has_site(store: Store) -> bool:
    from sqlalchemy import func, select

    from queue_kiosk.store.tables import site_t

    with store.read() as conn:
        return bool(conn.execute(select(func.count()).select_from(site_t)).scalar_one())


def cmd_catalog(ctx: Context) -> Result:
    view = ctx.service.catalog_view()
    lines = [view.site_name]
    for f in view.fields:
        closed = f" [{field_state_word('closed', ctx.lang)}: {f.closed_reason}]" \
            if f.closed_reason else ""
        lines.append(f"  {f.code:<4} {f.label(ctx.lang)}"
                     f"  → {', '.join(f.counters) or '—'}{closed}")
        lines += [f"       {p.code:<4} {p.label(ctx.lang)}"
                  for p in f.procedures]
    for c in view.counters:
        lines.append(f"  #{c.code:<3} {c.label(ctx.lang)}: "
                     f"{', '.join(c.fields)}")
    lines.append(ctx.say("cli.priorities", categories=", ".join(
        f"{p.code} ({p.label(ctx.lang)})" for p in view.priorities) or "—"))
    lines.append(ctx.say("cli.rating_levels", levels=", ".join(
        f"{lv.code} ({lv.label(ctx.lang)})" for lv in view.rating_levels)))
    return view.to_json(), "\n".join(lines)


def cmd_issue(ctx: Context) -> Result:
    view = ctx.service.issue(ctx.args.what, priority=ctx.args.priority, staff=ctx.args.staff)
    eta = ctx.say("cli.minutes", minutes=view.eta_minutes) if view.eta_minutes is not None \
        else ctx.say("cli.unknown_eta")
    procedure = f" ({view.procedure_name})" if view.procedure_name else ""
    text = ctx.say("cli.issued", number=view.number, field=ctx.field_name(view),
                   procedure=procedure, counters=", ".join(view.counters), ahead=view.ahead,
                   eta=eta)
    if ctx.args.print:
        printed = _print(ctx, view)
        text += f"\n{printed}" if printed else ""
    return view.to_json(), text


def _print(ctx: Context, view: TicketView) -> str:
    """Print an issued ticket; a failure is reported but the ticket stands."""
    from queue_kiosk.printing.job import print_ticket, printer_for
    from queue_kiosk.printing.printers import PrintError

    printer = printer_for(ctx.service.catalog, ctx.args.printer or ctx.settings.printer)
    try:
        outcome = print_ticket(ctx.service.catalog, ctx.service.record_print, view, printer,
                               ctx.lang)
    except PrintError as exc:
        ctx.print_failure = exc
        return ""
    where = str(outcome.preview) if outcome.preview else outcome.target
    return ctx.say("cli.printed", number=view.number, where=where)


def cmd_reprint(ctx: Context) -> Result:
    view = ctx.service.ticket(ctx.args.number)
    return view.to_json(), _print(ctx, view)


def cmd_printer_test(ctx: Context) -> Result:
    from queue_kiosk.printing.job import printer_for, sample_content

    printer = printer_for(ctx.service.catalog, ctx.args.printer or ctx.settings.printer)
    outcome = printer.print(sample_content(ctx.service.catalog.hall, ctx.lang,
                                           ctx.service.clock.now()))
    where = str(outcome.preview) if outcome.preview else outcome.target
    return {"printer": outcome.target, "preview": str(outcome.preview or "") or None}, \
        ctx.say("cli.printed", number="A000", where=where)


def cmd_printer_preview(ctx: Context) -> Result:
    from queue_kiosk.printing.content import ticket_content
    from queue_kiosk.printing.job import printer_for

    view = ctx.service.ticket(ctx.args.number)
    printer = printer_for(ctx.service.catalog, ctx.args.printer or ctx.settings.printer)
    image = printer.render(ticket_content(ctx.service.catalog, view, ctx.lang)).image
    out = Path(ctx.args.out)
    image.save(out)
    return {"number": view.number, "out": str(out), "width": image.width,
            "height": image.height}, str(out)


def _read_pin(ctx: Context) -> str:
    """A PIN never comes from an argument (it would sit in the shell history): a hidden
    prompt asked twice, or the first line of standard input when it is piped."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().strip()
    import getpass

    first = getpass.getpass("PIN: ")
    if getpass.getpass("PIN (nhập lại / again): ") != first:
        raise QueueError("staff.pin_mismatch")
    return first


def _staff_line(ctx: Context, view: StaffView, locked: bool) -> str:
    counters = ",".join(view.counters) or "*"
    state = "" if view.active else " " + ctx.say("staff.disabled_mark")
    if locked and view.locked_until is not None:
        until = view.locked_until.astimezone(ctx.service.catalog.tz).strftime("%H:%M")
        state += " " + ctx.say("staff.locked_mark", until=until)
    return f"{view.code:<10} {view.role:<8} {counters:<10} {view.name}{state}"


def cmd_staff(ctx: Context) -> Result:
    from queue_kiosk.service.staff import StaffDirectory

    directory = StaffDirectory(ctx.service)
    action = ctx.args.staff_command
    if action == "list":
        listed = [(v, directory.is_locked(v)) for v in directory.all()]
        return ([{**v.to_json(), "locked": locked} for v, locked in listed],
                "\n".join(_staff_line(ctx, v, locked) for v, locked in listed))
    if action == "add":
        counters = [c for c in (ctx.args.counters or "").split(",") if c]
        view = directory.add(ctx.args.code, ctx.args.name, _read_pin(ctx),
                             role=ctx.args.role, counters=counters)
    elif action == "set-pin":
        view = directory.set_pin(ctx.args.code, _read_pin(ctx))
    elif action == "unlock":
        view = directory.unlock(ctx.args.code)
    else:
        view = directory.set_active(ctx.args.code, action == "enable")
    return view.to_json(), _staff_line(ctx, view, directory.is_locked(view))


def cmd_call(ctx: Context) -> Result:
    service = ctx.service
    if ctx.args.number:
        view = service.call_number(ctx.args.counter, ctx.args.number, staff=ctx.args.staff)
    else:
        called = service.call_next(ctx.args.counter, staff=ctx.args.staff)
        if called is None:
            return None, ctx.say("cli.nobody_waiting", counter=ctx.args.counter)
        view = called
    return view.to_json(), ctx.say("cli.called", number=view.number, counter=view.counter,
                                   field=ctx.field_name(view))


def on_counter(action: str) -> Callable[[Context], Result]:
    def command(ctx: Context) -> Result:
        service = ctx.service
        kwargs: dict[str, Any] = {"staff": ctx.args.staff}
        if action == "finish":
            kwargs["rating"] = ctx.args.rating
        operation = {"recall": service.recall, "start": service.start,
                     "finish": service.finish, "no-show": service.no_show}[action]
        view = operation(ctx.args.counter, **kwargs)
        return view.to_json(), ctx.ticket_line(view)
    return command


def cmd_transfer(ctx: Context) -> Result:
    view = ctx.service.transfer(ctx.args.counter, ctx.args.to, staff=ctx.args.staff)
    return view.to_json(), ctx.ticket_line(view)


def cmd_return(ctx: Context) -> Result:
    view = ctx.service.return_ticket(ctx.args.number, staff=ctx.args.staff)
    return view.to_json(), ctx.ticket_line(view)


def cmd_ticket(ctx: Context) -> Result:
    view = ctx.service.ticket(ctx.args.number)
    return view.to_json(), ctx.ticket_line(view)


def cmd_rate(ctx: Context) -> Result:
    view = ctx.service.rate(ctx.args.number, ctx.args.level)
    return view.to_json(), ctx.say("cli.rated", number=view.number)


def cmd_pause(ctx: Context) -> Result:
    view = ctx.service.pause(ctx.args.counter, ctx.args.reason or "", staff=ctx.args.staff)
    return view.to_json(), ctx.say("cli.paused", counter=view.code, reason=view.paused_reason)


def cmd_resume(ctx: Context) -> Result:
    view = ctx.service.resume(ctx.args.counter, staff=ctx.args.staff)
    return view.to_json(), ctx.say("cli.resumed", counter=view.code)


def cmd_waiting(ctx: Context) -> Result:
    views = ctx.service.waiting(ctx.args.counter)
    return [v.to_json() for v in views], "\n".join(ctx.ticket_line(v) for v in views)


def cmd_board(ctx: Context) -> Result:
    board = ctx.service.board()
    lines = [board.site_name]
    for c in board.counters:
        if c.paused_reason is not None:
            state = ctx.say("board.paused", reason=c.paused_reason or "—")
        elif c.current is not None:
            key = "board.serving" if c.current.status == "serving" else "board.calling"
            state = ctx.say(key, number=c.current.number)
        else:
            state = ctx.say("board.idle")
        name = c.label(ctx.lang)
        lines.append(ctx.say("board.counter", counter=c.code, name=name, state=state))
    counts = ", ".join(f"{q.field} {q.waiting}" for q in board.waiting if q.waiting)
    lines.append(ctx.say("board.waiting", counts=counts or "0"))
    calls = ", ".join(f"{c.number}→{c.counter}" for c in board.recent_calls)
    lines.append(ctx.say("board.recent", calls=calls or "—"))
    if board.printer_failed:
        lines.append(ctx.say("board.printer_failed", detail=board.printer_failed))
    return board.to_json(), "\n".join(lines)


def cmd_close_day(ctx: Context) -> Result:
    from queue_kiosk.service.day_end import close_day, summary

    view = close_day(ctx.service, staff=ctx.args.staff)
    return view.to_json(), summary(view, ctx.lang)


def _booking_line(ctx: Context, view: BookingView) -> str:
    ticket = f" · {view.ticket}" if view.ticket else ""
    phone = f" · {view.phone}" if view.phone else ""
    return ctx.say("cli.booking", booking=view.code, field=view.field_name,
                   day=view.date.isoformat(), start=view.slot_start, end=view.slot_end,
                   status=view.status) + ticket + phone


def cmd_book(ctx: Context) -> Result:
    """`book FIELD --date D --time T`, `book cancel CODE`, `book list`, `book slots FIELD`."""
    from queue_kiosk.service.appointments import Appointments

    args = ctx.args
    desk = Appointments(ctx.service)
    day = day_option(args.date) if args.date else ctx.service.today()
    if args.what == "cancel":
        view = desk.cancel(_one_more(args, "CODE"))
        return view.to_json(), _booking_line(ctx, view)
    if args.what == "list":
        views = desk.day_list(day)
        return ([v.to_json() for v in views],
                "\n".join(_booking_line(ctx, v) for v in views) or ctx.say("cli.no_bookings",
                                                                           day=day.isoformat()))
    if args.what == "slots":
        slots = desk.slots(_one_more(args, "FIELD"), day)
        return ([{**s.to_json(), "free": s.free} for s in slots],
                "\n".join(ctx.say("cli.slot", start=s.slot_start, end=s.slot_end, free=s.free,
                                   capacity=s.capacity) for s in slots))
    if args.rest:
        raise CliError(f"unexpected '{args.rest}' after the field")
    what = args.procedure or args.what
    if args.procedure:
        field, _ = ctx.service.catalog.field(args.procedure)
        if ctx.service.catalog.field(args.what)[0].id != field.id:
            raise CliError(f"procedure '{args.procedure}' is not of the field '{args.what}'")
    if args.time is None and args.date and day_option(args.date) != ctx.service.today():
        raise CliError("give --time for a day other than today (without it: the next free "
                       "slot today)")
    view = desk.book(what, day, args.time, phone=args.phone)
    return view.to_json(), _booking_line(ctx, view)


def _one_more(args: argparse.Namespace, name: str) -> str:
    if not args.rest:
        raise CliError(f"book {args.what} needs {name}")
    return str(args.rest)


def day_option(text: str) -> date:
    """A date the user typed (--date, --from, --to), or a one-line usage error."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def cmd_checkin(ctx: Context) -> Result:
    from queue_kiosk.service.appointments import Appointments

    view = Appointments(ctx.service).checkin(ctx.args.code)
    return view.to_json(), ctx.ticket_line(view)


def cmd_close_field(ctx: Context) -> Result:
    cancelled = ctx.service.close_field(ctx.args.field, ctx.args.reason,
                                        cancel_waiting=ctx.args.cancel_waiting,
                                        staff=ctx.args.staff)
    return ({"field": ctx.args.field, "cancelled": cancelled},
            ctx.say("cli.field_closed", field=ctx.args.field, cancelled=cancelled))


def cmd_reopen_field(ctx: Context) -> Result:
    ctx.service.reopen_field(ctx.args.field, staff=ctx.args.staff)
    return {"field": ctx.args.field}, ctx.say("cli.field_reopened", field=ctx.args.field)


