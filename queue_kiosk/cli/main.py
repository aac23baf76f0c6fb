"""Provides the `queue-kiosk` command line: its parser and its entry point, which turns
every failure into one line and an exit code."""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

# Heavy imports (SQLAlchemy, Alembic, Textual) happen inside the commands that need them, so
# `queue-kiosk --help` and argument errors answer at once.
from queue_kiosk.cli.admin import cmd_admin, cmd_audit, cmd_hall
from queue_kiosk.cli.alerts import add_alerts_parser
from queue_kiosk.cli.apps import (
    cmd_counter,
    cmd_demo,
    cmd_display,
    cmd_kiosk,
    cmd_notify,
    cmd_plan,
    cmd_report,
    cmd_serve,
    cmd_setup,
    cmd_simulate,
    cmd_voice,
)
from queue_kiosk.cli.calendar import cmd_calendar
from queue_kiosk.cli.commands import (
    CliError,
    Context,
    Result,
    cmd_board,
    cmd_book,
    cmd_call,
    cmd_catalog,
    cmd_checkin,
    cmd_close_day,
    cmd_close_field,
    cmd_init,
    cmd_issue,
    cmd_pause,
    cmd_printer_preview,
    cmd_printer_test,
    cmd_rate,
    cmd_reopen_field,
    cmd_reprint,
    cmd_resume,
    cmd_return,
    cmd_staff,
    cmd_ticket,
    cmd_transfer,
    cmd_waiting,
    on_counter,
)
from queue_kiosk.cli.operations import cmd_backup, cmd_doctor, cmd_restore, cmd_ship, cmd_site
from queue_kiosk.cli.province import cmd_province
from queue_kiosk.cli.province_report import add_province_report_parser
from queue_kiosk.cli.services import cmd_service
from queue_kiosk.config.settings import Settings, SettingsError
from queue_kiosk.config.units import DEFAULT_TERMINAL
from queue_kiosk.domain.errors import QueueError, internal_detail
from queue_kiosk.domain.text import nfc
from queue_kiosk.wording import WORDING, say

