"""Provides the `queue-kiosk` command line: the scripting interface over the queue service."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from queue_kiosk.errors import QueueError, internal_detail
from queue_kiosk.messages import field_state_word, render, status_word
from queue_kiosk.settings import Settings, SettingsError
from queue_kiosk.text import nfc

# Heavy imports (SQLAlchemy, Alembic, Textual) happen inside the commands that need them, so
# `queue-kiosk --help` and argument errors answer at once.
if TYPE_CHECKING:
    from queue_kiosk.service import QueueService
    from queue_kiosk.store import Store
    from queue_kiosk.views import TicketView


class CliError(Exception):
    """A usage error, already worded."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise CliError(message)


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
        return render(code, self.lang, **params)

    @cached_property
    def store(self) -> Store:
        from queue_kiosk.store import Store

        return Store(self.args.db or self.settings.db_url())

    @cached_property
    def service(self) -> QueueService:
        from queue_kiosk.migrate import check_schema
        from queue_kiosk.service import QueueService

        check_schema(self.store)
        return QueueService(self.store, site=self.args.site or self.settings.site or None,
                            clock=self.settings.clock())

    def ticket_line(self, view: TicketView) -> str:
        counter = self.say("cli.at_counter", counter=view.counter) if view.counter else ""
        return self.say("cli.ticket", number=view.number, field=self.field_name(view),
                        status=status_word(view.status, self.lang), counter=counter)

    def field_name(self, view: TicketView) -> str:
        return view.field_name_en if self.lang == "en" and view.field_name_en else view.field_name


Result = tuple[Any, str]
"""What a command returns: the JSON-able value and the human-readable text."""


def cmd_init(ctx: Context) -> Result:
    from queue_kiosk.catalog import load_catalog
    from queue_kiosk.config import default_hall_path, load_hall
    from queue_kiosk.migrate import current_revision, upgrade

    hall = load_hall(Path(ctx.args.config)) if ctx.args.config else None
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
    return result, "\n".join(lines)


def _has_site(store: Store) -> bool:
    from sqlalchemy import func, select

    from queue_kiosk.tables import site_t

    with store.read() as conn:
        return bool(conn.execute(select(func.count()).select_from(site_t)).scalar_one())


def cmd_catalog(ctx: Context) -> Result:
    view = ctx.service.catalog_view()
    en = ctx.lang == "en"
    lines = [view.site_name]
    for f in view.fields:
        closed = f" [{field_state_word('closed', ctx.lang)}: {f.closed_reason}]" \
            if f.closed_reason else ""
        lines.append(f"  {f.code:<4} {f.name_en if en and f.name_en else f.name}"
                     f"  → {', '.join(f.counters) or '—'}{closed}")
        lines += [f"       {p.code:<4} {p.name_en if en and p.name_en else p.name}"
                  for p in f.procedures]
    for c in view.counters:
        lines.append(f"  #{c.code:<3} {c.name_en if en and c.name_en else c.name}: "
                     f"{', '.join(c.fields)}")
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

    printer = printer_for(ctx.service, ctx.args.printer or ctx.settings.printer)
    try:
        outcome = print_ticket(ctx.service, view, printer, ctx.lang)
    except PrintError as exc:
        ctx.print_failure = exc
        return ""
    where = str(outcome.preview) if outcome.preview else outcome.target
    return ctx.say("cli.printed", number=view.number, where=where)


def cmd_reprint(ctx: Context) -> Result:
    view = ctx.service.ticket(ctx.args.number)
    return view.to_json(), _print(ctx, view)


def cmd_printer_test(ctx: Context) -> Result:
    from queue_kiosk.printing.job import printer_for, test_content

    printer = printer_for(ctx.service, ctx.args.printer or ctx.settings.printer)
    outcome = printer.print(test_content(ctx.service, ctx.lang, ctx.service.clock.now()))
    where = str(outcome.preview) if outcome.preview else outcome.target
    return {"printer": outcome.target, "preview": str(outcome.preview or "") or None}, \
        ctx.say("cli.printed", number="A000", where=where)


