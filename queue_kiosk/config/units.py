"""Provides the systemd units that start a centre's screens at boot and bring them back when
they die: plain text from a role and the PC's settings, written and started by the command
line (`service install`). Pure: testable without systemd.

Choices, each for a reason a centre meets:
- Restart=always, RestartSec=2 and no start limit (StartLimitIntervalSec=0): a screen that
  crashes is back within seconds, and one that keeps crashing (the database down at 7:00) is
  tried again every 2 s until it comes up, instead of systemd giving up after five tries.
- A system install runs the terminal screens on a text console (TTYPath=/dev/ttyN; the
  console's getty is stopped there): no desktop needed, they start before anyone logs in.
  A `--user` install runs them in a full-screen xterm in the desktop session instead: the
  desktop's fonts show every Vietnamese letter (a text console's 512-glyph font may not) and
  its 256 colours. xterm rather than the desktop's own terminal because gnome-terminal and
  its like hand the window to a server process and exit at once: systemd would think the
  screen died. The served display is a kiosk-mode browser, which needs a desktop session.
- The database URL goes in Environment= (with `%` doubled, systemd's escape); a unit holding
  a password is written readable by its owner only.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass

TERMINAL_ROLES = ("kiosk", "display", "counter")
ROLES = ("serve", "kiosk", "display", "counter", "browser-display", "notify", "backup",
         "ship")
USER_ONLY = ("browser-display",)
PREFIX = "queue-kiosk-"
DEFAULT_TERMINAL = "xterm -fullscreen -fa 'DejaVu Sans Mono' -fs 20 -e"
BACKUP_KEEP = 14
BACKUP_AT = "*-*-* 18:00:00"
"""After the centre closes (17:00), so the copy holds the whole day."""


class UnitError(ValueError):
    """Roles that make no unit: `key` names the wording, `params` fill it."""

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Role:
    name: str
    counter: str = ""

    @property
    def unit(self) -> str:
        """The unit's name without its suffix: queue-kiosk-counter-2."""
        return PREFIX + self.name + (f"-{self.counter}" if self.counter else "")


@dataclass(frozen=True)
class UnitSettings:
    """What the units need to know of this PC."""

    executable: str
    """The absolute path of `queue-kiosk`."""
    python: str
    """The interpreter it runs on (the browser display waits for `serve` with it)."""
    db_url: str
    user_mode: bool
    """True: units of the desktop user (~/.config/systemd/user); False: system units."""
    user: str = ""
    """Who the system units run as (User=); unused by user units."""
    site: str = ""
    lang: str = ""
    port: int = 8080
    first_tty: int = 2
    terminal: str = DEFAULT_TERMINAL
    browser: str = "chromium"
    serve_url: str = ""
    """Where the browser display finds `serve` (default: this PC's port)."""
    serve_voice: bool = False
    """`serve --voice`: the served displays' calls come out of this PC's speakers (a TV
    showing the browser display is plugged into it)."""
    ship_to: str = ""
    """A local-first commune: the province's serve its shipper sends to."""
    ship_token: str = ""
    """That commune's token (the unit holding it is its owner's only)."""


@dataclass(frozen=True)
class Unit:
    name: str
    """The file's name: queue-kiosk-serve.service."""
    text: str
    private: bool
    """Holds a password: readable by its owner only."""
    start: bool
    """Enabled and started itself (a timer's service is started by the timer)."""


def parse_roles(words: list[str]) -> list[Role]:
    """`serve kiosk counter 1 counter 2` → roles, each once; `counter` takes its number."""
    roles: list[Role] = []
    index = 0
    while index < len(words):
        word = words[index].strip().lower()
        if word not in ROLES:
            raise UnitError("service.unknown_role", role=words[index],
                            roles=", ".join(ROLES))
        counter = ""
        if word == "counter":
            if index + 1 >= len(words) or words[index + 1].lower() in ROLES:
                raise UnitError("service.counter_number")
            index += 1
            counter = words[index].strip()
            if not counter.replace("-", "").replace("_", "").isalnum():
                raise UnitError("service.counter_number")
        role = Role(word, counter)
        if role not in roles:
            roles.append(role)
        index += 1
    if not roles:
        raise UnitError("service.no_roles", roles=", ".join(ROLES))
    return roles