_ARGPARSE = (
    (r"the following arguments are required: (?P<args>.+)", "usage.required"),
    (r"unrecognized arguments: (?P<args>.+)", "usage.unrecognised"),
    (r"argument (?P<option>\S+): invalid choice: '?(?P<value>.*?)'? \(choose from "
     r"(?P<choices>.+)\)", "usage.choice"),
    (r"argument (?P<option>\S+): invalid (?:int|float) value: '(?P<value>.*)'", "usage.number"),
    (r"argument (?P<option>\S+): expected one argument", "usage.value"),
)
"""argparse's own messages (English) and the wording that says them in the user's language."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        for pattern, key in _ARGPARSE:
            found = re.fullmatch(pattern, message)
            if found:
                raise CliError(key, **found.groupdict())
        raise CliError(message)


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


@functools.cache  # parsing leaves it as it was; the warm helper builds it once for all calls
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
    p = sub.add_parser("setup", parents=[_common_options()],
                       help="set a new centre up on a guided screen: its fields, counters, "
                            "hours, printer, voice and first administrator")
    p.add_argument("--file", metavar="FILE",
                   help="where to write the hall configuration (default: hall.toml in the "
                        "user data directory)")
    p.set_defaults(handler=cmd_setup)
    add("catalog", cmd_catalog, "fields, procedures, counters, priorities", with_staff=False)
    p = add("issue", cmd_issue, "issue a ticket for a field or procedure")
    p.add_argument("what", metavar="FIELD_OR_PROCEDURE")
    p.add_argument("--priority", metavar="CATEGORY",
                   help="priority category (e.g. elderly); none declines the one a card offers")
    p.add_argument("--cccd", metavar="TEXT",
                   help="the CCCD / VNeID QR text or the 12-digit number: per-person limits, "
                        "elderly priority by age; only a keyed hash is kept")
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
    voice = sub.add_parser("voice", help="voice calls: try the sound, or write a call's audio")
    voice_sub = voice.add_subparsers(dest="voice_command", required=True, metavar="ACTION",
                                     parser_class=_Parser)
    p = voice_sub.add_parser("test", parents=[_common_options()],
                             help="play a sample call and say what played it")
    p.set_defaults(handler=cmd_voice)
    p = voice_sub.add_parser("say", parents=[_common_options()],
                             help="write the audio of a call to a WAV file")
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("counter", metavar="COUNTER")
    p.add_argument("--out", required=True, metavar="FILE")
    p.set_defaults(handler=cmd_voice)
    p = add("call", cmd_call, "call the next ticket to a counter (or --number to call one)")
    p.add_argument("counter", metavar="COUNTER")
    p.add_argument("--number", metavar="NUMBER", help="call this number (e.g. a returning "
                                                       "citizen or a scanned ticket)")
    for action, text in (("recall", "call the current ticket again"),
                         ("start", "the called citizen arrived: start serving"),
                         ("finish", "finish serving the current ticket"),
                         ("no-show", "the called citizen did not come")):
        p = add(action, on_counter(action), text)
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
    p = add("book", cmd_book, "book a slot for a citizen (`book FIELD --date D --time T`), or "
            "`book cancel CODE`, `book list [--date D]`, `book slots FIELD [--date D]`")
    p.add_argument("what", metavar="FIELD|cancel|list|slots")
    p.add_argument("rest", nargs="?", metavar="CODE|FIELD")
    p.add_argument("--date", metavar="DATE",
                   help="the day, dd/mm/yyyy or YYYY-MM-DD (default: today)")
    p.add_argument("--time", metavar="HH:MM",
                   help="the slot's start (default: the next free slot today)")
    p.add_argument("--procedure", metavar="CODE", help="the procedure, when the hall asks")
    p.add_argument("--phone", metavar="NUMBER",
                   help="to reach the citizen (optional; deleted after appointments.keep_days)")
    p.add_argument("--cccd", metavar="TEXT", help="the citizen's CCCD / VNeID QR text or "
                                                  "number: one booking per field and day")
    p = add("calendar", cmd_calendar, "the centre's open and closed days (public holidays, "
            "the hall's [calendar]); `calendar close DATE --reason …`, `calendar open DATE "
            "[--hours …]` change one", with_staff=False)
    p.add_argument("action", nargs="?", choices=["close", "open"], metavar="close|open")
    p.add_argument("day", nargs="?", metavar="DATE", help="dd/mm/yyyy or YYYY-MM-DD")
    p.add_argument("--from", dest="start", metavar="DATE", help="the first day listed "
                                                                 "(default: today)")
    p.add_argument("--days", type=int, default=14, metavar="N", help="days listed (default 14)")
    p.add_argument("--reason", metavar="TEXT", help="why the day is closed (or opened)")
    p.add_argument("--hours", metavar="HH:MM-HH:MM,…",
                   help="an opened day's hours (default: an ordinary working day's)")
    p = add("checkin", cmd_checkin, "the ticket for a booking, at its time (its code or QR)")
    p.add_argument("code", metavar="CODE")
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
    p = sub.add_parser("admin", parents=[_common_options()],
                       help="change the centre on a screen (an administrator signs in): "
                            "fields, counters, staff, hours, notices, printer, bookings")
    _client_option(p)
    p.set_defaults(handler=cmd_admin)
    p = add("audit", cmd_audit, "what administrators changed (who, when, before and after); "
            "`audit --restore ID [--before]` puts back the centre as that change left (or "
            "found) it")
    p.add_argument("--restore", type=int, metavar="ID", help="restore the hall as change ID "
                                                              "left it (itself logged)")
    p.add_argument("--before", action="store_true",
                   help="with --restore: the hall as that change found it (undo it)")
    p.add_argument("--limit", type=int, default=50, metavar="N",
                   help="changes listed, newest first (default 50)")
    p = add("hall", cmd_hall, "`hall export [--out FILE]`: the centre's hall as a hall file "
            "that `init --config` loads back unchanged", with_staff=False)
    p.add_argument("action", choices=["export"], metavar="export")
    p.add_argument("--out", metavar="FILE", help="write it here (default: print it)")
    p = sub.add_parser("display", parents=[_common_options()],
                       help="the hall's now-serving board with voice calls")
    p.add_argument("--mute", action="store_true", help="no sound")
    _client_option(p)
    p.set_defaults(handler=cmd_display)
    p = sub.add_parser("notify", parents=[_common_options()],
                       help="deliver the notification hook's notices (a service of its own; "
                            "serve and the display deliver them too)")
    p.add_argument("--once", action="store_true",
                   help="deliver what is due now, then exit (for tests and cron)")
    p.set_defaults(handler=cmd_notify)
    p = add("report", cmd_report, "figures for a day or a range: volumes, waits, service "
            "times, targets, satisfaction", with_staff=False)
    p.add_argument("--date", metavar="DATE",
                   help="one day, dd/mm/yyyy or YYYY-MM-DD (default: today)")
    p.add_argument("--from", dest="start", metavar="DATE")
    p.add_argument("--to", dest="end", metavar="DATE")
    p.add_argument("--csv", metavar="FILE", help="write the figures as CSV (UTF-8, Excel-ready)")
    p.add_argument("--xlsx", metavar="FILE", help="write figures, hours and ratings as XLSX")
    p.add_argument("--ratings", metavar="FILE", help="export every rating with its time (CSV)")
    p.add_argument("--tui", action="store_true", help="show the report on screen with charts")
    p = sub.add_parser("simulate", parents=[_common_options()],
                       help="simulate a day to size the counters (no database needed)")
    p.add_argument("--config", metavar="FILE",
                   help="hall configuration (default: the database's, else the bundled one)")
    p.add_argument("--tickets", type=int, default=300)
    p.add_argument("--counters", type=int, help="how many counters (default: as configured)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--priority-mode", choices=["strict", "interleave"])
    p.add_argument("--appointments", type=float, default=0.0, metavar="SHARE",
                   help="share of citizens (0 to 1) who book the day before and check in "
                        "at their slot; compared with the same day all walk-in")
    p.set_defaults(handler=cmd_simulate)
    p = sub.add_parser("plan", parents=[_common_options()],
                       help="propose which counter serves which fields, from the demand")
    p.add_argument("--config", metavar="FILE",
                   help="hall configuration (default: the database's, else the bundled one)")
    p.add_argument("--from-report", type=int, metavar="DAYS",
                   help="demand from the tickets of the last DAYS days in the database")
    p.add_argument("--demand", metavar="FILE",
                   help="demand as CSV rows field,hour,citizens (an average day)")
    p.add_argument("--citizens", type=int, default=300,
                   help="without --from-report or --demand: citizens of a typical day "
                        "(default 300)")
    p.add_argument("--counters", type=int, help="how many counters (default: as configured)")
    p.add_argument("--officials", metavar="FILE",
                   help='which fields each counter\'s official may serve: TOML [counters] '
                        '"5" = ["A", "B"] (default: any)')
    p.add_argument("--seeds", type=int, default=5, help="days simulated per plan (default 5)")
    p.add_argument("--out", metavar="FILE",
                   help="write the proposal as a hall fragment for init --config")
    p.set_defaults(handler=cmd_plan)
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
    p.add_argument("--max-boards", type=int, default=200, metavar="N",
                   help="/board/ pages (the hall TV as a web page) open at once, in all "
                        "(each is a connection; default 200)")
    p.add_argument("--max-boards-per-client", type=int, default=8, metavar="N",
                   help="/board/ pages one device may have open at once (default 8)")
    p.set_defaults(handler=cmd_serve)
    p = sub.add_parser("demo", parents=[_common_options()],
                       help="a throwaway demo centre: kiosk, counter and display in one "
                            "terminal (F12 switches)")
    p.add_argument("--seed", type=int, metavar="N", help="pre-fill a busy morning")
    p.add_argument("--mute", action="store_true", help="no sound")
    p.set_defaults(handler=cmd_demo)
    _service_parser(sub)
    staff_parser = sub.add_parser("staff", help="staff accounts (PINs are read from a prompt "
                                                 "or standard input, never an argument)")
    staff_sub = staff_parser.add_subparsers(dest="staff_command", required=True,
                                            metavar="ACTION", parser_class=_Parser)
    for action, text in (("add", "add a staff member"), ("list", "list staff"),
                         ("disable", "disable an account"), ("enable", "enable an account"),
                         ("set-pin", "set a new PIN (and unlock)"),
                         ("unlock", "unlock an account locked by wrong PINs")):
        p = staff_sub.add_parser(action, parents=[_common_options()], help=text)
        p.set_defaults(handler=cmd_staff)
        if action != "list":
            p.add_argument("code", metavar="CODE")
        if action == "add":
            p.add_argument("--name", required=True)
            p.add_argument("--role", choices=["official", "admin"], default="official")
            p.add_argument("--counters", metavar="CODES",
                           help="comma-separated counters this person may use (default any)")
    _operations(sub)
    _province_parser(sub)
    return parser


def _province_parser(sub: Any) -> None:
    """`province`: the communes' overview, its read-only accounts and API tokens."""
    sites_help = "comma-separated site codes (default: every site)"
    province = sub.add_parser("province", parents=[_common_options()],
                              help="every commune at a glance (a terminal app, or --json); "
                                   "`province account add`, `province token add|revoke|list`")
    province.add_argument("--sites", metavar="CODES", help=sites_help)
    province.set_defaults(handler=cmd_province, province_command=None)
    actions = province.add_subparsers(dest="province_command", metavar="ACTION",
                                      parser_class=_Parser)
    p = actions.add_parser("account", help="province accounts: read-only, sign in at "
                                           "/province/ (the PIN from a prompt or stdin)")
    account = p.add_subparsers(dest="account_command", required=True, metavar="ACTION",
                               parser_class=_Parser)
    p = account.add_parser("add", parents=[_common_options()],
                           help="add a province account at this site's server")
    p.add_argument("code", metavar="CODE")
    p.add_argument("--name", required=True)
    p.add_argument("--sites", metavar="CODES", help=sites_help)
    p.set_defaults(handler=cmd_province)
    p = actions.add_parser("token", help="bearer tokens of /api/province/ (stored hashed)")
    token = p.add_subparsers(dest="token_command", required=True, metavar="ACTION",
                             parser_class=_Parser)
    for action, text in (("add", "make a token (printed once)"),
                         ("revoke", "revoke a token"), ("list", "list the tokens")):
        p = token.add_parser(action, parents=[_common_options()], help=text)
        p.set_defaults(handler=cmd_province)
        if action != "list":
            p.add_argument("name", metavar="NAME")
        if action == "add":
            p.add_argument("--sites", metavar="CODES", help=sites_help)
    add_province_report_parser(actions, _common_options())


