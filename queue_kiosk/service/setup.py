"""Provides a new centre's set-up without a programmer: the answers of the guided `setup`
screen checked one by one (each refusal names the answer it is about), the hall they make,
its file, and its loading with the first administrator in one transaction."""

from __future__ import annotations

import ipaddress
import os
import re
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError

from queue_kiosk.config.base import WEEKDAYS
from queue_kiosk.config.hall import HallConfig, load_hall, parse_span
from queue_kiosk.config.hall_file import hall_toml, staged
from queue_kiosk.config.printer_target import parse_printer_url
from queue_kiosk.domain.clock import Clock
from queue_kiosk.domain.errors import ConfigError, QueueError, Refused
from queue_kiosk.domain.text import fold, nfc
from queue_kiosk.domain.views import LoadedView
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.service.staff import insert_staff, valid_pin
from queue_kiosk.wording import say

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from queue_kiosk.store.store import Store

SERVE_PORT = 8080
CODE = re.compile(r"[A-Za-z0-9_.-]{1,32}")
KINDS = ("xa", "phuong", "dac-khu", "thi-tran")
"""Words that open a commune's name ("xã An Bình"), left out of the site code it gives."""


@dataclass
class CounterAnswer:
    name: str
    fields: str
    """Field codes, in the counter's order of preference: "B, A, K"."""


@dataclass
class Answers:
    """What the set-up screen asks, as typed."""

    commune: str = ""
    name: str = ""
    code: str = ""
    fields: list[str] = field(default_factory=list)
    counters: list[CounterAnswer] = field(default_factory=list)
    weekdays: str = "07:30-11:30, 13:30-17:00"
    saturday: str = ""
    printer: str = ""
    paper_mm: Literal[58, 80] = 80
    reading: Literal["north", "south"] = "north"
    public_url: str = ""
    admin_code: str = ""
    admin_name: str = ""
    pin: str = ""
    pin_again: str = ""


class SetupRefused(QueueError):
    """Answers refused: `problems` maps each answer's key to why, so the screen shows each
    reason beside its answer."""

    def __init__(self, problems: dict[str, QueueError]) -> None:
        self.problems = problems
        key, first = next(iter(problems.items()))
        super().__init__("setup.refused", answer=key, detail=first.message("en"))

    def message(self, lang: str = "vi") -> str:
        return "; ".join(f"{key}: {problem.message(lang)}"
                         for key, problem in self.problems.items())


@dataclass(frozen=True)
class SetupDone:
    path: Path
    loaded: LoadedView
    admin: str
    other_sites: list[str]
    """Other centres the database already held: each command then needs --site."""


def answers_from(catalogue: HallConfig) -> Answers:
    """The answers a new centre starts from: the bundled catalogue's fields and counters."""
    return Answers(fields=[f.code for f in catalogue.fields],
                   counters=[CounterAnswer(c.name, ", ".join(c.fields))
                             for c in catalogue.counters],
                   public_url=f"http://{lan_address()}:{SERVE_PORT}")


def site_code(commune: str) -> str:
    """The code a commune's name gives: "xã An Bình" → "an-binh"."""
    words = re.sub(r"[^a-z0-9]+", "-", fold(commune)).strip("-")
    for kind in KINDS:
        if words.startswith(kind + "-"):
            return words[len(kind) + 1:][:32].strip("-")
    return words[:32].strip("-")


def centre_name(commune: str) -> str:
    return say("setup.centre_name", "vi", commune=nfc(commune).strip())


def lan_address() -> str:
    """This PC's address on the centre's network, found without sending anything: a UDP
    socket "connected" to a private address only asks the kernel which route it would take.
    127.0.0.1 when there is no network."""
    candidates = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            candidates.append(probe.getsockname()[0])
    except OSError:
        pass
    try:
        candidates.append(socket.gethostbyname(socket.gethostname()))
    except OSError:
        pass
    for address in candidates:
        if not ipaddress.ip_address(address).is_loopback and address != "0.0.0.0":
            return str(address)
    return "127.0.0.1"


def _spans(text: str) -> list[str]:
    return [span.strip() for span in text.replace(";", ",").split(",") if span.strip()]


def _check_hours(text: str, problems: dict[str, QueueError], key: str, needed: bool) -> None:
    spans = _spans(text)
    if needed and not spans:
        problems[key] = Refused("setup.no_hours")
    previous = None
    for span in spans:
        try:
            start, end = parse_span(span)
        except ValueError:
            problems[key] = Refused("setup.bad_hours", span=span)
            return
        if previous is not None and start < previous:
            problems[key] = Refused("setup.hours_overlap", span=span)
            return
        previous = end


def _check_counters(answers: Answers, problems: dict[str, QueueError]) -> None:
    chosen = set(answers.fields)
    served: set[str] = set()
    if not answers.counters:
        problems["counters"] = Refused("setup.no_counters")
    for number, counter in enumerate(answers.counters, start=1):
        if not counter.name.strip():
            problems[f"counter.{number}.name"] = Refused("setup.required")
        codes = [c.strip().upper() for c in counter.fields.replace(";", ",").split(",")
                 if c.strip()]
        key = f"counter.{number}.fields"
        if not codes:
            problems[key] = Refused("setup.counter_no_fields")
        for code in codes:
            if code not in chosen:
                problems[key] = Refused("setup.counter_unknown", code=code,
                                        known=", ".join(answers.fields) or "—")
                break
            if codes.count(code) > 1:
                problems[key] = Refused("setup.counter_twice", code=code)
                break
        served.update(codes)
    unserved = [code for code in answers.fields if code not in served]
    if unserved and answers.counters:
        problems["counters"] = Refused("setup.unserved", codes=", ".join(unserved))


