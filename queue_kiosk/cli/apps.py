"""Provides the commands that open something: the screens, the browser server, the
report and the simulator."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from queue_kiosk.cli.commands import CliError, Context, Result, day_option
from queue_kiosk.wording import number, percent

if TYPE_CHECKING:
    from queue_kiosk.service.deliver import Deliverer
    from queue_kiosk.service.facade import QueueService


def _launch(store: QueueService | Callable[[], tuple[QueueService, dict[str, Any]]],
            **options: Any) -> None:
    """Start the Textual app. The UI package is loaded here and only here, by name, so the
    core never imports it (and scripting commands never pay for it).

    Given a function rather than a service, the app paints first and calls it behind its
    first screen; what it raises is raised here once the terminal is restored."""
    import importlib

    from queue_kiosk.ops.logs import start_logging

    # The terminal is the screen's: warnings go to the journal or the log file instead.
    start_logging(options.get("modes", ("kiosk",))[0])
    app_module = importlib.import_module("queue_kiosk.screens.app")
    app = app_module.make_app(store, app_module.AppOptions(**options))
    try:
        app.run()
    finally:
        if app.heartbeat is not None:  # closed on purpose: not a screen that died
            app.heartbeat.stop()
    if app.startup_error is not None:
        raise app.startup_error


def _voice_settings(service: QueueService) -> Any:
    from queue_kiosk.voice.announce import voice_settings

    return voice_settings(service.catalog.hall.display)


def _announcer(service: QueueService, mute: bool) -> Any:
    from queue_kiosk.voice.announce import Announcer

    return Announcer(_voice_settings(service), mute=mute)


def cmd_voice(ctx: Context) -> Result:
    """What an IT person needs when the hall hears nothing: which voice and which player a
    call uses, and whether the sound device takes it."""
    from queue_kiosk.voice.announce import Announcement, play_test_call, render_call

    settings = _voice_settings(ctx.service)
    if ctx.args.voice_command == "test":
        played = play_test_call(settings)
        return {"text": played.text, "voice": played.voice, "seconds": played.seconds,
                "player": played.player}, ctx.say(
            "voice.played", voice=played.voice, player=played.player, seconds=played.seconds,
            text=played.text)
    call = Announcement(ctx.args.number.strip().upper(), ctx.args.counter.strip())
    audio, source = render_call(call, settings)
    seconds = round(audio.seconds, 1)
    Path(ctx.args.out).write_bytes(audio.to_wav())
    return {"text": call.spoken(settings.style, settings.reading), "voice": source,
            "seconds": seconds, "out": str(ctx.args.out)}, ctx.say(
        "voice.written", out=ctx.args.out, voice=source, seconds=seconds)


def cmd_kiosk(ctx: Context) -> Result:
    def open_store() -> tuple[QueueService, dict[str, Any]]:
        from queue_kiosk.printing.job import printer_for

        return ctx.service, {"printer": printer_for(ctx.service.catalog, ctx.args.printer
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
    delivering: list[Deliverer | None] = []

    def open_store() -> tuple[QueueService, dict[str, Any]]:
        from queue_kiosk.service.deliver import started

        delivering.append(started(ctx.service))  # the hall's display delivers notices too
        return ctx.service, {"announcer": _announcer(ctx.service, ctx.args.mute)}
    try:
        _launch(open_store, modes=("display",), lang=ctx.lang, client=ctx.args.client)
    finally:
        for deliverer in delivering:
            if deliverer is not None:
                deliverer.stop()
    return None, ""


def cmd_notify(ctx: Context) -> Result:
    """The notification hook's deliverer as a service of its own (or, `--once`, what is
    due now, then exit: for tests and cron)."""
    import signal

    from queue_kiosk.service.deliver import Deliverer

    service = ctx.service
    if not service.catalog.hall.notify.command.strip():
        return {"attempted": 0}, ctx.say("notify.no_command")
    deliverer = Deliverer(service)
    if ctx.args.once:
        attempted = deliverer.deliver_pending()
        return {"attempted": attempted}, ctx.say("notify.attempted", count=attempted)
    # A service manager stops it with SIGTERM: the hooks running are killed, their notices
    # sent again by the next deliverer.
    signal.signal(signal.SIGTERM, lambda _number, _frame: deliverer.stop())
    print(ctx.say("notify.serving", site=service.catalog.site_code), flush=True)
    try:
        deliverer.serve()
    except KeyboardInterrupt:
        deliverer.stop()
    return None, ""


def cmd_setup(ctx: Context) -> Result:
    """The guided set-up of a new centre: the screen asks, the core writes and loads."""
    import importlib

    from queue_kiosk.config.hall import default_hall_path, load_hall
    from queue_kiosk.config.paths import data_dir
    from queue_kiosk.service.setup import Answers, SetupDone, apply_setup

    path = Path(ctx.args.file).expanduser() if ctx.args.file else data_dir() / "hall.toml"
    catalogue, clock = load_hall(default_hall_path()), ctx.settings.clock()

    def save(answers: Answers, path: Path) -> SetupDone:
        return apply_setup(ctx.store, answers, catalogue, path, clock)

    screen = importlib.import_module("queue_kiosk.screens.setup")
    app = screen.make_setup_app(screen.SetupOptions(
        catalogue=catalogue, save=save, path=path, lang=ctx.lang, clock=clock))
    done = app.run()
    if done is None:
        return None, ctx.say("setup.cancelled")
    loaded = done.loaded
    lines = [ctx.say("setup.done", path=done.path, site=loaded.site, fields=loaded.fields,
                     procedures=loaded.procedures, counters=loaded.counters,
                     admin=done.admin)]
    if done.other_sites:
        lines.append(ctx.say("setup.other_sites", codes=", ".join(done.other_sites),
                             site=loaded.site))
    lines.append(ctx.say("setup.next"))
    return {"file": str(done.path), "loaded": loaded.to_json(),
            "other_sites": done.other_sites}, "\n".join(lines)


def cmd_demo(ctx: Context) -> Result:
    from queue_kiosk.cli.demo import DEMO_ADMIN, DEMO_ADMIN_PIN, DEMO_PIN, DEMO_STAFF, create_demo
    from queue_kiosk.printing.printers import TicketPrinter

    demo = create_demo(ctx.settings.clock(), ctx.args.seed)
    printer = TicketPrinter(demo.service.catalog.hall.printer, f"preview://{demo.previews}")
    notes = [ctx.say("demo.folder", folder=demo.folder),
             ctx.say("demo.previews", folder=demo.previews),
             ctx.say("demo.counter", staff=DEMO_STAFF, pin=DEMO_PIN),
             ctx.say("demo.admin", staff=DEMO_ADMIN, pin=DEMO_ADMIN_PIN),
             ctx.say("demo.keys")]
    print("\n".join(notes))
    try:
        _launch(demo.service, modes=("kiosk", "counter", "display"), lang=ctx.lang,
                printer=printer, announcer=_announcer(demo.service, ctx.args.mute),
                notes=notes, sign_in_hint=notes[2])
    finally:
        demo.service.store.dispose()
        shutil.rmtree(demo.folder, ignore_errors=True)  # the demo leaves nothing behind
    return None, ctx.say("demo.cleaned", folder=demo.folder)


def cmd_serve(ctx: Context) -> Result:
    from aiohttp import web

    from queue_kiosk.web.board import BoardLimits
    from queue_kiosk.web.serve import SessionLimits, make_root

    for name, value, most in (
            ("--max-sessions", ctx.args.max_sessions, 500),
            ("--max-sessions-per-client", ctx.args.max_sessions_per_client, 500),
            ("--max-boards", ctx.args.max_boards, 5000),  # a board is a connection, no process
            ("--max-boards-per-client", ctx.args.max_boards_per_client, 5000)):
        if not 1 <= value <= most:
            raise CliError("usage.bounds", option=name, low=1, high=most, value=value)
    limits = SessionLimits(total=ctx.args.max_sessions,
                           per_client=ctx.args.max_sessions_per_client)
    from queue_kiosk.ops.logs import start_logging

    service = ctx.service  # checks the schema before anything listens
    start_logging("serve")
    os.environ["QUEUE_KIOSK_DB"] = ctx.store.engine.url.render_as_string(hide_password=False)
    host, port = ctx.args.host, ctx.args.port
    public = (ctx.args.public_url or f"http://{host}:{port}").rstrip("/")
    qr_base = service.catalog.hall.site.public_url
    print(f"queue-kiosk serve: {public}/  ({ctx.store.url})")
    print(f"  kiosk {public}/kiosk/ · counter {public}/counter/ · display {public}/display/"
          f" · hall TV {public}/board/")
    qr_target = f"{qr_base}/t/<token>" if qr_base else \
        "a code for counters (set site.public_url in the hall configuration for phones)"
    print(f"  ticket QR codes open: {qr_target}")
    from queue_kiosk.service.deliver import started

    deliverer = started(service)
    try:
        web.run_app(make_root(service, host=host, port=port, public_url=public, lang=ctx.lang,
                              voice=ctx.args.voice, limits=limits,
                              boards=BoardLimits(total=ctx.args.max_boards,
                                                 per_client=ctx.args.max_boards_per_client)),
                    host=host, port=port, print=None, access_log=None,
                    shutdown_timeout=3)  # open screens must not delay a stop
    finally:
        if deliverer is not None:
            deliverer.stop()  # the notices it held are sent again once their lease ends
    return None, ""


def cmd_report(ctx: Context) -> Result:
    from queue_kiosk.reports.centre import build_report
    from queue_kiosk.reports.tables import write_csv, write_ratings_csv, write_xlsx

    service = ctx.service
    args = ctx.args
    if args.date and (args.start or args.end):
        raise CliError("usage.one_of", first="--date", second="--from/--to")
    start = day_option(args.date or args.start) if (args.date or args.start) \
        else service.today()
    end = day_option(args.date or args.end) if (args.date or args.end) else start
    if end < start:
        raise CliError("usage.to_before_from")
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
    written = [path for path in (args.csv, args.xlsx, args.ratings) if path]
    if written:  # the figures are in the files; the screen says where
        return report.to_json(), "\n".join(ctx.say("report.wrote", path=path)
                                           for path in written)
    return report.to_json(), _report_text(report, ctx.lang)


def _report_text(report: Any, lang: str) -> str:
    from queue_kiosk.reports.tables import FIGURE_KEYS, bookings_line, figure_rows, format_cell

    rows = figure_rows(report, lang)
    shown = [FIGURE_KEYS.index(key) for key in (
        "scope", "key", "name", "issued", "served", "no_show", "waiting_median",
        "waiting_p90", "within_target", "satisfaction", "unrated")]
    table = [[str(rows[0][i]) for i in shown],
             *[[format_cell(FIGURE_KEYS[i], row[i], lang) for i in shown] for row in rows[1:]]]
    widths = [max(len(row[i]) for row in table) for i in range(len(shown))]
    lines = [report.title(lang)]
    for row in table:
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths,
                                                                 strict=True)).rstrip())
    if report.bookings:
        lines.append(bookings_line(report, lang))
    return "\n".join(lines)


def _within(*bounds: tuple[str, int | None, int, int]) -> None:
    """Each option given within its bounds: a commune's day is hundreds of citizens at a few
    counters; far past that a run would only eat the machine's memory for minutes."""
    for name, value, low, high in bounds:
        if value is not None and not low <= value <= high:
            raise CliError("usage.bounds", option=name, low=low, high=high, value=value)