def _service_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
    service = sub.add_parser("service", help="start the screens at boot and bring them back "
                                             "when they stop (systemd units)")
    service_sub = service.add_subparsers(dest="service_command", required=True,
                                         metavar="ACTION", parser_class=_Parser)
    where = _Parser(add_help=False)
    where.add_argument("--user", action="store_true",
                       help="units of the desktop user (~/.config/systemd/user): screens in "
                            "a full-screen terminal, the browser display; default: system "
                            "units in /etc/systemd/system, screens on text consoles")
    where.add_argument("--dir", metavar="FOLDER",
                       help="write the units here and leave systemd alone (to review them)")
    roles_help = "serve, kiosk, display, counter N, browser-display, notify, backup, ship"
    p = service_sub.add_parser("install", parents=[_common_options(), where],
                               help="write, enable and start units for these roles")
    p.add_argument("roles", nargs="+", metavar="ROLE", help=roles_help)
    p.add_argument("--run-as", metavar="USER",
                   help="who system units run as (default: the user who ran sudo)")
    p.add_argument("--port", type=int, default=8080, help="serve's port (default 8080)")
    p.add_argument("--tty", type=int, default=2, metavar="N",
                   help="first text console for the terminal screens (default 2)")
    p.add_argument("--terminal", default=DEFAULT_TERMINAL, metavar="COMMAND",
                   help=f"with --user, the terminal a screen runs in (default: {DEFAULT_TERMINAL})")
    p.add_argument("--browser", default="chromium", metavar="PROGRAM")
    p.add_argument("--serve-url", metavar="URL",
                   help="where the browser display finds serve (default: this PC)")
    p.add_argument("--voice", action="store_true",
                   help="serve speaks the served displays' calls on this PC's speakers "
                        "(on by itself with browser-display)")
    p.add_argument("--ship-to", metavar="URL",
                   help="ship: the province's serve (the token is read from "
                        "QUEUE_KIOSK_SHIP_TOKEN)")
    p.set_defaults(handler=cmd_service)
    p = service_sub.add_parser("status", parents=[_common_options(), where],
                               help="the installed units: running, restarted how often")
    p.set_defaults(handler=cmd_service, roles=[])
    p = service_sub.add_parser("remove", parents=[_common_options(), where],
                               help="stop, disable and delete units (all, or these roles)")
    p.add_argument("roles", nargs="*", metavar="ROLE", help=roles_help)
    p.set_defaults(handler=cmd_service)


