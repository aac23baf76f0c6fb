"""Provides `service install | status | remove`: the systemd units that start a centre's
screens at boot and restart them when they die (their text: queue_kiosk.config.units)."""

from __future__ import annotations

import getpass
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

from queue_kiosk.cli.commands import Context, Result
from queue_kiosk.config.hall_file import staged
from queue_kiosk.config.paths import APP_NAME, default_db_url
from queue_kiosk.config.units import PREFIX, Role, UnitError, UnitSettings, parse_roles, units_for
from queue_kiosk.domain.errors import Refused

SYSTEM_DIR = Path("/etc/systemd/system")


def systemd_running() -> bool:
    """systemd is this machine's init (what `sd_booted()` checks)."""
    return Path("/run/systemd/system").is_dir()


def _unit_dir(ctx: Context) -> Path:
    if ctx.args.dir:
        return Path(ctx.args.dir).expanduser()
    return Path.home() / ".config/systemd/user" if ctx.args.user else SYSTEM_DIR


def _systemctl(ctx: Context, *words: str) -> list[str]:
    return ["systemctl", *(["--user"] if ctx.args.user else []), *words]


def _live(ctx: Context) -> bool:
    """Whether to tell systemd: not for units written to a folder of one's choosing."""
    return systemd_running() and not ctx.args.dir and shutil.which("systemctl") is not None


def _run(commands: list[list[str]]) -> None:
    for command in commands:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                              check=False)
        if done.returncode != 0:
            raise Refused("service.systemctl_failed", command=" ".join(command),
                          detail=(done.stderr.strip().splitlines() or ["?"])[0])


def _executable() -> str:
    beside = Path(sys.executable).with_name("queue-kiosk")
    found = beside if beside.is_file() else shutil.which("queue-kiosk")
    return str(Path(found).absolute()) if found else str(Path(sys.argv[0]).absolute())


def _db_url(ctx: Context, user: str) -> str:
    """The database the screens use: the one given, else the default one of the user the
    units run as (not root's, when installed with sudo)."""
    given = ctx.args.db or ctx.settings.db
    if given:
        return str(given)
    if ctx.args.user or user == getpass.getuser():
        return default_db_url()
    home = Path(pwd.getpwnam(user).pw_dir)
    return f"sqlite:///{home / '.local/share' / APP_NAME / 'queue-kiosk.db'}"


def cmd_service(ctx: Context) -> Result:
    action = ctx.args.service_command
    if action == "install":
        return _install(ctx)
    if action == "status":
        return _status(ctx)
    return _remove(ctx)


def _roles(words: list[str]) -> list[Role]:
    try:
        return parse_roles(words)
    except UnitError as exc:
        raise Refused(exc.key, **exc.params) from None


def _install(ctx: Context) -> Result:
    args = ctx.args
    roles = _roles(args.roles)
    user = args.run_as or os.environ.get("SUDO_USER") or getpass.getuser()
    if not args.user:
        try:
            pwd.getpwnam(user)
        except KeyError:
            raise Refused("service.unknown_user", user=user) from None
    settings = UnitSettings(
        executable=_executable(), python=sys.executable, db_url=_db_url(ctx, user),
        user_mode=args.user, user=user, site=args.site or ctx.settings.site,
        lang=args.lang or "", port=args.port, first_tty=args.tty, terminal=args.terminal,
        browser=shutil.which(args.browser) or args.browser, serve_url=args.serve_url or "",
        # The TV on this PC shows the browser display: its calls need this PC's speakers.
        serve_voice=args.voice or any(role.name == "browser-display" for role in roles),
        ship_to=args.ship_to or "", ship_token=os.environ.get("QUEUE_KIOSK_SHIP_TOKEN", ""))
    try:
        units = units_for(roles, settings)
    except UnitError as exc:
        raise Refused(exc.key, **exc.params) from None
    folder = _unit_dir(ctx)
    for unit in units:
        temp = staged(folder / unit.name, unit.text)
        temp.chmod(0o600 if unit.private else 0o644)
        os.replace(temp, folder / unit.name)
    started = [unit.name for unit in units if unit.start]
    commands = [_systemctl(ctx, "daemon-reload"), _systemctl(ctx, "enable", "--now", *started)]
    lines = [ctx.say("service.written", folder=folder,
                     units=", ".join(unit.name for unit in units))]
    live = _live(ctx)
    if live:
        _run(commands)
        lines.append(ctx.say("service.started", units=", ".join(started)))
    else:
        lines.append(ctx.say("service.run_these"))
        lines += [f"  {' '.join(command)}" for command in commands]
    lines.append(ctx.say("service.see_status", user=" --user" if args.user else ""))
    return {"dir": str(folder), "units": [unit.name for unit in units], "started": live,
            "commands": [" ".join(c) for c in commands]}, "\n".join(lines)


def _installed(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir()
                  if p.name.startswith(PREFIX) and p.suffix in (".service", ".timer"))


def _status(ctx: Context) -> Result:
    folder = _unit_dir(ctx)
    names = _installed(folder)
    if not names:
        return [], ctx.say("service.none", folder=folder)
    states: dict[str, dict[str, str]] = {}
    if _live(ctx):
        done = subprocess.run(_systemctl(ctx, "show", "--property=Id,ActiveState,SubState,"
                                         "NRestarts", *names),
                              capture_output=True, text=True, timeout=60, check=False)
        for block in done.stdout.strip().split("\n\n"):
            values = dict(line.split("=", 1) for line in block.splitlines() if "=" in line)
            if "Id" in values:
                states[values["Id"]] = values
    result: list[dict[str, object]] = []
    lines: list[str] = []
    for name in names:
        state = states.get(name)
        if state is None:
            result.append({"unit": name, "active": None, "restarts": None})
            lines.append(ctx.say("service.installed_only", unit=name))
            continue
        restarts = int(state.get("NRestarts") or 0)
        result.append({"unit": name, "active": state.get("ActiveState"),
                       "state": state.get("SubState"), "restarts": restarts})
        lines.append(ctx.say("service.state", unit=name, active=state.get("ActiveState", "?"),
                             state=state.get("SubState", "?"), restarts=restarts))
    if not states:
        lines.append(ctx.say("service.no_systemd"))
    return result, "\n".join(lines)


def _remove(ctx: Context) -> Result:
    folder = _unit_dir(ctx)
    installed = _installed(folder)
    if ctx.args.roles:
        wanted = {role.unit for role in _roles(ctx.args.roles)}
        names = [name for name in installed if name.rsplit(".", 1)[0] in wanted]
    else:
        names = installed
    if not names:
        return [], ctx.say("service.none", folder=folder)
    if _live(ctx):
        _run([_systemctl(ctx, "disable", "--now", *names)])
    for name in names:
        (folder / name).unlink()
    if _live(ctx):
        _run([_systemctl(ctx, "daemon-reload")])
    return names, ctx.say("service.removed", units=", ".join(names), folder=folder)