def units_for(roles: list[Role], settings: UnitSettings) -> list[Unit]:
    """Every unit the roles need; terminal screens take consecutive consoles from
    `first_tty` in the order given (a system install), the first one shown at boot."""
    units: list[Unit] = []
    tty = settings.first_tty
    for role in roles:
        if role.name in USER_ONLY and not settings.user_mode:
            raise UnitError("service.needs_user", role=role.name)
        if role.name == "backup":
            units += _backup(settings)
        elif role.name in TERMINAL_ROLES:
            units.append(_terminal(role, settings, tty, first=tty == settings.first_tty))
            tty += 1
        elif role.name == "serve":
            units.append(_serve(settings))
        elif role.name == "notify":
            units.append(_notify(settings))
        elif role.name == "ship":
            units.append(_ship(settings))
        else:
            units.append(_browser_display(settings))
    return units


def _private(settings: UnitSettings) -> bool:
    from urllib.parse import urlsplit

    try:
        return bool(urlsplit(settings.db_url).password)
    except ValueError:
        return True  # a URL too odd to read: keep it to its owner


def _escape(value: str) -> str:
    return value.replace("%", "%%")


def _command(*words: str) -> str:
    """A command line as systemd reads it: words quoted as a shell would, `%` escaped."""
    return _escape(" ".join(shlex.quote(word) for word in words))


def _environment(settings: UnitSettings, *extra: str) -> list[str]:
    pairs = [f"QUEUE_KIOSK_DB={settings.db_url}"]
    if settings.site:
        pairs.append(f"QUEUE_KIOSK_SITE={settings.site}")
    if settings.lang:
        pairs.append(f"QUEUE_KIOSK_LANG={settings.lang}")
    # PYTHONUNBUFFERED: what a screen prints reaches the journal as it happens.
    pairs += ["PYTHONUNBUFFERED=1", *extra]
    return [f'Environment="{_escape(pair)}"' for pair in pairs]


def _unit(description: str, *, after: list[str],
          wants: list[str] | None = None, extra_unit: list[str] | None = None) -> list[str]:
    lines = ["[Unit]", f"Description={description}"]
    lines += [f"After={' '.join(after)}"] if after else []
    lines += [f"Wants={' '.join(wants)}"] if wants else []
    lines += extra_unit or []
    # Never give up restarting: the screen must come back however often it fell.
    lines += ["StartLimitIntervalSec=0", ""]
    return lines


def _service(settings: UnitSettings, exec_start: str, *extra: str,
             environment: tuple[str, ...] = (), restart: bool = True) -> list[str]:
    lines = ["[Service]"]
    if not settings.user_mode and settings.user:
        lines.append(f"User={settings.user}")
    lines += _environment(settings, *environment)
    lines += list(extra)
    lines.append(f"ExecStart={exec_start}")
    if restart:
        lines += ["Restart=always", "RestartSec=2"]
    return lines


def _install(settings: UnitSettings, graphical: bool = False) -> list[str]:
    target = ("graphical-session.target" if graphical else "default.target") \
        if settings.user_mode else "multi-user.target"
    return ["", "[Install]", f"WantedBy={target}", ""]


def _serve(settings: UnitSettings) -> Unit:
    text = _unit(f"queue-kiosk: the screens in browsers and the ticket pages (port "
                 f"{settings.port})", after=["network-online.target"],
                 wants=["network-online.target"])
    voice = ["--voice"] if settings.serve_voice else []
    text += _service(settings, _command(settings.executable, "serve", "--host", "0.0.0.0",
                                        "--port", str(settings.port), *voice),
                     "SyslogIdentifier=queue-kiosk-serve")
    text += _install(settings)
    return Unit("queue-kiosk-serve.service", "\n".join(text), _private(settings), True)


def _notify(settings: UnitSettings) -> Unit:
    """The notification hook's deliverer on its own (`serve` and the display deliver too;
    this one for a PC that runs neither, or a hook only this PC can reach)."""
    text = _unit("queue-kiosk: the notification hook's deliverer",
                 after=["network-online.target"], wants=["network-online.target"])
    text += _service(settings, _command(settings.executable, "notify"),
                     "SyslogIdentifier=queue-kiosk-notify")
    text += _install(settings)
    return Unit("queue-kiosk-notify.service", "\n".join(text), _private(settings), True)