def _operations(sub: Any) -> None:
    """`doctor`, `backup`, `restore`, `site`: keeping a centre running."""
    add_alerts_parser(sub, _common_options())
    p = sub.add_parser("doctor", parents=[_common_options()],
                       help="check this PC and the centre: database, clock, disk, printer, "
                            "sound, public_url, serve, backups, admin, screens")
    p.add_argument("--printer", metavar="URL")
    p.set_defaults(handler=cmd_doctor)
    p = sub.add_parser("backup", parents=[_common_options()],
                       help="copy the database now (or `backup verify FILE`)")
    p.add_argument("--to", metavar="DIR", help="folder (default: backups in the data folder)")
    p.add_argument("--keep", type=int, default=14, metavar="N",
                   help="daily backups kept in the folder (default 14)")
    p.set_defaults(handler=cmd_backup, backup_command="take")
    backup_sub = p.add_subparsers(dest="backup_command", metavar="ACTION",
                                  parser_class=_Parser)
    q = backup_sub.add_parser("verify", parents=[_common_options()],
                              help="check a backup: integrity, schema, counts")
    q.add_argument("file", metavar="FILE")
    q.set_defaults(handler=cmd_backup)
    site = sub.add_parser("site", help="the centres in the database: list, remove, token, "
                                       "links")
    site_sub = site.add_subparsers(dest="site_command", required=True, metavar="ACTION",
                                   parser_class=_Parser)
    p = site_sub.add_parser("list", parents=[_common_options()], help="list the centres")
    p.set_defaults(handler=cmd_site)
    p = site_sub.add_parser("token", parents=[_common_options()],
                            help="at the province: a new shipping token for a local-first "
                                 "commune (the old one stops working)")
    p.add_argument("code", metavar="CODE")
    p.set_defaults(handler=cmd_site)
    p = site_sub.add_parser("links", parents=[_common_options()],
                            help="at the province: when each local-first commune was last "
                                 "heard from")
    p.set_defaults(handler=cmd_site)
    p = sub.add_parser("ship", parents=[_common_options()],
                       help="at a local-first commune: send its changes to the province's "
                            "serve (token in QUEUE_KIOSK_SHIP_TOKEN)")
    p.add_argument("--to", required=True, metavar="URL",
                   help="the province's serve, e.g. https://tinh.example.vn")
    p.add_argument("--once", action="store_true",
                   help="send what is pending, then exit (tests, cron)")
    p.add_argument("--retry-max", type=float, default=60.0, metavar="SECONDS",
                   help="longest wait between tries while the province is unreachable "
                        "(default 60)")
    p.set_defaults(handler=cmd_ship)
    # The two that replace or delete data: each refuses the risky case unless --force.
    for parent, name, what, handler, text in (
            (sub, "restore", "file", cmd_restore,
             "put a backup in the database's place (the current one is kept aside); "
             "refused while screens run unless --force"),
            (site_sub, "remove", "code", cmd_site,
             "remove a centre and all of its data (one with tickets needs --force, and a "
             "backup is taken first)")):
        p = parent.add_parser(name, parents=[_common_options()], help=text)
        p.add_argument(what, metavar=what.upper())
        p.add_argument("--force", action="store_true")
        p.set_defaults(handler=handler)