def check_answers(answers: Answers, catalogue: HallConfig) -> dict[str, QueueError]:
    """Why each refused answer is refused, by its key; empty when all are right."""
    problems: dict[str, QueueError] = {}
    for key in ("commune", "name", "admin_name"):
        if not str(getattr(answers, key)).strip():
            problems[key] = Refused("setup.required")
    if len(answers.name.strip()) > 200:
        problems["name"] = Refused("setup.too_long", most=200)
    for key in ("code", "admin_code"):
        if not CODE.fullmatch(str(getattr(answers, key)).strip()):
            problems[key] = Refused("setup.bad_code")
    known = {f.code for f in catalogue.fields}
    if not answers.fields:
        problems["fields"] = Refused("setup.no_fields")
    elif not set(answers.fields) <= known:
        problems["fields"] = Refused("setup.counter_unknown", code=", ".join(
            sorted(set(answers.fields) - known)), known=", ".join(sorted(known)))
    _check_counters(answers, problems)
    _check_hours(answers.weekdays, problems, "weekdays", needed=True)
    _check_hours(answers.saturday, problems, "saturday", needed=False)
    try:
        parse_printer_url(answers.printer)
    except ConfigError as exc:
        problems["printer"] = exc
    url = answers.public_url.strip()
    if url and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", url):
        problems["public_url"] = Refused("setup.bad_url")
    if not valid_pin(answers.pin):
        problems["pin"] = Refused("staff.bad_pin")
    elif answers.pin != answers.pin_again:
        problems["pin_again"] = Refused("staff.pin_mismatch")
    return problems


def build_hall(answers: Answers, catalogue: HallConfig) -> HallConfig:
    """The hall the answers make: the catalogue's rules, priorities and chosen fields, with
    the centre's own name, counters, hours, printer, voice and address. Checked answers give
    a valid hall; anything the hall model still refuses is raised as a ConfigError."""
    data: dict[str, Any] = catalogue.model_dump()
    chosen = set(answers.fields)
    weekdays, saturday = _spans(answers.weekdays), _spans(answers.saturday)
    data["site"].update(code=answers.code.strip(), name=nfc(answers.name).strip(), name_en="",
                        address="", public_url=answers.public_url.strip())
    data["hours"] = {**data["hours"], **{day: weekdays for day in WEEKDAYS[:5]},
                     "sat": saturday, "sun": []}
    data["fields"] = [f for f in data["fields"] if f["code"] in chosen]
    data["counters"] = [
        {"code": str(number), "name": nfc(counter.name).strip(), "name_en": "",
         "fields": [c.strip().upper() for c in counter.fields.replace(";", ",").split(",")
                    if c.strip()]}
        for number, counter in enumerate(answers.counters, start=1)]
    data["printer"].update(url=answers.printer.strip(), paper_mm=answers.paper_mm)
    hours = ", ".join(weekdays) + (say("setup.saturday_notice", "vi", hours=", ".join(saturday))
                                   if saturday else "")
    data["display"].update(reading=answers.reading,
                           notice=say("setup.notice", "vi", hours=hours))
    try:
        return HallConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError("config.invalid", file="setup", where="",
                          detail=str(exc.errors()[0]["msg"])) from None


def hall_file_text(hall: HallConfig) -> str:
    return hall_toml(hall, header=say("setup.file_header", "vi", site=hall.site.name))


def apply_setup(store: Store, answers: Answers, catalogue: HallConfig, path: Path,
                clock: Clock | None = None) -> SetupDone:
    """Check the answers, write the hall file and load it with the first administrator.
    Nothing is half-done: the file is written beside its place and renamed there only once
    the database has taken the hall and the account in one transaction."""
    from queue_kiosk.store.migrate import upgrade

    problems = check_answers(answers, catalogue)
    if problems:
        raise SetupRefused(problems)
    hall = build_hall(answers, catalogue)
    try:
        temp = staged(path, hall_file_text(hall))
    except OSError as exc:
        raise SetupRefused({"path": Refused("setup.cannot_write", folder=str(path.parent),
                                            reason=exc.strerror or type(exc).__name__)}) \
            from None
    try:
        load_hall(temp)  # the file as written reads back: what `init --config` will find
        upgrade(store)
        others = _other_sites(store, hall.site.code)

        def add_admin(conn: Connection, site_id: int) -> None:
            insert_staff(conn, site_id, answers.admin_code.strip(),
                         nfc(answers.admin_name).strip(), answers.pin, role="admin")
        try:
            loaded = load_catalog(store, hall, clock, then=add_admin)
        except Refused as exc:
            if exc.code != "staff.exists":
                raise
            raise SetupRefused({"admin_code": exc}) from None
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    return SetupDone(path=path, loaded=loaded, admin=answers.admin_code.strip(),
                     other_sites=others)


def _other_sites(store: Store, code: str) -> list[str]:
    from sqlalchemy import select

    from queue_kiosk.store.tables import site_t

    with store.read() as conn:
        return [str(c) for c in conn.execute(select(site_t.c.code).where(
            site_t.c.code != code).order_by(site_t.c.code)).scalars()]