def cmd_simulate(ctx: Context) -> Result:
    from queue_kiosk.reports.simulate import SimulationSettings, simulate, sized_hall

    args = ctx.args
    hall, _ = _study_hall(ctx, needs_database=False)
    _within(("--tickets", args.tickets, 1, 20_000), ("--counters", args.counters, 1, 200))
    if not 0 <= args.appointments <= 1:
        raise CliError("usage.bounds", option="--appointments", low=0, high=1,
                       value=args.appointments)
    settings = SimulationSettings(tickets=args.tickets, counters=args.counters,
                                  seed=args.seed, priority_mode=args.priority_mode,
                                  appointments=args.appointments)
    result = simulate(hall, settings)
    lines = [ctx.say("simulate.summary", tickets=result.tickets, counters=result.counters,
                     mode=result.priority_mode, mean=result.mean_wait, p95=result.p95_wait,
                     max=result.max_wait, day=result.day_length_minutes,
                     overtakes=result.overtakes)]
    names = {f.code: f.label(ctx.lang) for f in hall.fields}
    sized = sized_hall(hall, settings).counters
    lines += _sized_counters(ctx, hall, sized, names)
    heading = [ctx.say(f"simulate.col_{c}") for c in ("field", "tickets", "mean", "p95", "max")]
    lines += _table([heading, *[[f"{w.field} {names.get(w.field, '')}", str(w.tickets),
                                 *(f"{number(float(m), ctx.lang)}′"
                                   for m in (w.mean, w.p95, w.max))] for w in result.waits]])
    lines.append(ctx.say("simulate.pooled", mean=result.baseline_mean_wait,
                         p95=result.baseline_p95_wait, max=result.baseline_max_wait))
    hours = f"{result.open_minutes / 60:g}"
    lines.append(ctx.say("simulate.late", waiting=result.waiting_at_close, hours=hours)
                 if result.waiting_at_close else ctx.say("simulate.on_time", hours=hours))
    if args.counters is not None and args.counters != len(hall.counters):
        # What the counters asked for changed, against the hall as it is.
        as_is = simulate(hall, replace(settings, counters=None))
        lines.append(ctx.say("simulate.compared", counters=result.counters,
                             hall=as_is.counters, p95=result.p95_wait, hall_p95=as_is.p95_wait,
                             waiting=result.waiting_at_close,
                             hall_waiting=as_is.waiting_at_close))
    if args.appointments:
        walk_in = simulate(hall, replace(settings, appointments=0.0))
        lines.append(ctx.say("simulate.appointments", share=percent(args.appointments),
                             booked=result.booked, mean=result.booked_mean_wait,
                             p95=result.booked_p95_wait, all_mean=result.mean_wait,
                             all_p95=result.p95_wait, walk_mean=walk_in.mean_wait,
                             walk_p95=walk_in.p95_wait))
    return ({**result.to_json(), "counter_fields": {c.code: c.fields for c in sized}},
            "\n".join(lines))