def cmd_printer_preview(ctx: Context) -> Result:
    from queue_kiosk.printing.content import ticket_content
    from queue_kiosk.printing.job import printer_for

    view = ctx.service.ticket(ctx.args.number)
    printer = printer_for(ctx.service, ctx.args.printer or ctx.settings.printer)
    image = printer.render(ticket_content(ctx.service, view, ctx.lang)).image
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


def _staff_line(view: Any) -> str:
    counters = ",".join(view.counters) or "*"
    state = "" if view.active else " (disabled)"
    return f"{view.code:<10} {view.role:<8} {counters:<10} {view.name}{state}"


def cmd_staff(ctx: Context) -> Result:
    from queue_kiosk.staff import StaffDirectory

    directory = StaffDirectory(ctx.service)
    action = ctx.args.staff_command
    if action == "list":
        views = directory.all()
        return [v.to_json() for v in views], "\n".join(_staff_line(v) for v in views)
    if action == "add":
        counters = [c for c in (ctx.args.counters or "").split(",") if c]
        view = directory.add(ctx.args.code, ctx.args.name, _read_pin(ctx),
                             role=ctx.args.role, counters=counters)
    elif action == "set-pin":
        view = directory.set_pin(ctx.args.code, _read_pin(ctx))
    else:
        view = directory.set_active(ctx.args.code, action == "enable")
    return view.to_json(), _staff_line(view)


def _launch(store: QueueService | Callable[[], tuple[QueueService, dict[str, Any]]],
            **options: Any) -> None:
    """Start the Textual app. The UI package is loaded here and only here, by name, so the
    core never imports it (and scripting commands never pay for it).

    Given a function rather than a service, the app paints first and calls it behind its
    first screen; what it raises is raised here once the terminal is restored."""
    import importlib

    app_module = importlib.import_module("queue_kiosk.screens.app")
    app = app_module.make_app(store, app_module.AppOptions(**options))
    app.run()
    if app.startup_error is not None:
        raise app.startup_error


def _announcer(service: QueueService, mute: bool) -> Any:
    from queue_kiosk.announce import Announcer, VoiceSettings

    display = service.catalog.hall.display
    settings = VoiceSettings(style=display.number_style, repeat=display.repeat,
                             voice_pack=Path(display.voice_pack) if display.voice_pack
                             else None, use_espeak=display.espeak)
    return Announcer(settings, mute=mute)


def cmd_kiosk(ctx: Context) -> Result:
    def open_store() -> tuple[QueueService, dict[str, Any]]:
        from queue_kiosk.printing.job import printer_for

        return ctx.service, {"printer": printer_for(ctx.service, ctx.args.printer
                                                    or ctx.settings.printer)}
    _launch(open_store, modes=("kiosk",), lang=ctx.lang, locked=not ctx.args.unlocked,
            client=ctx.args.client)
    return None, ""


def cmd_counter(ctx: Context) -> Result:
    def open_store() -> tuple[QueueService, dict[str, Any]]:
        if ctx.args.counter:
            ctx.service.catalog.counter(ctx.args.counter)  # an unknown counter: say so, leave
        return ctx.service, {}
    _launch(open_store, modes=("counter",), lang=ctx.lang, counter=ctx.args.counter,
            client=ctx.args.client)
    return None, ""


def cmd_display(ctx: Context) -> Result:
    def open_store() -> tuple[QueueService, dict[str, Any]]:
        return ctx.service, {"announcer": _announcer(ctx.service, ctx.args.mute)}
    _launch(open_store, modes=("display",), lang=ctx.lang)
    return None, ""


