"""Provides the plan in words and in files: its counters described, the proposal as a hall
file fragment, and the officials' competence file that may bound it."""

from __future__ import annotations

import json
import textwrap
import tomllib
from collections.abc import Iterable

from queue_kiosk.config.hall import HallConfig
from queue_kiosk.domain.errors import ConfigError
from queue_kiosk.domain.text import nfc
from queue_kiosk.reports.planner import Outcome, PlanReport
from queue_kiosk.wording import say


def last_leaves(outcome: Outcome, lang: str) -> str:
    """When the last citizen leaves, flagged when that is past closing time."""
    at = outcome.last_leaves_at
    return say("plan.overtime", lang, time=at) if outcome.after_hours else at


def describe(outcome: Outcome, lang: str) -> list[str]:
    """A plan's counters in lines: primary + secondary fields, and how busy each was."""
    wait = outcome.secondary_wait_minutes
    lines = [say("plan.wait_for", lang, wait=wait) if wait else say("plan.wait_none", lang)]
    if outcome.unserved:
        lines.append(say("plan.unserved", lang, fields=", ".join(
            f"{code} ({count})" for code, count in outcome.unserved.items())))
    for code, roles in (outcome.counters or {}).items():
        lines.append(say("plan.counter_line", lang, code=code, primary=", ".join(roles["primary"]),
                         secondary=", ".join(roles["secondary"]) or "—",
                         busy=f"{outcome.utilisation[code]:.0%}"))
    return lines


def fragment(hall: HallConfig, report: PlanReport) -> str:
    """The proposal as a hall file fragment for `init --config`: the counters (all of them,
    as a hall file lists them) and the secondary wait. Nothing else of the hall changes."""
    proposal = report.proposal
    assert proposal.counters is not None
    named = {c.code: c for c in hall.counters}
    lines = [f"# {line}" for line in textwrap.wrap(
        f"queue-kiosk plan for {hall.site.code}: {report.verdict_en}", 90)]
    lines += ["# Load it with: queue-kiosk init --config THIS_FILE (it replaces the counters",
              "# and the secondary wait; the rest of the hall stays as it is).",
              "", "[policy]", f"secondary_max_wait_minutes = {proposal.secondary_wait_minutes}"]
    for code, roles in proposal.counters.items():
        counter = named.get(code)
        lines += ["", "[[counters]]", f"code = {_toml(code)}",
                  f"name = {_toml(counter.name if counter else f'Quầy {code}')}"]
        if counter and counter.name_en:
            lines.append(f"name_en = {_toml(counter.name_en)}")
        fields = [*roles["primary"], *roles["secondary"]]
        lines.append(f"fields = [{', '.join(_toml(f) for f in fields)}]")
        if counter and counter.hours:  # its own hours stay as they are
            days = ", ".join(f"{day} = [{', '.join(_toml(span) for span in spans)}]"
                             for day, spans in counter.hours.model_dump().items())
            lines.append(f"hours = {{ {days} }}")
    return "\n".join(lines) + "\n"


def _toml(text: str) -> str:
    # A JSON string is a TOML basic string (same escapes, \\uXXXX included).
    return json.dumps(text, ensure_ascii=False)


def read_competence(text: str, source: str, counters: Iterable[str],
                    hall: HallConfig) -> dict[str, list[str]]:
    """An officials file: `[counters]` with, per counter code, the fields its official may
    serve (`"5" = ["A", "B"]`); a counter not named may serve every field."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("config.syntax", file=source, detail=str(exc)) from None
    table = raw.get("counters")
    if set(raw) != {"counters"} or not isinstance(table, dict):
        raise ConfigError("config.invalid", file=source, where="",
                          detail='expected one table [counters] of code = ["FIELD", …]')
    known, codes = {f.code for f in hall.fields}, set(counters)
    out: dict[str, list[str]] = {}
    for code, fields in table.items():
        where = f"counters.{code}: "
        if code not in codes:
            raise ConfigError("config.invalid", file=source, where=where,
                              detail=f"no such counter (known: {', '.join(sorted(codes))})")
        if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
            raise ConfigError("config.invalid", file=source, where=where,
                              detail='expected a list of field codes, e.g. ["A", "B"]')
        unknown = sorted(set(fields) - known)
        if unknown:
            raise ConfigError("config.invalid", file=source, where=where,
                              detail=f"unknown field '{unknown[0]}' "
                                     f"(known: {', '.join(sorted(known))})")
        out[nfc(code)] = [nfc(f) for f in fields]
    return out