def _normalised(argv: Sequence[str]) -> list[str]:
    return [nfc(arg) for arg in argv]


def lang_hint(raw: Sequence[str], default: str) -> str:
    """The language asked for, read before parsing so usage errors come out in it."""
    for index, arg in enumerate(raw):
        if arg == "--lang=en" or (arg == "--lang" and raw[index + 1:index + 2] == ["en"]):
            return "en"
    return default


def fail(code: str, message: str, exit_code: int, as_json: bool) -> int:
    """One error on standard error: a line of text, or with --json one JSON object, so that
    a script reads every failure the way it reads results."""
    if as_json:
        print(json.dumps({"error": code, "message": message}, ensure_ascii=False),
              file=sys.stderr)
    else:
        print(f"queue-kiosk: {message}", file=sys.stderr)
    return exit_code


def main(argv: Sequence[str] | None = None) -> int:
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"queue-kiosk: {exc.name}: {exc}", file=sys.stderr)
        return 2
    raw = _normalised(sys.argv[1:] if argv is None else argv)
    lang = lang_hint(raw, settings.lang)
    as_json = "--json" in raw
    try:
        args = build_parser().parse_args(raw)
    except CliError as exc:
        return fail("usage", say("cli.usage", lang, detail=exc.worded(lang)), 2, as_json)
    ctx = Context(args, settings)
    try:
        value, text = args.handler(ctx)
    except QueueError as exc:
        message = exc.message(ctx.lang)
        if f"operator.{exc.code}" in WORDING:  # what the operator can change about it
            message += " · " + say(f"operator.{exc.code}", ctx.lang)
        return fail(exc.code, message, exc.exit_code, as_json)
    except CliError as exc:
        return fail("usage", say("cli.usage", ctx.lang, detail=exc.worded(ctx.lang)), 2, as_json)
    except OSError as exc:
        if exc.filename is None:
            raise
        # A file the user named (an output folder that does not exist, no permission):
        # say which and why; the queue itself is untouched.
        return fail("file", say("cli.file", ctx.lang, path=exc.filename,
                                 reason=exc.strerror or type(exc).__name__), 2, as_json)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if settings.debug or os.environ.get("QUEUE_KIOSK_DEBUG"):
            raise
        return fail("internal", say("internal", ctx.lang, detail=internal_detail(exc)), 70,
                     as_json)
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
        print(f"queue-kiosk: {say('print.citizen', ctx.lang, reason=reason)}",
              file=sys.stderr)
        return ctx.print_failure.exit_code
    return ctx.exit_code