def cmd_demo(ctx: Context) -> Result:
    from queue_kiosk.demo import DEMO_ADMIN, DEMO_ADMIN_PIN, DEMO_PIN, DEMO_STAFF, create_demo
    from queue_kiosk.printing.printers import TicketPrinter

    demo = create_demo(ctx.settings.clock(), ctx.args.seed)
    printer = TicketPrinter(demo.service.catalog.hall.printer, f"preview://{demo.previews}")
    en = ctx.lang == "en"
    notes = [
        ("Demo centre in " if en else "Trung tâm demo tại ") + str(demo.folder),
        ("Ticket previews (PNG): " if en else "Phiếu in thử (PNG): ") + str(demo.previews),
        (f"Counter sign-in: code {DEMO_STAFF}, PIN {DEMO_PIN}" if en else
         f"Đăng nhập quầy: mã {DEMO_STAFF}, PIN {DEMO_PIN}"),
        (f"Admin: code {DEMO_ADMIN}, PIN {DEMO_ADMIN_PIN}" if en else
         f"Quản trị: mã {DEMO_ADMIN}, PIN {DEMO_ADMIN_PIN}"),
        ("F12: next screen (kiosk → counter → display) · Ctrl+Q: quit" if en else
         "F12: chuyển màn hình (kiosk → quầy → màn hình chờ) · Ctrl+Q: thoát"),
    ]
    print("\n".join(notes))
    _launch(demo.service, modes=("kiosk", "counter", "display"), lang=ctx.lang,
            printer=printer, announcer=_announcer(demo.service, ctx.args.mute), notes=notes)
    return None, "\n".join(notes[:2])


def cmd_serve(ctx: Context) -> Result:
    from aiohttp import web

    from queue_kiosk.serve import SessionLimits, make_root

    for name, value in (("--max-sessions", ctx.args.max_sessions),
                        ("--max-sessions-per-client", ctx.args.max_sessions_per_client)):
        if not 1 <= value <= 500:
            raise CliError(f"{name} must be from 1 to 500, got {value}")
    limits = SessionLimits(total=ctx.args.max_sessions,
                           per_client=ctx.args.max_sessions_per_client)
    service = ctx.service  # checks the schema before anything listens
    os.environ["QUEUE_KIOSK_DB"] = ctx.store.engine.url.render_as_string(hide_password=False)
    host, port = ctx.args.host, ctx.args.port
    public = (ctx.args.public_url or f"http://{host}:{port}").rstrip("/")
    qr_base = service.catalog.hall.site.public_url
    print(f"queue-kiosk serve: {public}/  ({ctx.store.url})")
    print(f"  kiosk {public}/kiosk/ · counter {public}/counter/ · display {public}/display/")
    qr_target = f"{qr_base}/t/<token>" if qr_base else \
        "a code for counters (set site.public_url in the hall configuration for phones)"
    print(f"  ticket QR codes open: {qr_target}")
    web.run_app(make_root(service, host=host, port=port, public_url=public, lang=ctx.lang,
                          voice=ctx.args.voice, limits=limits), host=host, port=port, print=None,
                access_log=None, shutdown_timeout=3)  # open screens must not delay a stop
    return None, ""


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def cmd_report(ctx: Context) -> Result:
    from queue_kiosk.reports import build_report, write_csv, write_ratings_csv, write_xlsx

    service = ctx.service
    args = ctx.args
    if args.date and (args.start or args.end):
        raise CliError("give --date or --from/--to, not both")
    start = _day(args.date or args.start) if (args.date or args.start) else service.today()
    end = _day(args.date or args.end) if (args.date or args.end) else start
    if end < start:
        raise CliError("--to is before --from")
    report = build_report(service, start, end)
    if args.csv:
        write_csv(report, args.csv, ctx.lang)
    if args.xlsx:
        write_xlsx(report, args.xlsx, ctx.lang)
    if args.ratings:
        write_ratings_csv(report, args.ratings, ctx.lang)
    if args.tui:
        _launch(service, modes=("report",), lang=ctx.lang, report=report)
        return None, ""
    return report.to_json(), _report_text(report, ctx.lang)


def _report_text(report: Any, lang: str) -> str:
    from queue_kiosk.reports import COLUMNS, figure_rows

    rows = figure_rows(report, lang)
    shown = [0, 1, 2, 3, 4, 5, 9, 10, 15, 16]  # scope, code, name, volumes, waits, targets
    widths = [max(len(_fmt(row[i])) for row in rows) for i in shown]
    lines = [f"{report.site_name} · {report.start.isoformat()}"
             + (f" → {report.end.isoformat()}" if report.end != report.start else "")]
    for row in rows:
        lines.append("  ".join(_fmt(row[i]).ljust(w) for i, w in zip(shown, widths,
                                                                     strict=True)).rstrip())
    assert len(COLUMNS) + 1 >= max(shown)
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}" if value >= 1 or value == 0 else f"{value:.0%}"
    return str(value)