def _sized_counters(ctx: Context, hall: Any, sized: list[Any],
                    names: dict[str, str]) -> list[str]:
    """The fields each counter past the hall's own takes: those of the hall's counters in
    turn. (Fewer counters than the hall's are refused where a field would be left out.)"""
    own = len(hall.counters)
    return [ctx.say("simulate.extra_counter", counter=counter.code,
                    like=hall.counters[n % own].code,
                    fields=", ".join(names.get(f, f) for f in counter.fields))
            for n, counter in enumerate(sized) if n >= own]


def cmd_plan(ctx: Context) -> Result:
    from queue_kiosk.reports import plan_files, planner, workload

    args = ctx.args
    if args.from_report is not None and args.demand:
        raise CliError("usage.one_of", first="--from-report", second="--demand")
    _within(("--from-report", args.from_report, 1, 366), ("--counters", args.counters, 1, 200),
            ("--seeds", args.seeds, 1, 50), ("--citizens", args.citizens, 1, 5_000))
    hall, source = _study_hall(ctx, needs_database=args.from_report is not None)
    counters = list(planner.current_plan(hall, args.counters).counters)
    competence = (plan_files.read_competence(_read(args.officials), args.officials, counters, hall)
                  if args.officials else None)
    if args.from_report is not None:
        from queue_kiosk.reports.centre import plan_from_tickets

        end = ctx.service.today()
        found = plan_from_tickets(ctx.service, end - timedelta(days=args.from_report - 1), end,
                                  counters=args.counters, competence=competence,
                                  seeds=args.seeds)
        if found is None:
            raise CliError("usage.no_tickets", days=args.from_report)
        report = found
    else:
        demand = (workload.parse_demand(hall, _read(args.demand), args.demand) if args.demand
                  else workload.typical_demand(hall, args.citizens))
        report = planner.make_plan(hall, demand, counters=args.counters,
                                   competence=competence, seeds=args.seeds)
    if args.out:
        Path(args.out).write_text(plan_files.fragment(hall, report), encoding="utf-8")
    return ({**report.to_json(), "hall": source, "out": args.out},
            _plan_text(ctx, hall, report, source))