def _ship(settings: UnitSettings) -> Unit:
    """A local-first commune's shipper: its changes to the province, whenever the link is
    up (it waits out an outage itself, so a restart is only for a crash)."""
    if not settings.ship_to or not settings.ship_token:
        raise UnitError("service.ship_needs", url=settings.ship_to or "—")
    text = _unit("queue-kiosk: this centre's changes shipped to the province",
                 after=["network-online.target"], wants=["network-online.target"])
    text += _service(settings, _command(settings.executable, "ship", "--to", settings.ship_to),
                     "SyslogIdentifier=queue-kiosk-ship",
                     environment=(f"QUEUE_KIOSK_SHIP_TOKEN={settings.ship_token}",))
    text += _install(settings)
    return Unit("queue-kiosk-ship.service", "\n".join(text), True, True)


def _terminal(role: Role, settings: UnitSettings, tty: int, first: bool) -> Unit:
    command = [settings.executable, role.name, *([role.counter] if role.counter else [])]
    what = {"kiosk": "the ticket kiosk", "display": "the hall display",
            "counter": f"counter {role.counter}"}[role.name]
    if settings.user_mode:
        text = _unit(f"queue-kiosk: {what} in a full-screen terminal",
                     after=["graphical-session.target"],
                     extra_unit=["PartOf=graphical-session.target"])
        terminal = shlex.split(settings.terminal)
        text += _service(settings, _command(*terminal, *command),
                         f"SyslogIdentifier={role.unit}")
        text += _install(settings, graphical=True)
    else:
        console = f"tty{tty}"
        text = _unit(f"queue-kiosk: {what} on the text console {console}",
                     after=["systemd-user-sessions.service", f"getty@{console}.service",
                            "network-online.target"],
                     wants=["network-online.target"],
                     extra_unit=[f"Conflicts=getty@{console}.service"])
        extra = [f"TTYPath=/dev/{console}", "TTYReset=yes", "TTYVHangup=yes",
                 "StandardInput=tty", "StandardOutput=tty",
                 # Textual draws on standard error: it goes to the console too. systemd
                 # still logs each start, exit and restart to the journal.
                 "StandardError=tty", f"SyslogIdentifier={role.unit}"]
        if first:  # the console shown at boot: the kiosk's citizens see it, not a login
            extra.insert(0, f"ExecStartPre=+-/usr/bin/chvt {tty}")
        text += _service(settings, _command(*command), *extra,
                         environment=("TERM=linux",))
        text += _install(settings)
    return Unit(f"{role.unit}.service", "\n".join(text), _private(settings), True)


def _browser_display(settings: UnitSettings) -> Unit:
    base = (settings.serve_url or f"http://127.0.0.1:{settings.port}").rstrip("/")
    host, port = _host_port(base)
    wait = (f"import socket,time; any(socket.socket().connect_ex(({json.dumps(host)},{port})) == 0 "
            "or time.sleep(1) for _ in range(120))")
    text = _unit("queue-kiosk: the hall display in a kiosk-mode browser",
                 after=["graphical-session.target"],
                 extra_unit=["PartOf=graphical-session.target"])
    # Wait (up to 2 minutes) for `serve` to answer: a browser started before it shows an
    # error page and never tries again.
    text += _service(settings, _command(
        settings.browser, "--kiosk", f"--app={base}/display/", "--noerrdialogs",
        "--disable-session-crashed-bubble", "--no-first-run", "--incognito",
        "--autoplay-policy=no-user-gesture-required"),
        f"ExecStartPre={_command(settings.python, '-c', wait)}",
        "SyslogIdentifier=queue-kiosk-browser-display")
    text += _install(settings, graphical=True)
    return Unit("queue-kiosk-browser-display.service", "\n".join(text), False, True)


def _host_port(url: str) -> tuple[str, int]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or (443 if parts.scheme == "https" else 80)


def _backup(settings: UnitSettings) -> list[Unit]:
    service = _unit("queue-kiosk: the daily backup", after=[])
    service += _service(settings, _command(settings.executable, "backup", "--keep",
                                           str(BACKUP_KEEP)),
                        "Type=oneshot", "SyslogIdentifier=queue-kiosk-backup", restart=False)
    timer = ["[Unit]", "Description=queue-kiosk: the daily backup, after closing time", "",
             "[Timer]", f"OnCalendar={BACKUP_AT}",
             # A PC switched off at 18:00 takes the backup when it next starts.
             "Persistent=true", "RandomizedDelaySec=5min", "",
             "[Install]", "WantedBy=timers.target", ""]
    return [Unit("queue-kiosk-backup.service", "\n".join(service) + "\n",
                 _private(settings), False),
            Unit("queue-kiosk-backup.timer", "\n".join(timer), False, True)]