def cmd_simulate(ctx: Context) -> Result:
    from queue_kiosk.config import default_hall_path, load_hall
    from queue_kiosk.simulate import SimulationSettings, simulate

    args = ctx.args
    hall = load_hall(Path(args.config) if args.config else default_hall_path())
    # A day of a commune centre is hundreds of tickets at a few counters; past these bounds
    # the simulation would only eat the machine's memory for minutes.
    for name, value, low, high in (("--tickets", args.tickets, 1, 20_000),
                                   ("--counters", args.counters, 1, 200)):
        if value is not None and not low <= value <= high:
            raise CliError(f"{name} must be from {low} to {high:,}, got {value}")
    result = simulate(hall, SimulationSettings(tickets=args.tickets, counters=args.counters,
                                               seed=args.seed,
                                               priority_mode=args.priority_mode))
    en = ctx.lang == "en"
    lines = [(f"{result.tickets} tickets, {result.counters} counters, {result.priority_mode}: "
              f"wait mean {result.mean_wait}′, p95 {result.p95_wait}′, max {result.max_wait}′; "
              f"day ends after {result.day_length_minutes}′; overtakes {result.overtakes}")
             if en else
             (f"{result.tickets} số, {result.counters} quầy, {result.priority_mode}: chờ trung "
              f"bình {result.mean_wait}′, p95 {result.p95_wait}′, lâu nhất {result.max_wait}′; "
              f"xong việc sau {result.day_length_minutes}′; vượt lượt {result.overtakes}")]
    lines += [f"  {w.field:<4} {w.tickets:>4}  {w.mean:>6}′ {w.p95:>6}′ {w.max:>6}′"
              for w in result.waits]
    lines.append((f"  pooled first-come-first-served baseline: mean {result.baseline_mean_wait}′,"
                  f" p95 {result.baseline_p95_wait}′, max {result.baseline_max_wait}′") if en else
                 (f"  so sánh một hàng chung: trung bình {result.baseline_mean_wait}′, "
                  f"p95 {result.baseline_p95_wait}′, lâu nhất {result.baseline_max_wait}′"))
    return result.to_json(), "\n".join(lines)


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


def _on_counter(action: str) -> Callable[[Context], Result]:
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
        name = c.name_en if ctx.lang == "en" and c.name_en else c.name
        lines.append(ctx.say("board.counter", counter=c.code, name=name, state=state))
    counts = ", ".join(f"{q.field} {q.waiting}" for q in board.waiting if q.waiting)
    lines.append(ctx.say("board.waiting", counts=counts or "0"))
    calls = ", ".join(f"{c.number}→{c.counter}" for c in board.recent_calls)
    lines.append(ctx.say("board.recent", calls=calls or "—"))
    if board.printer_failed:
        lines.append(ctx.say("board.printer_failed", detail=board.printer_failed))
    return board.to_json(), "\n".join(lines)


def cmd_close_day(ctx: Context) -> Result:
    view = ctx.service.close_day(staff=ctx.args.staff)
    serving = ctx.say("cli.still_serving", numbers=", ".join(view.still_serving)) \
        if view.still_serving else ""
    return view.to_json(), ctx.say("cli.day_closed", day=view.day.isoformat(),
                                   expired=view.expired, carried=view.carried_over,
                                   serving=serving)


def cmd_close_field(ctx: Context) -> Result:
    cancelled = ctx.service.close_field(ctx.args.field, ctx.args.reason,
                                        cancel_waiting=ctx.args.cancel_waiting,
                                        staff=ctx.args.staff)
    return ({"field": ctx.args.field, "cancelled": cancelled},
            ctx.say("cli.field_closed", field=ctx.args.field, cancelled=cancelled))