def _study_hall(ctx: Context, *, needs_database: bool) -> tuple[Any, str]:
    """The hall to plan or simulate: the file given, else the one the database holds, else
    (no database yet, and no tickets asked for) the bundled one."""
    from queue_kiosk.config.hall import default_hall_path, load_hall
    from queue_kiosk.domain.errors import StoreError

    if ctx.args.config:
        return load_hall(Path(ctx.args.config)), ctx.args.config
    try:
        # Never the database's address: it may hold a password.
        return ctx.service.catalog.hall, "database"
    except StoreError as exc:
        if exc.code != "store.not_initialised" or needs_database:
            raise
    return load_hall(default_hall_path()), "bundled"


def _read(path: str) -> str:
    return Path(path).read_text(encoding="utf-8-sig")


def _plan_text(ctx: Context, hall: Any, report: Any, source: str) -> str:
    from queue_kiosk.domain.text import fit_lines
    from queue_kiosk.reports import plan_files

    names = {f.code: f.label(ctx.lang) for f in hall.fields}
    # The hall's file when one was given, the bundled one named; the database's, unsaid.
    shown = {"bundled": [ctx.say("plan.bundled")], ctx.args.config: [source]}.get(source, [])
    lines = [" · ".join((ctx.say("plan.heading", citizens=report.citizens_per_day,
                                 days=report.days), *shown,
                         ctx.say("plan.took", seconds=report.seconds)))]
    rows = [[ctx.say("plan.col_plan"), *(ctx.say(f"simulate.col_{c}")
                                         for c in ("mean", "p95", "max")),
             ctx.say("plan.col_last")]]
    for key in ("current", "proposal", "pooled"):
        outcome = getattr(report, key)
        rows.append([ctx.say(f"plan.{key}"), *(ctx.say("plan.minutes", n=n) for n in (
            outcome.mean_minutes, outcome.p95_minutes, outcome.max_minutes)),
                     plan_files.last_leaves(outcome, ctx.lang)])
    lines += _table(rows)
    lines.append("")
    rows = [[ctx.say("simulate.col_field"), *(ctx.say("plan.col_p95", plan=ctx.say(f"plan.{key}"))
                                              for key in ("current", "proposal"))]]
    for code, waits in report.current.fields.items():
        after = report.proposal.fields.get(code, waits)
        rows.append([fit_lines(f"{code} {names.get(code, '')}", len, 40, 1)[0],
                     ctx.say("plan.minutes", n=waits.p95_minutes),
                     ctx.say("plan.minutes", n=after.p95_minutes)])
    lines += _table(rows)
    lines.append("")
    for key in ("current", "proposal"):
        lines += [ctx.say(f"plan.{key}"), *plan_files.describe(getattr(report, key), ctx.lang)]
    lines += ["", report.verdict_en if ctx.lang == "en" else report.verdict]
    if ctx.args.out:
        lines.append(ctx.say("plan.written", file=ctx.args.out))
    return "\n".join(lines)


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  " + "  ".join(cell.ljust(width) if i == 0 else cell.rjust(width)
                             for i, (cell, width) in enumerate(zip(row, widths, strict=True)))
            for row in rows]