def cmd_reopen_field(ctx: Context) -> Result:
    ctx.service.reopen_field(ctx.args.field, staff=ctx.args.staff)
    return {"field": ctx.args.field}, ctx.say("cli.field_reopened", field=ctx.args.field)


def _client_option(parser: argparse.ArgumentParser) -> None:
    # Set by `serve` for each browser session (sign-in failures are counted per client).
    parser.add_argument("--client", default="local", help=argparse.SUPPRESS)


def _common_options() -> _Parser:
    """Options shared by every command, accepted before or after the command name. A fresh
    parser each time: argparse shares Action objects with its children, so one set of
    defaults would leak into every subcommand."""
    common = _Parser(add_help=False)
    common.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                        help="database URL (default: QUEUE_KIOSK_DB or a SQLite file in the "
                             "user data directory)")
    common.add_argument("--site", metavar="CODE", default=argparse.SUPPRESS,
                        help="centre code when one database serves several")
    common.add_argument("--lang", choices=["vi", "en"], default=argparse.SUPPRESS)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print machine-readable JSON")
    return common


def build_parser() -> argparse.ArgumentParser:
    staff = _Parser(add_help=False)
    staff.add_argument("--staff", metavar="CODE", help="staff member recorded in the log")

    parser = _Parser(prog="queue-kiosk", parents=[_common_options()],
                     description="Queue ticketing for commune public administrative service "
                                 "centres (Trung tâm Phục vụ hành chính công cấp xã).")
    parser.set_defaults(db=None, site=None, lang=None, json=False)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                parser_class=_Parser)

    def add(name: str, handler: Callable[[Context], Result], help_text: str,
            with_staff: bool = True) -> argparse.ArgumentParser:
        parents = [_common_options(), staff] if with_staff else [_common_options()]
        p = sub.add_parser(name, parents=parents, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    p = add("init", cmd_init, "create or upgrade the database; load a hall configuration",
            with_staff=False)
    p.add_argument("--config", metavar="FILE",
                   help="hall configuration (TOML); the bundled default on a new database")
    add("catalog", cmd_catalog, "fields, procedures, counters, priorities", with_staff=False)
    p = add("issue", cmd_issue, "issue a ticket for a field or procedure")
    p.add_argument("what", metavar="FIELD_OR_PROCEDURE")
    p.add_argument("--priority", metavar="CATEGORY", help="priority category (e.g. elderly)")
    p.add_argument("--print", action="store_true", help="print the ticket once issued")
    p.add_argument("--printer", metavar="URL", help="printer URL (default: QUEUE_KIOSK_PRINTER "
                                                     "or the hall configuration)")
    p = add("reprint", cmd_reprint, "print a ticket again", with_staff=False)
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("--printer", metavar="URL")
    printer = sub.add_parser("printer", help="printer set-up: test page, preview")
    printer_sub = printer.add_subparsers(dest="printer_command", required=True,
                                         metavar="ACTION", parser_class=_Parser)
    p = printer_sub.add_parser("test", parents=[_common_options()],
                               help="print a sample ticket with the whole Vietnamese alphabet")
    p.add_argument("--printer", metavar="URL")
    p.set_defaults(handler=cmd_printer_test)
    p = printer_sub.add_parser("preview", parents=[_common_options()],
                               help="render a ticket as it would print, to a PNG file")
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--printer", metavar="URL")
    p.set_defaults(handler=cmd_printer_preview)
    p = add("call", cmd_call, "call the next ticket to a counter (or --number to call one)")
    p.add_argument("counter", metavar="COUNTER")
    p.add_argument("--number", metavar="NUMBER", help="call this number (e.g. a returning "
                                                       "citizen or a scanned ticket)")
    for action, text in (("recall", "call the current ticket again"),
                         ("start", "the called citizen arrived: start serving"),
                         ("finish", "finish serving the current ticket"),
                         ("no-show", "the called citizen did not come")):
        p = add(action, _on_counter(action), text)
        p.add_argument("counter", metavar="COUNTER")
        if action == "finish":
            p.add_argument("--rating", metavar="LEVEL", help="the citizen's satisfaction rating")
    p = add("transfer", cmd_transfer, "send the current ticket to another field or counter")
    p.add_argument("counter", metavar="COUNTER")
    p.add_argument("--to", required=True, metavar="FIELD_OR_COUNTER",
                   help="field or counter code; prefix with field: or counter: if ambiguous")
    p = add("return", cmd_return, "put a returning no-show back in line")
    p.add_argument("number", metavar="NUMBER")
    p = add("ticket", cmd_ticket, "show one ticket (number of today, or status token)",
            with_staff=False)
    p.add_argument("number", metavar="NUMBER_OR_TOKEN")
    p = add("rate", cmd_rate, "record a citizen's rating of a finished ticket", with_staff=False)
    p.add_argument("number", metavar="NUMBER_OR_TOKEN")
    p.add_argument("level", metavar="LEVEL")
    p = add("pause", cmd_pause, "pause a counter with a reason")
    p.add_argument("counter", metavar="COUNTER")
    p.add_argument("--reason", metavar="TEXT", default="")
    p = add("resume", cmd_resume, "resume a paused counter")
    p.add_argument("counter", metavar="COUNTER")
    p = add("waiting", cmd_waiting, "the tickets a counter would call, in order",
            with_staff=False)
    p.add_argument("counter", metavar="COUNTER")
    add("board", cmd_board, "what the hall display shows", with_staff=False)
    add("close-day", cmd_close_day, "end the day: expire (or carry over) what is still waiting")
    p = add("close-field", cmd_close_field, "emergency closure: stop issuing for a field")
    p.add_argument("field", metavar="FIELD")
    p.add_argument("--reason", required=True, metavar="TEXT")
    p.add_argument("--cancel-waiting", action="store_true",
                   help="also cancel the tickets already waiting")
    p = add("reopen-field", cmd_reopen_field, "take tickets for a closed field again")
    p.add_argument("field", metavar="FIELD")
    p = sub.add_parser("kiosk", parents=[_common_options()],
                       help="the citizens' ticket kiosk (full screen, locked)")
    p.add_argument("--printer", metavar="URL")
    p.add_argument("--unlocked", action="store_true",
                   help="allow Ctrl+Q to quit without the admin PIN (for setting up)")
    _client_option(p)
    p.set_defaults(handler=cmd_kiosk)
    p = sub.add_parser("counter", parents=[_common_options()],
                       help="an official's counter screen (sign in with staff code and PIN)")
    p.add_argument("counter", metavar="COUNTER", nargs="?")
    _client_option(p)
    p.set_defaults(handler=cmd_counter)
    p = sub.add_parser("display", parents=[_common_options()],
                       help="the hall's now-serving board with voice calls")
    p.add_argument("--mute", action="store_true", help="no sound")
    p.set_defaults(handler=cmd_display)
    p = add("report", cmd_report, "figures for a day or a range: volumes, waits, service "
            "times, targets, satisfaction", with_staff=False)
    p.add_argument("--date", metavar="YYYY-MM-DD", help="one day (default: today)")
    p.add_argument("--from", dest="start", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="end", metavar="YYYY-MM-DD")
    p.add_argument("--csv", metavar="FILE", help="write the figures as CSV (UTF-8, Excel-ready)")
    p.add_argument("--xlsx", metavar="FILE", help="write figures, hours and ratings as XLSX")
    p.add_argument("--ratings", metavar="FILE", help="export every rating with its time (CSV)")
    p.add_argument("--tui", action="store_true", help="show the report on screen with charts")
    p = sub.add_parser("simulate", parents=[_common_options()],
                       help="simulate a day to size the counters (no database needed)")
    p.add_argument("--config", metavar="FILE", help="hall configuration (default: bundled)")
    p.add_argument("--tickets", type=int, default=300)
    p.add_argument("--counters", type=int, help="how many counters (default: as configured)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--priority-mode", choices=["strict", "interleave"])
    p.set_defaults(handler=cmd_simulate)
    p = sub.add_parser("serve", parents=[_common_options()],
                       help="the screens in a browser, and the ticket status pages (QR)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; 0.0.0.0 opens it to the LAN)")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--public-url", metavar="URL",
                   help="the URL browsers use to reach this server (behind a proxy or NAT)")
    p.add_argument("--voice", action="store_true",
                   help="let served displays speak on this server's speakers")
    p.add_argument("--max-sessions", type=int, default=16, metavar="N",
                   help="screens open in browsers at once, in all (each is a process of about "
                        "75 MiB; default 16)")
    p.add_argument("--max-sessions-per-client", type=int, default=4, metavar="N",
                   help="screens one device may have open at once (default 4)")
    p.set_defaults(handler=cmd_serve)
    p = sub.add_parser("demo", parents=[_common_options()],
                       help="a throwaway demo centre: kiosk, counter and display in one "
                            "terminal (F12 switches)")
    p.add_argument("--seed", type=int, metavar="N", help="pre-fill a busy morning")
    p.add_argument("--mute", action="store_true", help="no sound")
    p.set_defaults(handler=cmd_demo)
    staff_parser = sub.add_parser("staff", help="staff accounts (PINs are read from a prompt "
                                                 "or standard input, never an argument)")
    staff_sub = staff_parser.add_subparsers(dest="staff_command", required=True,
                                            metavar="ACTION", parser_class=_Parser)
    for action, text in (("add", "add a staff member"), ("list", "list staff"),
                         ("disable", "disable an account"), ("enable", "enable an account"),
                         ("set-pin", "set a new PIN (and unlock)")):
        p = staff_sub.add_parser(action, parents=[_common_options()], help=text)
        p.set_defaults(handler=cmd_staff)
        if action != "list":
            p.add_argument("code", metavar="CODE")
        if action == "add":
            p.add_argument("--name", required=True)
            p.add_argument("--role", choices=["official", "admin"], default="official")
            p.add_argument("--counters", metavar="CODES",
                           help="comma-separated counters this person may use (default any)")
    return parser


def _normalised(argv: Sequence[str]) -> list[str]:
    return [nfc(arg) for arg in argv]


def _lang_hint(raw: Sequence[str], default: str) -> str:
    """The language asked for, read before parsing so usage errors come out in it."""
    for index, arg in enumerate(raw):
        if arg == "--lang=en" or (arg == "--lang" and raw[index + 1:index + 2] == ["en"]):
            return "en"
    return default


def main(argv: Sequence[str] | None = None) -> int:
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"queue-kiosk: {exc.name}: {exc}", file=sys.stderr)
        return 2
    raw = _normalised(sys.argv[1:] if argv is None else argv)
    lang = _lang_hint(raw, settings.lang)
    try:
        args = build_parser().parse_args(raw)
    except CliError as exc:
        print(f"queue-kiosk: {render('cli.usage', lang, detail=str(exc))}", file=sys.stderr)
        return 2
    ctx = Context(args, settings)
    try:
        value, text = args.handler(ctx)
    except QueueError as exc:
        print(f"queue-kiosk: {exc.message(ctx.lang)}", file=sys.stderr)
        return exc.exit_code
    except CliError as exc:
        print(f"queue-kiosk: {render('cli.usage', ctx.lang, detail=str(exc))}", file=sys.stderr)
        return 2
    except OSError as exc:
        if exc.filename is None:
            raise
        # A file the user named (an output folder that does not exist, no permission):
        # say which and why; the queue itself is untouched.
        detail = render("cli.file", ctx.lang, path=exc.filename,
                        reason=exc.strerror or type(exc).__name__)
        print(f"queue-kiosk: {detail}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if settings.debug or os.environ.get("QUEUE_KIOSK_DEBUG"):
            raise
        print(f"queue-kiosk: {render('internal', ctx.lang, detail=internal_detail(exc))}",
              file=sys.stderr)
        return 70
    try:
        if args.json:
            print(json.dumps(value, ensure_ascii=False, indent=2))
        elif text:
            print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # `queue-kiosk board | head`: the reader left; the work itself is done.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if ctx.print_failure is not None:
        reason = ctx.print_failure.message(ctx.lang)
        print(f"queue-kiosk: {render('print.citizen', ctx.lang, reason=reason)}",
              file=sys.stderr)
        return ctx.print_failure.exit_code
    return 0
